# Benchmark targets, included by the top-level Makefile.
#
#   make bench         build the module into out/bench/ and measure it against
#                      mod_alias, mod_rewrite and nginx (bench/run; about 5
#                      minutes; BENCH_QUICK=1 for a sanity run of about 1.5)
#   make bench-clean   remove out/bench/ (builds, generated maps, results)
#
# bench/run builds its own copy of the module with apxs, so `bench` depends on
# no other target.  HTTPD and APXS are passed on when set; BENCH_* settings
# (see the top of bench/run) reach it through the environment, e.g.
#   make bench BENCH_ROUNDS=7 BENCH_DURATION=5

BENCH_DIR := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))../bench)

.PHONY: bench bench-clean
CLEAN_EXTRA += bench-clean

# nginx is measured when installed; it is not installed for the benchmark
bench:
	$(abspath $(BENCH_DIR)/../tools/ensure-packages.sh) apache2 apache2-dev \
	    apache2-utils wrk curl gcc libc6-dev
	$(if $(HTTPD),HTTPD=$(HTTPD)) $(if $(APXS),APXS=$(APXS)) $(BENCH_DIR)/run

bench-clean:
	rm -rf $(BENCH_DIR)/../out/bench
