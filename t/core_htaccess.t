# Redirect307 in .htaccess files: honoured under AllowOverride FileInfo
# (two- and one-argument rules, nested .htaccess files first, settings of a
# nested .htaccess applying to its parent's rules); httpd's usual 500 under
# AllowOverride AuthConfig; never read under AllowOverride None.
# Directories: t/htdocs/core/htfi, htauth and htnone, AllowOverride set in
# t/conf/core.conf.in, "t/core_htaccess.t" section.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(plan ok);
use Apache::TestRequest qw(GET POST);
use Apache::TestUtil qw(t_cmp);
use Redirect307Check qw(check_answer);
use Redirect307Test qw(expect_error_log);

# [path, expected Location (undef: not redirected), expected status when
#  not redirected, description]
my @cases = (
    # AllowOverride FileInfo
    ['/core/htfi/old',       'http://e.example/htfi', 'FileInfo: two-argument rule'],
    ['/core/htfi/old/a%20b?q=1', 'http://e.example/htfi/a%20b?q=1',
     'FileInfo: remainder and query'],
    ['/core/htfi/oldx',      undef, 404, 'FileInfo: whole segments'],
    ['/core/htfi/page.html', undef, 200, 'FileInfo: other files served'],
    ['/core/htfi/pt/x',      'http://HP/core/htfi/page.html/x',
     'FileInfo: path target made absolute'],
    ['/core/htfi/all/x?q=1', 'https://new.example/core/htfi/all/x?q=1',
     'FileInfo: one-argument rule in a nested .htaccess'],
    ['/core/htfi/all/p/x',   'https://new.example/core/htfi/all/p/x',
     'FileInfo: the nested .htaccess before its parent'],
    ['/core/htfi/all/a%3Fb', 'https://new.example/core/htfi/all/a%3Fb',
     'FileInfo: one-argument rule keeps %3F in the path'],
    ['/core/htfi/qd/x?a=1',  'http://e.example/htqd/x?t=1',
     'FileInfo: Redirect307QueryString Discard of a nested .htaccess'],

    # AllowOverride None: the .htaccess file is never read
    ['/core/htnone/old',     undef, 404, 'None: two-argument rule ignored'],
    ['/core/htnone/page.html', undef, 200, 'None: one-argument rule ignored'],

    # AllowOverride AuthConfig: httpd refuses the file
    ['/core/htauth/old',     undef, 500, 'AuthConfig: 500'],
    ['/core/htauth/page.html', undef, 500, 'AuthConfig: 500 for every file'],
);

plan tests => 2 * @cases + 5;

# under AuthConfig httpd logs, for each request:
# [core:alert] ... .../htauth/.htaccess: Redirect307 not allowed here
expect_error_log(qr{/core/htauth/\.htaccess: Redirect307 not allowed here});

Apache::TestRequest::user_agent(requests_redirectable => 0, reset => 1);

for my $case (@cases) {
    my ($path, $location, @rest) = @$case;
    my $name = pop @rest;
    check_answer(GET($path), $location, $rest[0], "$path ($name)");
}

my $res = GET '/core/htnone/page.html';
ok t_cmp($res->content, "core htnone page\n",
         'None: the file is served as usual');
$res = GET '/core/htfi/page.html';
ok t_cmp($res->content, "core htfi page\n", 'FileInfo: the file is served');

# .htaccess rules work for POST too (fixups phase)
$res = POST '/core/htfi/old/form', content => 'a=1';
ok t_cmp($res->code, 307, 'FileInfo: POST 307');
ok t_cmp($res->header('Location'), 'http://e.example/htfi/form',
         'FileInfo: POST Location');

# the 500 comes with httpd's message in the error log
my $log = Apache::Test::vars('t_logs') . '/error_log';
my $found = 0;
for (1 .. 50) {    # at most 5 seconds
    if (open my $fh, '<', $log) {
        $found = grep {
            m{\[core:alert\].*/core/htauth/\.htaccess:
              \ Redirect307\ not\ allowed\ here}x
        } <$fh>;
        close $fh;
    }
    last if $found;
    select undef, undef, undef, 0.1;
}
ok t_cmp($found >= 2 ? 1 : 0, 1,
         'AuthConfig: "Redirect307 not allowed here" logged for each request');
