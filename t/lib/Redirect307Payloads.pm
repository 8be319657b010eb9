package Redirect307Payloads;

# Hostile requests for the security tests (t/security_*.t), built, not
# listed: every payload (a byte string an attacker controls) is written in
# every encoding at every position of the request target of every rule of
# t/data/security/rules.conf.  For each case the module also says what
# httpd and mod_redirect307 must answer: the status httpd gives before any
# module runs (400, 404), or a 307 whose Location has the configured
# scheme, host and port, carries the request data percent-encoded in the
# part of the URL it came from, and keeps the path/query/fragment split of
# the target.  check_response() holds every answer against that.
#
#   my @cases = Redirect307Payloads::cases();
#   my $want  = Redirect307Payloads::expect($case, merge => 1,
#                                           self => 'http://127.0.0.1:8530');
#   my @why   = Redirect307Payloads::check_response($case, $want, $res);
#
# $res is a response of Redirect307Test::raw_request (or the raw bytes of
# one, parsed with Redirect307Test::parse_response).
#
# The model of httpd used here (what it refuses, how it decodes) is the
# one of httpd 2.4 with its defaults (HttpProtocolOptions Strict,
# AllowEncodedSlashes Off); t/security_request.t pins each part of it.

use strict;
use warnings;

use Carp qw(croak);
use Exporter qw(import);
use URI ();
use Redirect307Test qw(parse_response);

our @EXPORT_OK = qw(payloads encodings positions rules cases expect
    check_response encode_as clean_query
    decode_path decode_component unsafe_bytes vhost);

# --- payloads ------------------------------------------------------------
#
# name => bytes.  Each group is generated from its parts.

sub payloads {
    my @p;

    # every control byte alone, between two letters (a\x01b); NUL too
    for my $c (0x00 .. 0x1f, 0x7f) {
        push @p, [sprintf('ctl-%02X', $c), 'a' . chr($c) . 'b'];
    }

    # header and response splitting: each line break before a header
    my %breaks = (crlf => "\r\n", lf => "\n", cr => "\r",
                  crlfcrlf => "\r\n\r\n", 'crlf-sp' => "\r\n ");
    my %headers = (inject => 'X-R307-Injected: 1',
                   cookie => 'Set-Cookie: r307=evil',
                   refresh => 'Refresh: 0; url=http://evil.example/');
    for my $b (sort keys %breaks) {
        for my $h (sort keys %headers) {
            push @p, ["$b-$h", "x$breaks{$b}$headers{$h}"];
        }
    }

    # a new query or fragment, alone and after a value
    for my $split ('?', '#', '?#', '#?') {
        for my $tail ('', 'x=1', 'evil=1&t=2') {
            my $name = join '-', 'split', unpack('H*', $split), $tail || 'bare';
            push @p, [$name, "a${split}$tail"];
        }
    }
    push @p, ['amp-eq', 'a&v=evil&x=='], ['plus-space', 'a+b c'];

    # another host: every spelling of a scheme or authority
    my @hosts = ('//evil.example', '/\\evil.example', '\\\\evil.example',
                 '\\/evil.example', 'http://evil.example',
                 'https:evil.example', 'https:/evil.example',
                 '//evil.example:443', '@evil.example', '.evil.example',
                 ':8443@evil.example', 'user:pass@evil.example',
                 '//[::1]:80', 'javascript:alert(1)', '\\\\evil.example@x');
    for my $i (0 .. $#hosts) {
        push @p, ["host-$i", $hosts[$i]];
    }

    # text that is already percent-encoded (the request was encoded twice)
    for my $esc ('%0D%0A', '%3F', '%23', '%2F%2Fevil.example', '%25', '%')
    {
        (my $name = $esc) =~ s/%/p/g;
        push @p, ["pct-$name", "x$esc"];
    }

    # invalid and valid UTF-8
    my %utf8 = ('bad-c328' => "\xC3\x28", 'ff' => "\xFF",
                'overlong-c0af' => "\xC0\xAF", 'surrogate' => "\xED\xA0\x80",
                'cafe' => "caf\xC3\xA9");
    push @p, map { ["utf8-$_", "x$utf8{$_}y"] } sort keys %utf8;

    # characters that may not appear raw in a URL, and markup
    push @p, ['ascii-unsafe', q{"<>\^`{|}}], ['space', 'a b'],
        ['html', q{"><script>alert(1)</script>}];

    return @p;
}

# --- encodings -----------------------------------------------------------
#
# How a payload is written into the request target.  upper and lower
# percent-encode every byte; minimal only what must be (so '/', '\', '@',
# ':' and the bytes httpd accepts raw stay raw); raw writes every byte as
# it is (httpd refuses some; CR and LF are left out, they end the line).

sub encodings { qw(upper lower minimal raw) }

sub encode_as {
    my ($encoding, $bytes) = @_;
    if ($encoding eq 'upper') {
        return join '', map { sprintf '%%%02X', ord } split //, $bytes;
    }
    if ($encoding eq 'lower') {
        return join '', map { sprintf '%%%02x', ord } split //, $bytes;
    }
    if ($encoding eq 'minimal') {
        (my $s = $bytes) =~ s/([\x00-\x20\x7f-\xff%?#])/sprintf '%%%02X', ord $1/ge;
        return $s;
    }
    if ($encoding eq 'raw') {
        return $bytes;
    }
    croak "unknown encoding $encoding";
}

# --- rules -----------------------------------------------------------------
#
# The rules of t/data/security/rules.conf (and rules.map): base is the
# URL-path the request targets start with; target the scheme and
# authority of the Location ('self': the server's own); and a function
# from the decoded request path (r->uri) to the expected Location parts:
#   path      => decoded path
#   query     => exact query of the target part (undef: none)
#   qcapture  => [name, value]: the query is "name=" + value encoded as a
#                query component
#   fragment  => exact fragment, or fcapture => value encoded the same way

my $T = 'https://target.example:8443';

sub _prefix {
    my ($base, $tpath) = @_;
    return sub {
        my ($uri) = @_;
        return if $uri ne $base && index($uri, "$base/") != 0;
        my $rem = substr $uri, length $base;
        (my $rest = $rem) =~ s{^/+}{};
        return { path => $tpath . (length $rem ? "/$rest" : '') };
    };
}

sub _regex {
    my ($prefix, $make) = @_;
    return sub {
        my ($uri) = @_;
        return unless $uri =~ /^\Q$prefix\E(.*)\z/s;
        return $make->($1);
    };
}

sub _section {
    my ($base, $make) = @_;
    return sub {
        my ($uri) = @_;
        return if $uri ne $base && index($uri, "$base/") != 0;
        return $make->($uri);
    };
}

sub _exact {
    my ($key, $parts) = @_;
    return sub { $_[0] eq $key ? {%$parts} : undef };
}

sub rules {
    my $with = sub { my ($f, %more) = @_; sub { my $p = $f->(@_); $p && {%$p, %more} } };
    return (
        { name => 'prefix', kind => 'prefix', base => '/security/old',
          target => $T, parts => _prefix('/security/old', '/new') },
        { name => 'prefix-self', kind => 'prefix', base => '/security/oldp',
          target => 'self', parts => _prefix('/security/oldp', '/security/landing') },
        { name => 'prefix-query-frag', kind => 'prefix', base => '/security/oldq',
          target => $T, parts => $with->(_prefix('/security/oldq', '/new'),
                                         query => 't=1', fragment => 'frag') },
        { name => 'regex-path', kind => 'regex', base => '/security/re',
          target => $T,
          parts => _regex('/security/re/', sub { { path => "/re/$_[0]" } }) },
        { name => 'regex-query', kind => 'regex', base => '/security/req',
          target => $T,
          parts => _regex('/security/req/',
                          sub { { path => '/q', qcapture => ['v', $_[0]] } }) },
        { name => 'regex-fragment', kind => 'regex', base => '/security/ref',
          target => $T,
          parts => _regex('/security/ref/',
                          sub { { path => '/f', fcapture => $_[0] } }) },
        { name => 'regex-self', kind => 'regex', base => '/security/rep',
          target => 'self',
          parts => _regex('/security/rep/',
                          sub { { path => "/security/landing/$_[0]" } }) },
        { name => 'regex-after-host', kind => 'regex', base => '/security/rx',
          target => $T,
          parts => _regex('/security/rx', sub { { path => "/$_[0]" } }) },
        { name => 'expr-path', kind => 'expr', base => '/security/ex-abs',
          target => $T,
          parts => _section('/security/ex-abs', sub { { path => $_[0] } }) },
        { name => 'expr-query', kind => 'expr', base => '/security/ex-query',
          target => $T,
          parts => _section('/security/ex-query',
                            sub { { path => '/eq', qcapture => ['u', $_[0]] } }) },
        { name => 'expr-self', kind => 'expr', base => '/security/ex-path',
          target => 'self',
          parts => _section('/security/ex-path',
                            sub { { path => "/security/landing$_[0]" } }) },
        { name => 'map', kind => 'map', base => '/security/map/a',
          target => $T, parts => _exact('/security/map/a', { path => '/m/a' }) },
        { name => 'map-query-frag', kind => 'map', base => '/security/map/q',
          target => $T, parts => _exact('/security/map/q',
              { path => '/m/q', query => 't=1', fragment => 'frag' }) },
        { name => 'map-self', kind => 'map', base => '/security/map/p',
          target => 'self',
          parts => _exact('/security/map/p', { path => '/security/landing/m' }) },
    );
}

# --- positions ---------------------------------------------------------------
#
# Where the encoded payload goes in the request target of a rule.

sub positions { qw(segment middle tail query) }

sub _place {
    my ($position, $rule, $enc) = @_;
    my $base = $rule->{base};
    return "$base/$enc"           if $position eq 'segment';
    return "$base/a/$enc/b"       if $position eq 'middle';
    return "$base/a$enc"          if $position eq 'tail';
    if ($position eq 'query') {
        # a path the rule redirects, then the payload as a query value
        my $path = $rule->{kind} eq 'map' ? $base : "$base/x";
        return "$path?q=$enc";
    }
    croak "unknown position $position";
}

# --- the cases ---------------------------------------------------------------
#
# Every payload x encoding x position x rule, except the combinations that
# add nothing: a control byte is tried percent-encoded (upper and lower)
# and raw, at the start of a segment and in the query; raw never holds CR
# or LF (they end the request line: t/security_request.t sends those); of
# the map rules, whose entries are exact paths, only one is tried at paths
# no entry has (they must not match), all of them with a query.
# Options: rules => [names], payloads => qr// on names (to narrow a run).

sub cases {
    my (%opt) = @_;
    my @rules = rules();
    if ($opt{rules}) {
        my %want = map { $_ => 1 } @{ $opt{rules} };
        @rules = grep { $want{ $_->{name} } } @rules;
    }
    my @cases;
    for my $payload (payloads()) {
        my ($pname, $bytes) = @$payload;
        next if $opt{payloads} && $pname !~ $opt{payloads};
        my $control = $pname =~ /^ctl-/;
        for my $encoding (encodings()) {
            next if $control && $encoding eq 'minimal';
            next if $encoding eq 'raw' && $bytes =~ /[\r\n]/;
            for my $position (positions()) {
                next if $control && $position =~ /^(middle|tail)$/;
                for my $rule (@rules) {
                    # one map rule stands for all at paths no entry has
                    next if $rule->{kind} eq 'map' && $position ne 'query'
                        && $rule->{name} ne 'map';
                    my $target = _place($position, $rule,
                                        encode_as($encoding, $bytes));
                    push @cases, {
                        id => "$rule->{name}/$position/$encoding/$pname",
                        rule => $rule, position => $position,
                        encoding => $encoding, payload => $bytes,
                        request_target => $target,
                    };
                }
            }
        }
    }
    return @cases;
}

# --- what httpd and the module must answer ----------------------------------

sub decode_path {
    my ($s) = @_;
    $s =~ s/%([0-9A-Fa-f]{2})/chr hex $1/ge;
    return $s;
}

# a query or fragment component as the module writes it (space as '+')
sub decode_component {
    my ($s) = @_;
    $s =~ tr/+/ /;
    return decode_path($s);
}

sub unsafe_bytes { qr/[\x00-\x20\x7f-\xff"<>\\^`{|}]/ }

# The request's query string as it must appear in the Location: bytes that
# may not appear raw, and a '%' that starts no escape, percent-encoded;
# everything else, escapes included, as sent.
sub clean_query {
    my ($q) = @_;
    my $unsafe = unsafe_bytes();
    $q =~ s/(%(?![0-9A-Fa-f]{2})|$unsafe)/sprintf '%%%02X', ord $1/ge;
    return $q;
}

# The expected outcome of a case on a virtual host.  merge: MergeSlashes
# On; self: "scheme://authority" the server names itself with.
sub expect {
    my ($case, %vhost) = @_;
    my $target = $case->{request_target};

    # HttpProtocolOptions Strict: controls, spaces (a request line with
    # more than three fields) and '#' are refused before anything else
    return { status => 400 } if $target =~ /[\x00-\x20\x7f#]/;

    my ($raw_path, $query) = split /\?/, $target, 2;
    # a '%' that starts no escape in the path
    return { status => 400, log => qr/AH10244/ }
        if $raw_path =~ /%(?![0-9A-Fa-f]{2})/;
    # AllowEncodedSlashes Off: an encoded '/' and a NUL are refused (404)
    my @escaped = map { hex } $raw_path =~ /%([0-9A-Fa-f]{2})/g;
    return { status => 404 } if grep { $_ == 0x2f || $_ == 0 } @escaped;

    my $uri = decode_path($raw_path);
    $uri =~ s{/{2,}}{/}g if $vhost{merge};
    croak "$case->{id}: a dot segment in $uri; the model does not resolve them"
        if $uri =~ m{/\.\.?(/|\z)};

    my $parts = $case->{rule}{parts}->($uri);
    return { status => 404 } unless $parts;

    my $origin = $case->{rule}{target} eq 'self' ? $vhost{self}
        : $case->{rule}{target};
    my %want = (status => 307, origin => $origin, %$parts);
    my @query = grep { defined } $parts->{query};
    push @query, clean_query($query) if defined $query && length $query;
    $want{args} = @query ? join('&', @query) : undef;
    return \%want;
}

# --- talking to the server ---------------------------------------------------

# ("127.0.0.1:port", port) of an Apache::Test named virtual host
sub vhost {
    my ($name) = @_;
    require Apache::TestRequest;
    Apache::TestRequest::module($name);
    my $hostport = Apache::TestRequest::hostport();
    Apache::TestRequest::module('default');
    my ($port) = $hostport =~ /:(\d+)\z/
        or croak "no port for virtual host $name: $hostport";
    return ($hostport, $port);
}

# Everything wrong with a response to a case, as messages; none: pass.
sub check_response {
    my ($case, $want, $res) = @_;
    $res = parse_response($res) unless ref $res;
    my ($status, $headers, $body, $lines) =
        @$res{qw(status fields body lines)};
    my @why;
    my @location = @{ $res->{headers}{location} || [] };

    push @why, "status $status, want $want->{status}"
        if $status != $want->{status};
    # every header line well-formed: a token, a colon, no bare CR or LF
    for my $line (@$lines) {
        push @why, "malformed header line " . _show($line)
            unless $line =~ /^[!#\$%&'*+\-.^_`|~0-9A-Za-z]+:[\x20-\x7e\x80-\xff\t]*\z/;
    }
    for my $h (@$headers) {
        push @why, "injected header $h->[0]"
            if $h->[0] =~ /^(x-r307-injected|set-cookie|refresh)$/i;
    }
    push @why, 'markup from the request in the body' if $body =~ /<script/i;

    if ($want->{status} != 307) {
        push @why, "a Location in a $status answer" if @location;
        return @why;
    }
    return (@why, scalar(@location) . ' Location headers') if @location != 1;

    my $loc = $location[0];
    push @why, "a byte outside 0x21-0x7e in the Location: " . _show($loc)
        if $loc =~ /[^\x21-\x7e]/;
    my ($origin, $path, $query, $fragment) =
        $loc =~ m{^([a-z][a-z0-9+.-]*://[^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#(.*))?\z}s;
    return (@why, "not an absolute URL: " . _show($loc)) unless defined $origin;

    # scheme, host and port exactly as configured, by URI's parsing too
    my $u = URI->new($loc);
    my $w = URI->new($want->{origin} . '/');
    push @why, "origin $origin, want $want->{origin}"
        if $origin ne $want->{origin};
    push @why, sprintf('URI parses %s://%s:%s, want %s://%s:%s',
                       map { $_ // '' } $u->scheme,
                       eval { $u->host }, eval { $u->port },
                       $w->scheme, $w->host, $w->port)
        if lc($u->scheme // '') ne $w->scheme
        || lc(eval { $u->host } // '') ne lc $w->host
        || (eval { $u->port } // '') ne $w->port;

    # the path carries the decoded request data, nothing more or less
    my $got_path = decode_path($path);
    push @why, 'path ' . _show($path) . ' decodes to ' . _show($got_path)
        . ', want ' . _show($want->{path})
        if $got_path ne $want->{path};
    push @why, 'path does not start with /' if $path !~ m{^/};

    # the query: the target's (or the capture), then the request's
    my $want_query;
    if ($want->{qcapture}) {
        my ($name, $value) = @{ $want->{qcapture} };
        if (!defined $query || $query !~ /^\Q$name\E=([^&=#]*)(?:&(.*))?\z/s) {
            push @why, 'query ' . _show($query) . " is not $name=...";
        }
        else {
            my ($enc, $rest) = ($1, $2);
            push @why, "the $name= value " . _show($enc) . ' decodes to '
                . _show(decode_component($enc)) . ', want ' . _show($value)
                if decode_component($enc) ne $value;
            push @why, "after $name=: " . _show($rest) . ', want '
                . _show($want->{args})
                if ($rest // '') ne ($want->{args} // '');
        }
    }
    elsif (($query // "\0") ne ($want->{args} // "\0")) {
        push @why, 'query ' . _show($query) . ', want ' . _show($want->{args});
    }

    # the fragment: the target's, or the capture
    if (defined $want->{fcapture}) {
        if (!defined $fragment || $fragment =~ /[#&=]/) {
            push @why, 'fragment ' . _show($fragment);
        }
        elsif (decode_component($fragment) ne $want->{fcapture}) {
            push @why, 'fragment ' . _show($fragment) . ' decodes to '
                . _show(decode_component($fragment)) . ', want '
                . _show($want->{fcapture});
        }
    }
    elsif (($fragment // "\0") ne ($want->{fragment} // "\0")) {
        push @why, 'fragment ' . _show($fragment) . ', want '
            . _show($want->{fragment});
    }
    return @why;
}

sub _show {
    my ($s) = @_;
    return 'none' unless defined $s;
    $s = substr($s, 0, 200) . '...' if length $s > 200;
    $s =~ s/([^\x20-\x7e])/sprintf '\\x%02X', ord $1/ge;
    return "'$s'";
}

1;
