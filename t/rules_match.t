# Redirect307Match (t/conf/scope.conf.in, "t/rules_match.t"): $0-$9,
# "\$", captures percent-encoded for the part of the URL they land in
# (path keeps "/", query and fragment encode & = + # and a space becomes
# "+"), CR/LF in captures (one clean Location, never a second header),
# encoded "?" and "#" stay inside the path, an unmatched group is empty,
# httpd's default regex options (DOTALL, DOLLAR_ENDONLY), and regexes whose
# literal start is short, optional or absent.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(plan ok);
use Apache::TestRequest qw(GET);
use Apache::TestUtil qw(t_cmp);
use Redirect307Test qw(raw_request);

my $hp = Apache::TestRequest::hostport();
my ($port) = $hp =~ /:(\d+)$/;


# [path, status, Location, name]
my @cases = (
    # $0-$9, and "$10" is $1 then "0"
    ['/scope/re/nine/abcdefghi', 307,
     'http://re.example/ihgfedcba/a0/scope/re/nine/abcdefghi',
     '$1-$9 and $0 (the whole match, "/" kept)'],
    ['/scope/re/nine/abcdefgh', 404, undef, 'nine groups needed'],
    # "\$" is a literal dollar, "$" before a non-digit too
    ['/scope/re/dollar/x', 307,
     'http://re.example/cost$1/x/a$b?price=$5&v=x',
     '\$ is a literal $, $ before a letter is kept'],
    ['/scope/re/dollar/x?r=1', 307,
     'http://re.example/cost$1/x/a$b?price=$5&v=x&r=1',
     '\$ with the request query merged'],
    # captures in the path: path-safe, "/" kept
    ['/scope/re/path/a%20b/c%3Fd%23e/f&g=h+i;j@k%25l~', 307,
     'http://re.example/p/a%20b/c%3Fd%23e/f&g=h+i;j@k%25l~',
     'path capture: space, ? # % encoded, / & = + ; @ ~ kept'],
    ['/scope/re/path/a%3Fb=1', 307, 'http://re.example/p/a%3Fb=1',
     'path capture: an encoded ? never starts a query'],
    ['/scope/re/path/a%23b', 307, 'http://re.example/p/a%23b',
     'path capture: an encoded # never starts a fragment'],
    ['/scope/re/path/caf%c3%a9', 307, 'http://re.example/p/caf%C3%A9',
     'path capture: non-ASCII bytes encoded, upper-case escapes'],
    ['/scope/re/path/%22%3C%3E%5C%5E%60%7B%7C%7D%5B%5D', 307,
     'http://re.example/p/%22%3C%3E%5C%5E%60%7B%7C%7D%5B%5D',
     'path capture: characters never allowed raw in a URL'],
    ['/scope/re/path/%09%7F', 307, 'http://re.example/p/%09%7F',
     'path capture: controls encoded'],
    ['/scope/re/path/a%2520b', 307, 'http://re.example/p/a%2520b',
     'path capture: a decoded "%20" is encoded again, never decoded twice'],
    ['/SCOPE/re/path/x', 404, undef, 'regexes are case-sensitive'],
    # captures in the query: component-safe
    ['/scope/re/query/a%26b%3Dc%2Bd%23e%20f', 307,
     'http://re.example/q?v=a%26b%3Dc%2Bd%23e+f&w=x',
     'query capture: & = + # encoded, space is +'],
    ['/scope/re/query/x?z=1', 307, 'http://re.example/q?v=x&w=x&z=1',
     'query capture, then the request query'],
    ['/scope/re/query/a%3Fb', 307, 'http://re.example/q?v=a%3Fb&w=x',
     'query capture: ? encoded'],
    # captures in the fragment
    ['/scope/re/frag/a%23b%20c%26d', 307,
     'http://re.example/f#a%23b+c%26d',
     'fragment capture: # & encoded, space is +'],
    ['/scope/re/frag/x?z=1', 307, 'http://re.example/f?z=1#x',
     'fragment capture: the request query goes before the fragment'],
    # a path target built from captures
    ['/scope/re/local/x%20y', 307,
     "http://$hp/echo/scope/re/x%20y?v=x+y",
     'a path target with captures is made absolute'],
    # CR and LF
    ['/scope/re/crlf/a%0D%0ASet-Cookie:%20evil=1', 307,
     'http://re.example/c/a%0D%0ASet-Cookie:%20evil=1'
     . '?x=a%0D%0ASet-Cookie%3A+evil%3D1',
     'CR LF in a capture: encoded in path and query'],
    ['/scope/re/crlf/a%0Ab', 307, 'http://re.example/c/a%0Ab?x=a%0Ab',
     'LF alone'],
    ['/scope/re/crlf/a%0Db', 307, 'http://re.example/c/a%0Db?x=a%0Db',
     'CR alone'],
    # an optional group that did not take part: empty
    ['/scope/re/opt/y', 307, 'http://re.example/o/()/y?g=',
     'unmatched optional group is empty'],
    ['/scope/re/opt/x-y?z=1', 307, 'http://re.example/o/(x-)/y?g=x-&z=1',
     'matched optional group'],
    # RegexDefaultOptions: DOTALL and DOLLAR_ENDONLY
    ['/scope/re/dotall/a%0Ab', 307, 'http://re.example/d/a%0Ab',
     'DOTALL: (.*)$ takes a path with an encoded newline whole'],
    ['/scope/re/dotall/a%0A', 307, 'http://re.example/d/a%0A',
     'DOTALL: a trailing newline is part of the capture'],
    ['/scope/re/nl/a%0Ab', 307, 'http://re.example/nl',
     'DOTALL: "." matches a newline'],
    ['/scope/re/endonly/abc', 307, 'http://re.example/e/abc',
     'DOLLAR_ENDONLY: plain match'],
    ['/scope/re/endonly/abc%0A', 404, undef,
     'DOLLAR_ENDONLY: "$" does not match before a final newline'],
    # regexes with a short, optional or no literal start
    ['/scope/re/lit/ac', 307, 'http://re.example/lit', 'ab?c without b'],
    ['/scope/re/lit/abc', 307, 'http://re.example/lit', 'ab?c with b'],
    ['/scope/re/lit/abbc', 404, undef, 'ab?c, two b'],
    ['/scope/re/lit2/y', 307, 'http://re.example/lit2', 'x*y without x'],
    ['/scope/re/lit2/xxy', 307, 'http://re.example/lit2', 'x*y with x'],
    ['/scope/re/lit3/z', 307, 'http://re.example/lit3', 'a{0,2}z, no a'],
    ['/scope/re/lit3/aaz', 307, 'http://re.example/lit3', 'a{0,2}z, two a'],
    ['/scope/re/lit3/aaaz', 404, undef, 'a{0,2}z, three a'],
    ['/scope/re/lit4/a.b7', 307, 'http://re.example/lit4', 'escaped . and \d'],
    ['/scope/re/lit4/axb7', 404, undef, 'an escaped . is a literal dot'],
    ['/scope/re/lit5/one', 307, 'http://re.example/lit5',
     'top-level alternation, first branch'],
    ['/scope/re/lit5b/two', 307, 'http://re.example/lit5',
     'top-level alternation, second branch'],
    ['/scope/re/lit6/ab', 307, 'http://re.example/lit6',
     'an optional escaped ?, absent'],
    ['/scope/re/lit6/a%3Fb', 307, 'http://re.example/lit6',
     'an optional escaped ?, present (decoded %3F)'],
    ['/scope/re/ci/x', 307, 'http://re.example/ci', '(?i) before ^'],
    ['/SCOPE/RE/CI/X', 307, 'http://re.example/ci',
     '(?i) before ^, other case'],
    ['/scope/re/ci2/X', 307, 'http://re.example/ci2',
     '(?i) after ^, other case'],
    ['/scope/re/qe/a.b', 307, 'http://re.example/qe', '\Q...\E'],
    ['/scope/re/qe/axb', 404, undef, '\Q...\E quotes the dot'],
    ['/scope/re/unanchored/42', 307, 'http://re.example/un/42',
     'a regex without ^'],
);

plan tests => 2 * @cases + 6;

Apache::TestRequest::user_agent(requests_redirectable => 0, reset => 1);

for my $case (@cases) {
    my ($path, $status, $location, $name) = @$case;
    my $res = GET $path;
    ok t_cmp($res->code, $status, "$name: status of $path");
    ok t_cmp($res->header('Location'), $location, "$name: Location of $path");
}

# CR LF in a capture, seen on the wire: one status line, one Location, no
# header made of request data
my ($status, $head, $headers) = raw_request($port,
    "GET /scope/re/crlf/a%0D%0ASet-Cookie:%20evil=1%0D%0A%0D%0Abody "
    . "HTTP/1.1\r\nHost: $hp\r\nConnection: close\r\n\r\n");
ok t_cmp($status, 307, 'raw: CR LF in a capture gives a clean 307');
ok t_cmp(scalar @{ $headers->{location} || [] }, 1, 'raw: one Location');
ok t_cmp($headers->{location}[0] // '',
         'http://re.example/c/a%0D%0ASet-Cookie:%20evil=1%0D%0A%0D%0Abody'
         . '?x=a%0D%0ASet-Cookie%3A+evil%3D1%0D%0A%0D%0Abody',
         'raw: the Location carries %0D%0A');
ok !exists $headers->{'set-cookie'};
my @lines = split /\r\n/, $head;
my @bad = grep { !/^[!#-'*+.0-9A-Z^_`a-z|~-]+: [\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/ }
    @lines[1 .. $#lines];
print "# bad header line: $_\n" for @bad;
ok t_cmp(scalar @bad, 0, 'raw: every header line is one well-formed field');
ok t_cmp(scalar(() = $head =~ /evil/g), 2,
         'raw: request data appears only inside the Location (twice)');
