# REDIRECT307_RULE: on a redirect the environment variable names the rule
# that fired as "file:line"; the test server logs it at the end of every
# access-log line (t/conf/httpd.conf.in: "rule=%{REDIRECT307_RULE}e").
# Requests that are not redirected (no rule, or the loop guard) leave it
# unset ("rule=-").  Line numbers are read from the generated
# t/conf/core.conf; the rules are in its "t/core_rule.t" section and
# elsewhere in the file.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(plan ok);
use Apache::TestRequest qw(GET POST);
use Apache::TestUtil qw(t_cmp);

plan tests => 24;

Apache::TestRequest::user_agent(requests_redirectable => 0, reset => 1);
my $conf = Apache::Test::vars('t_conf') . '/core.conf';
my $htaccess = Apache::Test::vars('documentroot') . '/core/htfi/.htaccess';
my $access_log = Apache::Test::vars('t_logs') . '/access_log';

# line of $file that matches $re
sub line_of {
    my ($file, $re) = @_;
    open my $fh, '<', $file or die "$file: $!";
    while (my $line = <$fh>) {
        return $. if $line =~ $re;
    }
    die "no line matching $re in $file";
}

# the access-log line of the request whose request line is exactly
# "$method $uri HTTP/1.1"; httpd writes it after the response, so wait a
# moment (at most 5 seconds) for it
sub access_line {
    my ($method, $uri) = @_;
    my $want = qr{"\Q$method $uri\E HTTP/1\.1"};
    for (1 .. 50) {
        if (open my $fh, '<', $access_log) {
            my @lines = grep { $_ =~ $want } <$fh>;
            close $fh;
            if (@lines) {
                chomp $lines[-1];
                return $lines[-1];
            }
        }
        select undef, undef, undef, 0.1;
    }
    return '';
}

my $tag = "$$-" . time;
my $rule_line = line_of($conf, qr{^\s*Redirect307\s+/core/rule\s});
my $rulesec_line = line_of($conf, qr{^\s*Redirect307\s+"http://e\.example/rulesec"});
my $a_line = line_of($conf, qr{^\s*Redirect307\s+/core/a\s});
my $mix_line = line_of($conf, qr{^\s*Redirect307Match\s+\^/core/mix/});
my $ht_line = line_of($htaccess, qr{^\s*Redirect307\s+/core/htfi/old\s});

# server-level prefix rule
my $uri = "/core/rule/x?tag=a$tag";
my $res = GET $uri;
ok t_cmp($res->code, 307, 'prefix rule: 307');
ok t_cmp($res->header('Location'), "http://e.example/rule/x?tag=a$tag",
         'prefix rule: Location');
ok t_cmp(access_line('GET', $uri), qr{ 307 \d+ rule=\Q$conf:$rule_line\E$},
         "prefix rule: access log ends with rule=core.conf:$rule_line");

# one-argument rule in a <Location> (fixups)
$uri = "/core/rulesec/y?tag=b$tag";
$res = GET $uri;
ok t_cmp($res->code, 307, 'section rule: 307');
ok t_cmp($res->header('Location'), "http://e.example/rulesec?tag=b$tag",
         'section rule: Location');
ok t_cmp(access_line('GET', $uri), qr{ 307 \d+ rule=\Q$conf:$rulesec_line\E$},
         "section rule: access log ends with rule=core.conf:$rulesec_line");

# the first of two overlapping rules is the one named
$uri = "/core/a/b/c?tag=c$tag";
$res = GET $uri;
ok t_cmp($res->header('Location'), "http://e.example/A/b/c?tag=c$tag",
         'overlapping rules: Location of the first');
ok t_cmp(access_line('GET', $uri), qr{ 307 \d+ rule=\Q$conf:$a_line\E$},
         "overlapping rules: rule=core.conf:$a_line");

# a regex rule
$uri = "/core/mix/m?tag=d$tag";
$res = GET $uri;
ok t_cmp($res->header('Location'), "http://e.example/M/m?tag=d$tag",
         'regex rule: Location');
ok t_cmp(access_line('GET', $uri), qr{ 307 \d+ rule=\Q$conf:$mix_line\E$},
         "regex rule: rule=core.conf:$mix_line");

# a .htaccess rule names the .htaccess file
$uri = "/core/htfi/old/z?tag=e$tag";
$res = GET $uri;
ok t_cmp($res->code, 307, '.htaccess rule: 307');
ok t_cmp(access_line('GET', $uri), qr{ 307 \d+ rule=\Q$htaccess:$ht_line\E$},
         ".htaccess rule: rule=.htaccess:$ht_line");

# POST: the same
$uri = "/core/rule/form?tag=f$tag";
$res = POST $uri, content => 'a=1';
ok t_cmp($res->code, 307, 'POST: 307');
ok t_cmp(access_line('POST', $uri), qr{ 307 \d+ rule=\Q$conf:$rule_line\E$},
         "POST: rule=core.conf:$rule_line");

# a local "ErrorDocument 307" sends the 307 from an internal redirect to the
# document; the variable is still logged under its own name
my $ed_line = line_of($conf, qr{^\s*Redirect307\s+/core/ed/old\s});
$uri = "/core/ed/old/x?tag=k$tag";
$res = GET $uri;
ok t_cmp($res->code, 307, 'ErrorDocument 307: 307');
ok t_cmp(access_line('GET', $uri), qr{ 307 \d+ rule=\Q$conf:$ed_line\E$},
         "ErrorDocument 307: rule=core.conf:$ed_line");

# not redirected: unset
$uri = "/core/rulex?tag=g$tag";
$res = GET $uri;
ok t_cmp($res->code, 404, 'no rule: 404');
ok t_cmp(access_line('GET', $uri), qr{ 404 \d+ rule=-$},
         'no rule: rule=-');

$uri = "/core/self?tag=h$tag";
$res = GET $uri;
ok t_cmp($res->code, 200, 'loop guard: not redirected');
ok t_cmp(access_line('GET', $uri), qr{ 200 \d+ rule=-$},
         'loop guard: rule=-');

$uri = "/core/engloc/x?tag=i$tag";
$res = GET $uri;
ok t_cmp($res->code, 404, 'Redirect307Engine Off: not redirected');
ok t_cmp(access_line('GET', $uri), qr{ 404 \d+ rule=-$},
         'Redirect307Engine Off: rule=-');

# set per request: a plain request after the redirects above has none
$uri = "/core/dir2/page.html?tag=j$tag";
$res = GET $uri;
ok t_cmp($res->code, 200, 'plain file: 200');
ok t_cmp(access_line('GET', $uri), qr{ 200 \d+ rule=-$}, 'plain file: rule=-');
