# Redirect307Engine Off: in a <Location> or an <If> it exempts the requests
# it covers from every rule, server-level ones included (and a nested
# "On" switches them on again); in a <Directory> or .htaccess it switches
# off only the rules checked in fixups (section and .htaccess rules) while
# server-level rules still fire.
# Rules: t/conf/core.conf.in, "t/core_engine.t" section; files under
# t/htdocs/core/engdir and enght.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(plan ok);
use Apache::TestRequest qw(GET);
use Apache::TestUtil qw(t_cmp);
use Redirect307Check qw(check_answer);

# [path, expected Location (undef: not redirected), expected status when
#  not redirected, description]
my @cases = (
    # <Location /core/engloc> Redirect307Engine Off; server rule /core/engloc
    ['/core/engloc/x',       undef, 404,
     '<Location> Off exempts a server-level rule'],
    ['/core/engloc',         undef, 404,
     '<Location> Off: the URL-path itself'],
    ['/core/engloc/on/x?a=1', 'http://e.example/engloc/on/x?a=1',
     'a nested <Location> On switches it on again'],
    ['/core/englocsec/x',    undef, 404,
     '<Location> Off exempts the section\'s own rule'],

    # <If> inside <Location /core/engif>
    ['/core/engif/x?off',    undef, 404,
     '<If> Off exempts a server-level rule'],
    ['/core/engif/x?on',     'http://e.example/engif/x?on',
     '<If> not true: the server rule fires'],
    ['/core/engif/x',        'http://e.example/engif/x',
     '<If> not true, no query: the server rule fires'],

    # <Directory .../core/engdir> Off, with a one-argument rule
    ['/core/engdir/page.html', undef, 200,
     '<Directory> Off: the <Directory> rule is switched off'],
    ['/core/engdir/missing', undef, 404,
     '<Directory> Off: also for missing files'],
    ['/core/engdir/loc/x',   undef, 404,
     '<Directory> Off: a <Location> rule is checked in fixups too'],
    ['/core/engdir/srv/x?a=1', 'http://e.example/engdir-srv/x?a=1',
     '<Directory> Off: the server-level rule still fires'],
    ['/core/engdir/srv',     'http://e.example/engdir-srv',
     '<Directory> Off: the server-level rule, URL-path itself'],

    # .htaccess Off in t/htdocs/core/enght (which also has a <Directory>
    # one-argument rule)
    ['/core/enght/page.html', undef, 200,
     '.htaccess Off: the <Directory> rule is switched off'],
    ['/core/enght/ht/x',     undef, 404,
     '.htaccess Off: the .htaccess rule is switched off'],
    ['/core/enght/srv/x',    'http://e.example/enght-srv/x',
     '.htaccess Off: the server-level rule still fires'],
    ['/core/enght/on/page.html', 'http://e.example/enght-dir',
     'a nested .htaccess On: the <Directory> rule fires again'],
    ['/core/enght/on/x?b=2', 'http://e.example/enght-dir?b=2',
     'a nested .htaccess On: missing file, query merged'],
);

plan tests => 2 * @cases + 2;

Apache::TestRequest::user_agent(requests_redirectable => 0, reset => 1);

for my $case (@cases) {
    my ($path, $location, @rest) = @$case;
    my $name = pop @rest;
    check_answer(GET($path), $location, $rest[0], "$path ($name)");
}

my $res = GET '/core/engdir/page.html';
ok t_cmp($res->content, "core engdir page\n",
         '<Directory> Off: the file is served');
$res = GET '/core/enght/page.html';
ok t_cmp($res->content, "core enght page\n",
         '.htaccess Off: the file is served');
