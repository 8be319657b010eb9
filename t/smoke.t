# Smoke test: a prefix rule answers 307 with the exact absolute Location,
# and the echo endpoint receives POST bodies.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(plan ok have_module);
use Apache::TestRequest qw(GET POST);
use Apache::TestUtil qw(t_cmp);
use Redirect307Test qw(httpd_t);

plan tests => 12, have_module('cgid');

# see the 307 itself, never what it points to
Apache::TestRequest::user_agent(requests_redirectable => 0, reset => 1);

my $hostport = Apache::TestRequest::hostport();

my $res = GET '/smoke/old/a/b';
ok t_cmp($res->code, 307, 'prefix rule answers 307');
ok t_cmp($res->header('Location'), "http://$hostport/echo/smoke/new/a/b",
         'absolute Location with the remainder appended');

$res = GET '/smoke/elsewhere';
ok t_cmp($res->code, 307, 'rule to another host');
ok t_cmp($res->header('Location'), 'http://other.example/target',
         'Location is the literal target');

$res = GET '/smoke/oldx';
ok t_cmp($res->code, 404, '/smoke/oldx is not under /smoke/old');

$res = POST '/echo/direct', content => 'hello=world';
ok t_cmp($res->code, 200, 'echo endpoint answers POST');
ok t_cmp($res->content, qr/^method: POST\n.*^body: hello=world$/ms,
         'echo reports method and body');

# what a client does with a 307: repeat the POST with its body at Location
$res = POST '/smoke/old/form', content => 'hello=world';
ok t_cmp($res->code, 307, 'POST is redirected with 307');
my $location = $res->header('Location') || '';
ok t_cmp($location, "http://$hostport/echo/smoke/new/form", 'POST Location');
$res = Apache::TestRequest::user_agent()->post($location,
                                               Content => 'hello=world');
ok t_cmp($res->content, qr/^method: POST\n.*^body: hello=world$/ms,
         'the target receives the same method and body');

# configuration errors: httpd -t refuses and names the directive and line
my ($rc, $out, $file) = httpd_t("# comment\nRedirect307 /only-one-argument\n");
ok t_cmp($rc, 1, 'httpd -t fails on a missing argument');
ok t_cmp($out, qr/line 2 of \Q$file\E:.*Redirect307/s,
         'the message names the file, the line and the directive');
