# Checks that need an httpd of their own, started and stopped here (on
# free 127.0.0.1 ports, in a temporary directory):
#   - Redirect307TrustedProxy of the main server is inherited by a virtual
#     host without a list of its own, and replaced by a virtual host's own
#     list (the shared test server cannot have a main-server list)
#   - the warnings for a duplicate map key and a shadowed duplicate prefix
#     rule name file and line; like httpd's own configuration warnings
#     (mod_alias's overlap warning), they go to the console of the starting
#     httpd, and to ErrorLog when the configuration is read again by a
#     graceful restart
#   - a graceful restart reads a changed map file
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(plan ok);
use Apache::TestUtil qw(t_cmp);
use File::Temp qw(tempdir);
use Time::HiRes qw(sleep);
use Redirect307Test qw(httpd_bin load_module_lines free_port raw_request);

plan tests => 25;

my $dir = tempdir('r307-scope-XXXXXX', TMPDIR => 1, CLEANUP => 1);
my ($p_main, $p_inherit, $p_replace) = (free_port(), free_port(),
                                        free_port());
while ($p_inherit == $p_main) { $p_inherit = free_port() }
while ($p_replace == $p_main || $p_replace == $p_inherit) {
    $p_replace = free_port();
}

sub write_file {
    my ($name, $text) = @_;
    open my $fh, '>', "$dir/$name" or die "$dir/$name: $!";
    print $fh $text;
    close $fh or die "$dir/$name: $!";
}

sub read_file {
    my ($name) = @_;
    open my $fh, '<', "$dir/$name" or return '';
    local $/;
    my $text = <$fh>;
    close $fh;
    return $text;
}


sub get {
    my ($port, $path, $host, $extra) = @_;
    my ($status, $head, $h) = raw_request($port,
        "GET $path HTTP/1.1\r\nHost: $host\r\n" . ($extra // '')
        . "Connection: close\r\n\r\n");
    return ($status, join("\n", @{ $h->{location} || [] }));
}

write_file('dup.map', <<'EOF');
# a map with a duplicate key
/m/a        http://m.example/first
/m/b        http://m.example/b
/m/a        http://m.example/second
EOF

write_file('httpd.conf', load_module_lines() . <<"EOF");
ServerRoot "$dir"
ServerName 127.0.0.1
Listen 127.0.0.1:$p_main
Listen 127.0.0.1:$p_inherit
Listen 127.0.0.1:$p_replace
PidFile "$dir/httpd.pid"
ErrorLog "$dir/error_log"
DefaultRunTimeDir "$dir"
DocumentRoot "$dir"
LogLevel warn
<IfModule mod_cgid.c>
    ScriptSock "$dir/cgisock"
</IfModule>
<IfModule mpm_event_module>
    StartServers            1
    ServerLimit             1
    ThreadsPerChild         5
    MinSpareThreads         5
    MaxSpareThreads         5
    MaxRequestWorkers       5
</IfModule>

Redirect307TrustedProxy 127.0.0.1
Redirect307 /p /target
Redirect307Map "$dir/dup.map"
Redirect307 /twice /first
Redirect307 /twice /second

<VirtualHost 127.0.0.1:$p_inherit>
    ServerName inherit.example
    Redirect307 /v /vtarget
</VirtualHost>

<VirtualHost 127.0.0.1:$p_replace>
    ServerName replace.example
    Redirect307TrustedProxy 192.0.2.1 ::1
</VirtualHost>
EOF

my @httpd = (httpd_bin(), '-d', $dir, '-f', "$dir/httpd.conf");
my $cmd = join ' ', map { my $s = $_; $s =~ s/'/'\\''/g; "'$s'" } @httpd;

sub server_pid {
    my $pid = read_file('httpd.pid');
    return $pid =~ /^(\d+)/ ? $1 : undef;
}

my $started = 0;
END {
    # stop the server started here, whatever happened (bounded)
    if ($started) {
        system("$cmd -k stop >/dev/null 2>&1");
        for (1 .. 100) {
            my $pid = server_pid();
            last unless $pid && kill(0, $pid);
            sleep 0.1;
        }
        my $pid = server_pid();
        kill 'KILL', $pid if $pid && kill(0, $pid);
    }
}

# --- start, the console output kept
system("$cmd -k start >'$dir/console.txt' 2>&1");
$started = 1;
my $up = 0;
for (1 .. 100) {
    my ($status) = get($p_main, '/p', 'h.example');
    if ($status) { $up = 1; last }
    sleep 0.1;
}
ok t_cmp($up, 1, 'the private server answers');

my $console = read_file('console.txt');
my $conf = "$dir/httpd.conf";
my $map = "$dir/dup.map";
my $conf_text = read_file('httpd.conf');
my @conf_lines = split /\n/, $conf_text;
my ($first_line) = grep { $conf_lines[$_ - 1] eq 'Redirect307 /twice /first' }
    1 .. @conf_lines;
my $second_line = $first_line + 1;
my $dup_warning = "Redirect307Map: $map:4: '/m/a' is already mapped at "
    . "line 2; the first entry wins";
my $shadow_warning = "Redirect307 at $conf:$second_line never matches: "
    . "$conf:$first_line has the same URL-path '/twice'";
ok t_cmp($console, qr/\[redirect307:warn\] .*\Q$dup_warning\E/,
         'start: the duplicate map key is reported on the console');
ok t_cmp($console, qr/\[redirect307:warn\] .*\Q$shadow_warning\E/,
         'start: the shadowed prefix rule is reported on the console');

# --- Redirect307TrustedProxy: main list, inherited, replaced
my $xfp = "X-Forwarded-Proto: https\r\n";
my @proxy = (
    [$p_main, '/p/x', $xfp, 'https://h.example:8080/target/x',
     'main server: its list trusts 127.0.0.1'],
    [$p_main, '/p/x', '', 'http://h.example:8080/target/x',
     'main server: no header, the connection\'s scheme'],
    [$p_inherit, '/p/x', $xfp, 'https://h.example:8080/target/x',
     'virtual host without a list: the main server\'s list applies'],
    [$p_inherit, '/v/x', "Forwarded: proto=https\r\n",
     'https://h.example:8080/vtarget/x',
     'virtual host without a list: its own rule, Forwarded'],
    [$p_replace, '/p/x', $xfp, 'http://h.example:8080/target/x',
     'virtual host with its own list: 127.0.0.1 is no longer trusted'],
    [$p_replace, '/p/x', "Forwarded: proto=https\r\n",
     'http://h.example:8080/target/x',
     'virtual host with its own list: Forwarded ignored too'],
);
for my $case (@proxy) {
    my ($port, $path, $extra, $location, $name) = @$case;
    my ($status, $got) = get($port, $path, 'h.example:8080', $extra);
    ok t_cmp($status, 307, "$name: status");
    ok t_cmp($got, $location, "$name: Location");
}

# --- the map and the shadowed rule: the first wins
my ($status, $location) = get($p_main, '/m/a', 'h.example');
ok t_cmp($location, 'http://m.example/first', 'duplicate map key: first');
($status, $location) = get($p_main, '/twice/x', 'h.example:8080');
ok t_cmp($location, 'http://h.example:8080/first/x',
         'shadowed prefix rule: the first');
($status, $location) = get($p_main, '/m/new', 'h.example');
ok t_cmp($status, 404, 'a key not yet in the map: 404');

# --- graceful restart with a changed map
write_file('dup.map', read_file('dup.map')
           . "/m/new      http://m.example/new\n");
system("$cmd -k graceful >'$dir/console2.txt' 2>&1");
my $restarted = 0;
for (1 .. 100) {
    my $log = read_file('error_log');
    my $n = () = $log =~ /resuming normal operations/g;
    if ($n >= 2) {
        ($status) = get($p_main, '/m/new', 'h.example');
        if ($status == 307) { $restarted = 1; last }
    }
    sleep 0.1;
}
ok t_cmp($restarted, 1, 'graceful restart done');
($status, $location) = get($p_main, '/m/new', 'h.example');
ok t_cmp($status, 307, 'graceful restart: the new map entry answers');
ok t_cmp($location, 'http://m.example/new',
         'graceful restart: the new map entry\'s Location');
($status, $location) = get($p_main, '/m/a', 'h.example');
ok t_cmp($location, 'http://m.example/first',
         'graceful restart: the duplicate key still gives the first');
my $log = read_file('error_log');
ok t_cmp($log, qr/\[redirect307:warn\] .*\Q$dup_warning\E/,
         'graceful restart: the duplicate map key is in ErrorLog');
ok t_cmp($log, qr/\[redirect307:warn\] .*\Q$shadow_warning\E/,
         'graceful restart: the shadowed prefix rule is in ErrorLog');
ok t_cmp(scalar(grep { /\[(error|crit|alert|emerg)\]|\[\w+:(error|crit|alert|emerg)\]/ }
                split /\n/, $log), 0,
         'no error-level lines in the private server\'s ErrorLog');
