# Configuration errors of Redirect307Stats and Redirect307StatsFile:
# httpd -t fails naming the directive, the file and the line, for a bad
# keyword, a missing or extra argument, and either directive in a
# <VirtualHost> or a <Location> (server config only); the good forms pass.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(plan ok);
use Apache::TestUtil qw(t_cmp);
use Redirect307Test qw(httpd_t);

my @bad = (
    ["Redirect307Stats Maybe\n",
     qr/Redirect307Stats: unknown keyword 'Maybe': use On or Off/],
    ["Redirect307Stats On Off\n",
     qr/Redirect307Stats takes one argument, On or Off/],
    ["Redirect307Stats\n", qr/Redirect307Stats takes one argument/],
    ["Redirect307StatsFile\n", qr/Redirect307StatsFile takes one argument/],
    ["Redirect307StatsFile a b\n",
     qr/Redirect307StatsFile takes one argument/],
    ["<VirtualHost 127.0.0.1:80>\n    Redirect307Stats Off\n</VirtualHost>\n",
     qr/Redirect307Stats cannot occur within <VirtualHost> section/, 2],
    ["<VirtualHost 127.0.0.1:80>\n    Redirect307StatsFile x.dat\n"
     . "</VirtualHost>\n",
     qr/Redirect307StatsFile cannot occur within <VirtualHost> section/, 2],
    ["<Location /x>\n    Redirect307Stats Off\n</Location>\n",
     qr/Redirect307Stats not allowed in <Location> context/, 2],
);

plan tests => 3 * @bad + 2;

for my $case (@bad) {
    my ($snippet, $re, $line) = @$case;
    my ($rc, $out, $file) = httpd_t($snippet);
    (my $name = $snippet) =~ s/\n/ /g;
    ok t_cmp($rc, 1, "refused: $name");
    ok t_cmp($out, $re, "the message names the directive: $name");
    $line ||= 1;
    ok t_cmp($out, qr/line $line of \Q$file\E/,
             "and the file and line: $name");
}

my ($rc, $out) = httpd_t("Redirect307Stats off\n"
                         . "Redirect307StatsFile \@DIR\@/stats.dat\n"
                         . "Redirect307 /a http://t.example/a\n");
ok t_cmp($rc, 0, 'Redirect307Stats off and a StatsFile: Syntax OK');
ok t_cmp($out, qr/Syntax OK/, 'Syntax OK');
