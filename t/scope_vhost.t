# Virtual hosts and host naming (t/conf/scope.conf.in, "t/scope_vhost.t"):
#   - a virtual host's rules apply to it only; the main server's rules apply
#     to the requests of every virtual host, after the virtual host's own
#     rules (a virtual-host rule wins even over an earlier main-server rule)
#   - path targets are made absolute the way httpd builds its own URLs
#     (ap_construct_url): UseCanonicalName Off takes host and port from the
#     Host header, On pins them to ServerName; ServerName https://host makes
#     the scheme https and the default port 443; absolute targets never
#     change with the Host header
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(plan ok);
use Apache::TestRequest qw(GET);
use Apache::TestUtil qw(t_cmp);
use Redirect307Test qw(raw_request);
use Time::HiRes qw(sleep);

# one request over a plain socket (LWP cannot send a Host header of our
# choice): the status, the response head as sent, the headers by lower-case
# name (every value, in order)

sub port_of {
    my ($module) = @_;
    Apache::TestRequest::module($module);
    my $hp = Apache::TestRequest::hostport();
    Apache::TestRequest::module('default');
    my ($port) = $hp =~ /:(\d+)$/;
    return ($hp, $port);
}

my %hp;
my %port;
for my $m (qw(default r307_scope_a r307_scope_canon r307_scope_canon80
              r307_scope_https r307_scope_httpscanon)) {
    ($hp{$m}, $port{$m}) = port_of($m);
}
my $a_port = $port{r307_scope_a};

# [server, path, Host header (undef: LWP's, "-": none, HTTP/1.0),
#  status, Location, name]
my @cases = (
    # --- scoping: a virtual host's rules are its own
    ['r307_scope_a', '/scope/vh/a/x', undef, 307, 'http://a.example/a/x',
     'a virtual-host rule applies in its virtual host'],
    ['default', '/scope/vh/a/x', undef, 404, undef,
     'a virtual-host rule does not apply on the main server'],
    ['r307_scope_canon', '/scope/vh/a/x', undef, 404, undef,
     'a virtual-host rule does not apply in another virtual host'],
    # --- the main server's rules are inherited, the virtual host's first
    ['r307_scope_a', '/scope/vh/main/x', undef, 307,
     'http://main.example/main/x',
     'a main-server rule applies to the requests of a virtual host'],
    ['r307_scope_canon', '/scope/vh/main', undef, 307,
     'http://main.example/main',
     'a main-server rule applies in every virtual host'],
    ['r307_scope_a', '/scope/vh/both/x', undef, 307,
     'http://a.example/both/x',
     'the virtual host\'s rule wins over an earlier main-server rule'],
    ['default', '/scope/vh/both/x', undef, 307, 'http://main.example/both/x',
     'the main server keeps its own rule'],

    # --- UseCanonicalName Off (default): Host header name and port
    ['r307_scope_a', '/scope/vh/path/x', undef, 307,
     "http://$hp{r307_scope_a}/echo/scope/vh/path/x",
     'Off: LWP\'s Host header (127.0.0.1:port)'],
    ['r307_scope_a', '/scope/vh/path/x?q=1', 'alias.example:8123', 307,
     'http://alias.example:8123/echo/scope/vh/path/x?q=1',
     'Off: host and port from the Host header'],
    ['r307_scope_a', '/scope/vh/path/x', 'ALIAS.Example:8123', 307,
     'http://alias.example:8123/echo/scope/vh/path/x',
     'Off: httpd lower-cases the host of the Host header'],
    ['r307_scope_a', '/scope/vh/path/x', 'alias.example:80', 307,
     'http://alias.example/echo/scope/vh/path/x',
     'Off: port 80 in the Host header is the default: omitted'],
    ['r307_scope_a', '/scope/vh/path/x', 'alias.example', 307,
     "http://alias.example:$a_port/echo/scope/vh/path/x",
     'Off: no port in the Host header: the port of ServerName'],
    ['r307_scope_a', '/scope/vh/path/x', '[::1]:8080', 307,
     'http://[::1]:8080/echo/scope/vh/path/x',
     'Off: IPv6 literal in the Host header keeps its brackets'],
    ['r307_scope_a', '/scope/vh/path/x', '[::1]', 307,
     "http://[::1]:$a_port/echo/scope/vh/path/x",
     'Off: IPv6 literal without a port'],
    ['r307_scope_a', '/scope/vh/path/x', '-', 307,
     "http://127.0.0.1:$a_port/echo/scope/vh/path/x",
     'Off: HTTP/1.0 without Host: ServerName'],
    ['r307_scope_a', '/scope/vh/mainpath/x', 'alias.example:8123', 307,
     'http://alias.example:8123/echo/scope/vh/mainpath/x',
     'Off: a main-server rule is made absolute with the request\'s Host'],
    ['default', '/scope/vh/mainpath/x', 'main-alias.example:9', 307,
     'http://main-alias.example:9/echo/scope/vh/mainpath/x',
     'Off on the main server too'],
    ['r307_scope_a', '/scope/vh/abs/x', 'alias.example:8123', 307,
     'http://abs.example/abs/x',
     'Off: an absolute target ignores the Host header'],

    # --- UseCanonicalName On: ServerName canon.example:8123
    ['r307_scope_canon', '/scope/vh/path/x', undef, 307,
     'http://canon.example:8123/echo/scope/vh/path/x',
     'On: ServerName and its port, not the Host header'],
    ['r307_scope_canon', '/scope/vh/path/x?q=1', 'evil.example:666', 307,
     'http://canon.example:8123/echo/scope/vh/path/x?q=1',
     'On: a poisoned Host header changes nothing'],
    ['r307_scope_canon', '/scope/vh/path/x', 'evil.example', 307,
     'http://canon.example:8123/echo/scope/vh/path/x',
     'On: a Host header without port changes nothing'],
    ['r307_scope_canon', '/scope/vh/path/x', '[::1]:8080', 307,
     'http://canon.example:8123/echo/scope/vh/path/x',
     'On: an IPv6 Host header changes nothing'],
    ['r307_scope_canon', '/scope/vh/path/x', '-', 307,
     'http://canon.example:8123/echo/scope/vh/path/x',
     'On: HTTP/1.0 without Host'],
    ['r307_scope_canon', '/scope/vh/mainpath/x', 'evil.example:666', 307,
     'http://canon.example:8123/echo/scope/vh/mainpath/x',
     'On: a main-server rule is made absolute with the virtual host\'s name'],
    ['r307_scope_canon', '/scope/vh/abs/x', 'evil.example:666', 307,
     'http://abs.example/abs/x',
     'On: an absolute target is kept as written'],
    ['r307_scope_canon80', '/scope/vh/path/x', undef, 307,
     'http://canon80.example/echo/scope/vh/path/x',
     'On: ServerName without port: default port, omitted'],
    ['r307_scope_canon80', '/scope/vh/path/x', 'evil.example:666', 307,
     'http://canon80.example/echo/scope/vh/path/x',
     'On, ServerName without port: a poisoned Host changes nothing'],

    # --- ServerName https://secure.example on a plain-HTTP listener
    ['r307_scope_https', '/scope/vh/path/x', 'secure.example', 307,
     'https://secure.example/echo/scope/vh/path/x',
     'https ServerName, Off: scheme https, port 443 omitted'],
    ['r307_scope_https', '/scope/vh/path/x', 'secure.example:443', 307,
     'https://secure.example/echo/scope/vh/path/x',
     'https ServerName, Off: port 443 in the Host header omitted'],
    ['r307_scope_https', '/scope/vh/path/x', 'secure.example:80', 307,
     'https://secure.example:80/echo/scope/vh/path/x',
     'https ServerName, Off: port 80 is not https\'s default'],
    ['r307_scope_https', '/scope/vh/path/x', 'other.example:8443', 307,
     'https://other.example:8443/echo/scope/vh/path/x',
     'https ServerName, Off: host and port from the Host header'],
    ['r307_scope_https', '/scope/vh/path/x', undef, 307,
     "https://$hp{r307_scope_https}/echo/scope/vh/path/x",
     'https ServerName, Off: LWP\'s Host header (127.0.0.1:port)'],
    ['r307_scope_https', '/scope/vh/path/x', '-', 307,
     'https://secure.example/echo/scope/vh/path/x',
     'https ServerName, Off, no Host: ServerName, port omitted'],
    ['r307_scope_https', '/scope/vh/abs/x', 'secure.example', 307,
     'http://abs.example/abs/x',
     'https ServerName: an absolute http target stays http'],
    ['r307_scope_httpscanon', '/scope/vh/path/x', undef, 307,
     'https://secure.example/echo/scope/vh/path/x',
     'https ServerName, On: https://secure.example, port omitted'],
    ['r307_scope_httpscanon', '/scope/vh/path/x', 'evil.example:666', 307,
     'https://secure.example/echo/scope/vh/path/x',
     'https ServerName, On: a poisoned Host header changes nothing'],
    ['r307_scope_httpscanon', '/scope/vh/mainpath/x', 'evil.example', 307,
     'https://secure.example/echo/scope/vh/mainpath/x',
     'https ServerName, On: main-server path rules too'],
);

# REDIRECT307_RULE names the rule that fired: [server, path, the rule's
# text in the generated t/conf/scope.conf]
my @origins = (
    ['r307_scope_a', '/scope/vh/main/x',
     'Redirect307 /scope/vh/main       http://main.example/main'],
    ['r307_scope_a', '/scope/vh/both/x',
     'Redirect307Match ^/scope/vh/both(.*)$ http://a.example/both$1'],
    ['default', '/scope/vh/both/x',
     'Redirect307 /scope/vh/both       http://main.example/both'],
);

plan tests => 2 * @cases + 2 * @origins;

Apache::TestRequest::user_agent(requests_redirectable => 0, reset => 1);

for my $case (@cases) {
    my ($module, $path, $host, $status, $location, $name) = @$case;
    my ($got_status, $got_location);
    if (defined $host) {
        my $request = $host eq '-'
            ? "GET $path HTTP/1.0\r\n\r\n"
            : "GET $path HTTP/1.1\r\nHost: $host\r\nConnection: close\r\n\r\n";
        my ($st, $head, $h) = raw_request($port{$module}, $request);
        $got_status = $st;
        $got_location = $h->{location} ? join("\n", @{ $h->{location} })
                                       : undef;
    }
    else {
        Apache::TestRequest::module($module);
        my $res = GET $path;
        Apache::TestRequest::module('default');
        $got_status = $res->code;
        $got_location = $res->header('Location');
    }
    my $where = "$module $path" . (defined $host ? " (Host: $host)" : '');
    ok t_cmp($got_status, $status, "$name: status of $where");
    ok t_cmp($got_location, $location, "$name: Location of $where");
}

# --- REDIRECT307_RULE in t/logs/access_log ("rule=%{REDIRECT307_RULE}e")
my $vars = Apache::Test::config()->{vars};
my $conf = "$vars->{t_conf}/scope.conf";
my @conf_lines = do {
    open my $fh, '<', $conf or die "$conf: $!";
    map { s/^\s+|\s+$//gr } <$fh>;
};

sub log_line {
    my ($token) = @_;
    for (1 .. 50) {
        if (open my $fh, '<', "$vars->{t_logs}/access_log") {
            my @hits = grep { index($_, $token) >= 0 } <$fh>;
            close $fh;
            return $hits[-1] if @hits;
        }
        sleep 0.1;
    }
    return '';
}

my $n = 0;
for my $origin (@origins) {
    my ($module, $path, $text) = @$origin;
    my ($line) = grep { $conf_lines[$_ - 1] eq $text } 1 .. @conf_lines;
    my $token = "vhrule$$-" . ++$n;
    Apache::TestRequest::module($module);
    my $res = GET "$path?$token";
    Apache::TestRequest::module('default');
    ok t_cmp($res->code, 307, "REDIRECT307_RULE: $module $path redirected");
    my $got = log_line($token);
    chomp $got;
    my $want = "$conf:" . ($line // 'none');
    ok t_cmp($got, qr/ rule=\Q$want\E$/,
             "REDIRECT307_RULE of $module $path: $text");
}
