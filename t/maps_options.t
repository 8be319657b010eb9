# Redirect307Map options (t/conf/maps.conf.in, maps in t/data/maps):
#   - nocase: keys and request paths compare with ASCII case folded; keys
#     are folded when the file is read, so a key that differs from an
#     earlier one only in case is reported as a duplicate; bytes >= 0x80
#     are compared as they are;
#   - noslash: one trailing '/' is ignored on both sides; "/" stays "/";
#   - both at once, in any order and case; a map without options in the
#     same virtual host keeps case and slashes;
#   - the loop guard sees through both: a key that matches its own target
#     once the slash is ignored is not redirected.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(plan ok);
use Apache::TestRequest qw(GET);
use Apache::TestUtil qw(t_cmp);
use Redirect307Test qw(httpd_t);

my $vars = Apache::Test::config()->{vars};
my $data = "$vars->{serverroot}/data/maps";

# [virtual host, path, Location (undef: not redirected), status, name];
# "http://HP/" stands for the virtual host's own host:port
my @cases = (
    # nocase
    ['nocase', '/maps/About-Us.aspx', 'https://n.example/about', 307,
     'nocase: as written'],
    ['nocase', '/maps/about-us.ASPX', 'https://n.example/about', 307,
     'nocase: other case'],
    ['nocase', '/maps/ABOUT-US.ASPX', 'https://n.example/about', 307,
     'nocase: a duplicate after folding loses to the first entry'],
    ['nocase', '/maps/products/WIDGET.aspx', 'https://n.example/widget', 307,
     'nocase: every segment'],
    ['nocase', '/maps/About-Us.aspx/', undef, 404,
     'nocase alone keeps the trailing slash'],
    ['nocase', '/maps/About-Us.aspxx', undef, 404,
     'nocase: still exact'],
    ['nocase', '/maps/CAF%C3%A9/MENU', 'https://n.example/menu', 307,
     'nocase: ASCII around a non-ASCII byte'],
    ['nocase', '/maps/caf%C3%89/menu', undef, 404,
     'nocase: bytes >= 0x80 are not folded'],
    ['nocase', '/maps/Plain', 'https://n.example/plain', 307,
     'a map without options: as written'],
    ['nocase', '/maps/plain', undef, 404,
     'a map without options: case counts'],
    ['nocase', '/maps/plaindir', undef, 404,
     'a map without options: the slash counts'],
    # noslash
    ['noslash', '/maps/docs', 'https://n.example/docs', 307,
     'noslash: key with a slash, request without'],
    ['noslash', '/maps/docs/', 'https://n.example/docs', 307,
     'noslash: key with a slash, request with'],
    ['noslash', '/maps/faq/', 'https://n.example/faq', 307,
     'noslash: key without a slash, request with'],
    ['noslash', '/maps/faq', 'https://n.example/faq', 307,
     'noslash: key without a slash, request without'],
    ['noslash', '/maps/faq?a=1', 'https://n.example/faq?a=1', 307,
     'noslash: the query is merged'],
    ['noslash', '/maps/faq/x', undef, 404, 'noslash: still exact'],
    ['noslash', '/', 'https://n.example/root', 307, 'noslash: "/" stays "/"'],
    ['noslash', '/maps/FAQ', undef, 404, 'noslash alone keeps the case'],
    # both
    ['both', '/maps/old/dir', 'https://n.example/olddir', 307,
     'nocase noslash: lower case, no slash'],
    ['both', '/maps/OLD/DIR/', 'https://n.example/olddir', 307,
     'nocase noslash: upper case, slash'],
    # the loop guard
    ['noslash', '/maps/loopdir/', 'http://HP/maps/loopdir', 307,
     'noslash: /loopdir/ goes to /loopdir'],
    ['noslash', '/maps/loopdir', undef, 404,
     'noslash: /loopdir would go to itself: not redirected'],
    ['noslash', '/maps/loop.php?id=1', undef, 404,
     'a query key whose target is the request: not redirected'],
    ['noslash', '/maps/loop.php?id=1&utm_source=x', undef, 404,
     'a query key whose target is the request, tracking kept: not '
     . 'redirected'],
);

# warnings written when the maps are read
my @warnings = (
    "$data/case.map:5: '/maps/about-us.aspx' is already mapped at line 2; "
    . "the first entry wins",
    "$data/slash.map:6: '/maps/docs' is already mapped at line 2; the "
    . "first entry wins",
);

plan tests => 2 * @cases + @warnings;

Apache::TestRequest::user_agent(requests_redirectable => 0, reset => 1);

for my $case (@cases) {
    my ($vhost, $path, $location, $status, $name) = @$case;
    Apache::TestRequest::module("r307_maps_$vhost");
    my $hp = Apache::TestRequest::hostport();
    my $res = GET $path;
    Apache::TestRequest::module('default');
    $location =~ s{^http://HP/}{http://$hp/} if defined $location;
    ok t_cmp($res->code, $status, "$name: status of $path");
    ok t_cmp($res->header('Location'), $location, "$name: Location of $path");
}

# the warnings, as httpd -t writes them when it reads the maps
for my $warning (@warnings) {
    my ($file) = $warning =~ m{^\Q$data\E/(\S+?):};
    my $option = $file eq 'case.map' ? 'nocase' : 'noslash';
    my ($rc, $out) = httpd_t("Redirect307Map \"$data/$file\" $option\n");
    ok t_cmp(index($out, "Redirect307Map: $warning\n") >= 0 ? 1 : 0, 1,
             "httpd -t warns: $warning") or print "# httpd -t: $out\n";
}
