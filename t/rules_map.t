# Redirect307Map (t/data/scope/x.map, loaded at server level by
# t/conf/scope.conf.in): exact URL-paths only, percent-encoded keys matched
# against the decoded request path, path targets made absolute, the
# target's query merged with the request's, comments and blank lines
# ignored, the first of two equal keys wins, and REDIRECT307_RULE names
# the map file and line of the entry (t/logs/access_log ends with
# "rule=%{REDIRECT307_RULE}e").
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(plan ok);
use Apache::TestRequest qw(GET POST);
use Apache::TestUtil qw(t_cmp);
use Time::HiRes qw(sleep);

my $vars = Apache::Test::config()->{vars};
my $map = "$vars->{serverroot}/data/scope/x.map";
my $access_log = "$vars->{t_logs}/access_log";
my $hp = Apache::TestRequest::hostport();

# line numbers of the entries of the map: the first line of each key
my %line;
my $has_crlf = 0;
{
    open my $fh, '<', $map or die "$map: $!";
    binmode $fh;
    while (my $l = <$fh>) {
        $has_crlf = 1 if $l =~ /\r\n\z/;
        next if $l =~ /^\s*(#|$)/;
        my ($key) = $l =~ /^\s*(\S+)/;
        $line{$key} //= $.;
    }
    close $fh;
}

# [method, path, status, Location, name]
my @cases = (
    ['GET', '/scope/m/a', 307, 'http://m.example/a', 'an entry'],
    ['POST', '/scope/m/a', 307, 'http://m.example/a', 'POST too'],
    ['GET', '/scope/m/a?x=1&y', 307, 'http://m.example/a?x=1&y',
     'the request query is kept (Merge)'],
    ['GET', '/scope/m/%61', 307, 'http://m.example/a',
     'matched against the decoded request path'],
    ['GET', '/scope/m//a', 307, 'http://m.example/a',
     'matched against the normalised request path (slashes merged)'],
    ['GET', '/scope/m/x/../a', 307, 'http://m.example/a',
     'matched against the normalised request path (dot segments)'],
    ['GET', '/scope/m/a/', 404, undef, 'exact: no trailing slash'],
    ['GET', '/scope/m/a/b', 404, undef, 'exact: no prefix match'],
    ['GET', '/scope/m/ab', 404, undef, 'exact: no string prefix match'],
    ['GET', '/scope/m', 404, undef, 'exact: the parent is not an entry'],
    ['GET', '/scope/m/A', 404, undef, 'case-sensitive'],
    ['GET', '/scope/m/dir/', 307, 'http://m.example/dirslash',
     'a key ending in /'],
    ['GET', '/scope/m/dir', 404, undef, 'a key ending in / is exact too'],
    ['GET', '/scope/m/dir/x', 404, undef, 'a key ending in / is no prefix'],
    ['GET', '/scope/m/commented', 404, undef,
     'an indented comment line is ignored'],
    ['GET', '/scope/m/commented2', 404, undef, 'a comment line is ignored'],
    ['GET', '/scope/m/dup', 307, 'http://m.example/first',
     'a duplicate key: the first entry wins'],
    ['GET', '/scope/m/path', 307, "http://$hp/echo/scope/m/path",
     'a path target is made absolute'],
    ['GET', '/scope/m/path?z=1', 307, "http://$hp/echo/scope/m/path?z=1",
     'a path target with the request query'],
    ['GET', '/scope/m/pathq?z=1', 307,
     "http://$hp/echo/scope/m/pathq?t=1&z=1",
     'a path target with a query, merged with the request query'],
    ['GET', '/scope/m/q', 307, 'http://m.example/q?a=1',
     'the target query alone'],
    ['GET', '/scope/m/q?b=2', 307, 'http://m.example/q?a=1&b=2',
     'target query, then request query'],
    ['GET', '/scope/m/frag?b=2', 307, 'http://m.example/f?a=1&b=2#sec',
     'the fragment of the target stays last'],
    ['GET', '/scope/m/caf%C3%A9', 307, 'http://m.example/cafe',
     'a percent-encoded key matches the decoded path'],
    ['GET', '/scope/m/caf%c3%a9', 307, 'http://m.example/cafe',
     'lower-case escapes in the request decode to the same path'],
    ['GET', '/scope/m/sp%20ace', 307, 'http://m.example/space',
     'an encoded space in the key'],
    ['GET', '/scope/m/sp%2520ace', 404, undef,
     'the key is decoded once, the request path once'],
    ['GET', '/scope/m/tab', 307, 'http://m.example/tab',
     'tabs around and between the fields'],
    ['GET', '/scope/m/crlf', 307, 'http://m.example/crlf',
     'a line ending in CR LF'],
    ['GET', '/scope/m/last', 307, 'http://m.example/last',
     'the entry after a CR LF line'],
);

# requests whose REDIRECT307_RULE is checked: [path, map key]
my @rules = (
    ['/scope/m/a', '/scope/m/a'],
    ['/scope/m/dup', '/scope/m/dup'],
    ['/scope/m/caf%C3%A9', '/scope/m/caf%C3%A9'],
    ['/scope/m/tab', '/scope/m/tab'],
    ['/scope/m/crlf', '/scope/m/crlf'],
    ['/scope/m/last', '/scope/m/last'],
);

plan tests => 2 * @cases + 2 * @rules + 3;

Apache::TestRequest::user_agent(requests_redirectable => 0, reset => 1);

# the fixture still has its CR LF line (a checkout that converts line ends
# would hide what the /scope/m/crlf case checks)
ok t_cmp($has_crlf, 1, 'x.map has a line ending in CR LF');

for my $case (@cases) {
    my ($method, $path, $status, $location, $name) = @$case;
    my $res = $method eq 'POST' ? POST $path, content => 'a=1' : GET $path;
    ok t_cmp($res->code, $status, "$name: status of $method $path");
    ok t_cmp($res->header('Location'), $location,
             "$name: Location of $method $path");
}

# the line of the access log for a request, found by a unique query string;
# the line is written after the response, so wait for it (bounded)
sub log_line {
    my ($token) = @_;
    for (1 .. 50) {
        if (open my $fh, '<', $access_log) {
            my @hits = grep { index($_, $token) >= 0 } <$fh>;
            close $fh;
            return $hits[-1] if @hits;
        }
        sleep 0.1;
    }
    return '';
}

my $n = 0;
for my $rule (@rules) {
    my ($path, $key) = @$rule;
    my $token = "maprule" . $$ . '-' . ++$n;
    my $res = GET "$path?$token";
    ok t_cmp($res->code, 307, "REDIRECT307_RULE: $path redirected");
    my $line = log_line($token);
    chomp $line;
    ok t_cmp($line, qr/ rule=\Q$map:$line{$key}\E$/,
             "REDIRECT307_RULE of $path is the map file and line "
             . "$line{$key}");
}

# no map entry, no rule
my $token = "maprule$$-none";
my $res = GET "/scope/m/nothing?$token";
ok t_cmp($res->code, 404, 'no entry: 404');
my $line = log_line($token);
chomp $line;
ok t_cmp($line, qr/ 404 \S+ rule=-$/, 'no entry: REDIRECT307_RULE unset');
