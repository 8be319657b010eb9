package Redirect307Server;

# A standalone httpd for the tests that stop, start and restart a server of
# their own (the usage statistics: graceful restarts, the state file), next
# to the Apache::Test server.
#
#   my $srv = Redirect307Server->new('stats_restart', $body,
#                                    files => {'m.map' => "..."});
#   $srv->start;  $srv->get('/old');  $srv->graceful($new_body);
#   $srv->stop;   $srv->problems;     # crashes, unexpected [error] lines
#
# Everything lives in t/logs/servers/NAME/ (kept for post-mortems): the
# configuration httpd.conf (load_module_lines() of Redirect307Test, Listen
# on a free 127.0.0.1 port, several children of the event MPM), the files
# given, error_log and access_log ("%P %U %>s": the child that answered).
# "@DIR@" in the body and the files stands for that directory and "@PORT@"
# for the port.  A <Location /redirect307-status> for 127.0.0.1 is always
# there.  Servers still running when the test exits are stopped.

use strict;
use warnings;

use File::Path qw(make_path remove_tree);
use Time::HiRes qw(sleep);
use Redirect307Test qw(load_module_lines free_port httpd_bin raw_request
    error_log_problems top_dir);

my @running;

sub new {
    my ($class, $name, $body, %opt) = @_;
    my $dir = top_dir() . "/t/logs/servers/$name";
    remove_tree($dir);
    make_path($dir);
    my $self = bless { name => $name, dir => $dir, port => free_port(),
                       body => $body, files => $opt{files} || {},
                       mpm => $opt{mpm} }, $class;
    $self->write_files;
    return $self;
}

sub dir  { $_[0]{dir} }
sub port { $_[0]{port} }
sub conf { "$_[0]{dir}/httpd.conf" }
sub hostport { "127.0.0.1:$_[0]{port}" }
sub error_log { "$_[0]{dir}/error_log" }

sub _fill {
    my ($self, $text) = @_;
    $text =~ s/\@DIR\@/$self->{dir}/g;
    $text =~ s/\@PORT\@/$self->{port}/g;
    return $text;
}

sub _write {
    my ($file, $text) = @_;
    open my $fh, '>', "$file.tmp" or die "$file: $!";
    print $fh $text;
    close $fh or die "$file: $!";
    rename "$file.tmp", $file or die "$file: $!";
}

sub write_files {
    my ($self) = @_;
    for my $name (sort keys %{ $self->{files} }) {
        _write("$self->{dir}/$name", $self->_fill($self->{files}{$name}));
    }
    my $mpm = $self->{mpm} || <<'EOF';
StartServers 4
ServerLimit 4
ThreadsPerChild 16
MinSpareThreads 16
MaxSpareThreads 64
MaxRequestWorkers 64
MaxConnectionsPerChild 0
KeepAlive On
MaxKeepAliveRequests 0
KeepAliveTimeout 30
EOF
    _write($self->conf, load_module_lines() . $self->_fill(<<"EOF"));
ServerRoot "\@DIR\@"
ServerName 127.0.0.1
Listen 127.0.0.1:\@PORT\@
PidFile "\@DIR\@/httpd.pid"
ErrorLog "\@DIR\@/error_log"
LogLevel info redirect307:info
DefaultRuntimeDir "\@DIR\@"
DocumentRoot "\@DIR\@"
LogFormat "%P %U %>s" children
CustomLog "\@DIR\@/access_log" children
$mpm
<Location "/redirect307-status">
    SetHandler redirect307-status
    Require ip 127.0.0.1
</Location>
# ---- the test's configuration
$self->{body}
EOF
}

sub _httpd {
    my ($self, @args) = @_;
    my @cmd = (httpd_bin(), '-d', $self->{dir}, '-f', $self->conf, @args);
    my $out = `@{[ join ' ', map { "'$_'" } @cmd ]} 2>&1`;
    return ($? >> 8, $out);
}

sub pid {
    my ($self) = @_;
    open my $fh, '<', "$self->{dir}/httpd.pid" or return;
    my $pid = <$fh>;
    close $fh;
    return unless $pid && $pid =~ /^(\d+)/;
    return kill(0, $1) ? $1 : undef;
}

# the number of lines of the error log matching $re
sub log_count {
    my ($self, $re) = @_;
    open my $fh, '<', $self->error_log or return 0;
    my $n = grep { $_ =~ $re } <$fh>;
    close $fh;
    return $n;
}

sub log_lines {
    my ($self, $re) = @_;
    open my $fh, '<', $self->error_log or return ();
    my @lines = grep { $_ =~ $re } <$fh>;
    close $fh;
    return @lines;
}

my $READY = qr/resuming normal operations/;

sub _wait_ready {
    my ($self, $before) = @_;
    for (1 .. 300) {
        if ($self->log_count($READY) > $before) {
            # the listener takes connections; wait for an answer
            my $res = raw_request($self->port, "GET /redirect307-status?"
                . "format=json HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                . "Connection: close\r\n\r\n", timeout => 5);
            return 1 if $res->code == 200;
        }
        sleep 0.1;
    }
    die "$self->{name}: httpd did not become ready; see " . $self->error_log
        . "\n";
}

sub start {
    my ($self) = @_;
    my $before = $self->log_count($READY);
    my ($rc, $out) = $self->_httpd('-k', 'start');
    die "$self->{name}: httpd -k start: $out\n" if $rc;
    push @running, $self;
    return $self->_wait_ready($before);
}

# graceful restart, with a new configuration body when one is given
sub graceful {
    my ($self, $body, %files) = @_;
    $self->{body} = $body if defined $body;
    $self->{files} = { %{ $self->{files} }, %files };
    $self->write_files;
    my $before = $self->log_count($READY);
    my ($rc, $out) = $self->_httpd('-k', 'graceful');
    die "$self->{name}: httpd -k graceful: $out\n" if $rc;
    return $self->_wait_ready($before);
}

sub stop {
    my ($self) = @_;
    my $pid = $self->pid or return 1;
    $self->_httpd('-k', 'stop');
    for (1 .. 300) {
        unless (kill 0, $pid) {
            @running = grep { $_ != $self } @running;
            return 1;
        }
        sleep 0.1;
    }
    kill 'KILL', $pid;
    return 0;
}

sub get {
    my ($self, $path, %opt) = @_;
    my $method = $opt{method} || 'GET';
    my $host = $opt{host} || $self->hostport;
    return raw_request($self->port, "$method $path HTTP/1.1\r\n"
        . "Host: $host\r\nConnection: close\r\n\r\n", timeout => 10);
}

sub problems {
    my ($self) = @_;
    return error_log_problems($self->error_log);
}

END {
    local $?;                   # the test's exit status
    my @left = @running;
    $_->stop for @left;
}

1;
