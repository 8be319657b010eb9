# Usage statistics: exact counts (t/lib/Redirect307Server.pm starts a
# server of its own with several children of the event MPM):
#   - each kind (prefix, regex, map entry, section rule) counts exactly the
#     redirects it answered, and the last hit is the time of the request
#   - requests that are not redirected (no rule, the loop guard, a rule of
#     another virtual host) count nothing
#   - ab -k -c 50 -n 20000 against several children at once: every redirect
#     is counted, none twice, and more than one child answered
#   - Redirect307Stats Off: nothing is counted or allocated, every format
#     says so
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(plan ok skip);
use Apache::TestUtil qw(t_cmp);
use File::Spec ();
use JSON::PP ();
use Time::Local qw(timegm);
use Redirect307Server;

plan tests => 27;

my $srv = Redirect307Server->new('stats_counts', <<'CONF',
Redirect307 /p/old http://t.example/new
Redirect307Match "^/r/(\d+)$" "http://t.example/r/$1"
Redirect307Map "@DIR@/moved.map"
<Location "/s">
    Redirect307 "http://t.example/s%{REQUEST_URI}"
</Location>
Redirect307 /self /self
<VirtualHost 127.0.0.1:@PORT@>
    ServerName 127.0.0.1
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName other.example
    Redirect307 /v/only http://t.example/v
</VirtualHost>
CONF
    files => { 'moved.map' => "/m/one http://t.example/1\n"
                              . "/m/two http://t.example/2\n"
                              . "/m/bulk http://t.example/bulk\n" },
    # room for all of ab's 50 connections in any one child: the event MPM
    # closes keep-alive connections of a child that has more than its
    # threads can serve, which ab counts as failed requests
    mpm => <<'MPM');
StartServers 4
ServerLimit 4
ThreadsPerChild 64
MinSpareThreads 64
MaxSpareThreads 256
MaxRequestWorkers 256
MaxConnectionsPerChild 0
KeepAlive On
MaxKeepAliveRequests 0
KeepAliveTimeout 30
MPM
ok $srv->start;
Redirect307Test::expect_error_log(qr/would redirect \S+ to itself/);

sub rows {
    my ($server) = @_;
    my $res = ($server || $srv)->get('/redirect307-status?format=json');
    my $doc = JSON::PP::decode_json($res->content);
    return { map { ($_->{match} => $_) } @{ $doc->{rules} } };
}

my %want = ('/p/old/x' => 3, '/p/old' => 1, '/r/12' => 2, '/m/one' => 4,
            '/s/a' => 2);
my $t0 = time;
for my $path (sort keys %want) {
    for (1 .. $want{$path}) {
        my $res = $srv->get($path);
        die "$path: " . $res->code unless $res->code == 307;
    }
}
# not redirected: no rule, the loop guard, a rule of another host, no entry
for my $path ('/nothing', '/self', '/v/only', '/m/on', '/r/x') {
    $srv->get($path);
}
my $t1 = time;
my $rows = rows();
ok t_cmp($rows->{'/p/old'}{hits}, 4, 'prefix rule: 4 redirects');
ok t_cmp($rows->{'^/r/(\d+)$'}{hits}, 2, 'regex rule: 2');
ok t_cmp($rows->{'/m/one'}{hits}, 4, 'map entry /m/one: 4');
ok t_cmp($rows->{'/m/two'}{hits}, 0, 'map entry /m/two: 0');
ok t_cmp($rows->{'<Location "/s">'}{hits}, 2, 'section rule: 2');
ok t_cmp($rows->{'/self'}{hits}, 0, 'the loop guard counts nothing');
ok t_cmp($rows->{'/v/only'}{hits}, 0,
         'a rule of another virtual host counts nothing');
ok t_cmp($rows->{'/m/two'}{last_hit}, undef, 'never hit: last_hit null');
my ($y, $m, $d, $H, $M, $S) = ($rows->{'/m/one'}{last_hit} // '')
    =~ /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z$/;
my $last = defined $S ? timegm($S, $M, $H, $d, $m - 1, $y) : 0;
ok t_cmp($last >= $t0 && $last <= $t1 ? 'within' : "$last not in $t0..$t1",
         'within', 'last_hit is the time of the last redirect');
# the other virtual host: its rule counts there
ok t_cmp($srv->get('/v/only', host => 'other.example')->code, 307,
         'the rule of other.example redirects there');
ok t_cmp(rows()->{'/v/only'}{hits}, 1, 'and counts');

# --- many children at once --------------------------------------------------
my ($ab) = grep { -x } map { "$_/ab" } File::Spec->path;
$ab //= '';
chomp $ab;
if ($ab) {
    my $url = 'http://' . $srv->hostport . '/m/bulk';
    my $out = `'$ab' -q -k -c 50 -n 20000 '$url' 2>&1`;
    my ($failed) = $out =~ /^Failed requests:\s+(\d+)$/m;
    my ($answered) = $out =~ /^Non-2xx responses:\s+(\d+)$/m;
    $failed //= -1;
    $answered //= -1;
    ok t_cmp($out, qr/^Complete requests:\s+20000$/m, 'ab: 20000 requests');
    # on a loaded machine ab may lose a few keep-alive exchanges of its
    # own; every answer the server sent must be a 307 and be counted
    print STDERR "# ab: $failed failed requests\n" if $failed;
    ok t_cmp($failed >= 0 && $failed <= 200 ? 'few' : $out, 'few',
             'ab: at most 1% lost on the client side');
    ok t_cmp($answered + $failed, 20000, 'ab: every other answer a 307');
    my $expected = $answered;
    ok t_cmp(rows()->{'/m/bulk'}{hits}, $expected,
             'every redirect counted, exactly');
    my %children;
    open my $fh, '<', $srv->dir . '/access_log' or die $!;
    while (<$fh>) {
        $children{$1}++ if m{^(\d+) /m/bulk 307$};
    }
    close $fh;
    my $logged = 0;
    $logged += $_ for values %children;
    ok t_cmp($logged, $expected, 'the access log has as many');
    ok t_cmp(scalar(keys %children) >= 2 ? 'several' : 'one', 'several',
             'several children answered ('
             . join(', ', map { "$_: $children{$_}" } sort keys %children)
             . ')');
}
else {
    skip 'ab (apache2-utils) is not installed' for 1 .. 6;
}
ok t_cmp(rows()->{'/p/old'}{hits}, 4, 'the others are unchanged');
ok $srv->stop;
ok t_cmp(join('', $srv->problems), '', 'no crash or error in the log');

# --- Redirect307Stats Off ---------------------------------------------------
my $off = Redirect307Server->new('stats_off', <<'CONF');
Redirect307Stats Off
Redirect307 /p/old http://t.example/new
CONF
ok $off->start;
ok t_cmp($off->get('/p/old')->code, 307, 'Off: redirects still work');
my $doc = JSON::PP::decode_json($off->get('/redirect307-status?format=json')
                                ->content);
ok t_cmp($doc->{stats} ? 'true' : 'false', 'false', 'Off: "stats": false');
ok t_cmp(scalar(@{ $doc->{rules} }) . (defined $doc->{since} ? ' since' : ''),
         '0', 'Off: no rules, since null');
ok t_cmp($off->get('/redirect307-status')->content,
         qr/Redirect307Stats is Off: redirects are not counted/,
         'Off: the page says so');
ok t_cmp($off->log_count(qr/Redirect307Stats: \d+ counters/), 0,
         'Off: no shared memory');
$off->stop;
