# Redirect307ChainCheck: chains and loops of redirects found when the
# configuration is read.
#   - `httpd -t` on snippets: the exact reports for chains through prefix
#     rules (with their remainder), map entries, capture-free regexes and
#     across kinds, through an absolute target naming the server or an
#     alias; loops of 1 (the request-time loop guard's case), 2 and many
#     hops and a loop whose URL grows; query merge and the fragment as the
#     requests compose them; nothing followed to other hosts, ports or
#     schemes, through rules with captures or rules in sections; Error
#     fails httpd -t naming the directive, Off reports nothing; ten
#     reports of each kind, then a count
#   - a server of its own: the warning is in ErrorLog after the start and
#     again after a graceful restart, once each; with Error a loop stops
#     the start
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(plan ok);
use Apache::TestUtil qw(t_cmp);
use File::Basename qw(dirname);
use File::Temp qw(tempdir);
use Time::HiRes qw(sleep);
use Redirect307Test qw(httpd_t httpd_bin load_module_lines free_port
    raw_request);

my $S = 'http://127.0.0.1';     # the origin of path targets in httpd_t

# [name, snippet, {file => text}, expected exit status, [reports]];
# FILE stands for the snippet's file, DIR for its directory
my @cases = (
    ['chain of prefix rules', <<'EOF', {}, 0,
Redirect307 /a /b
Redirect307 /b /c
EOF
     ["warn: Redirect307ChainCheck: chain of 2 redirects in main server: "
      . "/a (FILE:1) -> /b (FILE:2) -> $S/c: redirect /a straight to $S/c"]],

    ['chain with remainders, query merge and fragment', <<'EOF', {}, 0,
Redirect307 /old /mid/x?a=1
Redirect307 /mid http://127.0.0.1/new?b=2#sec
Redirect307 /new https://elsewhere.example/end
EOF
     ["warn: Redirect307ChainCheck: chain of 3 redirects in main server: "
      . "/old (FILE:1) -> /mid/x?a=1 (FILE:2) -> /new/x?b=2&a=1 (FILE:3) "
      . "-> https://elsewhere.example/end/x?b=2&a=1#sec: redirect /old "
      . "straight to https://elsewhere.example/end/x?b=2&a=1#sec",
      "warn: Redirect307ChainCheck: chain of 2 redirects in main server: "
      . "/mid (FILE:2) -> /new?b=2 (FILE:3) -> "
      . "https://elsewhere.example/end?b=2#sec: redirect /mid straight to "
      . "https://elsewhere.example/end?b=2#sec"]],

    ['Discard: the query is not carried', <<'EOF', {}, 0,
Redirect307QueryString Discard
Redirect307 /old /mid?a=1
Redirect307 /mid /new?b=2
Redirect307 /new /end
EOF
     ["warn: Redirect307ChainCheck: chain of 3 redirects in main server: "
      . "/old (FILE:2) -> /mid?a=1 (FILE:3) -> /new?b=2 (FILE:4) -> $S/end: "
      . "redirect /old straight to $S/end",
      "warn: Redirect307ChainCheck: chain of 2 redirects in main server: "
      . "/mid (FILE:3) -> /new?b=2 (FILE:4) -> $S/end: redirect /mid "
      . "straight to $S/end"]],

    ['chain of map entries', <<'EOF', {'m.map' => <<'MAP'}, 0,
Redirect307Map @DIR@/m.map
EOF
# old site
/2019/a.html   /2022/a
/2022/a        http://127.0.0.1/2024/a
/2024/a        https://new.example/a
MAP
     ["warn: Redirect307ChainCheck: chain of 3 redirects in main server: "
      . "/2019/a.html (DIR/m.map:2) -> /2022/a (DIR/m.map:3) -> /2024/a "
      . "(DIR/m.map:4) -> https://new.example/a: redirect /2019/a.html "
      . "straight to https://new.example/a",
      "warn: Redirect307ChainCheck: chain of 2 redirects in main server: "
      . "/2022/a (DIR/m.map:3) -> /2024/a (DIR/m.map:4) -> "
      . "https://new.example/a: redirect /2022/a straight to "
      . "https://new.example/a"]],

    ['chain of capture-free regexes', <<'EOF', {}, 0,
Redirect307Match "^/r1$" /r2
Redirect307Match "^/r2" /r3
EOF
     ["warn: Redirect307ChainCheck: chain of 2 redirects in main server: "
      . "/r1 (FILE:1) -> /r2 (FILE:2) -> $S/r3: redirect /r1 straight to "
      . "$S/r3"]],

    ['chain across kinds', <<'EOF', {'m.map' => "/m /r\n"}, 0,
Redirect307 /p /m
Redirect307Map @DIR@/m.map
Redirect307Match "^/r$" /end#top
EOF
     ["warn: Redirect307ChainCheck: chain of 3 redirects in main server: "
      . "/p (FILE:1) -> /m (DIR/m.map:1) -> /r (FILE:3) -> $S/end#top: "
      . "redirect /p straight to $S/end#top",
      "warn: Redirect307ChainCheck: chain of 2 redirects in main server: "
      . "/m (DIR/m.map:1) -> /r (FILE:3) -> $S/end#top: redirect /m "
      . "straight to $S/end#top"]],

    ['an absolute target naming the server by an alias', <<'EOF', {}, 0,
Listen 127.0.0.1:@PORT@
<VirtualHost 127.0.0.1:@PORT@>
    ServerName www.example
    ServerAlias old.example *.legacy.example
    Redirect307 /a http://old.example/b
    Redirect307 /b http://x.legacy.example:@PORT@/c
    Redirect307 /c /d
</VirtualHost>
EOF
     ["warn: Redirect307ChainCheck: chain of 3 redirects in virtual host "
      . "www.example:0 (FILE:2): /a (FILE:5) -> /b (FILE:6) -> /c (FILE:7) "
      . "-> http://www.example:\@PORT\@/d: redirect /a straight to "
      . "http://www.example:\@PORT\@/d",
      "warn: Redirect307ChainCheck: chain of 2 redirects in virtual host "
      . "www.example:0 (FILE:2): /b (FILE:6) -> /c (FILE:7) -> "
      . "http://www.example:\@PORT\@/d: redirect /b straight to "
      . "http://www.example:\@PORT\@/d"]],

    ['a virtual host follows into the main server\'s rules', <<'EOF', {}, 0,
Redirect307 /m1 https://elsewhere.example/m2
Listen 127.0.0.1:@PORT@
<VirtualHost 127.0.0.1:@PORT@>
    ServerName v.example
    Redirect307 /v /m1
</VirtualHost>
EOF
     ["warn: Redirect307ChainCheck: chain of 2 redirects in virtual host "
      . "v.example:0 (FILE:3): /v (FILE:5) -> /m1 (FILE:1) -> "
      . "https://elsewhere.example/m2: redirect /v straight to "
      . "https://elsewhere.example/m2"]],

    ['not followed: other hosts, ports, schemes; captures; sections',
     <<'EOF', {}, 0,
Redirect307 /host http://elsewhere.example/n
Redirect307 /port http://127.0.0.1:81/n
Redirect307 /scheme https://127.0.0.1/n
Redirect307 /cap /c/x
Redirect307Match "^/c/(.*)$" /n/$1
Redirect307 /sec /section
<Location /section>
    Redirect307 /n
</Location>
<If "true">
    Redirect307 /n
</If>
Redirect307 /n /end
EOF
     []],

    ['loop of 1: the request-time loop guard\'s case', <<'EOF', {}, 0,
Redirect307 /self /self
Redirect307 /abs http://127.0.0.1:80/abs
EOF
     ["warn: Redirect307ChainCheck: loop of 1 redirect in main server: "
      . "/self (FILE:1) -> /self",
      "warn: Redirect307ChainCheck: loop of 1 redirect in main server: "
      . "/abs (FILE:2) -> /abs"]],

    ['loop of 2, and a rule leading into it', <<'EOF', {'m.map' => "/y /x\n"},
Redirect307 /in /x
Redirect307 /x /y
Redirect307Map @DIR@/m.map
EOF
     0,
     ["warn: Redirect307ChainCheck: loop of 2 redirects in main server: "
      . "/x (FILE:2) -> /y (DIR/m.map:1) -> /x"]],

    ['loop of many hops', <<'EOF', {}, 0,
Redirect307 /l1 /l2
Redirect307 /l2 /l3
Redirect307Match "^/l3$" /l4
Redirect307 /l4 /l5
Redirect307 /l5 http://127.0.0.1/l1
EOF
     ["warn: Redirect307ChainCheck: loop of 5 redirects in main server: "
      . "/l1 (FILE:1) -> /l2 (FILE:2) -> /l3 (FILE:3) -> /l4 (FILE:4) -> "
      . "/l5 (FILE:5) -> /l1"]],

    ['a loop whose URL grows', <<'EOF', {}, 0,
Redirect307 /g /g/h
EOF
     ["warn: Redirect307ChainCheck: loop in main server: /g (FILE:1) -> "
      . "/g/h (FILE:1) -> /g/h/h (FILE:1) -> ... (4084 hops more) -> ...: "
      . "the URL grows with every pass, past 8190 bytes"]],

    ['Error: a loop fails httpd -t', <<'EOF', {}, 1,
Redirect307ChainCheck Error
Redirect307 /a /b
Redirect307 /b /c
Redirect307 /x /y
Redirect307 /y /x
EOF
     ["warn: Redirect307ChainCheck: chain of 2 redirects in main server: "
      . "/a (FILE:2) -> /b (FILE:3) -> $S/c: redirect /a straight to $S/c",
      "error: Redirect307ChainCheck: loop of 2 redirects in main server: "
      . "/x (FILE:4) -> /y (FILE:5) -> /x",
      "error: Redirect307ChainCheck Error at FILE:1: 1 redirect loop; the "
      . "configuration is refused"]],

    ['Error: chains alone pass', <<'EOF', {}, 0,
Redirect307ChainCheck Error
Redirect307 /a /b
Redirect307 /b /c
EOF
     ["warn: Redirect307ChainCheck: chain of 2 redirects in main server: "
      . "/a (FILE:2) -> /b (FILE:3) -> $S/c: redirect /a straight to $S/c"]],

    ['Off: nothing reported', <<'EOF', {}, 0,
Redirect307ChainCheck Off
Redirect307 /a /b
Redirect307 /b /c
Redirect307 /x /x
EOF
     []],
);

# ten reports of each kind, then a count
{
    my $map = join '', map { "/c$_ /d$_\n/d$_ /e$_\n/x$_ /y$_\n/y$_ /x$_\n" }
        1 .. 12;
    my @expect;
    for my $i (1 .. 10) {
        my $l = 4 * ($i - 1) + 1;
        push @expect, "warn: Redirect307ChainCheck: chain of 2 redirects in "
            . "main server: /c$i (DIR/m.map:$l) -> /d$i (DIR/m.map:"
            . ($l + 1) . ") -> $S/e$i: redirect /c$i straight to $S/e$i",
            "warn: Redirect307ChainCheck: loop of 2 redirects in main "
            . "server: /x$i (DIR/m.map:" . ($l + 2) . ") -> /y$i (DIR/m.map:"
            . ($l + 3) . ") -> /x$i";
    }
    push @expect, "warn: Redirect307ChainCheck: 12 chains in all, the first "
        . "10 shown", "warn: Redirect307ChainCheck: 12 loops in all, the "
        . "first 10 shown";
    push @cases, ['ten reports of each kind, then a count',
                  "Redirect307Map \@DIR\@/m.map\n", {'m.map' => $map}, 0,
                  \@expect];
}

plan tests => 2 * @cases + 9;

for my $case (@cases) {
    my ($name, $snippet, $files, $rc_expected, $expected) = @$case;
    my $port = free_port();
    $snippet =~ s/\@PORT\@/$port/g;
    my ($rc, $out, $file) = httpd_t($snippet, files => $files);
    my $dir = dirname($file);
    my @got;
    for my $line (split /\n/, $out) {
        next unless $line =~ /Redirect307ChainCheck/;
        $line =~ s/^\[[^\]]*\] \[redirect307:(\w+)\] \[[^\]]*\] /$1: /;
        $line =~ s/\Q$file\E/FILE/g;
        $line =~ s/\Q$dir\E/DIR/g;
        push @got, $line;
    }
    my @want = map { (my $w = $_) =~ s/\@PORT\@/$port/g; $w } @$expected;
    ok t_cmp($rc, $rc_expected, "$name: exit status of httpd -t")
        or print "# $out\n";
    ok t_cmp(join("\n", @got), join("\n", @want), "$name: the reports");
}

# --- a server of its own: start, graceful restart, Error at start

my $dir = tempdir('r307-chain-XXXXXX', TMPDIR => 1, CLEANUP => 1);
my $port = free_port();

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

sub conf {
    my ($rules) = @_;
    write_file('httpd.conf', load_module_lines() . <<"EOF");
ServerRoot "$dir"
ServerName 127.0.0.1
Listen 127.0.0.1:$port
PidFile "$dir/httpd.pid"
ErrorLog "$dir/error_log"
DefaultRunTimeDir "$dir"
DocumentRoot "$dir"
LogLevel warn
<IfModule mpm_event_module>
    StartServers            1
    ServerLimit             1
    ThreadsPerChild         5
    MinSpareThreads         5
    MaxSpareThreads         5
    MaxRequestWorkers       5
</IfModule>
$rules
EOF
}

my @httpd = (httpd_bin(), '-d', $dir, '-f', "$dir/httpd.conf");
my $cmd = join ' ', map { my $s = $_; $s =~ s/'/'\\''/g; "'$s'" } @httpd;

sub server_pid {
    my $pid = read_file('httpd.pid');
    return $pid =~ /^(\d+)/ ? $1 : undef;
}

sub stop_server {
    system("$cmd -k stop >/dev/null 2>&1");
    for (1 .. 100) {
        my $pid = server_pid();
        last unless $pid && kill(0, $pid);
        sleep 0.1;
    }
    my $pid = server_pid();
    kill 'KILL', $pid if $pid && kill(0, $pid);
}

my $started = 0;
END { stop_server() if $started }

sub count_in_log {
    my ($re) = @_;
    my $n = () = read_file('error_log') =~ /$re/g;
    return $n;
}

conf("Redirect307 /a /b\nRedirect307 /b /c\n");
my @conf_lines = split /\n/, read_file('httpd.conf');
my ($line_a) = grep { $conf_lines[$_ - 1] eq 'Redirect307 /a /b' }
    1 .. @conf_lines;
my $text = "Redirect307ChainCheck: chain of 2 redirects in main server: "
    . "/a ($dir/httpd.conf:$line_a) -> /b ($dir/httpd.conf:"
    . ($line_a + 1) . ") -> http://127.0.0.1/c: redirect /a straight to "
    . "http://127.0.0.1/c";
my $warning = qr/\[redirect307:warn\] [^\n]*\Q$text\E/;
system("$cmd -k start >'$dir/console.txt' 2>&1");
$started = 1;
my $up = 0;
for (1 .. 100) {
    my ($status) = raw_request($port, "GET /a HTTP/1.1\r\nHost: 127.0.0.1"
                               . "\r\nConnection: close\r\n\r\n");
    if ($status) { $up = 1; last }
    sleep 0.1;
}
ok t_cmp($up, 1, 'the private server answers');
my ($status, $head, $h) = raw_request($port, "GET /a HTTP/1.1\r\nHost: "
                                      . "127.0.0.1\r\nConnection: close"
                                      . "\r\n\r\n");
ok t_cmp($status, 307, 'a chain still redirects');
ok t_cmp(count_in_log($warning), 1, 'start: the chain is in ErrorLog, once');

system("$cmd -k graceful >'$dir/console2.txt' 2>&1");
my $restarted = 0;
for (1 .. 100) {
    if (count_in_log(qr/resuming normal operations/) >= 2) {
        $restarted = 1;
        last;
    }
    sleep 0.1;
}
ok t_cmp($restarted, 1, 'graceful restart done');
ok t_cmp(count_in_log($warning), 2,
         'graceful restart: the chain is in ErrorLog once more');
ok t_cmp(scalar(grep { /:(error|crit|alert|emerg)\]/ }
                split /\n/, read_file('error_log')), 0,
         'no error-level lines in the private server\'s ErrorLog');
stop_server();
$started = 0;

# with Error, a loop stops the start: a non-zero exit status, the reason
conf("Redirect307ChainCheck Error\nRedirect307 /x /y\nRedirect307 /y /x\n");
write_file('error_log', '');
my $rc = system("$cmd -k start >'$dir/console3.txt' 2>&1") >> 8;
$started = 1;
ok t_cmp($rc, 1, 'Error: httpd -k start fails on a loop');
ok t_cmp(read_file('error_log'), qr/\[redirect307:error\] [^\n]*
    Redirect307ChainCheck\ Error\ at\ \Q$dir\E\/httpd\.conf:\d+:\ 1\ redirect
    \ loop;\ the\ configuration\ is\ refused/x,
         'Error: the reason is in ErrorLog');
sleep 0.3;
my $pid = server_pid();
ok t_cmp(($pid && kill(0, $pid)) ? 1 : 0, 0, 'Error: no server runs');
