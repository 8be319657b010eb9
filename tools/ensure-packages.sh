#!/bin/bash
# Make sure the Debian packages named on the command line are installed.
#
#   tools/ensure-packages.sh PKG...
#
# Packages already installed are left alone.  As root, the missing ones are
# installed with apt-get (one `apt-get update` first); as any other user the
# script prints the command to run and exits 1.
#
# Recommends are not installed: every package this project needs is named
# explicitly by its callers (gcc does not pull libc6-dev without its
# Recommends, so callers that compile list libc6-dev too).
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 PKG..." >&2
    exit 2
fi

missing=()
for pkg in "$@"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    if [ "$status" != "install ok installed" ]; then
        missing+=("$pkg")
    fi
done

if [ "${#missing[@]}" -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages; install them with:" >&2
    echo "sudo apt-get install -y ${missing[*]}"
    exit 1
fi

echo "ensure-packages: installing ${missing[*]}"

# Keep package installation from starting services (Debian's apache2
# postinst would start a system-wide httpd on port 80): a policy-rc.d that
# denies every action, removed again afterwards.  An existing one is kept.
policy=/usr/sbin/policy-rc.d
own_policy=
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    own_policy=1
fi
cleanup() {
    if [ -n "$own_policy" ]; then
        rm -f "$policy"
    fi
}
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
apt-get update -q </dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
