# Unit tests of the core, included by the top-level Makefile.
#
#   make unit          build every unit/test_*.c with the core files
#                      (redirect307_*.c, APR only) into out/unit/ and run
#                      them; prints "unit: N passed, M failed" (cmocka)
#   make unit CC=clang the same with clang; UNIT_CFLAGS adds flags (make
#                      coverage passes --coverage)
#   make unit-clean    remove out/unit/

UNIT_PKGS   = libcmocka-dev libapr1-dev libaprutil1-dev gcc libc6-dev
CORE_SRC    = $(sort $(wildcard redirect307_*.c))
UNIT_SRC    = $(sort $(wildcard unit/test_*.c))
UNIT_OUT   ?= out/unit
UNIT_BIN    = $(patsubst unit/%.c,$(UNIT_OUT)/%,$(UNIT_SRC))
UNIT_CFLAGS ?=
CC         ?= gcc
UNIT_CORE   = $(patsubst %.c,$(UNIT_OUT)/core/%.o,$(CORE_SRC))
APR_CFLAGS  = $(shell apr-1-config --cflags --cppflags --includes 2>/dev/null)
APR_LIBS    = $(shell apr-1-config --link-ld 2>/dev/null) \
              $(shell apu-1-config --link-ld 2>/dev/null)
# the core files build warning-free with the module's strict flags
CORE_WARNINGS = $(WARNINGS) -Werror

.PHONY: unit unit-build unit-clean

unit:
	tools/ensure-packages.sh $(UNIT_PKGS)
	$(MAKE) unit-build
	tools/run-unit.sh $(UNIT_BIN)

unit-build: $(UNIT_BIN)

$(UNIT_OUT)/core/%.o: %.c redirect307_private.h
	@mkdir -p $(UNIT_OUT)/core
	$(CC) -g -O0 $(CORE_WARNINGS) $(APR_CFLAGS) $(UNIT_CFLAGS) -c -o $@ $<

$(UNIT_OUT)/%: unit/%.c unit/unit.h $(UNIT_CORE)
	$(CC) -g -O0 $(CORE_WARNINGS) -Wno-missing-prototypes $(APR_CFLAGS) \
	    $(UNIT_CFLAGS) -o $@ $< $(UNIT_CORE) $(APR_LIBS) -lcmocka

unit-clean:
	rm -rf out/unit out/unit-*

CLEAN_EXTRA += unit-clean
