# Hosts in brackets: httpd -t refuses a target whose brackets hold anything
# but an IPv6 address ("http://[example.com]/"), in Redirect307,
# Redirect307Match, the one-argument Redirect307 and map files, naming the
# directive (and the map file and line); IPv6 addresses in brackets pass.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(plan ok);
use Apache::TestUtil qw(t_cmp);
use File::Basename qw(dirname);
use Redirect307Test qw(httpd_t);

my $NOT_IPV6 = 'is not a valid host: only an IPv6 address is written in '
    . 'brackets';

# [name, snippet, map file text (m.map) or undef, line of the snippet,
#  message line (DIR stands for the directory of the snippet)]
my @errors = (
    ['a DNS name in brackets', "Redirect307 /a http://[example.com]/b\n",
     undef, 1, "Redirect307: 'http://[example.com]/b': '[example.com]' "
     . $NOT_IPV6],
    ['an IPv4 address in brackets, after userinfo and before a port',
     "\nRedirect307 /a http://u\@[192.0.2.1]:8080/\n", undef, 2,
     "Redirect307: 'http://u\@[192.0.2.1]:8080/': '[192.0.2.1]' $NOT_IPV6"],
    ['Redirect307Match', "Redirect307Match ^/(.*) https://[e.example]/\$1\n",
     undef, 1, "Redirect307Match: 'https://[e.example]/\$1': "
     . "'[e.example]' $NOT_IPV6"],
    ['a one-argument Redirect307', "<Location /x>\n"
     . "    Redirect307 \"https://[e.example]%{REQUEST_URI}\"\n"
     . "</Location>\n", undef, 2,
     "Redirect307: 'https://[e.example]%{REQUEST_URI}': '[e.example]' "
     . $NOT_IPV6],
    ['a map entry', "Redirect307Map \@DIR\@/m.map\n",
     "/ok https://[::1]/\n/a http://[localhost]:80/b\n", 1,
     "Redirect307Map: DIR/m.map:2: 'http://[localhost]:80/b': "
     . "'[localhost]' $NOT_IPV6"],
);

my @valid = (
    ['IPv6 addresses in brackets', <<'EOF', "/m http://[2001:db8::1]:8080/m\n"],
Redirect307 /a http://[::1]/b
Redirect307 /c https://u@[2001:db8::7]:8443/d
Redirect307Match ^/e/(.*) http://[::1]:8080/$1
Redirect307Map @DIR@/m.map
<Location /x>
    Redirect307 "https://[2001:db8::1]%{REQUEST_URI}"
</Location>
EOF
);

plan tests => 2 * @errors + 2 * @valid;

for my $case (@errors) {
    my ($name, $snippet, $map, $line, $message) = @$case;
    my ($rc, $out, $file) = httpd_t($snippet,
                                    defined $map ? (files => {'m.map' => $map})
                                                 : ());
    (my $text = $message) =~ s{\bDIR(?=/)}{dirname($file)}ge;
    my $want = "Syntax error on line $line of $file:\n$text\n";
    ok t_cmp($rc, 1, "$name: httpd -t fails");
    my $found = index($out, $want) >= 0;
    print "# expected:\n", map({ "# $_\n" } split /\n/, $want),
        map({ "# httpd -t: $_\n" } split /\n/, $out) unless $found;
    ok $found;
}

for my $case (@valid) {
    my ($name, $snippet, $map) = @$case;
    my ($rc, $out) = httpd_t($snippet, files => {'m.map' => $map});
    ok t_cmp($rc, 0, "$name: httpd -t passes");
    ok t_cmp($out, qr/\ASyntax OK\n\z/, "$name: Syntax OK, nothing else");
}
