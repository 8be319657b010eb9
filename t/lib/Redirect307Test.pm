package Redirect307Test;

# Helpers shared by the test suite and the other tools of this tree.
#
#   use Redirect307Test qw(httpd_t module_so load_module_lines);
#
# Paths:
#   top_dir()            absolute path of the source tree
#   module_so()          absolute path of the freshly built
#                        .libs/mod_redirect307.so (never an installed copy)
#   modules_conf()       t/conf/httpd-modules.conf, the one list of httpd
#                        modules every server of this project loads
#   load_module_lines()  the LoadModule/TypesConfig lines of that file, plus
#                        the LoadModule line of module_so(), as one string
#   httpd_bin(), apxs_bin()   $APACHE_TEST_HTTPD / $APACHE_TEST_APXS, else
#                        Debian's /usr/sbin/apache2 and apxs from PATH
#
# Configuration tests:
#   my ($rc, $out, $file) = httpd_t($snippet, files => {'map.txt' => "..."});
#   Writes a standalone configuration (ServerRoot, Listen on a free
#   127.0.0.1 port, PidFile and ErrorLog in a temporary directory, all of
#   load_module_lines()) that Includes $snippet from its own file $file, so
#   line N of $snippet is "line N of $file" in httpd's messages.  Runs
#   `apache2 -t -f ...` and returns its exit code, its combined
#   stdout+stderr and $file.  Files given in `files` are written into the
#   same directory first; "@DIR@" in $snippet stands for that directory.
#
# Raw requests (bytes LWP would not send, custom Host headers, HEAD bodies);
# the one place the suite parses an HTTP response:
#   my $res = raw_request($hostport, $request, timeout => 10);
#   Sends $request as is to $hostport ("host:port", or a port of
#   127.0.0.1), reads until the server closes the connection (send
#   "Connection: close") or the timeout passes, and returns the response
#   parsed: $res->{status} (0 when there is no status line), {head},
#   {headers} ({lower-case name => [values]}), {body}, {raw} (every byte),
#   and the HTTP::Response methods code, header($name), content; as a
#   string it is the raw bytes.  See Redirect307Test::Response below.
#   my ($status, $head, $headers) = raw_request($port, $request);
#   In list context: the status, the head and the headers hash
#   ((0, 'connect: no answer', {}) when nothing came back).
#   my $bytes = raw_response($port, $request);   the bytes alone
#   my $res = parse_response($bytes);            bytes from elsewhere
#
# Error log:
#   expect_error_log(qr/.../)   declares that the current test makes httpd
#                        log a line matching the regex at level error or
#                        above; t/zz_error_log.t then lets it pass.  Static
#                        expectations live in t/conf/expected-errors.
#   error_log_problems($file)   the lines of $file that are crashes,
#                        sanitizer reports or unexpected error-level lines.

use strict;
use warnings;

use Cwd qw(abs_path);
use Exporter qw(import);
use File::Basename qw(dirname);
use File::Spec ();
use File::Temp qw(tempdir);
use IO::Select ();
use IO::Socket::INET ();

our @EXPORT_OK = qw(top_dir lib_dir module_so modules_conf load_module_lines
    httpd_bin apxs_bin free_port httpd_t expect_error_log
    error_log_problems raw_request raw_response parse_response origin_of
    lines_matching);

my $LIB_DIR = dirname(abs_path(__FILE__));          # t/lib
my $TOP_DIR = dirname(dirname($LIB_DIR));           # tree root

sub top_dir { $TOP_DIR }
sub lib_dir { $LIB_DIR }

sub module_so { "$TOP_DIR/.libs/mod_redirect307.so" }

sub modules_conf { "$TOP_DIR/t/conf/httpd-modules.conf" }

sub httpd_bin { $ENV{APACHE_TEST_HTTPD} || '/usr/sbin/apache2' }

sub apxs_bin {
    return $ENV{APACHE_TEST_APXS} if $ENV{APACHE_TEST_APXS};
    for my $dir (File::Spec->path) {
        return "$dir/apxs" if -x "$dir/apxs";
    }
    return '/usr/bin/apxs';
}

sub load_module_lines {
    my $file = modules_conf();
    open my $fh, '<', $file or die "$file: $!";
    my @lines = grep { /^\s*(LoadModule|TypesConfig)\b/ } <$fh>;
    close $fh;
    return join('', @lines)
        . 'LoadModule redirect307_module "' . module_so() . "\"\n";
}

# a TCP port on 127.0.0.1 that was free a moment ago
sub free_port {
    my $sock = IO::Socket::INET->new(
        LocalAddr => '127.0.0.1', LocalPort => 0, Proto => 'tcp',
        Listen => 1, ReuseAddr => 1) or die "free_port: $!";
    my $port = $sock->sockport;
    close $sock;
    return $port;
}

sub httpd_t {
    my ($snippet, %opt) = @_;
    my $dir = tempdir('r307-t-XXXXXX', TMPDIR => 1, CLEANUP => 1);

    for my $name (sort keys %{ $opt{files} || {} }) {
        _write("$dir/$name", $opt{files}{$name});
    }
    (my $body = $snippet) =~ s/\@DIR\@/$dir/g;
    my $snippet_file = "$dir/snippet.conf";
    _write($snippet_file, $body);

    my $port = free_port();
    _write("$dir/httpd.conf", load_module_lines() . <<"EOF");
ServerRoot "$dir"
ServerName 127.0.0.1
Listen 127.0.0.1:$port
PidFile "$dir/httpd.pid"
ErrorLog "$dir/error_log"
DefaultRunTimeDir "$dir"
DocumentRoot "$dir"
Include "$snippet_file"
EOF

    my $cmd = join ' ', map { _shell_quote($_) }
        httpd_bin(), '-t', '-d', $dir, '-f', "$dir/httpd.conf";
    my $out = `$cmd 2>&1`;
    my $rc = $? == -1 ? -1 : $? >> 8;
    return ($rc, $out, $snippet_file);
}

# --- finding lines in files -------------------------------------------------

# "file:line" of the first line of $file matching $re (a rule's origin, as
# REDIRECT307_RULE and the log messages write it)
sub origin_of {
    my ($file, $re) = @_;
    open my $fh, '<', $file or die "$file: $!";
    while (my $line = <$fh>) {
        return "$file:$." if $line =~ $re;
    }
    die "$file: no line matches $re";
}

# the lines of $file matching $re, waiting up to 5 s for at least one
# (httpd writes the access log after the response has gone out)
sub lines_matching {
    my ($file, $re) = @_;
    my @found;
    for (1 .. 50) {
        if (open my $fh, '<', $file) {
            @found = grep { $_ =~ $re } <$fh>;
            close $fh;
        }
        last if @found;
        select undef, undef, undef, 0.1;
    }
    chomp @found;
    return @found;
}

# --- error log ------------------------------------------------------------

sub _t_dir { "$TOP_DIR/t" }

sub _runtime_expectations { _t_dir() . '/logs/expected-errors' }

sub expect_error_log {
    my ($re) = @_;
    my $file = _runtime_expectations();
    open my $fh, '>>', $file or die "$file: $!";
    print $fh "$re\n";
    close $fh;
}

sub _expected_patterns {
    my @re;
    for my $file (_t_dir() . '/conf/expected-errors',
                  _runtime_expectations()) {
        open my $fh, '<', $file or next;
        while (my $line = <$fh>) {
            chomp $line;
            next if $line =~ /^\s*(#|$)/;
            push @re, qr/$line/;
        }
        close $fh;
    }
    return @re;
}

# crashes and sanitizer reports are never expected
my $CRASH = qr/exit\ signal|Segmentation\ fault|nasty\ error|AddressSanitizer
              |LeakSanitizer|runtime\ error:|double\ free|stack\ smashing/x;
# ErrorLogFormat default: "[time] [module:level] [pid ...] ..."
my $SERIOUS = qr/^\[[^\]]*\]\s+\[[\w-]*:(error|crit|alert|emerg)\]/;

sub error_log_problems {
    my ($file) = @_;
    $file ||= _t_dir() . '/logs/error_log';
    my @expected = _expected_patterns();
    my @problems;
    open my $fh, '<', $file or return ("cannot read $file: $!");
    while (my $line = <$fh>) {
        if ($line =~ $CRASH) {
            push @problems, $line;
        }
        elsif ($line =~ $SERIOUS) {
            push @problems, $line unless grep { $line =~ $_ } @expected;
        }
    }
    close $fh;
    return @problems;
}

# --- small utilities --------------------------------------------------------

sub _write {
    my ($file, $text) = @_;
    open my $fh, '>', $file or die "$file: $!";
    print $fh $text;
    close $fh or die "$file: $!";
}

sub _shell_quote {
    my ($s) = @_;
    $s =~ s/'/'\\''/g;
    return "'$s'";
}


# --- raw requests: the one HTTP response parser of the suite -----------------

# Everything read from 127.0.0.1:$port ($port may be "host:port") after
# sending $request, until the server closes the connection or $timeout
# seconds (default 10) pass.  In list context also why the reading stopped
# early ("connect: ...", "timeout"; undef when the server closed).
sub raw_response {
    my ($port, $request, $timeout) = @_;
    $timeout ||= 10;
    my ($host, $number) = $port =~ /^(.*):(\d+)$/ ? ($1, $2)
        : ('127.0.0.1', $port);
    my $sock = IO::Socket::INET->new(PeerAddr => $host, PeerPort => $number,
                                     Proto => 'tcp', Timeout => $timeout);
    unless ($sock) {
        my $error = "connect $host:$number: $!";
        return wantarray ? ('', $error) : '';
    }
    binmode $sock;
    my ($resp, $error) = ('', undef);
    {
        # a server that answers before it has read a large body closes
        # the connection under the rest of it
        local $SIG{PIPE} = 'IGNORE';
        print {$sock} $request;
    }
    my $sel = IO::Select->new($sock);
    my $deadline = time + $timeout;
    while (1) {
        my $left = $deadline - time;
        if ($left <= 0 || !$sel->can_read($left)) {
            $error = 'timeout';
            last;
        }
        my $n = sysread($sock, $resp, 65536, length $resp);
        last unless $n;
    }
    close $sock;
    return wantarray ? ($resp, $error) : $resp;
}

# The bytes of a response, parsed; see Redirect307Test::Response.
sub parse_response {
    my ($raw, $error) = @_;
    $raw //= '';
    my ($head, $body) = split /\r\n\r\n/, $raw, 2;
    $head //= '';
    my @lines = split /\r\n/, $head, -1;
    my $status_line = shift(@lines) // '';
    my ($status) = $status_line =~ m{^HTTP/1\.\d (\d{3}) };
    my (@fields, %headers);
    for my $line (@lines) {
        if (my ($name, $value) = $line =~ /^([^:]*):[ \t]*(.*)\z/s) {
            push @fields, [$name, $value];
            push @{ $headers{lc $name} }, $value if $name =~ /^\S+\z/;
        }
        else {
            push @fields, [$line, undef];
        }
    }
    $body //= '';
    if (grep { /\bchunked\b/i } @{ $headers{'transfer-encoding'} || [] }) {
        $body = _dechunk($body);
    }
    return bless {
        status => $status // 0, head => $head, headers => \%headers,
        fields => \@fields, lines => \@lines, body => $body, raw => $raw,
        error => $error,
    }, 'Redirect307Test::Response';
}

sub raw_request {
    my ($port, $request, %opt) = @_;
    my $res = parse_response(raw_response($port, $request, $opt{timeout}));
    return $res unless wantarray;
    return (0, 'connect: no answer', {}) if $res->{raw} eq '';
    return ($res->{status}, $res->{head}, $res->{headers});
}

sub _dechunk {
    my ($chunked) = @_;
    my $body = '';
    while ($chunked =~ s/\A([0-9A-Fa-f]+)[^\r\n]*\r\n//) {
        my $size = hex $1;
        last if $size == 0;
        $body .= substr($chunked, 0, $size, '');
        $chunked =~ s/\A\r\n//;
    }
    return $body;
}

# A parsed response.  Fields: status (0 without a status line), head (the
# status line and the header lines), headers ({lower-case name => [values]}),
# fields ([[name, value], ...] as sent; value undef for a line without a
# colon), lines (the header lines), body (chunked transfer coding removed),
# raw (every byte read), error (why reading stopped early, else undef).
# The methods a test also calls on an HTTP::Response: code, header($name),
# content.  As a string it is the raw bytes.
package Redirect307Test::Response;

use overload '""' => sub { $_[0]{raw} }, bool => sub { 1 }, fallback => 1;

sub code { $_[0]{status} }
sub content { $_[0]{body} }
sub header {
    my ($self, $name) = @_;
    my $values = $self->{headers}{lc $name} or return;
    return wantarray ? @$values : join(', ', @$values);
}

package Redirect307Test;

1;
