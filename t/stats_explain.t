# The explain form of redirect307-status (a server of its own,
# t/lib/Redirect307Server.pm): ?explain=PATH[?QUERY]&method=&host= runs
# the rule hooks on a sub-request in a recording mode and answers
# {"url", "method", "rule", "location", "reason"}:
#   - a prefix rule (with the query merged), a regex, a map entry, a
#     section rule, a section rule for POST only (method=), a rule of the
#     virtual host named by host=
#   - an unmatched path, Redirect307Engine Off, the loop guard (no warning
#     logged), mod_rewrite ([F]) answering first, mod_alias answering
#     before the section rules: each with its reason
#   - a hostile path (<script>, quotes, CR/LF) and a hostile host come back
#     escaped in JSON and HTML; a bad method is refused
#   - explaining redirects nothing and counts nothing
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(plan ok);
use Apache::TestUtil qw(t_cmp);
use JSON::PP ();
use Redirect307Server;

plan tests => 41;

my $srv = Redirect307Server->new('stats_explain', <<'CONF',
Redirect307 /p/old http://t.example/new
Redirect307Match "^/r/(\d+)$" "http://t.example/r/$1"
Redirect307Map "@DIR@/moved.map"
<Location "/s">
    Redirect307 "http://t.example/s%{REQUEST_URI}"
</Location>
<Location "/form">
    <If "%{REQUEST_METHOD} == 'POST'">
        Redirect307 "http://t.example/posted"
    </If>
</Location>
<Location "/p/old/keep">
    Redirect307Engine Off
</Location>
Redirect307 /self /self
Redirect 302 /alias http://t.example/aliased
# mod_rewrite's rules are not inherited: they go in the virtual host (and
# it skips [R] rules in sub-requests, so the test uses [F])
<VirtualHost 127.0.0.1:@PORT@>
    ServerName 127.0.0.1
    RewriteEngine On
    RewriteRule "^/rw" - [F]
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName other.example
    Redirect307 /v http://t.example/v
</VirtualHost>
CONF
    files => { 'moved.map' => "/m/a http://t.example/a\n" });
ok $srv->start;
my $conf = $srv->conf;
my $base = 'http://' . $srv->hostport;
my %line;
{
    open my $fh, '<', $conf or die $!;
    while (<$fh>) {
        $line{$1} //= $. if /^\s*Redirect307\w*\s+"?([^"\s]+)/;
    }
    close $fh;
}

sub explain {
    my ($query) = @_;
    my $res = $srv->get("/redirect307-status?format=json&explain=$query");
    die "explain $query: " . $res->code unless $res->code == 200;
    return (JSON::PP::decode_json($res->content), $res);
}

sub answer {
    my ($query) = @_;
    my ($e) = explain($query);
    return join ' | ', map { $e->{$_} // 'null' } qw(url method rule location);
}

my ($e, $res) = explain('%2Fp%2Fold%2Fa%3Fx%3D1');
ok t_cmp(join(',', sort keys %$e), 'location,method,reason,rule,url',
         'the keys');
ok t_cmp(answer('%2Fp%2Fold%2Fa%3Fx%3D1'), "$base/p/old/a?x=1 | GET | "
         . "$conf:$line{'/p/old'} | http://t.example/new/a?x=1",
         'a prefix rule, the query merged');
ok t_cmp($e->{reason}, "the prefix rule at $conf:$line{'/p/old'} answers "
         . "with 307", 'its reason');
ok t_cmp(defined $res->header('Location') ? 'Location' : 'none', 'none',
         'the answer has no Location');
ok t_cmp(answer('/r/42'), "$base/r/42 | GET | $conf:$line{'^/r/(\\d+)$'} | "
         . "http://t.example/r/42", 'a regex rule');
ok t_cmp(answer('/m/a'), "$base/m/a | GET | " . $srv->dir . "/moved.map:1 | "
         . "http://t.example/a", 'a map entry');
($e) = explain('/s/q');
ok t_cmp("$e->{location} $e->{reason}", "http://t.example/s/s/q the section "
         . "rule at $conf:$line{'http://t.example/s%{REQUEST_URI}'} answers "
         . "with 307", 'a section rule');
ok t_cmp(answer('/form&method=POST'), "$base/form | POST | "
         . "$conf:$line{'http://t.example/posted'} | http://t.example/posted",
         'method=POST: the <If> rule');
($e) = explain('/form&method=GET');
ok t_cmp("$e->{method} " . ($e->{rule} // 'null') . " $e->{reason}",
         'GET null no rule matches', 'method=GET: no rule');
ok t_cmp(answer('/v&host=other.example'), "http://other.example/v | GET | "
         . "$conf:$line{'/v'} | http://t.example/v",
         'host=: the virtual host of that name');
ok t_cmp(answer('/v'), "$base/v | GET | null | null",
         'this host: not its rule');
($e) = explain('/s/q&host=other.example:8080');
ok t_cmp($e->{url}, 'http://other.example:8080/s/q', 'host with a port');

# --- why not ----------------------------------------------------------------
($e) = explain('/nothing');
ok t_cmp(answer('/nothing'), "$base/nothing | GET | null | null",
         'an unmatched path');
ok t_cmp($e->{reason}, 'no rule matches', 'its reason');
($e) = explain('/p/old/keep/x');
ok t_cmp(($e->{location} // 'null') . " $e->{reason}",
         'null Redirect307Engine Off covers the request', 'Engine Off');
my $warnings = $srv->log_count(qr/to itself/);
($e) = explain('/self');
ok t_cmp(($e->{location} // 'null') . ' ' . ($e->{rule} // 'null'),
         "null $conf:$line{'/self'}", 'the loop guard: the rule, no Location');
ok t_cmp($e->{reason}, "the prefix rule at $conf:$line{'/self'} would "
         . "redirect to the request's own URL, and the loop guard stops it",
         'the loop guard: its reason');
ok t_cmp($srv->log_count(qr/to itself/), $warnings,
         'the loop guard: no warning for an explanation');
($e) = explain('/rw');
ok t_cmp($e->{reason}, 'not redirected by mod_redirect307: another module '
         . 'answered first, with status 403', 'mod_rewrite answers first');
($e) = explain('/alias');
ok t_cmp($e->{reason}, 'no server or virtual-host rule matches, and httpd '
         . 'answers with status 302 before the rules of sections are tried',
         'mod_alias answers before the section rules');

# --- hostile input ----------------------------------------------------------
my $hostile = '%2Fp%2Fold%2F%3Cscript%3E%22q%22%27%0D%0Ax';
($e, $res) = explain($hostile);
ok t_cmp($e->{url}, "$base/p/old/%3Cscript%3E%22q%22'%0D%0Ax",
         'JSON: the URL, encoded');
ok t_cmp($e->{location}, 'http://t.example/new/%3Cscript%3E%22q%22\'%0D%0Ax',
         'JSON: the Location, encoded');
ok t_cmp(($res->content =~ /<script|[\r\x00-\x09\x0b-\x1f]/)
         ? 'raw' : 'escaped', 'escaped', 'JSON: nothing raw in the body');
($e, $res) = explain('%2Fx%22%0D%0A&host=%22%3E%3Cscript%3E');
ok t_cmp($e->{reason}, 'the host is not a host name or IP address',
         'a hostile host is refused');
ok t_cmp($res->content, qr/"url":"http:\/\/\\"><script>\/x%22%0D%0A"/,
         'JSON: a quote in the host is escaped');
($e) = explain('/x&method=G%0D%0AET');
ok t_cmp("$e->{reason} $e->{method}",
         "the method is not an HTTP method name G\r\nET", 'a bad method');
($e) = explain('relative');
ok t_cmp($e->{reason}, "the URL-path must start with '/'", 'a relative path');

$res = $srv->get("/redirect307-status?explain=$hostile");
my $html = $res->content;
ok t_cmp($res->header('Content-Type'), 'text/html; charset=utf-8', 'HTML');
ok t_cmp(($html =~ /<script/) ? 'raw' : 'escaped', 'escaped',
         'HTML: no <script> comes back raw');
ok t_cmp($html, qr{name="explain"\ size="48"\ value="/p/old/&lt;script&gt;
                  &quot;q&quot;'\r\nx"}x,
         'HTML: the form keeps the path, escaped for the attribute');
ok t_cmp($html, qr{<td\ class="u">307\ http://t\.example/new/%3Cscript%3E
                  %22q%22'%0D%0Ax</td>}x, 'HTML: the Location');
ok t_cmp($html, qr{<th>Rule</th><td>\Q$conf:$line{'/p/old'}\E</td>},
         'HTML: the rule');
$html = $srv->get('/redirect307-status?explain=%2Fx&host=%22%3E%3Cimg%20'
                  . 'src%3Dx%3E')->content;
ok t_cmp($html, qr{value="&quot;&gt;&lt;img src=x&gt;"},
         'HTML: the host, escaped');
ok t_cmp($html =~ /<img/ ? 'raw' : 'escaped', 'escaped', 'HTML: no raw tag');
$html = $srv->get('/redirect307-status?explain=%2Fnothing')->content;
ok t_cmp($html, qr{<th>Why</th><td class="bad">no rule matches</td>},
         'HTML: why not');

# --- nothing counted --------------------------------------------------------
my $doc = JSON::PP::decode_json(
    $srv->get('/redirect307-status?format=json')->content);
my $total = 0;
$total += $_->{hits} for @{ $doc->{rules} };
ok t_cmp($total, 0, 'explaining counts nothing');
ok t_cmp($srv->get('/p/old')->code, 307, 'a real request still redirects');
$doc = JSON::PP::decode_json(
    $srv->get('/redirect307-status?format=json')->content);
ok t_cmp($doc->{rules}[0]{hits}, 1, 'and counts');
ok $srv->stop;
ok t_cmp(join('', $srv->problems), '', 'no crash or error in the log');
