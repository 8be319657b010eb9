# Sanitizer and valgrind targets, included by the top-level Makefile.
#
#   make asan           build mod_redirect307 with AddressSanitizer and
#                       UndefinedBehaviorSanitizer into out/sanitize/asan/ (from a
#                       copy of the source; .libs is not touched), with
#                       sanitize/pool-debug.h: every pool allocation of the module
#                       is its own heap block, so ASan sees overflows of one
#                       allocation and uses after its pool is cleared
#   make test-asan      the whole Apache::Test suite against that build, in a
#                       copy of the tree (sanitize/test-asan.sh); fails on any
#                       sanitizer report.  TEST_ARGS=t/smoke.t for one file
#   make test-valgrind  one pass of the suite with the test server as a single
#                       process under valgrind memcheck (sanitize/valgrind.sh);
#                       fails on errors or definite leaks in the module
#   make asan-clean     remove their output (out/sanitize/asan*, out/sanitize/valgrind*)

ASAN_SO   = out/sanitize/asan/mod_redirect307.so
# the sanitizer runtimes of Debian 12's gcc 12
ASAN_PKGS = libasan8 libubsan1

.PHONY: asan test-asan test-valgrind asan-clean

asan: $(ASAN_SO)

$(ASAN_SO): $(SRC) $(HDR) sanitize/pool-debug.h sanitize/build-asan.sh sanitize/httpd-asan.sh
	tools/ensure-packages.sh $(BUILD_PKGS) $(ASAN_PKGS)
	APXS=$(APXS) sanitize/build-asan.sh out/sanitize/asan

test-asan:
	tools/ensure-packages.sh $(TEST_PKGS) $(ASAN_PKGS)
	$(MAKE) asan
	APXS=$(APXS) HTTPD=$(HTTPD) sanitize/test-asan.sh $(TEST_ARGS)

test-valgrind:
	tools/ensure-packages.sh $(TEST_PKGS) valgrind
	$(MAKE) all
	APXS=$(APXS) HTTPD=$(HTTPD) sanitize/valgrind.sh $(TEST_ARGS)

asan-clean:
	rm -rf out/sanitize/asan out/sanitize/asan-suite out/sanitize/valgrind out/sanitize/valgrind-build

CLEAN_EXTRA += asan-clean
