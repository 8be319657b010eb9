# One-argument Redirect307 (expression targets) and rules in sections:
# <Location>, <If>/<ElseIf>/<Else> nested in a <Location>, <Directory>
# and <Files>; the order of section rules against server rules.
# Rules: t/conf/core.conf.in, "t/core_section.t" section; files under
# t/htdocs/core/dir, dir2 and files.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(plan ok);
use Apache::TestRequest ();
use Apache::TestUtil qw(t_cmp);
use Redirect307Check qw(check_answer send_request);

# [method, path, expected Location (undef: not redirected), expected status
#  when not redirected, description]
my @cases = (
    # <Location /core/sec>: "https://new.example%{REQUEST_URI}"
    ['GET', '/core/sec/a/b?x=1', 'https://new.example/core/sec/a/b?x=1',
     'expression target, query merged'],
    ['GET', '/core/sec',         'https://new.example/core/sec',
     'expression target, the section path itself'],
    ['GET', '/core/sec/a%3Fb',   'https://new.example/core/sec/a%3Fb',
     '%3F in the request stays %3F'],
    ['GET', '/core/sec/a%3Fb?c=1', 'https://new.example/core/sec/a%3Fb?c=1',
     '%3F in the path, then the real query'],
    ['GET', '/core/sec/a%23b',   'https://new.example/core/sec/a%23b',
     '%23 in the request stays %23'],
    ['GET', '/core/sec/a%20b/caf%C3%A9',
     'https://new.example/core/sec/a%20b/caf%C3%A9',
     'space and UTF-8 re-encoded'],
    ['GET', '/core/sec/100%25',  'https://new.example/core/sec/100%25',
     '%25 stays %25'],
    ['POST', '/core/sec/form',   'https://new.example/core/sec/form',
     'any method'],

    # literal one-argument target
    ['GET', '/core/lit',         'http://e.example/literal', 'literal target'],
    ['GET', '/core/lit/x/y?q=1', 'http://e.example/literal?q=1',
     'literal target: no remainder, query merged'],

    # path one-argument targets, made absolute on this server
    ['GET', '/core/landsec/x?a=1', 'http://HP/core/landing?a=1',
     'path target'],
    ['GET', '/core/exprpath/x%20y?a=1', 'http://HP/echo/core/exprpath/x%20y?a=1',
     'path target with an expression'],

    # expression value in the query: component-safe
    ['GET', '/core/exq/a%20b%26c?x=1',
     'http://e.example/s?path=%2Fcore%2Fexq%2Fa+b%26c&x=1',
     'expression value in the query: "/", "&" encoded, space as "+"'],

    # <If> inside <Location>
    ['POST', '/core/ifpost/x',   'http://HP/echo/ifpost', '<If> POST'],
    ['POST', '/core/ifpost/x?z=1', 'http://HP/echo/ifpost?z=1',
     '<If> POST with a query'],
    ['GET',  '/core/ifpost/x',   undef, 404, '<If> POST: GET not redirected'],
    ['PUT',  '/core/ifpost/x',   undef, 405, '<If> POST: PUT not redirected'],

    # <If>/<ElseIf>/<Else>
    ['POST',   '/core/ifchain/x', 'http://e.example/post', '<If>'],
    ['PUT',    '/core/ifchain/x', 'http://e.example/put',  '<ElseIf>'],
    ['GET',    '/core/ifchain/x', 'http://e.example/other', '<Else>: GET'],
    ['DELETE', '/core/ifchain/x', 'http://e.example/other', '<Else>: DELETE'],
    ['GET',    '/core/ifchain/x?a=1', 'http://e.example/other?a=1',
     '<Else> with a query'],

    # two-argument rule in a <Location>
    ['GET', '/core/locpre/old/x', 'http://e.example/lp/x',
     'prefix rule in a <Location>'],
    ['GET', '/core/locpre/oldx',  undef, 404,
     'prefix rule in a <Location>: whole segments'],
    ['GET', '/core/locpre/other', undef, 404,
     'prefix rule in a <Location>: other paths of the section'],

    # a later, more specific section first
    ['GET', '/core/nest/in/x',   'http://e.example/inner',
     '<Location /core/nest/in> before <Location /core/nest>'],
    ['GET', '/core/nest/x',      'http://e.example/outer/x',
     '<Location /core/nest> elsewhere'],

    # server rules before section rules
    ['GET', '/core/srvfirst/x',  'http://e.example/srv/x',
     'server rule before the <Location> rule'],

    # <Directory>
    ['GET', '/core/dir/page.html', 'http://e.example/dir/core/dir/page.html',
     '<Directory>: an existing file'],
    ['GET', '/core/dir/missing%3Fx?q=1',
     'http://e.example/dir/core/dir/missing%3Fx?q=1',
     '<Directory>: a missing file, %3F kept'],
    ['GET', '/core/dir2/old/x',  'http://e.example/dir2/x',
     'prefix rule in a <Directory>'],
    ['GET', '/core/dir2/page.html', undef, 200,
     'prefix rule in a <Directory>: other files served'],

    # <Files> inside <Directory>
    ['GET', '/core/files/a.old', 'http://e.example/files/core/files/a.old',
     '<Files "*.old">: an existing file'],
    ['GET', '/core/files/missing.old',
     'http://e.example/files/core/files/missing.old',
     '<Files "*.old">: a missing file'],
    ['GET', '/core/files/a.txt', undef, 200, '<Files "*.old">: other files'],
);

plan tests => 2 * @cases + 6;

Apache::TestRequest::user_agent(requests_redirectable => 0, reset => 1);
my $FORM = 'application/x-www-form-urlencoded';
my $hostport = Apache::TestRequest::hostport();


for my $case (@cases) {
    my ($method, $path, $location, @rest) = @$case;
    my $name = pop @rest;
    my $res = send_request($method, $path,
                           $method =~ /^(POST|PUT)$/ ? 'k=v' : undef,
                           $FORM);
    check_answer($res, $location, $rest[0], "$method $path ($name)");
}

# the targets receive what a client sends after the 307
my $res = send_request('GET', '/core/exprpath/x%20y?a=1');
$res = send_request('GET', $res->header('Location') || '/none');
ok t_cmp($res->code, 200, 'expression path target: the echo answers');
ok t_cmp($res->content,
         qr{^method: GET\nuri: /echo/core/exprpath/x%20y\?a=1\nquery: a=1\n}m,
         'expression path target: the echo sees the same path and query');

$res = send_request('POST', '/core/ifpost/x?z=1', 'name=core&n=1', $FORM);
$res = send_request('POST', $res->header('Location') || '/none',
                    'name=core&n=1', $FORM);
ok t_cmp($res->code, 200, '<If> POST: the echo answers the repeated POST');
ok t_cmp($res->content,
         qr{^method: POST\nuri: /echo/ifpost\?z=1\nquery: z=1\nbody: name=core&n=1$}m,
         '<If> POST: same method, query and body at the target');

# files around the sections are served normally
$res = send_request('GET', '/core/dir2/page.html');
ok t_cmp($res->content, "core dir2 page\n", '<Directory>: file content');
$res = send_request('GET', '/core/files/a.txt');
ok t_cmp($res->content, "core files a.txt\n", '<Files>: file content');
