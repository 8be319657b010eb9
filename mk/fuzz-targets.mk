# In-process fuzz targets of the core (fuzz/targets/fuzz_*.c), included by
# the top-level Makefile.
#
#   make fuzz-replay       every input of fuzz/corpus/<target>/ through its
#                          target, built with gcc and ASan/UBSan (no clang
#                          needed); prints "fuzz-replay: N inputs, M failed"
#                          (make test runs it)
#   make fuzz-libfuzzer    each target under libFuzzer (clang,
#                          -fsanitize=fuzzer,address,undefined) for
#                          FUZZ_TIME seconds (default 20), starting from the
#                          corpus and fuzz/dict.core; what it finds is
#                          written to out/fuzz-targets/artifacts/ and fails
#                          the run.  FUZZ_TARGETS=index limits it to some,
#                          FUZZ_RUNS=n stops each after n executions
#   make fuzz-targets-clean  remove out/fuzz-targets/

FUZZ_TARGETS ?= $(patsubst fuzz/targets/fuzz_%.c,%,$(sort $(wildcard fuzz/targets/fuzz_*.c)))
FUZZ_TIME    ?= 20
FUZZ_RUNS    ?= 0
FUZZ_OUT      = out/fuzz-targets
FUZZ_SAN      = -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CORE     = $(sort $(wildcard redirect307_*.c))
FUZZ_DEPS     = $(FUZZ_CORE) redirect307_private.h $(wildcard fuzz/targets/*.h)
# what a target links beyond the core and APR: FUZZ_LIBS_<target>
FUZZ_LIBS_regex = -lpcre2-8
FUZZ_PKGS     = libpcre2-dev
LIBFUZZER_PKGS = clang libclang-rt-14-dev libapr1-dev libaprutil1-dev \
                 $(FUZZ_PKGS)

.PHONY: fuzz-replay fuzz-libfuzzer fuzz-targets-clean

$(FUZZ_OUT)/replay/%: fuzz/targets/fuzz_%.c fuzz/targets/replay.c $(FUZZ_DEPS)
	@mkdir -p $(FUZZ_OUT)/replay
	gcc -g -O1 $(FUZZ_SAN) $(WARNINGS) -Werror -Wno-missing-prototypes \
	    $(APR_CFLAGS) -o $@ $< fuzz/targets/replay.c $(FUZZ_CORE) $(APR_LIBS) \
	    $(FUZZ_LIBS_$*)

$(FUZZ_OUT)/libfuzzer/%: fuzz/targets/fuzz_%.c $(FUZZ_DEPS)
	@mkdir -p $(FUZZ_OUT)/libfuzzer
	clang -g -O1 -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=undefined $(WARNINGS) -Werror \
	    -Wno-missing-prototypes $(APR_CFLAGS) -o $@ $< $(FUZZ_CORE) $(APR_LIBS) \
	    $(FUZZ_LIBS_$*)

fuzz-replay:
	tools/ensure-packages.sh $(UNIT_PKGS) $(ASAN_PKGS) $(FUZZ_PKGS)
	$(MAKE) $(addprefix $(FUZZ_OUT)/replay/,$(FUZZ_TARGETS))
	fuzz/run-targets.sh replay $(FUZZ_TARGETS)

fuzz-libfuzzer:
	tools/ensure-packages.sh $(LIBFUZZER_PKGS)
	$(MAKE) $(addprefix $(FUZZ_OUT)/libfuzzer/,$(FUZZ_TARGETS))
	FUZZ_TIME=$(FUZZ_TIME) FUZZ_RUNS=$(FUZZ_RUNS) \
	    fuzz/run-targets.sh libfuzzer $(FUZZ_TARGETS)

fuzz-targets-clean:
	rm -rf $(FUZZ_OUT)

CLEAN_EXTRA += fuzz-targets-clean
