# The redirect307-status handler's formats, field by field (a server of
# its own, t/lib/Redirect307Server.pm):
#   - JSON: {"since", "stats", "rules": [{origin, kind, match, target, hits,
#     last_hit}]}, one row per rule and per map entry, the map not a row
#   - CSV: the header origin,kind,match,target,hits,last_hit, CRLF lines,
#     RFC 4180 quoting of a key with a comma and a quote
#   - Prometheus: HELP and TYPE lines, a series per directive rule, one per
#     map file (never per entry), its entries as a gauge
#   - ?q= keeps the rows whose match contains the text, ?before= the rows
#     not hit since a date; the HTML page pages (n, offset) and sorts (by
#     hits, last hit), and holds no script and no external asset
#   - content types; a bad format or date is 400, POST 405, HEAD no body
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(plan ok);
use Apache::TestUtil qw(t_cmp);
use JSON::PP ();
use Redirect307Server;

plan tests => 43;

my $srv = Redirect307Server->new('stats_formats', <<'CONF',
Redirect307 /p/one http://t.example/1
Redirect307 /p/two http://t.example/2
Redirect307Match "^/r/(\d+)$" "http://t.example/r/$1"
Redirect307Map "@DIR@/moved.map"
<Location "/s">
    Redirect307 "http://t.example/s%{REQUEST_URI}"
</Location>
CONF
    files => { 'moved.map' => "/m/a http://t.example/a\n"
                              . "/m/b,\"c\" http://t.example/b\n"
                              . "/m/c http://t.example/c\n" });
ok $srv->start;
my $conf = $srv->conf;
my $mapfile = $srv->dir . '/moved.map';
my %line;
{
    open my $fh, '<', $conf or die $!;
    while (<$fh>) {
        $line{$1} = $. if /^\s*Redirect307\w*\s+(\S+)/;
    }
    close $fh;
}
my %n = ('/p/one' => 3, '/p/two/x' => 1, '/r/5' => 2, '/m/c' => 5,
         '/s/q' => 1);
for my $path (sort keys %n) {
    for (1 .. $n{$path}) {
        die $path unless $srv->get($path)->code == 307;
    }
}

# --- JSON -------------------------------------------------------------------
my $res = $srv->get('/redirect307-status?format=json');
ok t_cmp($res->header('Content-Type'), 'application/json', 'JSON: type');
my $doc = JSON::PP::decode_json($res->content);
ok t_cmp(join(',', sort keys %$doc), 'rules,since,stats', 'JSON: keys');
ok t_cmp($doc->{since}, qr/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
         'JSON: since is ISO 8601 UTC');
ok t_cmp(JSON::PP::is_bool($doc->{stats}) && $doc->{stats} ? 1 : 0, 1,
         'JSON: stats true');
my @rules = @{ $doc->{rules} };
ok t_cmp(scalar @rules, 7, 'JSON: 4 rules and 3 map entries');
ok t_cmp(join(',', sort keys %{ $rules[0] }),
         'hits,kind,last_hit,match,origin,target', 'JSON: row keys');
ok t_cmp(join(' ', map { $_->{kind} } @rules),
         'prefix prefix regex map map map section', 'JSON: kinds in order');
ok t_cmp(join(' ', map { $_->{origin} } @rules[0, 2, 3, 5]),
         "$conf:$line{'/p/one'} $conf:$line{'\"^/r/(\\d+)$\"'} $mapfile:1 "
         . "$mapfile:3", 'JSON: origins, map entries with the map file');
ok t_cmp(join(' ', map { $_->{hits} } @rules), '3 1 2 0 0 5 1',
         'JSON: hits');
ok t_cmp($rules[4]{match} . ' ' . $rules[4]{target},
         '/m/b,"c" http://t.example/b', 'JSON: match and target');
ok t_cmp($rules[2]{match}, '^/r/(\d+)$', 'JSON: the regex as written');
ok t_cmp($rules[6]{match} . ' ' . $rules[6]{target},
         '<Location "/s"> http://t.example/s%{REQUEST_URI}',
         'JSON: a section rule');
ok t_cmp(defined $rules[3]{last_hit} ? 'set' : 'null', 'null',
         'JSON: never hit is null');
ok t_cmp($rules[5]{last_hit}, qr/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
         'JSON: last_hit ISO 8601');
ok t_cmp(JSON::PP->new->canonical->encode(
             [map { $_->{hits} } @rules]) =~ /"/ ? 'strings' : 'numbers',
         'numbers', 'JSON: hits are numbers');

# --- CSV --------------------------------------------------------------------
$res = $srv->get('/redirect307-status?format=csv');
ok t_cmp($res->header('Content-Type'), 'text/csv; charset=utf-8',
         'CSV: type');
my @lines = split /\r\n/, $res->content, -1;
ok t_cmp(pop(@lines), '', 'CSV: CRLF after every line');
ok t_cmp(shift(@lines), 'origin,kind,match,target,hits,last_hit',
         'CSV: the header');
ok t_cmp(scalar @lines, 7, 'CSV: a row per rule and map entry');
ok t_cmp($lines[0], "$conf:$line{'/p/one'},prefix,/p/one,"
         . "http://t.example/1,3,$rules[0]{last_hit}", 'CSV: a prefix rule');
ok t_cmp($lines[4], "$mapfile:2,map,\"/m/b,\"\"c\"\"\",http://t.example/b,0,",
         'CSV: quoting, never hit is empty');

# --- Prometheus -------------------------------------------------------------
$res = $srv->get('/redirect307-status?format=prometheus');
ok t_cmp($res->header('Content-Type'),
         'text/plain; version=0.0.4; charset=utf-8', 'Prometheus: type');
my $prom = $res->content;
ok t_cmp($prom, qr/^\#\ HELP\ redirect307_redirects_total\ .+\n
                  \#\ TYPE\ redirect307_redirects_total\ counter\n/mx,
         'Prometheus: HELP and TYPE');
my $origin = "$conf:$line{'/p/one'}";
ok t_cmp($prom, qr/^redirect307_redirects_total\{origin="\Q$origin\E",
                  kind="prefix"\}\ 3$/mx, 'Prometheus: a prefix rule');
ok t_cmp($prom, qr/^redirect307_redirects_total\{origin="[^"]+",
                  kind="section"\}\ 1$/mx, 'Prometheus: a section rule');
ok t_cmp($prom, qr/^redirect307_map_redirects_total\{map="\Q$mapfile\E"\}
                  \ 5$/mx, 'Prometheus: the map total');
ok t_cmp($prom, qr/^redirect307_map_entries\{map="\Q$mapfile\E"\} 3$/m,
         'Prometheus: the map entries');
ok t_cmp(scalar(() = $prom =~ /^redirect307_\w+\{/mg), 6,
         'Prometheus: 4 rules, 2 map series, none per entry');

# --- filters, paging, sorting -----------------------------------------------
sub matches {
    my ($query) = @_;
    my $d = JSON::PP::decode_json(
        $srv->get("/redirect307-status?format=json&$query")->content);
    return join ' ', map { $_->{match} } @{ $d->{rules} };
}
ok t_cmp(matches('q=%2Fp%2F'), '/p/one /p/two', '?q=/p/');
ok t_cmp(matches('before=2999-01-01&q=%2Fm'), '/m/a /m/b,"c" /m/c',
         '?before= in the future: all');
ok t_cmp(matches('before=2000-01-01&q=%2Fm'), '/m/a /m/b,"c"',
         '?before=2000-01-01: the never hit');
ok t_cmp($srv->get('/redirect307-status?format=csv&before=yesterday')->code,
         400, 'a bad date: 400');

sub page_rows {
    my ($query) = @_;
    my $html = $srv->get("/redirect307-status?$query")->content;
    my ($table) = $html =~ m{<table id="rules">(.*?)</table>}s;
    return join ' ', $table =~ m{<tr><td>[^<]*</td><td>\w+</td>
                                 <td\ class="u">([^<]*)</td>}gx;
}
ok t_cmp(page_rows('n=2&offset=2'), '^/r/(\d+)$ /m/a', 'paging: n, offset');
ok t_cmp(page_rows('sort=hits&order=desc&n=3'), '/m/c /p/one ^/r/(\d+)$',
         'sorted by hits, most first');
ok t_cmp(page_rows('sort=last&order=asc&n=2'), '/m/a /m/b,&quot;c&quot;',
         'sorted by last hit: never hit first');
my $html = $srv->get('/redirect307-status?n=2')->content;
ok t_cmp($html, qr{Rows\ 1&ndash;2\ of\ 7\.\ <a\ rel="next"
                  \ href="\?sort=origin&amp;order=asc&amp;offset=2
                  &amp;n=2">}x, 'the pager links to the next page');
ok t_cmp(($html =~ /<script|<link|\bsrc=|url\(/i) ? 'external'
         : 'self-contained', 'self-contained', 'no script, no external asset');

# --- methods and errors -----------------------------------------------------
ok t_cmp($srv->get('/redirect307-status?format=xml')->code, 400,
         'an unknown format: 400');
ok t_cmp($srv->get('/redirect307-status', method => 'POST')->code, 405,
         'POST: 405');
$res = $srv->get('/redirect307-status?format=json', method => 'HEAD');
ok t_cmp($res->code . ' ' . length($res->content), '200 0', 'HEAD: no body');
ok $srv->stop;
ok t_cmp(join('', $srv->problems), '', 'no crash or error in the log');
