# Redirect307TrustedProxy (t/conf/ship.conf.in, "t/ship_proxy.t").  The
# tests connect from 127.0.0.1, which r307_ship_trusted lists and
# r307_ship_untrusted does not (it lists 10.0.0.0/8, ::1 and all of IPv6).
#   - from a trusted peer the scheme of a path target (prefix, regex and
#     expression rules) follows "Forwarded: proto=" or X-Forwarded-Proto;
#     the port is then the Host header's, left out when it is the scheme's
#     default or not given
#   - Forwarded: the proto= of the last element counts (several header
#     lines are one list); X-Forwarded-Proto: the last value; Forwarded wins
#   - only http and https (any case, quoted in Forwarded) count; anything
#     else is ignored as if the header were not there
#   - absolute targets never change; from an untrusted peer nothing changes
#   - httpd -t: IPv4 and IPv6 addresses and CIDR ranges are accepted, bad
#     ones refused with the directive, the value and the line named
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(plan ok);
use Apache::TestRequest qw(GET);
use Apache::TestUtil qw(t_cmp);
use Redirect307Test qw(httpd_t);

Apache::TestRequest::user_agent(requests_redirectable => 0, reset => 1);

my %hp;
for my $m (qw(r307_ship_trusted r307_ship_untrusted)) {
    Apache::TestRequest::module($m);
    $hp{$m} = Apache::TestRequest::hostport();
}
Apache::TestRequest::module('default');
my ($tport) = $hp{r307_ship_trusted} =~ /:(\d+)$/;
my ($uport) = $hp{r307_ship_untrusted} =~ /:(\d+)$/;
my $thp = $hp{r307_ship_trusted};
my $uhp = $hp{r307_ship_untrusted};

my $W = 'www.example.com';
my $new = '/ship/proxy/new/x';      # where /ship/proxy/path/x goes

# [path, [request headers], expected Location, name]; every request is
# answered with 307
my @trusted = (
    # --- the scheme follows the proxy; the port is the Host header's
    ['/ship/proxy/path/x', [], "http://$thp$new", 'no header: as usual'],
    ['/ship/proxy/path/x', ['X-Forwarded-Proto' => 'https'],
     "https://$thp$new", 'X-Forwarded-Proto https, port from Host kept'],
    ['/ship/proxy/path/x', [Forwarded => 'proto=https'],
     "https://$thp$new", 'Forwarded proto=https, port from Host kept'],
    ['/ship/proxy/path/x', [Host => $W, 'X-Forwarded-Proto' => 'https'],
     "https://$W$new", 'Host without a port: none in the Location'],
    ['/ship/proxy/path/x', [Host => "$W:443", 'X-Forwarded-Proto' => 'https'],
     "https://$W$new", 'Host port 443 with https: left out'],
    ['/ship/proxy/path/x', [Host => "$W:8443", 'X-Forwarded-Proto' => 'https'],
     "https://$W:8443$new", 'Host port 8443 with https: kept'],
    ['/ship/proxy/path/x', [Host => "$W:80", 'X-Forwarded-Proto' => 'https'],
     "https://$W:80$new", 'Host port 80 with https: kept'],
    ['/ship/proxy/path/x', [Host => $W],
     "http://$W:$tport$new",
     'no header, Host without a port: the connection\'s port, as usual'],
    ['/ship/proxy/path/x', [Host => $W, 'X-Forwarded-Proto' => 'http'],
     "http://$W$new", 'X-Forwarded-Proto http, Host without a port'],
    ['/ship/proxy/path/x', [Host => "$W:443", 'X-Forwarded-Proto' => 'http'],
     "http://$W:443$new", 'X-Forwarded-Proto http, Host port 443: kept'],
    # --- case, quoting, parameters
    ['/ship/proxy/path/x', [Host => $W, 'X-Forwarded-Proto' => 'HTTPS'],
     "https://$W$new", 'X-Forwarded-Proto in upper case'],
    ['/ship/proxy/path/x', [Host => $W, Forwarded => 'Proto=HTTPS'],
     "https://$W$new", 'Forwarded parameter name and value in upper case'],
    ['/ship/proxy/path/x', [Host => $W, Forwarded => 'proto="https"'],
     "https://$W$new", 'Forwarded proto="https" (quoted string)'],
    ['/ship/proxy/path/x',
     [Host => $W,
      Forwarded => 'for=192.0.2.60;proto=https;by=203.0.113.43'],
     "https://$W$new", 'Forwarded proto= between other parameters'],
    ['/ship/proxy/path/x',
     [Host => $W, Forwarded => 'for="[2001:db8::17]:4711";proto=https'],
     "https://$W$new", 'Forwarded with a quoted IPv6 for='],
    # --- several elements and values: the last counts
    ['/ship/proxy/path/x', [Host => $W, Forwarded => 'proto=http, proto=https'],
     "https://$W$new", 'Forwarded proto=http, proto=https: the last'],
    ['/ship/proxy/path/x', [Host => $W, Forwarded => 'proto=https, proto=http'],
     "http://$W$new", 'Forwarded proto=https, proto=http: the last'],
    ['/ship/proxy/path/x',
     [Host => $W, Forwarded => ['proto=http', 'proto=https']],
     "https://$W$new", 'two Forwarded header lines: the last element'],
    ['/ship/proxy/path/x',
     [Host => $W, 'X-Forwarded-Proto' => 'http, https'],
     "https://$W$new", 'X-Forwarded-Proto http, https: the last'],
    ['/ship/proxy/path/x',
     [Host => $W, 'X-Forwarded-Proto' => 'https, http'],
     "http://$W$new", 'X-Forwarded-Proto https, http: the last'],
    ['/ship/proxy/path/x',
     [Host => $W, 'X-Forwarded-Proto' => ['http', 'https']],
     "https://$W$new", 'two X-Forwarded-Proto header lines: the last'],
    ['/ship/proxy/path/x',
     [Host => $W, Forwarded => 'proto=https, for=192.0.2.1'],
     "http://$W:$tport$new",
     'Forwarded whose last element has no proto=: ignored'],
    # --- Forwarded wins over X-Forwarded-Proto
    ['/ship/proxy/path/x',
     [Host => $W, Forwarded => 'proto=http', 'X-Forwarded-Proto' => 'https'],
     "http://$W$new", 'Forwarded http wins over X-Forwarded-Proto https'],
    ['/ship/proxy/path/x',
     [Host => $W, Forwarded => 'proto=https',
      'X-Forwarded-Proto' => 'http'],
     "https://$W$new", 'Forwarded https wins over X-Forwarded-Proto http'],
    ['/ship/proxy/path/x',
     [Host => $W, Forwarded => 'proto=https, proto=http',
      'X-Forwarded-Proto' => 'https'],
     "http://$W$new", 'the last Forwarded element wins over X-Forwarded-Proto'],
    # --- other kinds of rules
    ['/ship/proxy/re/a%20b', [Host => $W, 'X-Forwarded-Proto' => 'https'],
     "https://$W/ship/proxy/renew/a%20b", 'regex rule with a path target'],
    ['/ship/proxy/expr/a', [Host => $W, Forwarded => 'proto=https'],
     "https://$W/ship/proxy/exprnew/ship/proxy/expr/a",
     'expression rule in <Location> with a path target'],
    ['/ship/proxy/path/x?q=1', [Host => $W, 'X-Forwarded-Proto' => 'https'],
     "https://$W$new?q=1", 'the query string is kept'],
    # --- absolute targets never change
    ['/ship/proxy/abs/x', ['X-Forwarded-Proto' => 'https'],
     'http://abs.example/new/x', 'absolute target, X-Forwarded-Proto https'],
    ['/ship/proxy/abs/x', [Host => "$W:8443", Forwarded => 'proto=https'],
     'http://abs.example/new/x', 'absolute target, Forwarded https'],
);

# values that must be ignored: the Location is as without the header
my @bad_xfp = ('ftp', 'javascript', 'https;x', '', 'httpsx', 'xhttps',
               'ht tps', '"https', 'https:');
my @bad_fwd = ('proto=ftp', 'proto=javascript', 'proto="https;x"', 'proto=',
               'proto=""', 'proto="https', 'proto=https"', 'proto=htt ps',
               'protocol=https', 'xproto=https', 'for=192.0.2.1');
for my $v (@bad_xfp) {
    push @trusted, ['/ship/proxy/path/x',
                    [Host => $W, 'X-Forwarded-Proto' => $v],
                    "http://$W:$tport$new",
                    "X-Forwarded-Proto '$v' is ignored"];
}
for my $v (@bad_fwd) {
    push @trusted, ['/ship/proxy/path/x', [Host => $W, Forwarded => $v],
                    "http://$W:$tport$new", "Forwarded '$v' is ignored"];
}

# from an untrusted peer nothing changes
my $unew = "http://$W:$uport$new";
my @untrusted = (
    ['/ship/proxy/path/x', [], "http://$uhp$new", 'no header'],
    ['/ship/proxy/path/x', ['X-Forwarded-Proto' => 'https'],
     "http://$uhp$new", 'X-Forwarded-Proto https'],
    ['/ship/proxy/path/x', [Forwarded => 'proto=https'],
     "http://$uhp$new", 'Forwarded proto=https'],
    ['/ship/proxy/path/x', [Host => $W, 'X-Forwarded-Proto' => 'https'],
     $unew, 'X-Forwarded-Proto https, Host without a port'],
    ['/ship/proxy/path/x',
     [Host => "$W:443", Forwarded => 'proto=https',
      'X-Forwarded-Proto' => 'https'],
     "http://$W:443$new", 'both headers, Host port 443'],
    ['/ship/proxy/path/x', [Host => $W, 'X-Forwarded-Proto' => 'http'],
     $unew, 'X-Forwarded-Proto http: the port is still the connection\'s'],
    ['/ship/proxy/re/a', [Host => $W, Forwarded => 'proto=https'],
     "http://$W:$uport/ship/proxy/renew/a", 'regex rule'],
    ['/ship/proxy/abs/x', ['X-Forwarded-Proto' => 'https'],
     'http://abs.example/new/x', 'absolute target'],
);

# configurations: [snippet, rc, message regex (undef: "Syntax OK"), name]
my @good_ranges = ('127.0.0.1', '10.0.0.0/8', '192.0.2.7/32',
                   '172.16.0.0/255.240.0.0', '10.1', '::1', '::1/128',
                   '2001:db8::/32', 'fe80::/10', '::/1');
my @bad_ranges = ('10.0.0.0/33', '::1/129', '300.1.1.1', '10.0.0/8',
                  '10.0.0.0/', '/8', '10.0.0.0/abc', 'example.com',
                  '0.0.0.0/0', '::/0', '::ffff:127.0.0.1',
                  '::ffff:0:0/96', 'fe80::1%eth0');
my @configs;
push @configs, ["Redirect307TrustedProxy $_\n", 0, undef,
                "httpd -t accepts '$_'"] for @good_ranges;
push @configs, ["Redirect307TrustedProxy " . join(' ', @good_ranges) . "\n",
                0, undef, 'httpd -t accepts all of them on one line'];
push @configs, ["<VirtualHost 127.0.0.1:8>\n"
                . "    Redirect307TrustedProxy 192.0.2.0/24 2001:db8::/32\n"
                . "</VirtualHost>\n", 0, undef,
                'httpd -t accepts a list in a virtual host'];
for my $bad (@bad_ranges) {
    push @configs, ["# comment\nRedirect307TrustedProxy 10.0.0.0/8 $bad\n", 1,
                    qr/line 2 of \S+:.*Redirect307TrustedProxy: '\Q$bad\E' is not an IP address or CIDR range/s,
                    "httpd -t refuses '$bad', naming directive, value, line"];
}
push @configs, ["Redirect307TrustedProxy\n", 1,
                qr/line 1 of \S+:.*Redirect307TrustedProxy/s,
                'httpd -t refuses it without an argument'];
push @configs, ["<Location /x>\n    Redirect307TrustedProxy 10.0.0.0/8\n"
                . "</Location>\n", 1,
                qr/line 2 of \S+:.*Redirect307TrustedProxy.*not allowed/s,
                'httpd -t refuses it in <Location>'];

plan tests => 2 * (@trusted + @untrusted) + 2 * @configs;

sub check {
    my ($module, $case) = @_;
    my ($path, $headers, $want, $name) = @$case;
    Apache::TestRequest::module($module);
    my $res = GET $path, @$headers;
    ok t_cmp($res->code, 307, "$module: $name: 307");
    ok t_cmp($res->header('Location'), $want, "$module: $name: Location");
    Apache::TestRequest::module('default');
}

check('r307_ship_trusted', $_) for @trusted;
check('r307_ship_untrusted', $_) for @untrusted;

for my $c (@configs) {
    my ($snippet, $rc_want, $msg, $name) = @$c;
    my ($rc, $out) = httpd_t($snippet);
    ok t_cmp($rc, $rc_want, "$name: exit code");
    ok t_cmp($out, defined $msg ? $msg : qr/Syntax OK/, "$name: message");
}
