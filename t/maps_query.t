# Map keys with a query (t/conf/maps.conf.in, t/data/maps/query.map) and
# Redirect307IgnoreParams:
#   - a key with a query matches a request whose query holds exactly its
#     parameters, in any order, once the ignored ones are set aside; names
#     and values compare decoded, '+' as a space; repeated names are a
#     multiset; "a", "a=" are one empty value; empty parameters ("&&")
#     are nothing;
#   - a query-key match consumes what it matched: with Merge only the
#     set-aside parameters follow, in request order, after the target's
#     own query and before its fragment; with Discard none;
#   - no query-key match (a parameter more or less, another value) falls
#     back to the path's plain key, whose Location keeps the whole query;
#   - the default list, a list of the virtual host's own (replacing the
#     default), None, and a main-server list inherited by a virtual host
#     (a server of its own, started here);
#   - hundreds of parameters; REDIRECT307_RULE and the trace log name the
#     entry; the optional function answers the same.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(plan ok);
use Apache::TestRequest qw(GET);
use Apache::TestUtil qw(t_cmp);
use File::Temp qw(tempdir);
use IO::Socket::INET ();
use Time::HiRes qw(sleep);
use Redirect307Test qw(load_module_lines free_port httpd_bin raw_request);

my $vars = Apache::Test::config()->{vars};
my $data = "$vars->{serverroot}/data/maps";
my $P = '/maps/product.php';

my $many_utm = join '&', map { "utm_x$_=$_" } 1 .. 300;
my $many = join '&', map { "p$_=$_" } 1 .. 300;

# [virtual host, path, Location (undef: not redirected), status, name]
my @cases = (
    ['query', "$P?id=42", 'https://shop.example/p/42', 307, 'one parameter'],
    ['query', "$P?id=42&lang=en", 'https://shop.example/p/42/en', 307,
     'two parameters'],
    ['query', "$P?lang=en&id=42", 'https://shop.example/p/42/en', 307,
     'two parameters in the other order'],
    ['query', "$P?utm_source=news&id=42&gclid=abc&lang=en&utm_medium=mail",
     'https://shop.example/p/42/en?utm_source=news&gclid=abc'
     . '&utm_medium=mail', 307,
     'tracking set aside and carried over in request order'],
    ['query', "$P?fbclid=F&id=42&msclkid=M&igshid=I&yclid=Y&dclid=D"
     . "&mc_cid=C&mc_eid=E&_hsenc=H&_hsmi=S&gbraid=G&wbraid=W&utm_=U",
     'https://shop.example/p/42?fbclid=F&msclkid=M&igshid=I&yclid=Y'
     . '&dclid=D&mc_cid=C&mc_eid=E&_hsenc=H&_hsmi=S&gbraid=G&wbraid=W'
     . '&utm_=U', 307, 'every name of the default list'],
    ['query', "$P?&id=42&&", 'https://shop.example/p/42', 307,
     'empty parameters are nothing'],
    ['query', "$P?id=42&x=1", 'https://shop.example/catalog?id=42&x=1', 307,
     'an extra parameter: the plain key, whole query'],
    ['query', "$P?id=43", 'https://shop.example/catalog?id=43', 307,
     'another value: the plain key'],
    ['query', "$P?ID=42", 'https://shop.example/catalog?ID=42', 307,
     'names compare exactly'],
    ['query', "$P?id=42&id=42", 'https://shop.example/catalog?id=42&id=42',
     307, 'a parameter twice is not once'],
    ['query', "$P", 'https://shop.example/catalog', 307,
     'no query: the plain key'],
    ['query', "$P?utm_source=x&gclid=y",
     'https://shop.example/catalog?utm_source=x&gclid=y', 307,
     'tracking alone: the plain key, whole query'],
    ['query', '/maps/search.php?q=red+shoes',
     'https://shop.example/s/red-shoes', 307, '"+" in the request'],
    ['query', '/maps/search.php?q=red%20shoes',
     'https://shop.example/s/red-shoes', 307, '"%20" for the "+" of the key'],
    ['query', '/maps/search.php?q=red%2Bshoes', undef, 404,
     'an encoded "+" is a "+"'],
    ['query', '/maps/search.php?q=a%26b', 'https://shop.example/s/a-and-b',
     307, 'an encoded "&" is part of the value'],
    ['query', '/maps/search.php?q=a&b', undef, 404,
     'a raw "&" separates parameters'],
    ['query', '/maps/search.php?%71=%61%26%62',
     'https://shop.example/s/a-and-b', 307, 'names and values decoded'],
    ['query', '/maps/enc.php?name=value', 'https://shop.example/enc', 307,
     'a key written encoded'],
    ['query', '/maps/multi.php?tag=b&tag=a', 'https://shop.example/tags/ab',
     307, 'repeated names in any order'],
    ['query', '/maps/multi.php?tag=a&utm_id=1&tag=b',
     'https://shop.example/tags/ab?utm_id=1', 307,
     'repeated names with tracking between them'],
    ['query', '/maps/multi.php?tag=a', undef, 404,
     'repeated names: one is not two'],
    ['query', '/maps/multi.php?tag=a&tag=a', undef, 404,
     'repeated names: a multiset'],
    ['query', '/maps/multi.php?tag=a&tag=b&tag=b', undef, 404,
     'repeated names: three are not two'],
    ['query', '/maps/empty.php?flag', 'https://shop.example/flag', 307,
     'an empty value without "="'],
    ['query', '/maps/empty.php?flag=', 'https://shop.example/flag', 307,
     'an empty value with "="'],
    ['query', '/maps/empty.php?x&flag=', 'https://shop.example/flag-x', 307,
     'two empty values'],
    ['query', '/maps/empty.php?flag=1', undef, 404,
     'an empty value is not a value'],
    ['query', '/maps/tq.php?fbclid=z&id=1',
     'https://shop.example/t?src=map&fbclid=z#top', 307,
     'target query, then the set-aside parameters, then the fragment'],
    ['query', '/maps/tq.php?id=1', 'https://shop.example/t?src=map#top', 307,
     'target query alone'],
    ['query', '/maps/local.php?gclid=g&page=2', 'http://HP/maps/echo-target?gclid=g',
     307, 'a path target'],
    ['query', '/maps/discard/q.php?utm_source=x&id=1',
     'https://shop.example/d?t=1', 307,
     'Redirect307QueryString Discard: nothing carried over'],
    ['query', "$P?id=42&$many_utm", "https://shop.example/p/42?$many_utm",
     307, '300 tracking parameters'],
    ['query', "$P?id=42&$many", "https://shop.example/catalog?id=42&$many",
     307, '300 other parameters: the plain key'],
    ['query', '/maps/loop.php?id=1&utm_source=a', undef, 404,
     'the loop guard: a target that is the request'],
    # a list of the virtual host's own replaces the default
    ['own', "$P?id=42&ref=a&src_x=b&sessionid=s",
     'https://shop.example/p/42?ref=a&src_x=b&sessionid=s', 307,
     'own list: its names, its prefix, its second line'],
    ['own', "$P?id=42&utm_source=c",
     'https://shop.example/catalog?id=42&utm_source=c', 307,
     'own list: the default names no longer set aside'],
    ['own', "$P?id=42&src=c", 'https://shop.example/catalog?id=42&src=c', 307,
     'own list: "src_*" is a prefix with its "_"'],
    # None
    ['none', "$P?id=42&utm_source=x",
     'https://shop.example/catalog?id=42&utm_source=x', 307,
     'None: every parameter counts'],
    ['none', "$P?lang=en&id=42", 'https://shop.example/p/42/en', 307,
     'None: order still does not count'],
);

plan tests => 2 * @cases + 4 + 6;

Apache::TestRequest::user_agent(requests_redirectable => 0, reset => 1);

sub vhost_get {
    my ($vhost, $path) = @_;
    Apache::TestRequest::module("r307_maps_$vhost");
    my $hp = Apache::TestRequest::hostport();
    my $res = GET $path;
    Apache::TestRequest::module('default');
    return ($res, $hp);
}

for my $case (@cases) {
    my ($vhost, $path, $location, $status, $name) = @$case;
    my ($res, $hp) = vhost_get($vhost, $path);
    $location =~ s{^http://HP/}{http://$hp/} if defined $location;
    (my $short = $path) =~ s/^(.{70}).+/$1.../;
    ok t_cmp($res->code, $status, "$name: status of $short");
    ok t_cmp($res->header('Location'), $location, "$name: Location of $short");
}

# REDIRECT307_RULE and the trace log name the query key's line
sub wait_for {
    my ($file, $token) = @_;
    for (1 .. 50) {
        if (open my $fh, '<', $file) {
            my @hits = grep { index($_, $token) >= 0 } <$fh>;
            close $fh;
            return $hits[-1] if @hits;
        }
        sleep 0.1;
    }
    return '';
}
my $token = "maptoken$$";
my ($res) = vhost_get('query', "/maps/product.php?lang=en&utm_t=$token&id=42");
ok t_cmp($res->code, 307, 'REDIRECT307_RULE: redirected');
my $line = wait_for("$vars->{t_logs}/access_log", $token);
chomp $line;
ok t_cmp($line, qr/ rule=\Q$data\E\/query\.map:3$/,
         'REDIRECT307_RULE is the query key\'s file and line');
my $trace = wait_for("$vars->{t_logs}/error_log",
                     "key '/maps/product.php?id=42&lang=en'");
ok t_cmp($trace, qr/entry 2 \(line 3\), key '\/maps\/product\.php\?id=42&lang=en', query left to merge 'utm_t=$token'/,
         'trace4 names the entry, its key and what is merged');

# the optional function (t/c-modules/r307_api at /ship/api) answers the same
my $uri = '/maps/main/product.php?utm_source=a&id=1';
(my $q = $uri) =~ s/([^A-Za-z0-9\-._~])/sprintf '%%%02X', ord $1/ge;
$res = GET "/ship/api?$q";
my %said = map { /^([\w-]+): (.*)$/ ? ($1 => $2) : () }
    split /\n/, $res->content;
ok t_cmp("$said{location} $said{rule}",
         "https://main.example/p/1?utm_source=a $data/main.map:2",
         'the optional function: Location and entry of a query key');

# a main-server list is inherited by a virtual host: a server of its own
my $dir = tempdir('r307-maps-XXXXXX', TMPDIR => 1, CLEANUP => 1);
my ($port, $vport) = (free_port(), free_port());
open my $fh, '>', "$dir/httpd.conf" or die $!;
print $fh load_module_lines(), <<"EOF";
ServerRoot "$dir"
ServerName 127.0.0.1
Listen 127.0.0.1:$port
Listen 127.0.0.1:$vport
PidFile "$dir/httpd.pid"
ErrorLog "$dir/error_log"
DefaultRunTimeDir "$dir"
DocumentRoot "$dir"
Redirect307IgnoreParams campaign
<VirtualHost 127.0.0.1:$vport>
    Redirect307Map "$data/query.map"
</VirtualHost>
Redirect307Map "$data/query.map"
EOF
close $fh;
my $httpd = httpd_bin();
system($httpd, '-d', $dir, '-f', "$dir/httpd.conf", '-k', 'start');
for (1 .. 100) {
    last if -s "$dir/httpd.pid"
        && IO::Socket::INET->new(PeerAddr => "127.0.0.1:$vport");
    sleep 0.1;
}
for my $p ($port, $vport) {
    my $r = raw_request($p, "GET $P?campaign=c&id=42 HTTP/1.1\r\nHost: x\r\n"
                        . "Connection: close\r\n\r\n");
    my $where = $p == $port ? 'main server' : 'virtual host';
    ok t_cmp($r->code, 307, "main-server list, $where: 307");
    ok t_cmp($r->header('Location'), 'https://shop.example/p/42?campaign=c',
             "main-server list, $where: its name set aside");
}
my $r = raw_request($vport, "GET $P?utm_source=u&id=42 HTTP/1.1\r\n"
                    . "Host: x\r\nConnection: close\r\n\r\n");
ok t_cmp($r->header('Location'),
         'https://shop.example/catalog?utm_source=u&id=42',
         'main-server list, virtual host: the default no longer applies');
system($httpd, '-d', $dir, '-f', "$dir/httpd.conf", '-k', 'stop');
for (1 .. 100) { last unless -e "$dir/httpd.pid"; sleep 0.1 }
ok t_cmp(-e "$dir/httpd.pid" ? 1 : 0, 0, 'the extra server stopped');
