# Usage statistics against real clients, included by the top-level Makefile.
#
#   make test-stats    tools/test-stats.sh: promtool check metrics on the
#                      handler's Prometheus output, a real Prometheus server
#                      on loopback scraping it (a counter read back through
#                      its query API), headless Chromium using the page
#                      (rows, sort, filter, explain; screenshot in
#                      out/screenshots/status.png), the state file written
#                      by the parent within a minute (about 1.5 minutes)
#   make stats-clean   remove out/stats/ and out/screenshots/

STATS_PKGS = apache2 curl prometheus chromium python3 perl $(BUILD_PKGS)

.PHONY: test-stats stats-clean

test-stats:
	tools/ensure-packages.sh $(STATS_PKGS)
	$(MAKE) all
	HTTPD=$(HTTPD) timeout -k 10 600 tools/test-stats.sh

stats-clean:
	rm -rf out/stats out/screenshots

CLEAN_EXTRA += stats-clean
