# Sanitizer and valgrind targets, included by the top-level Makefile.
#
#   make asan           build mod_redirect307 with AddressSanitizer and
#                       UndefinedBehaviorSanitizer into fuzz/out/asan/ (from a
#                       copy of the source; .libs is not touched), with
#                       fuzz/pool-debug.h: every pool allocation of the module
#                       is its own heap block, so ASan sees overflows of one
#                       allocation and uses after its pool is cleared
#   make test-asan      the whole Apache::Test suite against that build, in a
#                       copy of the tree (fuzz/test-asan.sh); fails on any
#                       sanitizer report.  TEST_ARGS=t/smoke.t for one file
#   make test-valgrind  one pass of the suite with the test server as a single
#                       process under valgrind memcheck (fuzz/valgrind.sh);
#                       fails on errors or definite leaks in the module
#   make asan-clean     remove their output (fuzz/out/asan*, fuzz/out/valgrind*)

ASAN_SO   = fuzz/out/asan/mod_redirect307.so
# the sanitizer runtimes of Debian 12's gcc 12
ASAN_PKGS = libasan8 libubsan1

.PHONY: asan test-asan test-valgrind asan-clean

asan: $(ASAN_SO)

$(ASAN_SO): $(SRC) $(HDR) fuzz/pool-debug.h fuzz/build-asan.sh fuzz/httpd-asan.sh
	build/ensure-packages.sh $(BUILD_PKGS) $(ASAN_PKGS)
	APXS=$(APXS) fuzz/build-asan.sh fuzz/out/asan

test-asan:
	build/ensure-packages.sh $(TEST_PKGS) $(ASAN_PKGS)
	$(MAKE) asan
	APXS=$(APXS) HTTPD=$(HTTPD) fuzz/test-asan.sh $(TEST_ARGS)

test-valgrind:
	build/ensure-packages.sh $(TEST_PKGS) valgrind
	$(MAKE) all
	APXS=$(APXS) HTTPD=$(HTTPD) fuzz/valgrind.sh $(TEST_ARGS)

asan-clean:
	rm -rf fuzz/out/asan fuzz/out/asan-suite fuzz/out/valgrind fuzz/out/valgrind-build

CLEAN_EXTRA += asan-clean
