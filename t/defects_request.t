# Request-time edge cases (rules: t/conf/defects.conf.in):
#   - the loop guard compares the Location with the URL the client asked
#     for, also when the rule fires in a DirectoryIndex sub-request, after
#     a rewrite of the path ([PT]) or in an internal redirect (.htaccess);
#     REDIRECT307_RULE is set when mod_dir passes a sub-request's 307 on
#   - AllowEncodedSlashes NoDecode: an encoded slash of the request stays
#     exactly one escape in remainders, captures and expression values, the
#     loop guard sees it, and "%2F" in URL-paths and map keys matches
#     whatever case the client writes its hex digits in
#   - rules in <If> apply to reverse-proxied requests (ProxyPass)
#   - UseCanonicalName On: behind a trusted proxy too, the Host header
#     chooses neither name nor port
#   - Forwarded: commas and semicolons inside quoted-strings
#   - CONNECT is never redirected
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(plan ok);
use Apache::TestRequest qw(GET);
use Apache::TestUtil qw(t_cmp);
use Redirect307Test qw(origin_of lines_matching);

plan tests => 54;

Apache::TestRequest::user_agent(requests_redirectable => 0, reset => 1);
my %hp;
for my $vh (qw(loop slash slashon proxy canon fwd)) {
    Apache::TestRequest::module("r307_def_$vh");
    $hp{$vh} = Apache::TestRequest::hostport();
}
Apache::TestRequest::module('default');

my $vars = Apache::Test::vars();
my $conf = "$vars->{t_conf}/defects.conf";
my $error_log = "$vars->{t_logs}/error_log";
my $access_log = "$vars->{t_logs}/defects_access_log";

# line number of the first line of the generated configuration matching $re
sub rule_line {
    my ($re) = @_;
    my ($line) = origin_of($conf, $re) =~ /:(\d+)$/;
    return $line;
}

sub loop_warned {
    my ($line, $url) = @_;
    return scalar lines_matching($error_log,
        qr{\[redirect307:warn\]\ .*Redirect307\ at\ \Q$conf:$line\E
           \ would\ redirect\ \Q$url\E\ to\ itself}x);
}

# raw request: (status, head, headers)
sub raw {
    my ($vh, $target, @headers) = @_;
    my $host = $hp{$vh};
    my $req = "GET $target HTTP/1.1\r\nHost: $host\r\n"
        . join('', map { "$_\r\n" } @headers) . "Connection: close\r\n\r\n";
    return Redirect307Test::raw_request($hp{$vh}, $req);
}

sub location_of {
    my ($vh, $target, @headers) = @_;
    my ($status, $head, $h) = raw($vh, $target, @headers);
    return ($status, $h->{location} ? $h->{location}[0] : undef);
}

# --- 1, 8: the loop guard through sub-requests and rewrites ----------------
{
    my $line = rule_line(qr{^\s*Redirect307 /dir/index\.html /dir/});
    my $res = GET "http://$hp{loop}/dir/";
    ok t_cmp($res->code, 200, 'DirectoryIndex sub-request: no self-redirect');
    ok t_cmp($res->header('Location'), undef, '... and no Location');
    ok t_cmp($res->content, qr/dir index/, '... the index is served');
    ok t_cmp(loop_warned($line, "http://$hp{loop}/dir/") ? 1 : 0, 1, '... and the guard warns');

    $line = rule_line(qr{^\s*Redirect307 /rw/b /rw/a});
    $res = GET "http://$hp{loop}/rw/a";
    ok t_cmp($res->code, 404, 'rewritten path: no self-redirect');
    ok t_cmp($res->header('Location'), undef, '... and no Location');
    ok t_cmp(loop_warned($line, "http://$hp{loop}/rw/a") ? 1 : 0, 1, '... and the guard warns');
    $res = GET "http://$hp{loop}/rw/b";
    ok t_cmp($res->code, 307, 'the rule itself still redirects');
    ok t_cmp($res->header('Location'), "http://$hp{loop}/rw/a", '... to /rw/a');

    $line = rule_line(qr{^\s*Redirect307 /htrw/y /htrw/x});
    $res = GET "http://$hp{loop}/htrw/x";
    ok t_cmp($res->code, 404, '.htaccess internal redirect: no self-redirect');
    ok t_cmp($res->header('Location'), undef, '... and no Location');
    ok t_cmp(loop_warned($line, "http://$hp{loop}/htrw/x") ? 1 : 0, 1, '... and the guard warns');
    $res = GET "http://$hp{loop}/htrw/y";
    ok t_cmp($res->header('Location'), "http://$hp{loop}/htrw/x",
             'the rule itself still redirects');

    # the same URL with its query: the merged query makes it the same too
    $res = GET "http://$hp{loop}/dir/?a=1";
    ok t_cmp($res->code, 200, 'with a query, still no self-redirect');
    ok t_cmp($res->header('Location'), undef, '... and no Location');

    $line = rule_line(qr{^\s*Redirect307 /dir8/index\.html});
    $res = GET "http://$hp{loop}/dir8/";
    ok t_cmp($res->code, 307, 'mod_dir passes the sub-request 307 on');
    ok t_cmp($res->header('Location'), 'http://e.example/idx', '... Location');
    my @log = lines_matching($access_log, qr{^/dir8/ });
    ok t_cmp($log[-1], "/dir8/ 307 $conf:$line",
             '... and REDIRECT307_RULE names the rule');
}

# --- 2, 9: AllowEncodedSlashes NoDecode ----------------------------------
{
    my @cases = (
        ['/old/a%2Fb',  'https://n.example/new/a%2Fb', 'remainder'],
        ['/old/a%2fb',  'https://n.example/new/a%2Fb', 'remainder, lower case'],
        ['/old/a%252Fb', 'https://n.example/new/a%2Fb',
         'a literal "%2F" is the same as an encoded slash to httpd'],
        ['/old/x%2F%2Fy', 'https://n.example/new/x%2F%2Fy', 'two in a row'],
        ['/old/a%20b%2Fc', 'https://n.example/new/a%20b%2Fc', 'with others'],
        ['/m/a%2Fb',    'https://n.example/m/a%2Fb', 'regex capture'],
        ['/q/a%2Fb',    'https://n.example/q?x=a%2Fb', 'capture in the query'],
        ['/e/a%2Fb',    'https://n.example/e/a%2Fb', 'expression value'],
        ['/p/a%2Fb',    'https://n.example/pab', 'URL-path with %2F'],
        ['/p/a%2fb',    'https://n.example/pab', '... matches %2f'],
        ['/p2/a%2Fb',   'https://n.example/p2ab', 'URL-path with %2f'],
        ['/p2/a%2fb',   'https://n.example/p2ab', '... matches %2f'],
        ['/mk/a%2Fc',   'https://n.example/mkac', 'map key with %2f'],
        ['/mk/a%2fc',   'https://n.example/mkac', '... matches %2f'],
    );
    for my $c (@cases) {
        my ($status, $loc) = location_of('slash', $c->[0]);
        ok t_cmp($loc, $c->[1], "NoDecode: $c->[2] ($c->[0])");
    }
    my ($status, $loc) = location_of('slash', '/p/a/b');
    ok t_cmp($status, 404, 'NoDecode: /p/a/b is not /p/a%2Fb');

    my $line = rule_line(qr{^\s*Redirect307 /self /self});
    ($status, $loc) = location_of('slash', '/self/a%2Fb');
    ok t_cmp($status, 404, 'NoDecode: /self/a%2Fb is not redirected to itself');
    ok t_cmp($loc, undef, '... no Location');
    ok t_cmp(loop_warned($line, "http://$hp{slash}/self/a%2Fb") ? 1 : 0, 1, '... the guard warns');

    # AllowEncodedSlashes On: httpd decodes %2F before any module sees it
    ($status, $loc) = location_of('slashon', '/p/a%2Fb');
    ok t_cmp($loc, 'https://n.example/pab', 'On: %2F is a slash');
    ($status, $loc) = location_of('slashon', '/p2/a%2Fb');
    ok t_cmp($status, 404, 'On: a URL-path with %2F matches no request');
}

# --- 4: reverse-proxied requests -----------------------------------------
{
    my ($status, $loc) = location_of('proxy', '/x/y?z=1');
    ok t_cmp($status, 307, 'ProxyPass: the <If> rule redirects');
    ok t_cmp($loc, 'https://standby.example.com/x/y?z=1', '... Location');
}

# --- 5: UseCanonicalName On behind a trusted proxy ------------------------
{
    my @cases = (
        [[], 'http://www.example:8080/dest5', 'no proxy header'],
        [['X-Forwarded-Proto: https'], 'https://www.example:8080/dest5',
         'X-Forwarded-Proto'],
        [['Forwarded: proto=https;host=evil.example:81'],
         'https://www.example:8080/dest5', 'Forwarded'],
    );
    for my $c (@cases) {
        my $req = "GET /c5 HTTP/1.1\r\nHost: evil.example:81\r\n"
            . join('', map { "$_\r\n" } @{ $c->[0] })
            . "Connection: close\r\n\r\n";
        my ($status, $head, $h) = Redirect307Test::raw_request($hp{canon}, $req);
        ok t_cmp($status, 307, "UseCanonicalName On, $c->[2]: 307");
        ok t_cmp($h->{location} ? $h->{location}[0] : undef, $c->[1],
                 "... the Host header chooses neither name nor port");
    }
}

# --- 10: Forwarded quoted-strings ----------------------------------------
{
    my @cases = (
        ['for=1.2.3.4;proto=https;host="a,b"', 'https', 'comma in a quote'],
        ['for="a,b";proto=http, for=1.2.3.4;proto=https', 'https',
         'comma in a quote of an earlier element'],
        ['for=1.2.3.4;host="x;proto=http";proto=https', 'https',
         'semicolon in a quote'],
        ['proto=https;host="x\\"y,z"', 'https', 'escaped quote in a quote'],
        ['for=1.2.3.4;proto="https"', 'https', 'quoted proto'],
        ['proto=https, for="x,proto=http"', 'http',
         'the last element decides, even without proto'],
    );
    for my $c (@cases) {
        my ($status, $loc) = location_of('fwd', '/f', "Forwarded: $c->[0]");
        ok t_cmp($loc, "$c->[1]://$hp{fwd}/fdest", "Forwarded: $c->[2]");
    }
}

# --- 11: CONNECT ---------------------------------------------------------
{
    my $req = "CONNECT www.example.com:443 HTTP/1.1\r\n"
        . "Host: www.example.com:443\r\nConnection: close\r\n\r\n";
    my ($status, $head, $h) = Redirect307Test::raw_request($hp{fwd}, $req);
    ok t_cmp($status, 405, 'CONNECT is not redirected: 405 from the handler');
    ok t_cmp($h->{location}, undef, '... and has no Location');
}
