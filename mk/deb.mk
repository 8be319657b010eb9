# Debian package targets, included by the top-level Makefile.
#
#   make deb         build libapache2-mod-redirect307 (debian/) with
#                    `dpkg-buildpackage -us -uc -b` in a scratch copy of the
#                    tree; the .deb, .changes and .buildinfo land in out/deb/
#   make test-deb    build it, then check the package: its files, control
#                    fields and maintainer scripts, the extracted module loaded
#                    by apache2 (-t, and a server answering a 307), lintian
#   make deb-clean   remove out/deb/ (scratch copy and output)
#   make c-modules-clean
#                    remove what Apache::Test generates and builds in
#                    t/c-modules (the suite's C test modules) when the suite
#                    runs in place as a normal user
#
# dpkg-buildpackage writes its output into the parent of the source tree;
# building in out/deb/work/src keeps every file it writes inside this tree.
# Run as root, both targets install the Debian packages they need
# (tools/ensure-packages.sh); as another user they print the apt-get line.

DEB_TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)
DEB_DIR := $(DEB_TOP)/out/deb

# dpkg-buildpackage checks the Build-Depends of debian/control and
# build-essential; lintian and apache2 (and curl) are for test-deb.
DEB_BUILD_PKGS = build-essential dpkg-dev debhelper apache2-dev
DEB_TEST_PKGS  = $(DEB_BUILD_PKGS) apache2 lintian curl binutils

# The scratch copy is the tree without version control, build products and
# tool output (copy_tree of tools/lib.sh, the copy every tool makes).
DEB_COPY = bash -c '. "$$1/tools/lib.sh" && copy_tree "$$1" "$$2"' copy_tree

CLEAN_EXTRA += deb-clean c-modules-clean

.PHONY: deb test-deb deb-clean c-modules-clean

deb:
	$(DEB_TOP)/tools/ensure-packages.sh $(DEB_BUILD_PKGS)
	rm -rf $(DEB_DIR)
	mkdir -p $(DEB_DIR)/work/src
	@echo "deb: copying the source tree into $(DEB_DIR)/work/src"
	@$(DEB_COPY) $(DEB_TOP) $(DEB_DIR)/work/src
	cd $(DEB_DIR)/work/src && dpkg-buildpackage -us -uc -b
	cp $(DEB_DIR)/work/*.deb $(DEB_DIR)/work/*.changes \
	   $(DEB_DIR)/work/*.buildinfo $(DEB_DIR)/
	rm -rf $(DEB_DIR)/work
	@echo "deb: built into $(DEB_DIR):" && ls -1 $(DEB_DIR)

test-deb: deb
	$(DEB_TOP)/tools/ensure-packages.sh $(DEB_TEST_PKGS)
	$(DEB_TOP)/debian/check-package.sh $(DEB_DIR)

deb-clean:
	rm -rf $(DEB_DIR)

c-modules-clean:
	rm -f $(DEB_TOP)/t/c-modules/Makefile $(DEB_TOP)/t/c-modules/apache_httpd_test.h
	for dir in $(DEB_TOP)/t/c-modules/*/; do \
	    (cd "$$dir" && rm -rf Makefile .libs *.o *.lo *.slo *.la) || exit 1; \
	done
