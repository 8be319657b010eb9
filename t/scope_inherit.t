# Inheritance of every setting from parent to child scope, and override
# (t/conf/scope.conf.in, "t/scope_inherit.t"):
#   - Redirect307QueryString: server -> <Location> -> nested <Location>,
#     <Directory> -> nested <Directory>, virtual host -> its <Location>; the
#     setting in effect for the request applies whichever rule fires
#   - Redirect307Engine: the same scopes; Off in <Location> exempts server
#     rules too, Off in <Directory> only the rules of sections
#   - the rule chain: a parent section's rules still apply inside a nested
#     section with rules of its own; the nested section's rules are tried
#     first; <Location> rules before <Directory> rules (httpd merges
#     <Location> last); a virtual host's <Location> before the main
#     server's
#   - Redirect307TrustedProxy: a virtual host's own list (listed and
#     unlisted peer); the main server's list and its replacement by a
#     virtual host's are checked with a private server in t/scope_server.t
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(plan ok);
use Apache::TestRequest qw(GET);
use Apache::TestUtil qw(t_cmp);
use Redirect307Check qw(check_module_case);
use Redirect307Test qw(raw_request);


sub port_of {
    my ($module) = @_;
    Apache::TestRequest::module($module);
    my $hp = Apache::TestRequest::hostport();
    Apache::TestRequest::module('default');
    return $hp =~ /:(\d+)$/ ? $1 : 0;
}

# [server, path, status, Location, name]
my @cases = (
    # --- Redirect307QueryString: <Location> over server rules, nested
    ['default', '/scope/inh/eng/srv?a=1', 307, 'http://e.example/srv?a=1',
     'QueryString: Merge by default'],
    ['default', '/scope/inh/qs/srv?a=1', 307, 'http://q.example/srv',
     'QueryString: Discard of a <Location> applies to a server rule'],
    ['default', '/scope/inh/qs/srvq?a=1', 307, 'http://q.example/srvq?t=1',
     'QueryString: Discard keeps the target\'s own query'],
    ['default', '/scope/inh/qs/sub/r?a=1', 307, 'http://q.example/sub-r',
     'QueryString: a nested <Location> inherits Discard'],
    ['default', '/scope/inh/qs/sub/merge/r?a=1', 307,
     'http://q.example/merge-r?a=1',
     'QueryString: a more nested <Location> sets Merge again, for the '
     . 'parent\'s rule'],
    ['default', '/scope/inh/qs/sub/merge/srv?a=1', 307,
     'http://q.example/merge-srv?a=1',
     'QueryString: ... and for a server rule'],
    # --- Redirect307QueryString: nested <Directory>
    ['default', '/scope/inh/qsdir/r?a=1', 307, 'http://q.example/dir-r',
     'QueryString: Discard in <Directory>'],
    ['default', '/scope/inh/qsdir/sub/r?a=1', 307,
     'http://q.example/sub-r?a=1',
     'QueryString: Merge in a nested <Directory>'],
    ['default', '/scope/inh/qsdir/sub/p?a=1', 307,
     'http://q.example/parent-p?a=1',
     'QueryString: the nested <Directory>\'s Merge for the parent\'s rule'],
    # --- Redirect307QueryString: virtual host
    ['r307_scope_qs', '/scope/inh/vqs/v?a=1', 307, 'http://q.example/v',
     'QueryString: Discard of a virtual host for its rule'],
    ['r307_scope_qs', '/scope/inh/vqs/main?a=1', 307,
     'http://q.example/main',
     'QueryString: Discard of a virtual host for a main-server rule'],
    ['default', '/scope/inh/vqs/main?a=1', 307, 'http://q.example/main?a=1',
     'QueryString: the virtual host\'s setting stays in it'],
    ['r307_scope_qs', '/scope/inh/vqs/loc/r?a=1', 307,
     'http://q.example/loc-r',
     'QueryString: a <Location> of the virtual host inherits Discard'],
    ['r307_scope_qs', '/scope/inh/vqs/merge/x?a=1', 307,
     'http://q.example/m/x?a=1',
     'QueryString: Merge in a <Location> of the virtual host'],

    # --- Redirect307Engine: nested <Location>
    ['default', '/scope/inh/eng/srv', 307, 'http://e.example/srv',
     'Engine: On by default'],
    ['default', '/scope/inh/eng/off/srv', 404, undef,
     'Engine: Off in <Location> exempts a server rule'],
    ['default', '/scope/inh/eng/off/loc', 404, undef,
     'Engine: Off in <Location> switches off its own rules'],
    ['default', '/scope/inh/eng/off/on/srv', 307, 'http://e.example/on-srv',
     'Engine: On in a nested <Location>, for a server rule'],
    ['default', '/scope/inh/eng/off/on/loc', 307, 'http://e.example/on-loc',
     'Engine: On in a nested <Location>, for the parent\'s rule'],
    ['default', '/scope/inh/eng/off/inherit/r', 404, undef,
     'Engine: a nested <Location> inherits Off'],
    # --- Redirect307Engine: nested <Directory>
    ['default', '/scope/inh/engdir/r', 404, undef,
     'Engine: Off in <Directory> switches off its rules'],
    ['default', '/scope/inh/engdir/srv', 307, 'http://e.example/dir-srv',
     'Engine: Off in <Directory> does not reach server rules'],
    ['default', '/scope/inh/engdir/on/r', 307, 'http://e.example/on-r',
     'Engine: On in a nested <Directory>'],
    ['default', '/scope/inh/engdir/on/p', 307, 'http://e.example/dir-on-p',
     'Engine: On in a nested <Directory>, for the parent\'s rule'],
    # --- Redirect307Engine: virtual host
    ['r307_scope_off', '/scope/inh/voff/v', 404, undef,
     'Engine: Off in a virtual host, its own rule'],
    ['r307_scope_off', '/scope/inh/voff/main', 404, undef,
     'Engine: Off in a virtual host, a main-server rule'],
    ['r307_scope_off', '/scope/inh/voff/on/v', 307, 'http://e.example/on-v',
     'Engine: On in a <Location> of the virtual host, its rule'],
    ['r307_scope_off', '/scope/inh/voff/on/main', 307,
     'http://e.example/on-main',
     'Engine: On in a <Location> of the virtual host, a main-server rule'],
    ['default', '/scope/inh/voff/main', 307, 'http://e.example/main',
     'Engine: the virtual host\'s Off stays in it'],
    ['default', '/scope/inh/voff/v', 404, undef,
     'Engine: the virtual host\'s rule is not the main server\'s'],

    # --- the rule chain: nested <Location>
    ['default', '/scope/inh/chain/p/x', 307, 'http://p.example/p/x',
     'chain: the parent\'s rule'],
    ['default', '/scope/inh/chain/c/fromparent/x', 307,
     'http://p.example/fromparent/x',
     'chain: the parent\'s rule inside a child with rules of its own'],
    ['default', '/scope/inh/chain/c/own', 307, 'http://c.example/own',
     'chain: the child\'s own rule'],
    ['default', '/scope/inh/chain/c/both/x', 307, 'http://c.example/both/x',
     'chain: the child\'s rule wins where both match'],
    ['default', '/scope/inh/chain/c/other', 404, undef,
     'chain: neither matches'],
    ['default', '/scope/inh/chain/c/g/both', 307, 'http://g.example/all',
     'chain: a grandchild\'s one-argument rule wins over child and parent'],
    ['default', '/scope/inh/chain/c/g?x=1', 307, 'http://g.example/all?x=1',
     'chain: the grandchild\'s rule over the parent\'s prefix'],
    # --- the rule chain: nested <Directory>, <Location> over <Directory>
    ['default', '/scope/inh/dchain/sub/both', 307, 'http://c.example/dboth',
     'chain: the nested <Directory>\'s rule wins'],
    ['default', '/scope/inh/dchain/sub/fromparent', 307,
     'http://p.example/dfromparent',
     'chain: the parent <Directory>\'s rule inside the nested one'],
    ['default', '/scope/inh/dchain/sub/own', 307, 'http://c.example/down',
     'chain: the nested <Directory>\'s own rule'],
    ['default', '/scope/inh/dchain/sub/loc/fromdir', 307,
     'http://p.example/fromdir',
     'chain: <Directory> rules still apply under a <Location> with rules'],
    ['default', '/scope/inh/dchain/sub/loc/both', 307,
     'http://l.example/lboth',
     'chain: the <Location> rule before the <Directory> rule'],
    # --- the rule chain: virtual host <Location> over main <Location>
    ['r307_scope_vloc', '/scope/inh/vloc/both', 307,
     'http://v.example/vloc-both',
     'chain: the virtual host\'s <Location> before the main server\'s'],
    ['r307_scope_vloc', '/scope/inh/vloc/main', 307,
     'http://main.example/vloc-main',
     'chain: the main server\'s <Location> applies in the virtual host'],
    ['default', '/scope/inh/vloc/both', 307,
     'http://main.example/vloc-both',
     'chain: the virtual host\'s <Location> stays in it'],
);

my $yes = port_of('r307_scope_tp_yes');
my $no = port_of('r307_scope_tp_no');

# [port, path, extra headers, Host, Location, name]
my @proxy = (
    [$yes, '/scope/tp/r/x', "X-Forwarded-Proto: https\r\n", 'tp.example',
     'https://tp.example/echo/scope/tp/x',
     'listed peer: X-Forwarded-Proto https'],
    [$yes, '/scope/tp/r/x', "X-Forwarded-Proto: https\r\n",
     'tp.example:8443', 'https://tp.example:8443/echo/scope/tp/x',
     'listed peer: X-Forwarded-Proto https, port from Host'],
    [$yes, '/scope/tp/r/x', "Forwarded: for=192.0.2.9;proto=https\r\n",
     'tp.example', 'https://tp.example/echo/scope/tp/x',
     'listed peer: Forwarded proto=https'],
    [$yes, '/scope/tp/r/x', '', 'tp.example:8080',
     'http://tp.example:8080/echo/scope/tp/x',
     'listed peer without the header: the connection\'s scheme'],
    [$yes, '/scope/tp/abs/x', "X-Forwarded-Proto: https\r\n", 'tp.example',
     'http://abs.example/tp/x',
     'listed peer: an absolute target is never changed'],
    [$no, '/scope/tp/r/x', "X-Forwarded-Proto: https\r\n",
     'tp.example:8080', 'http://tp.example:8080/echo/scope/tp/x',
     'unlisted peer: X-Forwarded-Proto ignored'],
    [$no, '/scope/tp/r/x', "Forwarded: proto=https\r\n", 'tp.example:8080',
     'http://tp.example:8080/echo/scope/tp/x',
     'unlisted peer: Forwarded ignored'],
);

plan tests => 2 * @cases + 2 * @proxy;

Apache::TestRequest::user_agent(requests_redirectable => 0, reset => 1);

check_module_case(@$_) for @cases;

for my $case (@proxy) {
    my ($port, $path, $extra, $host, $location, $name) = @$case;
    my ($status, $head, $h) = raw_request($port,
        "GET $path HTTP/1.1\r\nHost: $host\r\n$extra"
        . "Connection: close\r\n\r\n");
    ok t_cmp($status, 307, "$name: status");
    ok t_cmp(join("\n", @{ $h->{location} || [] }), $location,
             "$name: Location");
}
