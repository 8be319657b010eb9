# Coverage of the module, included by the top-level Makefile.
#
#   make coverage        line and branch coverage of every file of the
#                        module over the unit tests and the Apache::Test
#                        suite (tools/coverage.sh, gcov and gcovr); prints
#                        "coverage: lines N%, branches M%" and writes
#                        out/coverage/index.html
#   make coverage-clean  remove out/coverage/

COVERAGE_PKGS = gcovr $(TEST_PKGS) $(UNIT_PKGS)

.PHONY: coverage coverage-clean

coverage:
	tools/ensure-packages.sh $(COVERAGE_PKGS)
	APXS=$(APXS) HTTPD=$(HTTPD) tools/coverage.sh

coverage-clean:
	rm -rf out/coverage

CLEAN_EXTRA += coverage-clean
