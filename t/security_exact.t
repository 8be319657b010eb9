# Exact Locations for representative hostile requests, one per line of the
# table below, against the rules of t/data/security/rules.conf: CR/LF and
# other controls, an encoded '?' or '#' (CVE-2024-38474), a newline in a
# capture (CVE-2019-10098, CVE-2020-1927), other hosts in remainders and
# captures, text encoded twice, invalid UTF-8, hostile query strings, map
# keys with encoded controls.  Requests go raw over a socket, so that
# nothing on the client side normalises them.  t/security_payloads.t
# generates the same kinds of requests in bulk and checks invariants;
# this file pins what the answers are, byte for byte.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Redirect307Payloads qw(vhost);
use Redirect307Test qw(raw_request);

my $T = 'https://target.example:8443';

# [request target, Location on r307_sec_merge (MergeSlashes On),
#  Location on r307_sec_nomerge if it differs]; a number instead of a
# Location is the status httpd answers with (no Location).  SELF is the
# server's own http://127.0.0.1:port.
my @table = (
    # header injection: CR, LF and every other control stay encoded
    ['/security/old/a%0D%0AX-R307-Injected:%201',
     "$T/new/a%0D%0AX-R307-Injected:%201"],
    ['/security/old/a%0d%0aSet-Cookie:%20r307=evil',
     "$T/new/a%0D%0ASet-Cookie:%20r307=evil"],
    ['/security/old/a%0Db%0Ac%09d%7Fe%01f%1Fg', "$T/new/a%0Db%0Ac%09d%7Fe%01f%1Fg"],
    ['/security/old/a%00b', 404],
    ['/security/re/a%0D%0AX-R307-Injected:%201',
     "$T/re/a%0D%0AX-R307-Injected:%201"],
    ['/security/req/a%0D%0Ab', "$T/q?v=a%0D%0Ab"],
    ['/security/ref/a%0D%0Ab', "$T/f#a%0D%0Ab"],
    ['/security/ex-abs/%0D%0AX-R307-Injected:%201',
     "$T/security/ex-abs/%0D%0AX-R307-Injected:%201"],
    ['/security/ex-query/%0D%0Ax', "$T/eq?u=%2Fsecurity%2Fex-query%2F%0D%0Ax"],
    # "$" is the very end: a trailing newline is not matched away
    ['/security/exact/abc', "$T/exact/abc"],
    ['/security/exact/abc%0A', 404],
    ['/security/exact/abc%0Adef', 404],

    # an encoded '?' or '#' stays inside the path, query or fragment
    ['/security/old/x%3Fy=1%23z', "$T/new/x%3Fy=1%23z"],
    ['/security/old/x%3Fy?q=1', "$T/new/x%3Fy?q=1"],
    ['/security/oldq/x%23y?q=1', "$T/new/x%23y?t=1&q=1#frag"],
    ['/security/re/x%3Fy%23z', "$T/re/x%3Fy%23z"],
    ['/security/req/a%26b%3Dc%23d%2Be%20f', "$T/q?v=a%26b%3Dc%23d%2Be+f"],
    ['/security/ref/a%23b%3Fc', "$T/f#a%23b%3Fc"],
    ['/security/ex-query/a&b=c', "$T/eq?u=%2Fsecurity%2Fex-query%2Fa%26b%3Dc"],
    ['/security/ex-abs/x%3Fy%23z?q=1', "$T/security/ex-abs/x%3Fy%23z?q=1"],

    # another host in a remainder or a capture never leaves the path
    ['/security/old//evil.example', "$T/new/evil.example"],
    ['/security/old/%5Cevil.example', "$T/new/%5Cevil.example"],
    ['/security/old/\\evil.example', "$T/new/%5Cevil.example"],
    ['/security/old/%2F%2Fevil.example', 404],
    ['/security/old/@evil.example', "$T/new/\@evil.example"],
    ['/security/old/.evil.example', "$T/new/.evil.example"],
    ['/security/old/http://evil.example', "$T/new/http:/evil.example",
     "$T/new/http://evil.example"],
    ['/security/old/https:evil.example', "$T/new/https:evil.example"],
    ['/security/rx//evil.example', "$T//evil.example", "$T///evil.example"],
    ['/security/rx/%5Cevil.example', "$T//%5Cevil.example"],
    ['/security/rx@evil.example', "$T/\@evil.example"],
    ['/security/rx.evil.example', "$T/.evil.example"],
    ['/security/rx:8080@evil.example', "$T/:8080\@evil.example"],
    ['/security/oldp//evil.example', 'SELF/security/landing/evil.example'],
    ['/security/rep//evil.example', 'SELF/security/landing/evil.example',
     'SELF/security/landing//evil.example'],
    ['/security/ex-path//evil.example',
     'SELF/security/landing/security/ex-path/evil.example',
     'SELF/security/landing/security/ex-path//evil.example'],

    # text that was encoded twice is encoded again, not decoded twice
    ['/security/old/%250D%250A', "$T/new/%250D%250A"],
    ['/security/old/%25', "$T/new/%25"],
    ['/security/req/%2526', "$T/q?v=%2526"],

    # invalid UTF-8: encoded, never raw bytes
    ['/security/old/%C3%28', "$T/new/%C3("],
    ['/security/old/%FF', "$T/new/%FF"],
    ['/security/old/%C0%AF', "$T/new/%C0%AF"],
    ["/security/old/\xC0\xAF\xFF", "$T/new/%C0%AF%FF"],
    ['/security/req/%C3%28', "$T/q?v=%C3%28"],
    ['/security/old/caf%C3%A9', "$T/new/caf%C3%A9"],

    # the query string: escapes kept, bytes that may not appear raw and a
    # '%' that starts no escape encoded, nothing else changed
    ['/security/old/x?a=%0D%0A&b=%23', "$T/new/x?a=%0D%0A&b=%23"],
    ['/security/old/x?a="<>\\^`{|}', "$T/new/x?a=%22%3C%3E%5C%5E%60%7B%7C%7D"],
    ['/security/old/x?a=%&b=%zz&c=%4', "$T/new/x?a=%25&b=%25zz&c=%254"],
    ["/security/old/x?a=\xC3\x28\xFF", "$T/new/x?a=%C3(%FF"],
    ['/security/old/x?a=?b=//evil.example', "$T/new/x?a=?b=//evil.example"],
    ['/security/old/x?', "$T/new/x"],
    ['/security/oldq/x?', "$T/new/x?t=1#frag"],
    ['/security/old/x?a#b', 400],

    # map keys are matched decoded; their targets are fixed
    ['/security/map/k%0D%0Ax', "$T/m/crlf"],
    ['/security/map/k%0d%0ax?x=%0A', "$T/m/crlf?x=%0A"],
    ['/security/map/%3F%23', "$T/m/qh"],
    ['/security/map/%3f%23?x=1', "$T/m/qh?x=1"],
    ['/security/map/%C3%28', "$T/m/bad-utf8"],
    ['/security/map/q?x=1%23y', "$T/m/q?t=1&x=1%23y#frag"],
    ['/security/map/a/x', 404],
    ['/security/map/k%0Ax', 404],
);

plan tests => 2 * 2 * @table + 2;

for my $v (['r307_sec_merge', 1], ['r307_sec_nomerge', 2]) {
    my ($name, $column) = @$v;
    my ($hostport, $port) = vhost($name);
    for my $row (@table) {
        my $target = $row->[0];
        my $want = defined $row->[$column] ? $row->[$column] : $row->[1];
        my $res = raw_request($port, "GET $target HTTP/1.1\r\n"
                              . "Host: $hostport\r\nConnection: close\r\n\r\n");
        my $status = $res->{status};
        my @loc = @{ $res->{headers}{location} || [] };
        (my $shown = $target) =~ s/([^\x21-\x7e])/sprintf '\\x%02X', ord $1/ge;
        if ($want =~ /^\d+$/) {
            is($status, $want, "$name $shown: $want");
            is(scalar @loc, 0, "$name $shown: no Location");
        }
        else {
            $want =~ s{^SELF}{http://$hostport};
            is($status, 307, "$name $shown: 307");
            is(join(' | ', @loc), $want, "$name $shown: Location");
        }
    }
}

# UseCanonicalName On: the server's own name, whatever the Host says
{
    my (undef, $port) = vhost('r307_sec_canon');
    my $res = raw_request($port, "GET /security/oldp//evil.example%0D%0A HTTP/1.1\r\n"
                          . "Host: evil.example:1\r\nConnection: close\r\n\r\n");
    my $status = $res->{status};
    my @loc = @{ $res->{headers}{location} || [] };
    is($status, 307, 'r307_sec_canon: 307');
    is(join(' | ', @loc),
       'http://sec-canon.example:8088/security/landing/evil.example%0D%0A',
       'r307_sec_canon: the ServerName, not the Host');
}
