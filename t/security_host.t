# The host of the Location against Host header poisoning, IPv6 literals,
# absolute-form request targets, proxy headers from an untrusted client,
# and requests that are no URL-path (OPTIONS *).
#
#   * Absolute targets: the Location is the target's scheme, host and port
#     whatever the request says.
#   * Path targets with UseCanonicalName On: the ServerName, whatever the
#     request says.
#   * Path targets with UseCanonicalName Off (httpd's default): the host
#     the client named (Host header, or the host of an absolute-form
#     target, which RFC 9112 says replaces it) and its port, or the port it
#     connected to.  That is the host the client itself asked for, the
#     same one httpd's own redirects (mod_dir's trailing slash) use; a
#     malformed Host is refused by httpd with 400 before any module runs.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Redirect307Payloads qw(vhost);
use Redirect307Test qw(raw_request);

my $T = 'https://target.example:8443';
my ($mhp, $mport) = vhost('r307_sec_merge');
my (undef, $cport) = vhost('r307_sec_canon');
my (undef, $aport) = vhost('r307_sec_catchall');
my ($uhp, $uport) = vhost('r307_sec_unsafe');
my $CANON = 'http://sec-canon.example:8088';

# (status, [Locations], raw response)
sub ask {
    my ($port, $request) = @_;
    my $res = raw_request($port, $request);
    return ($res->{status}, $res->{headers}{location} || [], $res->{raw});
}

sub get_with_host {
    my ($port, $path, $host) = @_;
    return ask($port, "GET $path HTTP/1.1\r\nHost: $host\r\n"
               . "Connection: close\r\n\r\n");
}

sub show { (my $s = shift) =~ s/([^\x20-\x7e])/sprintf '\\x%02X', ord $1/ge; $s }

# Host values httpd accepts, and the origin a path target gets from each
# with UseCanonicalName Off (httpd lower-cases the name and drops a final
# dot; without a port in Host, the port the client connected to)
my @accepted = (
    ['evil.example',          "http://evil.example:$mport"],
    ['evil.example:1234',     'http://evil.example:1234'],
    ['EVIL.Example.',         "http://evil.example:$mport"],
    ['evil.example:80',       'http://evil.example'],
    ['127.0.0.1:1',           'http://127.0.0.1:1'],
    ['[::1]:8080',            'http://[::1]:8080'],
    ['[::1]',                 "http://[::1]:$mport"],
    ['[2001:db8::1]:443',     'http://[2001:db8::1]:443'],
    ['evil_example',          "http://evil_example:$mport"],
    ["evil.example\t",        "http://evil.example:$mport"],
);
# Host values httpd refuses with 400
my @refused = ('evil.example/x', 'evil example', 'evil.example\\x',
    'evil..example', 'evil.example:abc', 'evil.example:99999',
    'evil.example:', '[::1', '::1', '[::1]x', '[::1]:abc',
    '[fe80::1%25eth0]', '[v1.x]', 'evil.example?x', 'evil.example#x',
    'ev%69l.example', '', "evil.example\rX-R307-Injected: 1",
    "evil.example\x00.x", "evil.example\xff", 'a@evil.example',
    'user:pass@evil.example:80', 'evil.example,a.example');

# Host values httpd lets through under HttpProtocolOptions Unsafe: the
# module uses the ones that are hosts, and its ServerName for the others
# (with the port httpd read, the client's to choose)
my @unsafe = (
    ['evil.example', "http://evil.example:$uport"],
    ['[::]', "http://[::]:$uport"],
    ['1:2', 'http://1:2'],
    map({ [$_, qr{^http://127\.0\.0\.1(:\d+)?\z}] }
        'evil.example"<x', 'a@b.example', 'evil.example?x', 'evil.example#x',
        'ev%69l.example', "evil\xff.example", 'evil example', 'evil.example:abc',
        "evil.example\x01", 'evil.example,a.example', '{evil}', 'a;b',
        "\xc3\xa9vil.example", '::1', ':::', 'a:b:c', 'a:80:90'),
);

# paths of every rule kind with an absolute target, and with a path target
my @absolute = (['/security/old/x', "$T/new/x"], ['/security/re/x', "$T/re/x"],
    ['/security/ex-abs/x', "$T/security/ex-abs/x"], ['/security/map/a', "$T/m/a"]);
my @self = (['/security/oldp/x', '/security/landing/x'],
    ['/security/rep/x', '/security/landing/x'],
    ['/security/ex-path/x', '/security/landing/security/ex-path/x'],
    ['/security/map/p', '/security/landing/m']);

plan tests => 2 * @accepted * @absolute      # absolute targets, both hosts
    + @accepted * @self                       # canonical name
    + @accepted * (@self + 1)                 # Host followed, like mod_dir
    + 2                                       # no Host
    + 2 * 2 * @refused + 2 * 3                # refused Hosts
    + 13                                      # absolute-form
    + 3                                       # proxy headers
    + 10                                      # OPTIONS *, no URL-path
    + 2 * @unsafe;                            # HttpProtocolOptions Unsafe

# --- absolute targets: no Host changes them -----------------------------------
for my $port ($mport, $cport) {
    for my $h (@accepted) {
        for my $a (@absolute) {
            my ($status, $loc) = get_with_host($port, $a->[0], $h->[0]);
            is("$status @$loc", "307 $a->[1]",
               "port $port, Host " . show($h->[0]) . ": $a->[0]");
        }
    }
}

# --- path targets, UseCanonicalName On: the ServerName ------------------------
for my $h (@accepted) {
    for my $s (@self) {
        my ($status, $loc) = get_with_host($cport, $s->[0], $h->[0]);
        is("$status @$loc", "307 $CANON$s->[1]",
           'UseCanonicalName On, Host ' . show($h->[0]) . ": $s->[0]");
    }
}

# --- path targets, UseCanonicalName Off: the Host the client sent -----------
# ... exactly as httpd's own trailing-slash redirect of mod_dir has it
for my $h (@accepted) {
    for my $s (@self) {
        my ($status, $loc) = get_with_host($mport, $s->[0], $h->[0]);
        is("$status @$loc", "307 $h->[1]$s->[1]",
           'UseCanonicalName Off, Host ' . show($h->[0]) . ": $s->[0]");
    }
    my ($status, $loc) = get_with_host($mport, '/security/dir', $h->[0]);
    is("$status @$loc", "301 $h->[1]/security/dir/",
       'mod_dir agrees for Host ' . show($h->[0]));
}
{
    # HTTP/1.0 without Host: the ServerName of the virtual host
    my ($status, $loc) = ask($mport, "GET /security/oldp/x HTTP/1.0\r\n\r\n");
    is("$status @$loc", "307 http://$mhp/security/landing/x",
       'HTTP/1.0 without Host: the ServerName');
    ($status, $loc) = ask($mport, "GET /security/oldp/x HTTP/1.1\r\n"
                          . "Connection: close\r\n\r\n");
    is("$status @$loc", '400 ', 'HTTP/1.1 without Host: 400');
}

# --- malformed Host headers: 400 from httpd, never a Location -----------------
for my $port ($mport, $cport) {
    for my $host (@refused) {
        my ($status, $loc) = get_with_host($port, '/security/oldp/x', $host);
        is($status, 400, "port $port: Host '" . show($host) . "' refused");
        is(scalar @$loc, 0, "port $port: no Location for '" . show($host) . "'");
    }
    my ($status, $loc, $raw) = ask($port, "GET /security/oldp/x HTTP/1.1\r\n"
        . "Host: a.example\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
    is("$status @$loc", '400 ', "port $port: two Host headers refused");
    ($status, $loc) = ask($port, "GET /security/oldp/x HTTP/1.1\r\n"
        . "Host: a.example\r\n .evil.example\r\nConnection: close\r\n\r\n");
    is("$status @$loc", '400 ', "port $port: a folded Host header refused");
    ($status, $loc, $raw) = ask($port, "GET /security/oldp/x HTTP/1.1\r\n"
        . "Host: evil.example\nX-R307-Injected: 1\r\nConnection: close\r\n\r\n");
    is("$status @$loc", '400 ', "port $port: a bare LF in Host refused");
}

# --- absolute-form request targets ------------------------------------------
{
    my $get = sub {
        my ($port, $target, $host) = @_;
        return ask($port, "GET $target HTTP/1.1\r\nHost: $host\r\n"
                   . "Connection: close\r\n\r\n");
    };
    my ($status, $loc) = $get->($mport, "http://$mhp/security/oldp/x", $mhp);
    is("$status @$loc", "307 http://$mhp/security/landing/x",
       'absolute-form naming this server');
    ($status, $loc) = $get->($mport, 'http://evil.example/security/old/x', $mhp);
    is("$status @$loc", "307 $T/new/x",
       'absolute-form with another host: absolute target unchanged');
    ($status, $loc) = $get->($mport, 'http://evil.example/security/re/x%0D%0A', $mhp);
    is("$status @$loc", "307 $T/re/x%0D%0A", '... regex target unchanged');
    ($status, $loc) = $get->($cport, 'http://evil.example/security/oldp/x', 'evil.example');
    is("$status @$loc", "307 $CANON/security/landing/x",
       'absolute-form, UseCanonicalName On: the ServerName');
    # UseCanonicalName Off: the host of the absolute-form replaces the Host
    # header (RFC 9112 3.2.2), as for httpd's own redirects
    ($status, $loc) = $get->($mport, 'http://evil.example/security/oldp/x', $mhp);
    is("$status @$loc", "307 http://evil.example:$mport/security/landing/x",
       'absolute-form, UseCanonicalName Off: the host the client named');
    ($status, $loc) = $get->($mport, 'http://evil.example/security/dir', $mhp);
    is("$status @$loc", "301 http://evil.example:$mport/security/dir/",
       '... as mod_dir has it');
    ($status, $loc) = $get->($mport, 'http://evil.example:9/security/oldp/x', $mhp);
    is("$status @$loc", '307 http://evil.example:9/security/landing/x',
       '... with its port');
    # a scheme this server does not serve: the Host header counts
    ($status, $loc) = $get->($mport, 'https://evil.example/security/oldp/x', $mhp);
    is("$status @$loc", "307 http://$mhp/security/landing/x",
       'absolute-form https:// on an http server: the Host header');
    ($status, $loc) = $get->($mport, 'http://evil.example%2Fx/security/oldp/x', $mhp);
    is("$status @$loc", '400 ', 'absolute-form with an encoded / in the host: 400');
    ($status, $loc) = $get->($mport, 'http://[::1/security/oldp/x', $mhp);
    is("$status @$loc", '400 ', 'absolute-form with a broken IPv6 literal: 400');
    ($status, $loc) = $get->($mport, 'http://[::1]:81/security/oldp/x', $mhp);
    is("$status @$loc", '307 http://[::1]:81/security/landing/x',
       'absolute-form with an IPv6 literal');
    # an empty host: never a Location without a host ("http:///path" is
    # read by browsers as http://path); the server's own name instead
    ($status, $loc) = $get->($mport, 'http:///security/oldp/x', $mhp);
    is("$status @$loc", "307 http://$mhp/security/landing/x",
       'absolute-form with an empty host: the ServerName');
    # ... and its port: a request that names no host names no port either
    ($status, $loc) = $get->($mport, 'http://:80/security/oldp/x', $mhp);
    is("$status @$loc", "307 http://$mhp/security/landing/x",
       'absolute-form with an empty host and port 80: the ServerName');
}

# --- proxy headers from a client that is no trusted proxy -------------------
{
    my $headers = "X-Forwarded-Host: evil.example\r\nX-Forwarded-Proto: https\r\n"
        . "Forwarded: proto=https;host=evil.example\r\n";
    my ($status, $loc) = ask($mport, "GET /security/oldp/x HTTP/1.1\r\n"
        . "Host: $mhp\r\n${headers}Connection: close\r\n\r\n");
    is("$status @$loc", "307 http://$mhp/security/landing/x",
       'Forwarded and X-Forwarded-* from an untrusted client: ignored');
    ($status, $loc) = ask($cport, "GET /security/oldp/x HTTP/1.1\r\n"
        . "Host: evil.example\r\n${headers}Connection: close\r\n\r\n");
    is("$status @$loc", "307 $CANON/security/landing/x",
       '... with UseCanonicalName On too');
    ($status, $loc) = ask($mport, "GET /security/old/x HTTP/1.1\r\n"
        . "Host: $mhp\r\n${headers}Connection: close\r\n\r\n");
    is("$status @$loc", "307 $T/new/x", '... and for absolute targets');
}

# --- OPTIONS * and other targets that are no URL-path -------------------------
# r307_sec_catchall redirects every URL-path with a prefix rule, a regex
# and a <Location /> expression
{
    my ($status, $loc) = ask($aport, "GET /x%0D%0Ay HTTP/1.1\r\nHost: a\r\n"
                             . "Connection: close\r\n\r\n");
    is("$status @$loc", "307 $T/all/x%0D%0Ay", 'the catch-all host redirects /x');
    ($status, $loc) = ask($aport, "OPTIONS /x HTTP/1.1\r\nHost: a\r\n"
                          . "Connection: close\r\n\r\n");
    is("$status @$loc", "307 $T/all/x", '... OPTIONS /x too');
    ($status, $loc) = ask($aport, "GET /rx/ HTTP/1.1\r\nHost: a\r\n"
                          . "Connection: close\r\n\r\n");
    is("$status @$loc", "307 $T/rx", '... and its regex answers');
    for my $version ('HTTP/1.1', 'HTTP/1.0') {
        for my $port ($aport, $mport) {
            ($status, $loc) = ask($port, "OPTIONS * $version\r\nHost: a\r\n"
                                  . "Connection: close\r\n\r\n");
            is("$status @$loc", '200 ', "OPTIONS * $version on port $port: "
               . 'answered by httpd, never redirected');
        }
    }
    ($status, $loc) = ask($aport, "GET * HTTP/1.1\r\nHost: a\r\n"
                          . "Connection: close\r\n\r\n");
    is("$status @$loc", '400 ', 'GET *: 400 from httpd');
    ($status, $loc) = ask($aport, "OPTIONS http://a/* HTTP/1.1\r\nHost: a\r\n"
                          . "Connection: close\r\n\r\n");
    is("$status @$loc", "307 $T/all/*", 'OPTIONS http://a/* is a URL-path: redirected');
    ($status, $loc) = ask($aport, "GET x HTTP/1.1\r\nHost: a\r\n"
                          . "Connection: close\r\n\r\n");
    is("$status @$loc", '400 ', 'a target without "/": 400 from httpd');
}

# --- HttpProtocolOptions Unsafe: the module checks the host itself ----------
for my $u (@unsafe) {
    my ($host, $want) = @$u;
    my ($status, $loc) = get_with_host($uport, '/security/oldp/x', $host);
    my ($origin, $rest) = ("@$loc" =~ m{^([a-z]+://[^/]*)(/.*)?\z});
    is("$status " . ($rest // ''), '307 /security/landing/x',
       'Unsafe, Host ' . show($host) . ': redirected');
    if (ref $want) {
        like($origin // '', $want, '... to the ServerName');
    }
    else {
        is($origin, $want, '... to the host the client named');
    }
}
