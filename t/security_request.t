# What httpd lets through to the module, and the module at the limits of a
# request line:
#   * every byte 0x00-0xff, percent-encoded and raw, in the path and in the
#     query: httpd refuses some itself (400: raw controls, spaces and '#',
#     a '%' that starts no escape in the path; 404: %00 and %2F), every
#     other one reaches the Location encoded; this pins the model of httpd
#     in t/lib/Redirect307Payloads.pm;
#   * raw CR and LF in the request line never become a header;
#   * request lines just below and above LimitRequestLine (8190), very
#     long remainders, 4000 segments, 8000 slashes with MergeSlashes Off,
#     thousands of query parameters: 307 or 414, never a 500 or a crash.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Redirect307Test qw(expect_error_log raw_request);
use Redirect307Payloads qw(check_response clean_query vhost);

# a '%' that starts no escape in the path: httpd logs it at error level
expect_error_log(qr/AH10244: invalid URI path/);

my $T = 'https://target.example:8443';
my ($mhp, $mport) = vhost('r307_sec_merge');
my ($nhp, $nport) = vhost('r307_sec_nomerge');

sub get {
    my ($port, $hostport, $target) = @_;
    my $res = raw_request($port, "GET $target HTTP/1.1\r\nHost: $hostport\r\n"
                          . "Connection: close\r\n\r\n");
    return ($res->{status}, $res->{headers}{location} || [], $res->{raw});
}

plan tests => 4 + 4 + 6 + 6 + 6 + 4 + 4;

# --- every byte, encoded and raw, in the path and in the query ---------------
{
    my (%bad, $n);
    for my $b (0x00 .. 0xff) {
        my $c = chr $b;
        my %want;
        # percent-encoded in the path
        $want{path_enc} = ($b == 0x00 || $b == 0x2f) ? {status => 404}
            : {status => 307, origin => $T, path => "/new/a${c}b"};
        # raw in the path
        $want{path_raw} = ($b <= 0x20 || $b == 0x7f || $c eq '#' || $c eq '%')
            ? {status => 400}
            : $c eq '?' ? {status => 307, origin => $T, path => '/new/a', args => 'b'}
            : {status => 307, origin => $T, path => "/new/a${c}b"};
        # percent-encoded in the query: kept as it is
        $want{query_enc} = {status => 307, origin => $T, path => '/new/x',
                            args => sprintf('q=a%%%02Xb', $b)};
        # raw in the query: encoded when it may not appear raw
        $want{query_raw} = ($b <= 0x20 || $b == 0x7f || $c eq '#')
            ? {status => 400}
            : {status => 307, origin => $T, path => '/new/x',
               args => clean_query("q=a${c}b")};
        my %target = (
            path_enc => sprintf('/security/old/a%%%02Xb', $b),
            path_raw => "/security/old/a${c}b",
            query_enc => sprintf('/security/old/x?q=a%%%02Xb', $b),
            query_raw => "/security/old/x?q=a${c}b",
        );
        for my $kind (sort keys %target) {
            next if $kind =~ /_raw$/ && ($c eq "\r" || $c eq "\n");
            my (undef, undef, $raw) = get($mport, $mhp, $target{$kind});
            my @why = check_response(undef, $want{$kind}, $raw);
            push @{ $bad{$kind} }, sprintf('0x%02X: %s', $b, join '; ', @why)
                if @why;
            $n++;
        }
    }
    for my $kind (qw(path_enc path_raw query_enc query_raw)) {
        ok(!$bad{$kind}, "every byte $kind as httpd and the contract say")
            or diag(join "\n", @{ $bad{$kind} });
    }
}

# --- raw CR and LF in the request line ------------------------------------------
{
    my $inject = 'X-R307-Injected: 1';
    my (undef, $loc, $raw) = get($mport, $mhp, "/security/old/a\r$inject");
    like($raw, qr{^HTTP/1\.1 400 }, 'a bare CR in the request line: 400');
    (undef, $loc, $raw) = get($mport, $mhp, "/security/old/a\n$inject");
    like($raw, qr{^HTTP/1\.1 400 }, 'a bare LF in the request line: 400');
    # CRLF ends the request line: "GET /security/old/a" is an HTTP/0.9
    # request, answered with a body and no headers at all
    $raw = raw_request($mport, "GET /security/old/a\r\n$inject HTTP/1.1\r\n"
                       . "Host: $mhp\r\n\r\n")->{raw};
    unlike($raw, qr{^HTTP/}, 'CRLF in the request line: an HTTP/0.9 answer');
    unlike($raw, qr{^X-R307-Injected}mi, '... with no header from the request');
}

# --- LimitRequestLine (8190) ------------------------------------------------------
{
    my $line_of = sub {           # a request line of exactly $len bytes
        my ($prefix, $fill, $len) = @_;
        my $n = $len - length("GET $prefix HTTP/1.1");
        return $prefix . ($fill x int($n / length $fill))
            . ('a' x ($n % length $fill));
    };
    my $target = $line_of->('/security/old/', 'a', 8190);
    my ($status, $loc) = get($mport, $mhp, $target);
    is("$status @$loc", "307 $T/new/" . substr($target, 14),
       'request line of 8190 bytes: redirected, remainder complete');
    $target = $line_of->('/security/re/', '%0A', 8190);
    ($status, $loc) = get($mport, $mhp, $target);
    is("$status @$loc", "307 $T/re/" . substr($target, 13),
       '... a regex capture of 2721 newlines');
    $target = $line_of->('/security/ex-abs/', '%0D', 8190);
    ($status, $loc) = get($mport, $mhp, $target);
    is("$status @$loc", "307 $T$target", '... an expression of 2720 CRs');
    for my $len (8192, 100_000) {
        ($status, $loc) = get($mport, $mhp, $line_of->('/security/old/', 'a', $len));
        is("$status @$loc", '414 ', "request line of $len bytes: 414");
    }
    ($status, $loc) = get($mport, $mhp,
                          $line_of->('/security/req/', '%26', 8192));
    is("$status @$loc", '414 ', 'request line of 8192 bytes, regex: 414');
}

# --- deep and long paths ------------------------------------------------------------
# Server and virtual-host rules answer in translate_name, whatever the
# length.  Rules in <Location> answer in fixups, after httpd has mapped the
# URL-path to a file: a path longer than the system's PATH_MAX (4096 on
# Linux) never gets there, httpd refuses it with 403 (AH00127).
expect_error_log(qr/AH00127: Cannot map GET .* to file/);
{
    my $deep = '/a' x 4000;
    my ($status, $loc) = get($mport, $mhp, "/security/old$deep");
    is("$status @$loc", "307 $T/new$deep", '4000 segments: prefix rule');
    ($status, $loc) = get($nport, $nhp, "/security/re$deep");
    is("$status @$loc", "307 $T/re$deep", '4000 segments: regex rule');
    my $less = '/a' x 1500;
    ($status, $loc) = get($nport, $nhp, "/security/ex-abs$less");
    is("$status @$loc", "307 $T/security/ex-abs$less", '1500 segments: expression');
    ($status, $loc) = get($nport, $nhp, "/security/ex-abs$deep");
    is("$status @$loc", '403 ', '4000 segments: httpd refuses before the fixups');
    ($status, $loc) = get($mport, $mhp, "/security/map$deep");
    is("$status @$loc", '403 ', '4000 segments under the map: no entry, then 403');
    ($status, $loc) = get($mport, $mhp, '/security/old/' . ('%FF' x 2700));
    is("$status @$loc", "307 $T/new/" . ('%FF' x 2700), '2700 bytes 0xFF');
}

# --- many slashes, MergeSlashes Off and On ---------------------------------------
{
    my $slashes = '/' x 8000;
    my ($status, $loc) = get($nport, $nhp, "/security/old$slashes");
    is("$status @$loc", "307 $T/new/", 'MergeSlashes Off, 8000 slashes after a prefix');
    ($status, $loc) = get($nport, $nhp, "/security/re/$slashes");
    is("$status @$loc", "307 $T/re/$slashes", '... in a regex capture: kept, in the path');
    ($status, $loc) = get($mport, $mhp, "/security/re/$slashes");
    is("$status @$loc", "307 $T/re/", 'MergeSlashes On: merged first');
    # empty segments do not hide a prefix rule, as in mod_alias
    ($status, $loc) = get($nport, $nhp, '/security' . ('/' x 4000) . 'old//x');
    is("$status @$loc", "307 $T/new/x", 'MergeSlashes Off: /security////old//x');
    my $some = '/' x 2000;
    ($status, $loc) = get($nport, $nhp, "/security/ex-path$some");
    is("$status @$loc", "307 http://$nhp/security/landing/security/ex-path$some",
       'MergeSlashes Off: 2000 slashes in an expression for a path target');
    ($status, $loc) = get($nport, $nhp, "/security/rx$slashes" . 'evil.example');
    is("$status @$loc", "307 $T/$slashes" . 'evil.example',
       '... right after the host: still the path');
}

# --- thousands of query parameters -------------------------------------------------
{
    my $query = join '&', ('x') x 3000;                      # 5999 bytes
    my ($status, $loc) = get($mport, $mhp, "/security/old/x?$query");
    is("$status @$loc", "307 $T/new/x?$query", '3000 query parameters kept');
    ($status, $loc) = get($mport, $mhp, "/security/oldq/x?$query");
    is("$status @$loc", "307 $T/new/x?t=1&$query#frag", '... after the target query');
    my $amps = '&' x 8000;
    ($status, $loc) = get($mport, $mhp, "/security/req/x?$amps");
    is("$status @$loc", "307 $T/q?v=x&$amps", '8000 ampersands');
    $query = join '&', map { "a=%0D%0A%$_" } 1 .. 500;
    ($status, $loc) = get($mport, $mhp, "/security/map/q?$query");
    is("$status @$loc", "307 $T/m/q?t=1&" . clean_query($query) . '#frag',
       '500 parameters with CR/LF and bare %: map target');
}

# --- invalid UTF-8 everywhere a rule puts request data -----------------------------
{
    my @bytes = ('%C3%28', '%FF', '%C0%AF', '%ED%A0%80', '%F4%90%80%80');
    my %rules = (
        '/security/old/x'    => sub { "$T/new/x$_[0]" },
        '/security/re/x'     => sub { "$T/re/x$_[0]" },
        '/security/ex-abs/x' => sub { "$T/security/ex-abs/x$_[0]" },
        '/security/req/x'    => sub { "$T/q?v=x$_[0]" },
    );
    for my $path (sort keys %rules) {
        my (@got, @want);
        for my $enc (@bytes) {
            my ($status, $loc) = get($mport, $mhp, "$path$enc");
            push @got, "$status @$loc";
            # '(' may stay raw in a path, not in a query component
            my $e = $enc;
            $e =~ s/%28/(/ unless $path =~ /req/;
            push @want, '307 ' . $rules{$path}->($e);
        }
        is_deeply(\@got, \@want, "invalid UTF-8 after $path: encoded again");
    }
}
