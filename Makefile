# mod_redirect307 — build, install, demo and tests.  `make help` lists targets.

APXS    ?= apxs
HTTPD   ?= /usr/sbin/apache2
INDENT  ?= indent
DESTDIR ?=

# the module is every top-level C file, the glue file first (apxs names the
# module after it); the headers are every top-level .h
SRC     = mod_redirect307.c $(filter-out mod_redirect307.c,$(sort $(wildcard *.c)))
HDR     = $(sort $(wildcard *.h))
MODULE  = .libs/mod_redirect307.so

# Strict warnings, passed through apxs to the compiler.  EXTRA_CFLAGS and
# EXTRA_LDFLAGS are for special builds, e.g.
#   make EXTRA_CFLAGS='-fsanitize=address,undefined -g' EXTRA_LDFLAGS=-fsanitize=address,undefined
# ({NULL} ends a command_rec table, as in every httpd module: clang's
# -Wmissing-field-initializers would flag it)
WARNINGS = -Wall -Wextra -Wshadow -Wmissing-prototypes -Wformat=2 \
           -Wno-unused-parameter -Wno-missing-field-initializers
EXTRA_CFLAGS  ?=
EXTRA_LDFLAGS ?=
APXS_FLAGS = $(addprefix -Wc$(comma),$(WARNINGS) $(EXTRA_CFLAGS)) \
             $(addprefix -Wl$(comma),$(EXTRA_LDFLAGS))
comma := ,

# Debian packages each target needs (installed by tools/ensure-packages.sh
# when running as root; otherwise it prints the apt-get command).
BUILD_PKGS = apache2-dev gcc libc6-dev
RUN_PKGS   = apache2 curl $(BUILD_PKGS)
TEST_PKGS  = apache2 libapache2-mod-perl2 curl $(BUILD_PKGS)

.DEFAULT_GOAL := all

# More targets (bench, fuzz, sanitizers, package, clients) live in mk/*.mk;
# each fragment adds its own clean-up target to CLEAN_EXTRA.
CLEAN_EXTRA =
include $(sort $(wildcard mk/*.mk))

.PHONY: all install run stop test clean indent help

all: $(MODULE)

$(MODULE): $(SRC) $(HDR)
	$(APXS) -c $(APXS_FLAGS) $(SRC)

# Install the module; on Debian-style layouts also write
# mods-available/redirect307.{load,conf} so `a2enmod redirect307` works.
LIBEXECDIR    = $(shell $(APXS) -q LIBEXECDIR)
MODS_AVAILABLE = /etc/apache2/mods-available

install: $(MODULE)
	install -d $(DESTDIR)$(LIBEXECDIR)
	$(APXS) -i -S LIBEXECDIR=$(DESTDIR)$(LIBEXECDIR) -n redirect307 mod_redirect307.la
	@if [ -n "$(DESTDIR)" ] || [ -d $(MODS_AVAILABLE) ]; then \
	    install -d $(DESTDIR)$(MODS_AVAILABLE) && \
	    echo "LoadModule redirect307_module $(LIBEXECDIR)/mod_redirect307.so" \
	        > $(DESTDIR)$(MODS_AVAILABLE)/redirect307.load && \
	    install -m 644 conf/redirect307.conf $(DESTDIR)$(MODS_AVAILABLE)/redirect307.conf && \
	    echo "wrote $(DESTDIR)$(MODS_AVAILABLE)/redirect307.load and redirect307.conf" && \
	    echo "enable with: a2enmod redirect307 && systemctl reload apache2"; \
	fi

# Example server on a free 127.0.0.1 port (demo/httpd.conf.in).
run:
	tools/ensure-packages.sh $(RUN_PKGS)
	$(MAKE) all
	HTTPD=$(HTTPD) demo/demo.sh start

stop:
	HTTPD=$(HTTPD) demo/demo.sh stop

# Apache::Test suite against the freshly built module (t/run-suite.sh runs
# it as `nobody` in a temporary copy when invoked as root).
# The unit tests and the replay of the fuzz corpus come first: they take
# seconds and point at the core file that broke.  TEST_ARGS=t/x.t runs
# only that file of the suite (and skips the unit tests and the replay).
test:
	tools/ensure-packages.sh $(TEST_PKGS) $(UNIT_PKGS) $(ASAN_PKGS)
	$(MAKE) all
	$(if $(TEST_ARGS),,$(MAKE) --no-print-directory unit fuzz-replay)
	APACHE_TEST_APXS=$$(command -v $(APXS)) APACHE_TEST_HTTPD=$(HTTPD) \
	    t/run-suite.sh $(TEST_ARGS)

clean: $(CLEAN_EXTRA)
	@if [ -f out/demo/httpd.pid ]; then demo/demo.sh stop; fi
	rm -rf .libs *.o *.lo *.slo *.la
	rm -rf t/TEST t/SMOKE t/logs t/state t/htdocs/index.html t/core t/core.*
	rm -f $(patsubst %.in,%,$(wildcard t/conf/*.conf.in))
	rm -f t/conf/apache_test_config.pm \
	      t/conf/modperl_*.pm t/conf/mime.types
	-rmdir t/htdocs 2>/dev/null || true
	rm -rf out

indent:
	INDENT=$(INDENT) tools/indent.sh $(SRC) $(HDR)

help:
	@echo "make            build $(MODULE) with $(APXS)"
	@echo "make install    install it (DESTDIR honoured) + mods-available files"
	@echo "make run        start the demo server and show a 307 with curl"
	@echo "make stop       stop the demo server"
	@echo "make test       unit tests, fuzz corpus replay, then the Apache::Test suite"
	@echo "                (TEST_ARGS=t/smoke.t for one file of the suite alone)"
	@echo "make unit       the unit tests of the core (cmocka)"
	@echo "make clean      remove every generated file"
	@echo "make indent     format the C sources with GNU indent"
