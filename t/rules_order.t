# Order of rules (t/conf/scope.conf.in, "t/rules_order.t"): within one
# scope the first rule in configuration order that matches wins, across
# prefix, regex and map rules; a virtual host's rules come before the main
# server's, a nested <Location>'s before its parent's, and server rules
# (translate_name) before the rules of sections (fixups).  The segment index
# must return the lowest-position match among all segment prefixes of the
# path: the last part checks it against a reference implementation, for
# every path up to four segments deep, on a pseudo-random set of rules.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(plan ok);
use Apache::TestRequest qw(GET);
use Apache::TestUtil qw(t_cmp);
use Redirect307Check qw(check_module_case);

my $vars = Apache::Test::config()->{vars};

# [server, path, status, Location, name]
my @cases = (
    # --- regex and prefix
    ['default', '/scope/ord/rp/x', 307, 'http://o.example/regex/x',
     'regex before prefix: the regex wins'],
    ['default', '/scope/ord/rp', 307, 'http://o.example/prefix',
     'regex before prefix: the prefix where the regex does not match'],
    ['default', '/scope/ord/pr/x', 307, 'http://o.example/prefix/x',
     'prefix before regex: the prefix wins'],
    ['default', '/scope/ord/prx/y', 307, 'http://o.example/regexx/y',
     'a prefix matches whole segments only: the later regex'],

    # --- maps among prefixes and regexes
    ['default', '/scope/ord/pm/k', 307, 'http://o.example/prefix-pm/k',
     'prefix before map: the prefix wins over the map entry'],
    ['default', '/scope/ord/rm/k', 307, 'http://o.example/regex-rm',
     'regex before map: the regex wins over the map entry'],
    ['default', '/scope/ord/rmp/a', 307, 'http://o.example/regex-rmp',
     'regex, map, prefix: the regex'],
    ['default', '/scope/ord/rmp/k', 307, 'http://o.example/map-rmp',
     'regex, map, prefix: the map when the regex does not match'],
    ['default', '/scope/ord/rmp/z', 307, 'http://o.example/prefix-rmp/z',
     'regex, map, prefix: the prefix when neither matches'],
    ['default', '/scope/ord/rmp/z/k', 307, 'http://o.example/prefix-rmp/z/k',
     'a second map after the prefix loses'],
    ['default', '/scope/ord/mp/k', 307, 'http://o.example/map-mp',
     'map before prefix: the map entry wins'],
    ['default', '/scope/ord/mp/other', 307,
     'http://o.example/prefix-mp/other',
     'map before prefix: the prefix for paths not in the map'],
    ['default', '/scope/ord/mp', 307, 'http://o.example/prefix-mp',
     'map before prefix: the prefix itself'],
    ['default', '/scope/ord/mr/k', 307, 'http://o.example/map-mr',
     'map before regex: the map entry wins'],
    ['default', '/scope/ord/mr/other', 307, 'http://o.example/regex-mr',
     'map before regex: the regex for paths not in the map'],
    ['default', '/scope/ord/mm/k', 307, 'http://o.example/map1-mm',
     'two maps with the same key: the first map'],
    ['default', '/scope/ord/mm/only2', 307, 'http://o.example/map2-only',
     'two maps: the second map for its own keys'],

    # --- prefixes of different lengths
    ['default', '/scope/ord/len/long/x', 307,
     'http://o.example/short/long/x',
     'a longer URL-path after a shorter one loses'],
    ['default', '/scope/ord/len/long', 307, 'http://o.example/short/long',
     'a longer URL-path after a shorter one loses, exact path too'],
    ['default', '/scope/ord/nel/long/x', 307, 'http://o.example/long/x',
     'a longer URL-path before a shorter one wins'],
    ['default', '/scope/ord/nel/other', 307, 'http://o.example/short/other',
     'the shorter one for the rest'],

    # --- the segment index
    ['default', '/scope/ord/seg/1/2/3/4/5/6', 307,
     'http://o.example/s123/4/5/6',
     'the earliest of five prefixes of the path, a middle one'],
    ['default', '/scope/ord/seg/1/2/3/4', 307, 'http://o.example/s123/4',
     'an earlier shorter prefix beats a later regex and longer prefix'],
    ['default', '/scope/ord/seg/1/2/3', 307, 'http://o.example/s123',
     'exact URL-path'],
    ['default', '/scope/ord/seg/1/2/3/', 307, 'http://o.example/s123/',
     'exact URL-path with a trailing slash'],
    ['default', '/scope/ord/seg/1/2/x', 307, 'http://o.example/s1/2/x',
     'the earlier shorter prefix beats the later longer one'],
    ['default', '/scope/ord/seg/1/2', 307, 'http://o.example/s1/2',
     'the earlier shorter prefix on the exact path of the longer'],
    ['default', '/scope/ord/seg/1', 307, 'http://o.example/s1',
     'the short prefix alone'],
    ['default', '/scope/ord/seg/1x/2/3', 404, undef,
     'no partial segments'],
    ['default', '/scope/ord/seg', 404, undef, 'above every rule'],
    ['default', '/scope/ord/gap/a/b/c/d', 307, 'http://o.example/abc/d',
     'a deep rule with no rules between it and the root of the walk'],
    ['default', '/scope/ord/gap/a/b', 307, 'http://o.example/gap/a/b',
     'the walk passes nodes without rules'],
    ['default', '/scope/ord/gap/a', 307, 'http://o.example/gap/a',
     'the earlier shorter rule beats the later exact one'],

    # --- a trailing slash at the same node as the plain URL-path
    ['default', '/scope/ord/ts/x', 307, 'http://o.example/slash/x',
     '"/ts/" before "/ts": "/ts/" for paths below'],
    ['default', '/scope/ord/ts/', 307, 'http://o.example/slash/',
     '"/ts/" before "/ts": "/ts/" for itself'],
    ['default', '/scope/ord/ts', 307, 'http://o.example/noslash',
     '"/ts/" before "/ts": "/ts" for the path without slash'],
    ['default', '/scope/ord/st/x', 307, 'http://o.example/noslash/x',
     '"/st" before "/st/": "/st" for everything'],
    ['default', '/scope/ord/st/', 307, 'http://o.example/noslash/',
     '"/st" before "/st/": "/st" for the path with slash'],
    ['default', '/scope/ord/st', 307, 'http://o.example/noslash',
     '"/st" before "/st/": "/st" itself'],
    ['default', '/scope/ord/sd/x/y', 307, 'http://o.example/sdx/y',
     'a deeper "/x/" rule first: below it'],
    ['default', '/scope/ord/sd/x/', 307, 'http://o.example/sdx/',
     'a deeper "/x/" rule first: on it'],
    ['default', '/scope/ord/sd/x', 307, 'http://o.example/sd/x',
     'a deeper "/x/" rule does not cover the path without slash'],

    ['default', '/scope/ord/dbl/x/y', 307, 'http://o.example/dblx/y',
     'a URL-path with "//" covers the path with one "/"'],
    ['default', '/scope/ord/dbl//x', 307, 'http://o.example/dblx',
     'a URL-path with "//" covers the request with "//" (merged)'],

    # --- a regex between two prefixes that both match
    ['default', '/scope/ord/mid/a/b/c', 307, 'http://o.example/ab/c',
     'long prefix, regex, short prefix: the long prefix'],
    ['default', '/scope/ord/mid/a/x', 307, 'http://o.example/regex',
     'long prefix, regex, short prefix: the regex before the short prefix'],
    ['default', '/scope/ord/mid/a', 307, 'http://o.example/a',
     'long prefix, regex, short prefix: the short prefix'],
    ['default', '/scope/ord/dim/a/b/c', 307, 'http://o.example/a/b/c',
     'short prefix, regex, long prefix: the short prefix'],
    ['default', '/scope/ord/dim/a/x', 307, 'http://o.example/a/x',
     'short prefix, regex, long prefix: the short prefix, not the regex'],

    # --- several regexes
    ['default', '/scope/ord/rr/x/nomatch', 307, 'http://o.example/r0',
     'the first regex'],
    ['default', '/scope/ord/rr/x/y', 307, 'http://o.example/r1-x',
     'the second regex when the first does not match'],
    ['default', '/scope/ord/rr/y', 307, 'http://o.example/r2-y',
     'the third regex'],
    ['default', '/scope/ord/rr', 307, 'http://o.example/p',
     'the prefix after the regexes'],

    # --- a URL-path written twice
    ['default', '/scope/ord/twice/x', 307, 'http://o.example/first/x',
     'the same URL-path twice: the first'],

    # --- server rules before section rules
    ['default', '/scope/ord/srv/s', 307, 'http://n.example/server',
     'a server rule wins over a <Location> rule for the same path'],
    ['default', '/scope/ord/srv/l', 307, 'http://n.example/location-l',
     'the <Location> rule where no server rule matches'],

    # --- one section: regex, prefix, one-argument rule, prefix
    ['default', '/scope/ord/sec/rex', 307, 'http://n.example/re',
     'section: the regex first'],
    ['default', '/scope/ord/sec/p/1', 307, 'http://n.example/p/1',
     'section: the prefix before the one-argument rule'],
    ['default', '/scope/ord/sec/late', 307, 'http://n.example/all',
     'section: the one-argument rule before a later prefix'],
    ['default', '/scope/ord/sec/other?q=1', 307, 'http://n.example/all?q=1',
     'section: the one-argument rule for the rest'],
    ['default', '/scope/ord/sec', 307, 'http://n.example/all',
     'section: the one-argument rule for the section path itself'],

    # --- nested sections
    ['default', '/scope/ord/nest/a/x', 307, 'http://n.example/child-x',
     'the nested <Location>\'s regex before the parent\'s prefix'],
    ['default', '/scope/ord/nest/a/y', 307, 'http://n.example/parent-a/y',
     'the parent\'s prefix where the child\'s rule does not match'],
    ['default', '/scope/ord/nest/b', 307, 'http://n.example/parent-b',
     'the parent\'s regex outside the child'],

    # --- virtual host before main server
    ['r307_scope_ord', '/scope/ord/v/deep/er/x', 307,
     'http://v.example/deeper/x', 'virtual host: its deep rule'],
    ['r307_scope_ord', '/scope/ord/v/rex', 307, 'http://v.example/regex',
     'virtual host: its regex before its shorter prefix'],
    ['r307_scope_ord', '/scope/ord/v/deep', 307, 'http://v.example/v/deep',
     'virtual host: its short prefix'],
    ['r307_scope_ord', '/scope/ord/rp/x', 307,
     'http://v.example/root/scope/ord/rp/x',
     'virtual host: its "/" rule before the main server\'s rules'],
    ['r307_scope_ord', '/', 307, 'http://v.example/root/',
     'virtual host: "/" itself'],
    ['r307_scope_ord', '/other?q=1', 307, 'http://v.example/root/other?q=1',
     'virtual host: "/" with a query'],
    ['r307_scope_ord2', '/scope/ord/v/x', 307,
     'http://v2.example/scope/ord/v/x',
     'a "/" rule written first takes everything'],
    ['r307_scope_ord2', '/scope/ord/v2re', 307,
     'http://v2.example/scope/ord/v2re',
     'a "/" rule written first beats a later regex'],
    ['r307_scope_ord2', '/', 307, 'http://v2.example/',
     'a "/" rule: "/" itself'],
);

# --- the index against a reference implementation
my $conf = "$vars->{t_conf}/scope.conf";
my @rules;
{
    open my $fh, '<', $conf or die "$conf: $!";
    my $in = 0;
    while (my $l = <$fh>) {
        if ($l =~ /# ---- index rules begin/) { $in = 1; next }
        last if $l =~ /# ---- index rules end/;
        next unless $in;
        if ($l =~ /^\s*Redirect307\s+(\/\S*)\s+(\S+)\s*$/) {
            push @rules, ['prefix', $1, $2];
        }
        elsif ($l =~ /^\s*Redirect307Match\s+"([^"]+)"\s+(\S+)\s*$/) {
            push @rules, ['regex', $1, $2];
        }
        elsif ($l !~ /^\s*(#|$)/) {
            die "$conf: cannot read index rule: $l";
        }
    }
    close $fh;
}

# the Location the first matching rule gives, as the README describes it
sub reference {
    my ($uri) = @_;
    for my $rule (@rules) {
        my ($kind, $what, $target) = @$rule;
        if ($kind eq 'regex') {
            return $target if $uri =~ /$what/;
            next;
        }
        my $rest;
        if ($what =~ m{/$}) {
            $rest = substr($uri, length $what) if index($uri, $what) == 0;
        }
        elsif ($uri eq $what || index($uri, "$what/") == 0) {
            $rest = substr($uri, length $what);
        }
        next unless defined $rest;
        return $target if $rest eq '';
        (my $tail = $rest) =~ s{^/+}{};
        return "$target/$tail";
    }
    return undef;
}

my @index_paths = ('/', '/scope', '/scope/idx', '/scope/idx/', '/scope/idxa',
                   '/scope/idx/d', '/scope/idx/aa/b');
{
    my @level = ('');
    for my $depth (1 .. 4) {
        @level = map { my $p = $_; map { "$p/$_" } qw(a b c) } @level;
        push @index_paths, map { ("/scope/idx$_", "/scope/idx$_/") } @level;
    }
}

plan tests => 2 * @cases + 1 + @index_paths;

Apache::TestRequest::user_agent(requests_redirectable => 0, reset => 1);

check_module_case(@$_) for @cases;

ok t_cmp(scalar @rules, 64, 'the index rules were read from the generated '
         . 'configuration');

Apache::TestRequest::module('r307_scope_idx');
for my $path (@index_paths) {
    my $want = reference($path);
    my $res = GET $path;
    my $got = $res->code . ' ' . ($res->header('Location') // '-');
    ok t_cmp($got, defined $want ? "307 $want" : '404 -',
             "index: $path");
}
Apache::TestRequest::module('default');
