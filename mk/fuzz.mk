# Fuzzing target, included by the top-level Makefile.
#
#   make fuzz           the bounded fuzzer (fuzz/run-fuzz.sh): out/fuzz/fuzz307
#                       sends 200000 random and mutated requests to httpd on
#                       127.0.0.1 running the sanitizer build (make asan) under
#                       fuzz/httpd.conf.in, checks every response and the error
#                       log (about half a minute; the CI pass), then each
#                       in-process target under libFuzzer for FUZZ_TIME
#                       seconds (mk/fuzz-targets.mk)
#   make fuzz N=2000000 a longer run; more settings, passed on when given:
#                       SEED=n (print a run again), ONLY=i (with SEED: send
#                       request i of that run alone and show it), T=seconds
#                       (time limit, default 600), W=clients, DEPTH=pipelined
#                       requests, MAXFAIL=n, KEEP=1, ASAN=0 (the tree's .libs)
#   make fuzz-clean     remove out/fuzz/ (the client and the logs of the last run)

FUZZ_VARS = N SEED T W DEPTH ONLY MAXFAIL KEEP ASAN SO
FUZZ_ARGS = $(foreach v,$(FUZZ_VARS),$(if $(filter command line,$(origin $(v))),$(v)=$($(v))))

.PHONY: fuzz fuzz-clean

out/fuzz/fuzz307: fuzz/fuzz307.c
	mkdir -p out/fuzz
	gcc -O2 -g -Wall -Wextra -o $@ fuzz/fuzz307.c

fuzz:
	tools/ensure-packages.sh $(RUN_PKGS) $(ASAN_PKGS)
	$(MAKE) all asan out/fuzz/fuzz307
	HTTPD=$(HTTPD) fuzz/run-fuzz.sh $(FUZZ_ARGS)
	$(MAKE) --no-print-directory fuzz-libfuzzer

fuzz-clean:
	rm -rf out/fuzz

CLEAN_EXTRA += fuzz-clean
