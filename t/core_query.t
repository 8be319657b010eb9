# Query strings and fragments: Redirect307QueryString Merge (the default)
# keeps the request's query, after the target's own with "&";
# Discard (in a <Location>) drops the request's query but keeps the
# target's; empty queries; a fragment of the target stays last.
# Rules: t/conf/core.conf.in, "t/core_query.t" section.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(plan ok);
use Apache::TestRequest qw(GET);
use Apache::TestUtil qw(t_cmp);

my @cases = (
    # Merge (default), target without a query
    ['/core/qm/x',               'http://e.example/qm/x',  'no query'],
    ['/core/qm/x?a=1',           'http://e.example/qm/x?a=1', 'query kept'],
    ['/core/qm/x?a=1&b=2',       'http://e.example/qm/x?a=1&b=2',
     'query with "&" kept as is'],
    ['/core/qm?a=1',             'http://e.example/qm?a=1',
     'query on the URL-path itself'],
    ['/core/qm/x?a=%23&b=%26&c=%3D',
     'http://e.example/qm/x?a=%23&b=%26&c=%3D',
     'escapes in the query are kept, not encoded twice'],
    ['/core/qm/x?q=a+b%20c',     'http://e.example/qm/x?q=a+b%20c',
     '"+" and %20 in the query kept'],
    ['/core/qm/x?a/b?c',         'http://e.example/qm/x?a/b?c',
     '"/" and "?" inside the query kept'],
    ['/core/qm/x?flag',          'http://e.example/qm/x?flag',
     'query without "="'],

    # Merge, target with its own query
    ['/core/qt/x',               'http://e.example/qt/x?t=1',
     'target query, no request query'],
    ['/core/qt/x?a=1',           'http://e.example/qt/x?t=1&a=1',
     'target-query&request-query'],
    ['/core/qt/x?a=1&t=2',       'http://e.example/qt/x?t=1&a=1&t=2',
     'both kept, in that order'],

    # empty queries
    ['/core/qm/x?',              'http://e.example/qm/x',
     'an empty request query adds no "?"'],
    ['/core/qt/x?',              'http://e.example/qt/x?t=1',
     'an empty request query adds no "&"'],
    ['/core/qe/x',               'http://e.example/qe/x?',
     'target ending in "?": kept as written'],
    ['/core/qe/x?a=1',           'http://e.example/qe/x?a=1',
     'target ending in "?" and a request query: no "&"'],
    ['/core/qe/x?',              'http://e.example/qe/x?',
     'target ending in "?" and an empty request query'],

    # fragments stay last
    ['/core/frag/x?q=1',         'http://e.example/p/x?q=1#sec',
     'fragment after remainder and query'],
    ['/core/frag',               'http://e.example/p#sec', 'fragment only'],
    ['/core/frag/x',             'http://e.example/p/x#sec',
     'fragment after the remainder'],
    ['/core/frag/a%23b?q=%23',   'http://e.example/p/a%23b?q=%23#sec',
     'encoded "#" in path and query do not end them'],
    ['/core/fragq/x?q=1',        'http://e.example/p/x?t=1&q=1#sec',
     'target query and fragment'],
    ['/core/fragq/x',            'http://e.example/p/x?t=1#sec',
     'target query and fragment, no request query'],

    # Discard in <Location /core/qd>
    ['/core/qd/plain/x?a=1',     'http://e.example/qdp/x',
     'Discard drops the request query'],
    ['/core/qd/plain/x',         'http://e.example/qdp/x', 'Discard, no query'],
    ['/core/qd/tq/x?a=1',        'http://e.example/qdt/x?t=1',
     'Discard keeps the target query'],
    ['/core/qd/tq?a=1&b=2',      'http://e.example/qdt?t=1',
     'Discard on the URL-path itself'],
    ['/core/qd/sec/x?a=1',       'http://e.example/qds?t=1',
     'Discard applies to a section rule too'],
    # Merge again in the nested <Location /core/qd/merge>
    ['/core/qd/merge/m/x?a=1',   'http://e.example/qdm/x?t=1&a=1',
     'a nested Merge overrides the outer Discard'],
);

plan tests => 2 * @cases;

Apache::TestRequest::user_agent(requests_redirectable => 0, reset => 1);

for my $case (@cases) {
    my ($path, $location, $name) = @$case;
    my $res = GET $path;
    ok t_cmp($res->code, 307, "$path: 307 ($name)");
    ok t_cmp($res->header('Location'), $location, "$path: Location ($name)");
}
