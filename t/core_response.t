# The 307 is a normal httpd error-path response: "Header always set"
# applies to it, and "ErrorDocument 307" with a local document replaces the
# body while the status stays 307 and the Location is kept; for server
# rules (translate_name) and section rules (fixups) alike.
# Rules: t/conf/core.conf.in, "t/core_response.t" section; the document is
# t/htdocs/core/ed/doc/e307.html.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(plan ok);
use Apache::TestRequest qw(GET HEAD POST);
use Apache::TestUtil qw(t_cmp);
use Redirect307Test qw(raw_response);

plan tests => 30;

Apache::TestRequest::user_agent(requests_redirectable => 0, reset => 1);

my $hostport = Apache::TestRequest::hostport();

# LWP never reads a body after HEAD: look at the bytes on the wire

my $doc = "<html><body><p>core: this resource has moved for now.</p>"
    . "</body></html>\n";

# Header always set, default body
my $res = GET '/core/hdr/x?a=1';
ok t_cmp($res->code, 307, 'Header always: 307');
ok t_cmp($res->header('Location'), 'http://e.example/hdr/x?a=1',
         'Header always: Location');
ok t_cmp($res->header('X-Core-Test'), 'yes', 'Header always: header set');
ok t_cmp($res->content, qr{<title>307 Temporary Redirect</title>},
         'Header always: httpd\'s default 307 body');
ok t_cmp($res->content, qr{<a href="http://e\.example/hdr/x\?a=1">here</a>},
         'Header always: the default body links to the Location');

# without the Header directive there is no such header (the test can fail)
$res = GET '/core/old/x';
ok t_cmp($res->code, 307, 'control: 307');
ok t_cmp($res->header('X-Core-Test'), undef, 'control: no X-Core-Test');

# ErrorDocument 307, server-level rule
$res = GET '/core/ed/old/x?a=1';
ok t_cmp($res->code, 307, 'ErrorDocument, server rule: status stays 307');
ok t_cmp($res->header('Location'), 'http://e.example/ed/x?a=1',
         'ErrorDocument, server rule: Location kept');
ok t_cmp($res->content, $doc, 'ErrorDocument, server rule: custom body');
ok t_cmp($res->header('Content-Type'), qr{^text/html},
         'ErrorDocument, server rule: the document\'s type');
ok t_cmp($res->header('X-Core-Test'), 'yes',
         'ErrorDocument, server rule: Header always set');

# ErrorDocument 307, one-argument rule in a <Location> (fixups)
$res = GET '/core/ed/sec/y';
ok t_cmp($res->code, 307, 'ErrorDocument, section rule: status stays 307');
ok t_cmp($res->header('Location'), 'http://e.example/edsec',
         'ErrorDocument, section rule: Location kept');
ok t_cmp($res->content, $doc, 'ErrorDocument, section rule: custom body');
ok t_cmp($res->header('X-Core-Test'), 'yes',
         'ErrorDocument, section rule: Header always set');

# ErrorDocument and POST: still 307 (not 302, not 405), body replaced
$res = POST '/core/ed/old/form', content => 'a=1';
ok t_cmp($res->code, 307, 'ErrorDocument, POST: 307');
ok t_cmp($res->header('Location'), 'http://e.example/ed/form',
         'ErrorDocument, POST: Location kept');
ok t_cmp($res->content, $doc, 'ErrorDocument, POST: custom body');

# ErrorDocument and HEAD: no body
$res = HEAD '/core/ed/old/x';
ok t_cmp($res->code, 307, 'ErrorDocument, HEAD: 307');
ok t_cmp($res->header('Location'), 'http://e.example/ed/x',
         'ErrorDocument, HEAD: Location kept');
ok t_cmp($res->content, '', 'ErrorDocument, HEAD: no body');
my $raw = raw_response($hostport,
    "HEAD /core/ed/old/x HTTP/1.1\r\nHost: $hostport\r\n"
                      . "Connection: close\r\n\r\n");
ok t_cmp($raw, qr{\AHTTP/1\.1 307 .*\r\nLocation: http://e\.example/ed/x\r\n}s,
         'ErrorDocument, raw HEAD: 307 and Location');
ok t_cmp(substr($raw, index($raw, "\r\n\r\n") + 4), '',
         'ErrorDocument, raw HEAD: nothing after the header block');

# the document itself is served normally
$res = GET '/core/ed/doc/e307.html';
ok t_cmp($res->code, 200, 'the error document on its own: 200');
ok t_cmp($res->header('Location'), undef, 'the error document: no Location');
ok t_cmp($res->content, $doc, 'the error document: its content');

# a HEAD on a rule with Header always set gets the header as well
$res = HEAD '/core/hdr';
ok t_cmp($res->code, 307, 'Header always, HEAD: 307');
ok t_cmp($res->header('Location'), 'http://e.example/hdr',
         'Header always, HEAD: Location');
ok t_cmp($res->header('X-Core-Test'), 'yes', 'Header always, HEAD: header');
