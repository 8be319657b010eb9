# Shell functions shared by the test and tool scripts of this tree.
#
#   . "$top/tools/lib.sh"
#
# Sourced, never run; bash only.  Nothing here changes the caller's shell
# options, traps or working directory.
#
#   free_port                  print a TCP port of 127.0.0.1 that is free now
#   free_ports N               print N different free ports on one line
#   copy_tree SRC DST          copy the source tree SRC into the existing
#                              directory DST, without version control,
#                              build products or generated state
#   fill_template IN OUT NAME[=VALUE]...
#                              write IN with every @NAME@ replaced by VALUE,
#                              or by the shell variable NAME; a placeholder
#                              of capital letters with no value is an error
#   httpd_start PIDFILE PORT CMD...
#                              run CMD... -k start (CMD is the httpd binary
#                              and its options, e.g. "$HTTPD" -f conf), then
#                              wait until PIDFILE names a live process and,
#                              unless PORT is "", 127.0.0.1:PORT accepts
#                              connections; sets HTTPD_PID
#   httpd_stop PIDFILE [CMD...]
#                              stop the httpd of PIDFILE with CMD... -k stop
#                              (SIGTERM without CMD, or when that fails) and
#                              wait for it to exit; SIGKILL after the time
#                              limit
#
# Time limits, in seconds: HTTPD_START_TIMEOUT (default 60) and
# HTTPD_STOP_TIMEOUT (default 30).

# --- ports ---------------------------------------------------------------------

free_ports() {
    perl -MIO::Socket::INET -e '
        # all sockets open at once: the ports are different
        my @s = map {
            IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => 0,
                                  Proto => "tcp", Listen => 1, ReuseAddr => 1)
                or die "free_ports: $!\n"
        } 1 .. $ARGV[0];
        print join(" ", map { $_->sockport } @s), "\n"' "${1:-1}"
}

free_port() {
    free_ports 1
}

# --- the source tree -------------------------------------------------------------

# What a copy of the tree leaves out: version control, the output of every
# tool (out/), build products, and what Apache::Test, the C test modules and
# dpkg-buildpackage generate.  The copy gets no .libs: a caller that needs a
# module puts the one it wants into DST/.libs.
R307_COPY_EXCLUDES=(
    --exclude=./.git --exclude=./out --exclude=./.libs
    --exclude='*.o' --exclude='*.lo' --exclude='*.slo' --exclude='*.la'
    --exclude=./t/TEST --exclude=./t/SMOKE --exclude=./t/logs
    --exclude=./t/state --exclude=./t/core --exclude='./t/core.*'
    --exclude=./t/htdocs/index.html --exclude=./t/conf/apache_test_config.pm
    --exclude='./t/conf/modperl_*.pm' --exclude=./t/conf/mime.types
    --exclude=./t/c-modules/Makefile --exclude=./t/c-modules/apache_httpd_test.h
    --exclude='./t/c-modules/*/Makefile' --exclude='./t/c-modules/*/.libs'
    --exclude=./debian/.debhelper --exclude=./debian/debhelper-build-stamp
    --exclude=./debian/files --exclude='./debian/*.substvars'
    --exclude=./debian/libapache2-mod-redirect307
    --exclude='*.deb' --exclude='*.buildinfo' --exclude='*.changes'
)

copy_tree() {
    local src=$1 dst=$2
    [ -d "$src" ] && [ -d "$dst" ] || {
        echo "copy_tree: $src or $dst is not a directory" >&2
        return 1
    }
    # and the t/conf/X.conf that Apache::Test writes from each X.conf.in
    local in
    local -a generated=()
    for in in "$src"/t/conf/*.conf.in; do
        [ -e "$in" ] || continue
        in=${in##*/}
        generated+=("--exclude=./t/conf/${in%.in}")
    done
    tar -C "$src" "${R307_COPY_EXCLUDES[@]}" "${generated[@]}" -cf - . |
        tar -C "$dst" -xf -
}

# --- templates -----------------------------------------------------------------

fill_template() {
    local template=$1 output=$2 arg name
    shift 2
    local -a values=()
    for arg in "$@"; do
        if [[ $arg == *=* ]]; then
            name=${arg%%=*}
            values+=("R307_FILL_$name=${arg#*=}")
        else
            name=$arg
            values+=("R307_FILL_$name=${!name-}")
        fi
        [[ $name =~ ^[A-Z][A-Z0-9_]*$ ]] || {
            echo "fill_template: '$name' is not a placeholder name" >&2
            return 1
        }
    done
    env "${values[@]}" perl -pe '
        s{\@([A-Z][A-Z0-9_]*)\@}{
            exists $ENV{"R307_FILL_$1"} ? $ENV{"R307_FILL_$1"}
                : die "fill_template: $ARGV line $.: no value for \@$1\@\n"
        }ge' "$template" >"$output.tmp" || {
        rm -f "$output.tmp"
        return 1
    }
    mv -f "$output.tmp" "$output"
}

# --- httpd -----------------------------------------------------------------------

# the pid in PIDFILE, when that process is alive
_r307_live_pid() {
    local pid
    [ -s "$1" ] || return 1
    pid=$(cat "$1" 2>/dev/null) || return 1
    [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
    echo "$pid"
}

# does 127.0.0.1:PORT accept a connection?
_r307_port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

httpd_start() {
    local pidfile=$1 port=$2 limit=${HTTPD_START_TIMEOUT:-60} i
    shift 2
    HTTPD_PID=
    "$@" -k start || return 1
    for ((i = 0; i < limit * 10; i++)); do
        if HTTPD_PID=$(_r307_live_pid "$pidfile"); then
            if [ -z "$port" ] || _r307_port_open "$port"; then
                return 0
            fi
        fi
        sleep 0.1
    done
    echo "httpd_start: no live httpd in $pidfile${port:+ answering on 127.0.0.1:$port} after $limit s" >&2
    return 1
}

httpd_stop() {
    local pidfile=$1 limit=${HTTPD_STOP_TIMEOUT:-30} pid i
    shift
    pid=$(_r307_live_pid "$pidfile") || return 0
    if [ "$#" -eq 0 ] || ! "$@" -k stop >/dev/null 2>&1; then
        kill -TERM "$pid" 2>/dev/null || true
    fi
    for ((i = 0; i < limit * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    echo "httpd_stop: httpd $pid still running after $limit s; SIGKILL" >&2
    pkill -KILL -P "$pid" 2>/dev/null || true
    kill -KILL "$pid" 2>/dev/null || true
    return 1
}
