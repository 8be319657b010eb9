# Usage statistics across restarts (a server of its own,
# t/lib/Redirect307Server.pm):
#   - a graceful restart that moves every rule's line keeps the counts of
#     the rules whose scope, kind, match and target are unchanged; a rule
#     whose target changed starts at 0, so does a new rule; map entries keep
#     their counts when the file gains lines above them; "since" stays
#   - Redirect307StatsFile: a stop writes the file (atomically: no .tmp is
#     left), a start reads it back, "since" included
#   - a damaged, a truncated and a foreign file are reported in the error
#     log and ignored; the foreign one is never written over
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(plan ok);
use Apache::TestUtil qw(t_cmp);
use JSON::PP ();
use Redirect307Server;

plan tests => 36;

my $rules = <<'CONF';
Redirect307StatsFile "@DIR@/counts.dat"
Redirect307 /a/old http://t.example/a
Redirect307Match "^/b/(\d+)$" "http://t.example/b/$1"
Redirect307Map "@DIR@/moved.map"
<Location "/c">
    Redirect307 "http://t.example/c%{REQUEST_URI}"
</Location>
CONF
my $map = "/m/x http://t.example/x\n/m/y http://t.example/y\n";
my $srv = Redirect307Server->new('stats_restart', $rules,
                                 files => { 'moved.map' => $map });

sub doc {
    my $res = $srv->get('/redirect307-status?format=json');
    return JSON::PP::decode_json($res->content);
}

sub rows {
    return { map { ($_->{match} => $_) } @{ doc()->{rules} } };
}

sub hits {
    my ($rows) = @_;
    return join ' ', map { "$_=" . ($rows->{$_} ? $rows->{$_}{hits} : '-') }
        '/a/old', '^/b/(\d+)$', '/m/x', '/m/y', '<Location "/c">', '/d/new';
}

ok $srv->start;
my %n = ('/a/old/1' => 3, '/b/7' => 2, '/m/x' => 4, '/c/z' => 1);
for my $path (sort keys %n) {
    for (1 .. $n{$path}) {
        die "$path" unless $srv->get($path)->code == 307;
    }
}
my $before = rows();
my $since = doc()->{since};
ok t_cmp(hits($before),
         '/a/old=3 ^/b/(\d+)$=2 /m/x=4 /m/y=0 <Location "/c">=1 /d/new=-',
         'the counts before the restart');

# --- graceful restart: lines move, one target changes, a rule is added ------
(my $moved = $rules) =~ s{http://t.example/b/\$1}{http://t.example/b2/\$1};
$moved = "# moved down\n# by three\n# lines\n"
    . "Redirect307 /d/new http://t.example/d\n" . $moved;
ok $srv->graceful($moved, 'moved.map' =>
                  "# a comment\n/m/new http://t.example/n\n$map");
ok t_cmp($srv->log_count(qr/counts carried over from the previous gen/),
         1, 'the parent carried the counts over');
my $after = rows();
ok t_cmp(hits($after),
         '/a/old=3 ^/b/(\d+)$=0 /m/x=4 /m/y=0 <Location "/c">=1 /d/new=0',
         'after the restart: unchanged rules keep their counts');
my ($l0) = $before->{'/a/old'}{origin} =~ /:(\d+)$/;
my ($l1) = $after->{'/a/old'}{origin} =~ /:(\d+)$/;
ok t_cmp($l1 - $l0, 4, 'the prefix rule moved 4 lines down');
ok t_cmp($after->{'/m/x'}{origin}, qr/moved\.map:3$/,
         'the map entry moved from line 1 to 3');
ok t_cmp($after->{'/m/x'}{last_hit}, $before->{'/m/x'}{last_hit},
         'and kept its last hit');
ok t_cmp($after->{'<Location "/c">'}{hits}, 1,
         'the section rule kept its count');
ok t_cmp(doc()->{since}, $since, '"since" stays');
$srv->get('/a/old');
ok t_cmp(rows()->{'/a/old'}{hits}, 4, 'counting goes on after the restart');

# --- stop and start with the file -------------------------------------------
my $file = $srv->dir . '/counts.dat';
ok $srv->stop;
ok t_cmp(-s $file ? 'written' : 'missing', 'written',
         'the stop wrote the file');
ok t_cmp(-e "$file.tmp" ? 'left' : 'gone', 'gone', 'no temporary file left');
open my $fh, '<:raw', $file or die $!;
my $bytes = do { local $/; <$fh> };
close $fh;
ok t_cmp(substr($bytes, 0, 8), 'R307STAT', 'the magic');
ok t_cmp(length($bytes), 32 + 3 * 24 + 16,
         'three counters were hit (the regex was reset)');
ok $srv->start;
ok t_cmp(hits(rows()),
         '/a/old=4 ^/b/(\d+)$=0 /m/x=4 /m/y=0 <Location "/c">=1 /d/new=0',
         'a start reads the counts back');
ok t_cmp(doc()->{since}, $since, 'and "since"');
ok t_cmp($srv->log_count(qr/3 of 3 counts carried over from the state file/),
         1, 'the log says so');
ok $srv->stop;

# --- damaged, truncated, foreign --------------------------------------------
sub start_with {
    my ($content, $what) = @_;
    open my $out, '>:raw', $file or die $!;
    print $out $content;
    close $out;
    ok $srv->start;
    my $doc = doc();
    my $total = 0;
    $total += $_->{hits} for @{ $doc->{rules} };
    ok t_cmp($total, 0, "$what: the counts start from zero");
}

my $damaged = $bytes;
substr($damaged, 40, 1) = chr(ord(substr($damaged, 40, 1)) ^ 1);
start_with($damaged, 'damaged');
ok t_cmp($srv->log_count(qr/\[redirect307:warn\].*Redirect307StatsFile
                          \ \Q$file\E:\ damaged:\ the\ checksum\ does
                          \ not\ match;\ the\ counts\ start\ from\ zero$/x),
         1, 'damaged: a warning');
$srv->get('/a/old');
ok $srv->stop;
open $fh, '<:raw', $file or die $!;
my $rewritten = do { local $/; <$fh> };
close $fh;
ok t_cmp(length($rewritten), 32 + 24 + 16, 'damaged: replaced at the stop');

start_with(substr($bytes, 0, 50), 'truncated');
ok t_cmp($srv->log_count(qr/Redirect307StatsFile\ \Q$file\E:\ truncated
                          \ or\ extended:\ 50\ bytes\ for\ 3\ counters/x),
         1, 'truncated: a warning');
ok $srv->stop;

my $foreign = "# not a state file\nimportant: yes\n";
start_with($foreign, 'foreign');
ok t_cmp($srv->log_count(qr/Redirect307StatsFile\ \Q$file\E:\ not\ a
                          \ mod_redirect307\ state\ file;\ the\ counts
                          \ start\ from\ zero,\ and\ the\ file\ is
                          \ left\ alone/x),
         1, 'foreign: a warning');
$srv->get('/a/old');
ok $srv->stop;
open $fh, '<:raw', $file or die $!;
ok t_cmp(do { local $/; <$fh> }, $foreign, 'foreign: left alone');
close $fh;
ok t_cmp(join('', $srv->problems), '', 'no crash or error in the log');
