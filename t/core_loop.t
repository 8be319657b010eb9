# Loop guard: a rule whose Location would be the URL of the request itself
# (same scheme, host, port, decoded path and query) does not redirect; the
# request goes on as if there were no rule, and a warning naming the rule's
# file:line is logged.  The same path on another port, host or scheme is
# redirected.
# Rules: t/conf/core.conf.in, "t/core_loop.t" section; t/htdocs/core/self.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(plan ok);
use Apache::TestRequest qw(GET);
use Apache::TestUtil qw(t_cmp);

plan tests => 44;

Apache::TestRequest::user_agent(requests_redirectable => 0, reset => 1);
my $hostport = Apache::TestRequest::hostport();
my $port = Apache::Test::vars('port');
my $conf = Apache::Test::vars('t_conf') . '/core.conf';
my $error_log = Apache::Test::vars('t_logs') . '/error_log';

# line of the generated t/conf/core.conf that matches $re
sub rule_line {
    my ($re) = @_;
    open my $fh, '<', $conf or die "$conf: $!";
    while (my $line = <$fh>) {
        return $. if $line =~ $re;
    }
    die "no line matching $re in $conf";
}

# how many lines of the error log match $re
sub count_logged {
    my ($re) = @_;
    open my $fh, '<', $error_log or return 0;
    my $count = grep { $_ =~ $re } <$fh>;
    close $fh;
    return $count;
}

# does the error log have a line matching $re?  httpd writes the line
# before it answers; allow a moment for the write all the same
sub logged {
    my ($re) = @_;
    for (1 .. 20) {    # at most 2 seconds
        return 1 if count_logged($re);
        select undef, undef, undef, 0.1;
    }
    return 0;
}

sub loop_warning {
    my ($line, $url) = @_;
    return qr{\[redirect307:warn\]\ .*Redirect307\ at\ \Q$conf:$line\E
              \ would\ redirect\ \Q$url\E\ to\ itself;\ not\ redirecting}x;
}

my $tag = "$$-" . time;
my $self_line = rule_line(qr{^\s*Redirect307\s+/core/self\s});
my $self2_line = rule_line(qr{^\s*Redirect307\s+/core/self2\s});
my $selfq_line = rule_line(qr{^\s*Redirect307\s+/core/selfq\s});
my $selfsec_line = rule_line(qr{^\s*Redirect307\s+"%\{REQUEST_URI\}"});

# an absolute target that is the request's own URL
my $res = GET "/core/self?tag=a$tag";
ok t_cmp($res->code, 200, '/core/self: not redirected, the file is served');
ok t_cmp($res->header('Location'), undef, '/core/self: no Location');
ok t_cmp($res->content, "core self\n", '/core/self: the file content');
ok t_cmp(logged(loop_warning($self_line,
                             "http://$hostport/core/self?tag=a$tag")), 1,
         '/core/self: warning naming core.conf and the rule line');

$res = GET '/core/self';
ok t_cmp($res->code, 200, '/core/self without a query: not redirected');
ok t_cmp($res->header('Location'), undef, '/core/self without a query: no Location');

# the remainder makes every path below the rule its own target
$res = GET "/core/self/x%20y?tag=b$tag";
ok t_cmp($res->code, 404, '/core/self/x y: not redirected (404 from httpd)');
ok t_cmp($res->header('Location'), undef, '/core/self/x y: no Location');
ok t_cmp(logged(loop_warning($self_line,
                             "http://$hostport/core/self/x%20y?tag=b$tag")),
         1, '/core/self/x y: warning');

# a path target that is the request's own path
$res = GET "/core/self2?tag=c$tag";
ok t_cmp($res->code, 404, '/core/self2: not redirected (404 from httpd)');
ok t_cmp($res->header('Location'), undef, '/core/self2: no Location');
ok t_cmp(logged(loop_warning($self2_line,
                             "http://$hostport/core/self2?tag=c$tag")), 1,
         '/core/self2: warning naming core.conf and the rule line');

# an expression target that is the request's own path
$res = GET "/core/selfsec/a%20b?tag=d$tag";
ok t_cmp($res->code, 404, '<Location> "%{REQUEST_URI}": not redirected');
ok t_cmp($res->header('Location'), undef, '<Location> "%{REQUEST_URI}": no Location');
ok t_cmp(logged(loop_warning($selfsec_line,
                             "http://$hostport/core/selfsec/a%20b?tag=d$tag")),
         1, '<Location> "%{REQUEST_URI}": warning naming the rule line');

# with Discard, the path itself without a query is its own target ...
$res = GET '/core/selfq';
ok t_cmp($res->code, 404, 'Discard, no query: not redirected');
ok t_cmp($res->header('Location'), undef, 'Discard, no query: no Location');
ok t_cmp(logged(loop_warning($selfq_line, "http://$hostport/core/selfq")), 1,
         'Discard, no query: warning');
# ... but dropping a query is a change of URL, not a loop
my $selfq_warnings = count_logged(loop_warning($selfq_line,
                                               "http://$hostport/core/selfq"));
$res = GET "/core/selfq?tag=e$tag";
ok t_cmp($res->code, 307, 'Discard with a query: redirected');
ok t_cmp($res->header('Location'), "http://$hostport/core/selfq",
         'Discard with a query: Location without the query');
ok t_cmp(count_logged(loop_warning($selfq_line,
                                   "http://$hostport/core/selfq")),
         $selfq_warnings, 'Discard with a query: no loop warning');
$res = GET "/core/selfq/x?tag=f$tag";
ok t_cmp($res->code, 307, 'Discard with a query, below the URL-path: redirected');
ok t_cmp($res->header('Location'), "http://$hostport/core/selfq/x",
         'Discard with a query, below the URL-path: Location');

# the same path on another port, host or scheme is no loop
$res = GET '/core/selfport';
ok t_cmp($res->code, 307, 'other port: redirected');
ok t_cmp($res->header('Location'), 'http://127.0.0.1:1/core/selfport',
         'other port: Location');
$res = GET '/core/selfhost/x';
ok t_cmp($res->code, 307, 'other host: redirected');
ok t_cmp($res->header('Location'), "http://localhost:$port/core/selfhost/x",
         'other host: Location');
$res = GET '/core/selfscheme';
ok t_cmp($res->code, 307, 'other scheme: redirected');
ok t_cmp($res->header('Location'), "https://127.0.0.1:$port/core/selfscheme",
         'other scheme: Location');

# ... unless the client asked for that host: the Host header decides
$res = GET "/core/selfhost/x?tag=g$tag", Host => "localhost:$port";
ok t_cmp($res->code, 404, 'Host: localhost: the localhost target is a loop');
ok t_cmp($res->header('Location'), undef, 'Host: localhost: no Location');
my $url = "http://localhost:$port/core/selfhost/x?tag=g$tag";
ok t_cmp(logged(qr{would redirect \Q$url\E to itself}),
         1, 'Host: localhost: warning');
$res = GET "/core/selfhost/x?tag=h$tag", Host => "LocalHost:$port";
ok t_cmp($res->code, 404, 'Host: LocalHost: host names compare case-insensitively');
ok t_cmp($res->header('Location'), undef, 'Host: LocalHost: no Location');
$res = GET "/core/self?tag=i$tag", Host => "localhost:$port";
ok t_cmp($res->code, 307, 'Host: localhost: the 127.0.0.1 target is no loop');
ok t_cmp($res->header('Location'),
         "http://127.0.0.1:$port/core/self?tag=i$tag",
         'Host: localhost: Location to 127.0.0.1');
# a path target follows the Host header, so it stays a loop
$res = GET "/core/self2?tag=j$tag", Host => "localhost:$port";
ok t_cmp($res->code, 404, 'Host: localhost: path target is still a loop');
ok t_cmp($res->header('Location'), undef, 'Host: localhost: path target, no Location');
ok t_cmp(logged(loop_warning($self2_line,
                             "http://localhost:$port/core/self2?tag=j$tag")),
         1, 'Host: localhost: path target, warning');

# the request's own URL with a different query is no loop either
$res = GET "/core/self2/x?tag=k$tag";
ok t_cmp($res->code, 404, '/core/self2/x: a loop too (remainder kept)');
ok t_cmp($res->header('Location'), undef, '/core/self2/x: no Location');

# no warning where there is no loop (loop_warning() above also proves the
# level: [redirect307:warn], not an error)
ok t_cmp(count_logged(qr{would redirect \S+/core/selfport }), 0,
         'no loop warning for another port');
ok t_cmp(count_logged(qr{would redirect \S+/core/selfscheme }), 0,
         'no loop warning for another scheme');
ok t_cmp(count_logged(qr{would redirect \S+\Q?tag=i$tag\E }), 0,
         'no loop warning for the 127.0.0.1 target under Host: localhost');
