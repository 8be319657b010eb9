# Methods: HEAD gets the 307 and the same Location without a body; POST and
# PUT are redirected with 307 and, repeated at the Location as a client
# does after a 307, reach the target with the same method, query and body.
# Rules: t/conf/core.conf.in, "t/core_methods.t" section.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(plan ok have_module);
use Apache::TestRequest ();
use Apache::TestUtil qw(t_cmp);
use Redirect307Check qw(send_request);
use Redirect307Test qw(raw_response);

plan tests => 32, have_module('cgid');

Apache::TestRequest::user_agent(requests_redirectable => 0, reset => 1);
my $hostport = Apache::TestRequest::hostport();


# LWP never reads a body after HEAD: look at the bytes on the wire

# GET and HEAD answer the same status and Location; HEAD has no body
my $get = send_request('GET', '/core/head/x?a=1');
my $head = send_request('HEAD', '/core/head/x?a=1');
ok t_cmp($get->code, 307, 'GET: 307');
ok t_cmp($get->header('Location'), 'http://e.example/head/x?a=1',
         'GET: Location');
ok t_cmp($get->content, qr{<a href="http://e\.example/head/x\?a=1">},
         'GET: the body links to the Location');
ok t_cmp($head->code, 307, 'HEAD: 307');
ok t_cmp($head->header('Location'), 'http://e.example/head/x?a=1',
         'HEAD: the same Location');
ok t_cmp($head->content, '', 'HEAD: no body');
my $raw = raw_response($hostport,
    "HEAD /core/head/x?a=1 HTTP/1.1\r\nHost: $hostport\r\n"
                      . "Connection: close\r\n\r\n");
ok t_cmp($raw, qr{\AHTTP/1\.1 307 Temporary Redirect\r\n}, 'raw HEAD: 307');
ok t_cmp($raw, qr{\r\nLocation: http://e\.example/head/x\?a=1\r\n},
         'raw HEAD: Location');
ok t_cmp(substr($raw, index($raw, "\r\n\r\n") + 4), '',
         'raw HEAD: nothing after the header block');

# other methods are redirected alike
for my $method (qw(DELETE OPTIONS PATCH)) {
    my $res = send_request($method, '/core/head/m');
    ok t_cmp($res->code, 307, "$method: 307");
    ok t_cmp($res->header('Location'), 'http://e.example/head/m',
             "$method: Location");
}

# POST and PUT: 307 to the echo endpoint, then the same request there
my $body = "line one\nname=core&v=\x{e9}t\x{e9} 100%\n";
for my $method (qw(POST PUT)) {
    my $res = send_request($method, '/core/post/form%20x?k=1&j=2', $body);
    ok t_cmp($res->code, 307, "$method: 307");
    my $location = $res->header('Location');
    ok t_cmp($location, "http://$hostport/echo/core/form%20x?k=1&j=2",
             "$method: Location on the echo endpoint");

    $res = send_request($method, $location || '/none', $body);
    ok t_cmp($res->code, 200, "$method: the target answers");
    my $echo = $res->content;
    ok t_cmp($echo, qr{^method: $method$}m, "$method: same method at the target");
    ok t_cmp($echo, qr{^uri: /echo/core/form%20x\?k=1&j=2$}m,
             "$method: path and query at the target");
    ok t_cmp($echo, qr{^query: k=1&j=2$}m, "$method: query string");
    ok t_cmp($echo, qr{^body: \Q$body\E\n\z}m, "$method: the same body");
}

# a large body is not read by the redirect, and the connection stays usable
my $large = 'x' x 200_000;
my $res = send_request('POST', '/core/post/big', $large);
ok t_cmp($res->code, 307, 'large POST: 307');
ok t_cmp($res->header('Location'), "http://$hostport/echo/core/big",
         'large POST: Location');
$res = send_request('POST', "http://$hostport/echo/core/big", $large);
ok t_cmp(length($res->content) > 200_000 ? 1 : 0, 1,
         'large POST: the whole body reaches the target');
