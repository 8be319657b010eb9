# Observability (t/conf/ship.conf.in, "t/ship_log.t"):
#   - REDIRECT307_RULE holds "file:line" of the rule that fired (prefix
#     rule, map entry with the map's file and line, <Location> rule) and
#     shows in a custom access log via %{REDIRECT307_RULE}e; it is unset
#     ("-") when nothing redirects, the loop guard included
#   - LogLevel redirect307:trace1 in a virtual host logs the "rule <file:line>
#     redirects <uri> to <location>" line and nothing more detailed; a
#     <Location> at warn logs no trace line at all
#   - the loop guard logs a warning "would redirect <location> to itself"
# Every request carries a token of this run in its path, so that the lines
# found in the shared logs are the ones this test caused.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(plan ok);
use Apache::TestRequest qw(GET);
use Apache::TestUtil qw(t_cmp);
use Redirect307Test qw(lines_matching origin_of);

plan tests => 23;

Apache::TestRequest::user_agent(requests_redirectable => 0, reset => 1);
my $hp = Apache::TestRequest::hostport();
Apache::TestRequest::module('r307_ship_log');
my $vhp = Apache::TestRequest::hostport();
Apache::TestRequest::module('default');

my $vars = Apache::Test::vars();
my $conf = "$vars->{t_conf}/ship.conf";
my $map = "$vars->{documentroot}/ship/log.map";
my $access_log = "$vars->{t_logs}/ship_access_log";
my $error_log = "$vars->{t_logs}/error_log";
my $tok = "t$$-" . time;

sub lines_now {
    my ($file) = @_;
    open my $fh, '<', $file or die "$file: $!";
    my @lines = <$fh>;
    close $fh;
    chomp @lines;
    return @lines;
}

# the access-log line of a URL-path ("%U %>s %{REDIRECT307_RULE}e")
sub access_line {
    my ($path) = @_;
    my @lines = lines_matching($access_log, qr/^\Q$path\E /);
    return $lines[-1];
}

# --- REDIRECT307_RULE in the access log ------------------------------------
my $res = GET "/ship/log/prefix/$tok";
ok t_cmp($res->code, 307, 'prefix rule redirects');
ok t_cmp(access_line("/ship/log/prefix/$tok"),
         "/ship/log/prefix/$tok 307 "
         . origin_of($conf, qr{^\s*Redirect307 /ship/log/prefix }),
         'access log: prefix rule, file:line of the rule');

# map entries are exact paths: the token goes into the query string
$res = GET "/ship/log/mapped?$tok";
ok t_cmp($res->code, 307, 'map entry redirects');
ok t_cmp($res->header('Location'), "http://$hp/ship/log/mapped-new?$tok",
         'map entry Location');
my @mapped = lines_matching($access_log, qr{^/ship/log/mapped 307 });
ok t_cmp($mapped[-1],
         '/ship/log/mapped 307 ' . origin_of($map, qr{^/ship/log/mapped\s}),
         'access log: map entry, file:line of the entry in the map');

$res = GET "/ship/log/section/$tok";
ok t_cmp($res->code, 307, '<Location> rule redirects');
ok t_cmp(access_line("/ship/log/section/$tok"),
         "/ship/log/section/$tok 307 "
         . origin_of($conf,
                  qr{^\s*Redirect307 "/ship/log/section-new%\{REQUEST_URI\}"}),
         'access log: <Location> rule, file:line of the rule');

$res = GET "/ship/log/none/$tok";
ok t_cmp($res->code, 404, 'no rule: 404');
ok t_cmp(access_line("/ship/log/none/$tok"), "/ship/log/none/$tok 404 -",
         'access log: no rule, REDIRECT307_RULE unset');

# --- the loop guard ----------------------------------------------------------
$res = GET "/ship/log/self/$tok";
ok t_cmp($res->code, 404, 'loop guard: not redirected');
ok t_cmp(access_line("/ship/log/self/$tok"), "/ship/log/self/$tok 404 -",
         'access log: loop guard, REDIRECT307_RULE unset');
my $self_origin = origin_of($conf, qr{^\s*Redirect307 /ship/log/self });
my @warn = lines_matching($error_log,
    qr{\[redirect307:warn\] .*\Q$self_origin\E would redirect \Qhttp://$hp/ship/log/self/$tok\E to itself});
ok t_cmp(scalar @warn, 1, 'loop guard: one warning naming rule and URL');

# --- trace1 in a virtual host ----------------------------------------------------
Apache::TestRequest::module('r307_ship_log');
$res = GET "/ship/log/trace/$tok?q=1";
ok t_cmp($res->code, 307, 'trace1 virtual host: redirects');
ok t_cmp($res->header('Location'), "http://$vhp/ship/log/traced/$tok?q=1",
         'trace1 virtual host: Location');
my $trace_origin = origin_of($conf, qr{^\s*Redirect307 /ship/log/trace });
my @trace = lines_matching($error_log, qr{\Q/ship/log/trace/$tok\E});
my @trace1 = grep {
    m{\[redirect307:trace1\] .* rule \Q$trace_origin\E redirects \Q/ship/log/trace/$tok\E to \Qhttp://$vhp/ship/log/traced/$tok?q=1\E$}
} @trace;
ok t_cmp(scalar @trace1, 1,
         'trace1: one "rule <file:line> redirects <uri> to <location>" line');
ok t_cmp(join("\n", grep { /\[redirect307:trace[2-8]\]/ } @trace), '',
         'trace1: no trace2..trace8 line for the request');
ok t_cmp(access_line("/ship/log/trace/$tok"),
         "/ship/log/trace/$tok 307 $trace_origin",
         'the virtual host logs REDIRECT307_RULE too');

# <Location> at warn inside it: redirected, but not a single trace line
$res = GET "/ship/log/quiet/$tok";
ok t_cmp($res->code, 307, 'warn <Location>: redirects');
ok t_cmp($res->header('Location'), "http://$vhp/ship/log/quieted/$tok",
         'warn <Location>: Location');
ok t_cmp(access_line("/ship/log/quiet/$tok"),
         "/ship/log/quiet/$tok 307 "
         . origin_of($conf, qr{^\s*Redirect307 /ship/log/quiet }),
         'warn <Location>: the access log has the rule');
# (the module logs before the response is sent: no need to wait)
ok t_cmp(join("\n", grep { /\[redirect307:/ && m{\Q/ship/log/quiet/$tok\E} }
                     lines_now($error_log)), '',
         'warn <Location>: no redirect307 line for the request');
Apache::TestRequest::module('default');

# the main server logs redirect307 at trace8 (t/conf/httpd.conf.in): the
# trace1 line is there as well for its own requests
my @main = lines_matching($error_log,
    qr{\[redirect307:trace1\] .* rule \S+ redirects \Q/ship/log/prefix/$tok\E to \Qhttp://$hp/ship/log/prefix-new/$tok\E$});
ok t_cmp(scalar @main, 1, 'main server: the trace1 line');
my @main_section = lines_matching($error_log,
    qr{\[redirect307:trace1\] .* redirects \Q/ship/log/section/$tok\E to \Qhttp://$hp/ship/log/section-new/ship/log/section/$tok\E$});
ok t_cmp(scalar @main_section, 1, 'main server: the trace1 line of a <Location> rule');
