# Compiler checks of the module's C files, included by the top-level
# Makefile (CI runs both).
#
#   make check-build   build the module with gcc and with clang, each with
#                      the strict warnings and -Werror, into out/check/
#                      (from copies of the sources; .libs is not touched)
#   make analyze       clang's static analyzer over every C file of the
#                      module; fails on any report
#   make check-clean   remove out/check/

CHECK_PKGS = clang $(BUILD_PKGS) $(UNIT_PKGS)
CHECK_OUT  = out/check
ANALYZE_FLAGS = -I$(shell $(APXS) -q INCLUDEDIR 2>/dev/null) \
                $(shell apr-1-config --cppflags --includes 2>/dev/null)

.PHONY: check-build analyze check-clean

check-build:
	tools/ensure-packages.sh $(CHECK_PKGS)
	@for cc in gcc clang; do \
	    dir=$(CHECK_OUT)/$$cc; rm -rf $$dir; mkdir -p $$dir; \
	    cp $(SRC) $(HDR) $$dir/; \
	    echo "check-build: $$cc -Werror"; \
	    (cd $$dir && $(APXS) -S CC=$$cc -c \
	        $(addprefix -Wc$(comma),$(WARNINGS) -Werror) $(SRC)) \
	        >$$dir/build.log 2>&1 || { cat $$dir/build.log; exit 1; }; \
	done
	@echo "check-build: gcc and clang build the module without a warning"

analyze:
	tools/ensure-packages.sh $(CHECK_PKGS)
	@mkdir -p $(CHECK_OUT)
	@rm -f $(CHECK_OUT)/analyze.log
	@for f in $(SRC); do \
	    clang --analyze -Xclang -analyzer-output=text \
	        -o /dev/null $(ANALYZE_FLAGS) $$f 2>>$(CHECK_OUT)/analyze.log \
	        || { cat $(CHECK_OUT)/analyze.log; exit 1; }; \
	done
	@if [ -s $(CHECK_OUT)/analyze.log ]; then \
	    cat $(CHECK_OUT)/analyze.log; echo "analyze: reports above"; exit 1; \
	fi
	@echo "analyze: no report in $(words $(SRC)) files"

check-clean:
	rm -rf $(CHECK_OUT)

CLEAN_EXTRA += check-clean
