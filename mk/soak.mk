# Load and graceful-restart target, included by the top-level Makefile.
#
#   make soak           soak/run-soak.sh: wrk with 256 keep-alive connections
#                       and soak/soak.lua (checks every answer) against the
#                       freshly built module, at least 1000000 requests, child
#                       RSS followed through /proc, then five graceful restarts
#                       under load while the rules and the map change (about
#                       2 minutes).  Settings, passed on when given:
#                       REQUESTS, CONNS, THREADS, WARMUP, RESTARTS, EVERY,
#                       MAXGROWTH (%), MAXTIME, LOAD_MPM, GRACEFUL_MPM, PACE
#   make soak-clean     remove its output (out/soak/)

SOAK_PKGS = apache2 wrk curl $(BUILD_PKGS)
SOAK_VARS = REQUESTS CONNS THREADS WARMUP RESTARTS EVERY MAXGROWTH MAXTIME \
            LOAD_MPM GRACEFUL_MPM PACE
SOAK_ARGS = $(foreach v,$(SOAK_VARS),$(if $(filter command line,$(origin $(v))),$(v)=$($(v))))

.PHONY: soak soak-clean

soak:
	tools/ensure-packages.sh $(SOAK_PKGS)
	$(MAKE) all
	HTTPD=$(HTTPD) soak/run-soak.sh $(SOAK_ARGS)

soak-clean:
	rm -rf out/soak

CLEAN_EXTRA += soak-clean
