# The optional function redirect307_location (mod_redirect307.h), called by
# another module: t/c-modules/r307_api/mod_r307_api.c, built with apxs by
# Apache::Test and loaded into the test server (rules in t/conf/ship.conf.in,
# "t/ship_api.t").  Its handler at /ship/api reports what the function says
# about a sub-request of the URI in its query string, or about its own
# request:
#   - a match: the absolute Location and the rule's file:line, for server
#     rules (prefix, regex, map entry) and <Location> rules, with the query
#     string merged or discarded as for a real redirect; the sub-request's
#     status is already 307 and the function still answers
#   - no match, Redirect307Engine Off, the loop guard: NULL and rule NULL
#   - the rule argument may be NULL; nothing is sent, no Location header and
#     no REDIRECT307_RULE is set on the calling request
#   - behind a trusted proxy the forwarded scheme applies
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(plan ok);
use Apache::TestRequest qw(GET);
use Apache::TestUtil qw(t_cmp);

plan tests => 101;

Apache::TestRequest::user_agent(requests_redirectable => 0, reset => 1);
my $hp = Apache::TestRequest::hostport();
my $vars = Apache::Test::vars();

# "file:line" of the first line of $file matching $re
sub origin {
    my ($file, $re) = @_;
    open my $fh, '<', $file or die "$file: $!";
    while (my $line = <$fh>) {
        return "$file:$." if $line =~ $re;
    }
    die "$file: no line matches $re";
}
my $conf = "$vars->{t_conf}/ship.conf";
my $map  = "$vars->{documentroot}/ship/api.map";

# percent-encode every byte but unreserved ones, so the query is one URI
sub escape {
    my ($s) = @_;
    $s =~ s/([^A-Za-z0-9\-._~])/sprintf '%%%02X', ord $1/ge;
    return $s;
}

# ask the handler; returns the response and its lines as a hash
sub api {
    my ($uri, @headers) = @_;
    my $res = GET(defined $uri ? '/ship/api?' . escape($uri) : '/ship/api',
                  @headers);
    my %said = map { /^([\w-]+): (.*)$/ ? ($1 => $2) : () }
        split /\n/, $res->content;
    return ($res, \%said);
}

# 8 checks: the handler answered, and every line is what it should be
sub expect {
    my ($name, $uri, $want, @headers) = @_;
    my ($res, $said) = api($uri, @headers);
    ok t_cmp($res->code, 200, "$name: the handler answers 200");
    ok t_cmp($res->header('Location'), undef,
             "$name: no Location on the handler's response");
    for my $key (qw(location rule asked status without-rule env
                    location-header)) {
        next if $key eq 'status' && !exists $want->{status};
        ok t_cmp($said->{$key}, $want->{$key}, "$name: $key");
    }
}

my %nothing = ('without-rule' => 'same', env => 'NULL',
               'location-header' => 'NULL');

# --- matches ----------------------------------------------------------------
expect('server prefix rule', '/ship/apisrc/prefix/a%20b?q=1',
       { location => "http://$hp/ship/apidst/a%20b?q=1",
         rule => origin($conf, qr{^\s*Redirect307 /ship/apisrc/prefix }),
         asked => 'subrequest /ship/apisrc/prefix/a%20b?q=1',
         status => 307, %nothing });

expect('server regex rule, path target', '/ship/apisrc/re/42',
       { location => "http://$hp/ship/apidst-re/42",
         rule => origin($conf, qr{^\s*Redirect307Match \^/ship/apisrc/re/}),
         asked => 'subrequest /ship/apisrc/re/42',
         status => 307, %nothing });

expect('map entry, target query merged', '/ship/apisrc/mapped?x=1',
       { location => 'http://mapped.example/target?from=map&x=1',
         rule => origin($map, qr{^/ship/apisrc/mapped\s}),
         asked => 'subrequest /ship/apisrc/mapped?x=1',
         status => 307, %nothing });

expect('<Location> rule (fixups phase)', '/ship/apisrc/section/x',
       { location => "http://$hp/ship/apidst-section/ship/apisrc/section/x",
         rule => origin($conf,
                        qr{^\s*Redirect307 "/ship/apidst-section%\{REQUEST_URI\}"}),
         asked => 'subrequest /ship/apisrc/section/x',
         status => 307, %nothing });

expect('Redirect307QueryString Discard', '/ship/apisrc/discard/x?q=1',
       { location => "http://$hp/ship/apidst-discard",
         rule => origin($conf, qr{^\s*Redirect307 "/ship/apidst-discard"}),
         asked => 'subrequest /ship/apisrc/discard/x?q=1',
         status => 307, %nothing });

# --- no answer -----------------------------------------------------------------
expect('no rule matches', '/ship/apisrc/none',
       { location => 'NULL', rule => 'NULL',
         asked => 'subrequest /ship/apisrc/none', status => 200,
         %nothing });

expect('Redirect307Engine Off', '/ship/apisrc/prefix/off/x',
       { location => 'NULL', rule => 'NULL',
         asked => 'subrequest /ship/apisrc/prefix/off/x', status => 200,
         %nothing });

# the loop guard applies: the function declines and logs the warning
expect('loop guard', '/ship/apisrc/self',
       { location => 'NULL', rule => 'NULL',
         asked => 'subrequest /ship/apisrc/self', status => 200,
         %nothing });

# --- the handler's own request ----------------------------------------------------
expect('own request, no rule', undef,
       { location => 'NULL', rule => 'NULL', asked => 'request',
         %nothing });

# a rule covers /ship/api/own-off, but Redirect307Engine Off there: the
# request reaches the handler and the function agrees that it would not
# redirect
{
    my $res = GET '/ship/api/own-off';
    ok t_cmp($res->code, 200, 'own request under Engine Off: not redirected');
    ok t_cmp($res->content, qr/^location: NULL\nrule: NULL\nasked: request\n/,
             'own request under Engine Off: NULL, NULL');
}

# --- behind a trusted proxy --------------------------------------------------------
Apache::TestRequest::module('r307_ship_api_proxy');
my $vhp = Apache::TestRequest::hostport();
expect('virtual host rule', '/ship/apisrc/vhost/x',
       { location => "http://$vhp/ship/apidst-vhost/x",
         rule => origin($conf, qr{^\s*Redirect307 /ship/apisrc/vhost }),
         asked => 'subrequest /ship/apisrc/vhost/x', status => 307,
         %nothing });
expect('virtual host rule, X-Forwarded-Proto https from a trusted peer',
       '/ship/apisrc/vhost/x',
       { location => "https://$vhp/ship/apidst-vhost/x",
         rule => origin($conf, qr{^\s*Redirect307 /ship/apisrc/vhost }),
         asked => 'subrequest /ship/apisrc/vhost/x', status => 307,
         %nothing },
       'X-Forwarded-Proto' => 'https');
Apache::TestRequest::module('default');

# the function's own loop-guard warning (the sub-request logs one too)
{
    my $log = "$vars->{t_logs}/error_log";
    my $found = 0;
    for (1 .. 20) {
        open my $fh, '<', $log or last;
        $found = grep { /\[redirect307:warn\].*would redirect \Qhttp:\/\/$hp\/ship\/apisrc\/self\E to itself/ }
            <$fh>;
        close $fh;
        last if $found >= 2;
        select undef, undef, undef, 0.1;
    }
    ok t_cmp($found >= 2, 1,
             'the loop guard warning is logged for the sub-request and '
             . 'for the function');
}
