# Generated hostile requests against every kind of rule (prefix, regex,
# one-argument expression, map), with MergeSlashes On and Off and with
# UseCanonicalName On: t/lib/Redirect307Payloads.pm writes every payload
# (controls, CR/LF before a header, '?' and '#', other hosts, text encoded
# twice, invalid UTF-8, unsafe ASCII) in every encoding (upper- and
# lower-case escapes, minimal escaping, raw) at every position (a segment,
# the middle of the path, the end of a segment, the query) and says what
# must come back.  Every response is read raw and must have: the status
# httpd itself gives (400, 404) or 307; no header but well-formed ones and
# none from the request; for a 307 exactly one Location, absolute, only
# bytes 0x21-0x7e, the scheme, host and port of the target (or of the
# server for path targets), a path that decodes to the request data, and
# the query and fragment of the target with the request's query after it.
#
# One test per virtual host, rule and encoding; the failing cases are
# listed by name (rule/position/encoding/payload).  To narrow a run:
#   R307_SECURITY_PAYLOADS='^crlf' make test TEST_ARGS=t/security_payloads.t
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Redirect307Test qw(expect_error_log raw_request);
use Redirect307Payloads qw(cases expect check_response vhost
    rules encodings);

# a raw '%' that starts no escape in the path: httpd says so at error level
expect_error_log(qr/AH10244: invalid URI path/);

my $filter = $ENV{R307_SECURITY_PAYLOADS} ? qr/$ENV{R307_SECURITY_PAYLOADS}/
    : undef;
my @self_rules = map { $_->{name} } grep { $_->{target} eq 'self' } rules();

my @vhosts = (
    { name => 'r307_sec_merge', merge => 1 },
    { name => 'r307_sec_nomerge', merge => 0 },
    # UseCanonicalName On: the rules with path targets, asked with a Host
    # the server does not have
    { name => 'r307_sec_canon', merge => 1, host => 'evil.example:1',
      self => 'http://sec-canon.example:8088', rules => \@self_rules },
);

my (@groups, %cases_of);
for my $v (@vhosts) {
    my ($hostport, $port) = vhost($v->{name});
    $v->{port} = $port;
    $v->{host} ||= $hostport;
    $v->{self} ||= "http://$hostport";
    for my $case (cases(rules => $v->{rules}, payloads => $filter)) {
        my $group = "$v->{name} $case->{rule}{name} $case->{encoding}";
        push @groups, $group unless $cases_of{$group};
        push @{ $cases_of{$group} }, [$v, $case];
    }
}

plan tests => 4 + 4 + @groups;

# --- the oracle can fail --------------------------------------------------
# check_response must see each kind of defect in a forged answer.
{
    my ($case) = cases(rules => ['prefix'], payloads => qr/^crlf-inject$/);
    my $want = expect($case, merge => 1, self => 'http://127.0.0.1:1');
    my $head = "HTTP/1.1 307 Temporary Redirect\r\n";
    my $good = 'https://target.example:8443/new/x%0D%0AX-R307-Injected:%201';
    my %forged = (
        'an injected header' => ["Location: $good\r\nX-R307-Injected: 1\r\n",
                                 qr/injected header/],
        'another host' => ["Location: https://evil.example:8443/new/"
                           . "x%0D%0AX-R307-Injected:%201\r\n", qr/origin/],
        'a raw CR in the Location' =>
            ["Location: https://target.example:8443/new/x\rX-R307-Injected: 1\r\n",
             qr/malformed header line/],
        'two Locations' => ["Location: $good\r\nLocation: $good\r\n",
                            qr/2 Location headers/],
    );
    for my $what (sort keys %forged) {
        my ($headers, $reason) = @{ $forged{$what} };
        like(join('; ', check_response($case, $want, "$head$headers\r\n")),
             $reason, "a forged answer with $what is caught");
    }
}

# --- the size of the matrix --------------------------------------------------
{
    my @all = map { @$_ } values %cases_of;
    my %status;
    $status{ expect($_->[1], %{ $_->[0] })->{status} }++ for @all;
    diag(join ', ', map { "$status{$_} x $_" } sort keys %status);
    SKIP: {
        skip 'R307_SECURITY_PAYLOADS narrows the run', 4 if $filter;
        cmp_ok(scalar @all, '>', 20000, 'more than 20000 generated cases');
        cmp_ok($status{307} || 0, '>', 15000, 'most of them redirected');
        cmp_ok($status{400} || 0, '>', 1000, 'some refused by httpd (400)');
        cmp_ok($status{404} || 0, '>', 1000, 'some not found (%2F, %00, no rule)');
    }
}

# --- every case --------------------------------------------------------------
for my $group (@groups) {
    my @failed;
    for my $pair (@{ $cases_of{$group} }) {
        my ($v, $case) = @$pair;
        my $want = expect($case, merge => $v->{merge}, self => $v->{self});
        my $res = raw_request($v->{port},
            "GET $case->{request_target} HTTP/1.1\r\n"
            . "Host: $v->{host}\r\nConnection: close\r\n\r\n");
        my @why = check_response($case, $want, $res);
        push @failed, "$case->{id}: " . join('; ', @why) if @why;
    }
    ok(!@failed, sprintf '%s: %d cases', $group,
       scalar @{ $cases_of{$group} })
        or diag(join "\n", @failed[0 .. ($#failed < 19 ? $#failed : 19)],
                @failed > 20 ? (scalar(@failed) - 20) . ' more' : ());
}
