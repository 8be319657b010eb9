# Behaviour the fuzz targets of the core (fuzz/targets/) found broken,
# through a real server (rules: t/conf/fuzzed.conf.in) and httpd -t:
#   - a Location has at most one '#': a further '#' in a target's fragment
#     and a '#' in the request's query (put there by a rewrite) are %23
#   - "\?" and "\#" in a one-argument target are sent as %3F and %23, in
#     the part they are written in
#   - brackets around anything but an IPv6 address, and brackets twice,
#     fail httpd -t
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(plan ok);
use Apache::TestUtil qw(t_cmp);
use Redirect307Test qw(httpd_t);

plan tests => 11;

Apache::TestRequest::module('r307_fuzz');
my $hp = Apache::TestRequest::hostport();
Apache::TestRequest::module('default');

sub location {
    my ($path) = @_;
    my ($status, $head, $h) = Redirect307Test::raw_request($hp,
        "GET $path HTTP/1.1\r\nHost: $hp\r\nConnection: close\r\n\r\n");
    ok t_cmp($status, 307, "GET $path: status");
    return $h->{location} ? $h->{location}[0] : undef;
}

ok t_cmp(location('/frag/x?q=1'), 'http://e.example/p/x?q=1#a%23b',
         'a second # of the fragment is %23');
ok t_cmp(location('/mfrag/a%23b'), 'http://e.example/m#x%23a%23b',
         'Redirect307Match: # in the fragment and in the capture are %23');
ok t_cmp(location('/rwq/a%23b'), 'http://e.example/s?q=a%23b#sec',
         'a # that a rewrite put into the query starts no fragment');
ok t_cmp(location('/esc?a&b=c'),
         'https://n.example/p%3Fx=a&b=c%23y?a&b=c',
         'escaped ? and # stay in the path');

my ($rc, $out) = httpd_t('Redirect307 /a "http://[v]/"');
my $bracket = "Redirect307: 'http://[v]/': '[v]' is not a valid host: "
    . 'only an IPv6 address is written in brackets';
ok t_cmp($rc != 0 && index($out, $bracket) >= 0 ? 1 : $out, 1,
         'httpd -t refuses [v]');
($rc, $out) = httpd_t('Redirect307 /a "http://[[::1]]/"');
ok t_cmp($rc != 0 && index($out, "'[[::1]]' is not a valid host: an IPv6 "
         . 'address is written in one pair of brackets') >= 0 ? 1 : $out, 1,
         'httpd -t refuses [[::1]]');
($rc, $out) = httpd_t("Redirect307 /a http://[::1]:8080/v6\n"
    . "Redirect307 /b http://u\@[2001:db8::1]/\n");
ok t_cmp($rc == 0 ? 1 : $out, 1, 'httpd -t accepts bracketed IPv6');
