# Prefix rules (Redirect307 URL-path URL at server level): whole-segment
# matching, URL-paths ending in "/", the remainder re-encoded and joined
# with exactly one "/", percent-encoded URL-paths, path targets made
# absolute, and the first rule in configuration order winning when rules
# overlap.  Rules: t/conf/core.conf.in, "t/core_prefix.t" section.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(plan ok);
use Apache::TestRequest qw(GET);
use Apache::TestUtil qw(t_cmp);
use Redirect307Check qw(check_answer);

# [request path, expected Location (undef: not redirected), expected status
#  when not redirected, description]
my @cases = (
    # whole segments
    ['/core/old',            'http://e.example/new',    'the URL-path itself'],
    ['/core/old/',           'http://e.example/new/',   'URL-path plus "/"'],
    ['/core/old/x',          'http://e.example/new/x',  'a path below it'],
    ['/core/old/x/y/',       'http://e.example/new/x/y/',
     'deeper, trailing slash kept'],
    ['/core/oldx',           undef, 404, 'never /core/oldx'],
    ['/core/old.html',       undef, 404, 'never /core/old.html'],
    ['/core/Old/x',          undef, 404, 'matching is case-sensitive'],
    ['/core/old//x',         'http://e.example/new/x',
     'runs of "/" are merged by httpd first'],
    ['/core/zz/../old/x',    'http://e.example/new/x',
     '"/../" is resolved by httpd first'],
    ['/core/%6Fld/x',        'http://e.example/new/x',
     'an encoded letter matches decoded'],

    # URL-path ending in "/"
    ['/core/slash',          undef, 404, '"/core/slash/" does not cover /core/slash'],
    ['/core/slash/',         'http://e.example/s',
     '"/core/slash/": the URL-path itself, empty remainder'],
    ['/core/slash/x',        'http://e.example/s/x',
     '"/core/slash/": remainder joined with one "/"'],
    ['/core/slash/x/y',      'http://e.example/s/x/y', '"/core/slash/": deeper'],
    ['/core/slashx',         undef, 404, '"/core/slash/" never covers /core/slashx'],
    ['/core/slash2',         undef, 404, '"/core/slash2/" does not cover /core/slash2'],
    ['/core/slash2/',        'http://e.example/s2/',
     '"/core/slash2/" to ".../s2/": the target as written'],
    ['/core/slash2/x',       'http://e.example/s2/x',
     '"/core/slash2/" to ".../s2/": exactly one "/"'],

    # target path with a trailing slash
    ['/core/ts',             'http://e.example/ts/',  'target ".../ts/"'],
    ['/core/ts/',            'http://e.example/ts/',  'target ".../ts/", request "/"'],
    ['/core/ts/x',           'http://e.example/ts/x', 'target ".../ts/": one "/"'],
    ['/core/ts/x/',          'http://e.example/ts/x/',
     'target ".../ts/": trailing slash of the request kept'],

    # target without a path
    ['/core/nopath',         'http://h.example',        'target without a path'],
    ['/core/nopath/',        'http://h.example/',       'no path, request "/"'],
    ['/core/nopath/x',       'http://h.example/x',      'no path, remainder'],
    ['/core/nopath/x?a=1',   'http://h.example/x?a=1',  'no path, remainder and query'],
    ['/core/nopath?a=1',     'http://h.example?a=1',    'no path, query only'],

    # the remainder is percent-encoded again
    ['/core/old/a%20b',      'http://e.example/new/a%20b',   'space'],
    ['/core/old/a%20b/c%20d', 'http://e.example/new/a%20b/c%20d', 'spaces'],
    ['/core/old/caf%C3%A9',  'http://e.example/new/caf%C3%A9', 'UTF-8'],
    ['/core/old/caf%c3%a9',  'http://e.example/new/caf%C3%A9',
     'UTF-8 with lower-case escapes comes out upper-case'],
    ['/core/old/100%25',     'http://e.example/new/100%25',  '%25 stays %25'],
    ['/core/old/100%2541',   'http://e.example/new/100%2541',
     '%25 is not decoded twice'],
    ['/core/old/a%3Fb=1',    'http://e.example/new/a%3Fb=1',
     '%3F stays in the path'],
    ['/core/old/a%3Fb?c=1',  'http://e.example/new/a%3Fb?c=1',
     '%3F in the path, then the real query'],
    ['/core/old/a%23b',      'http://e.example/new/a%23b',
     '%23 stays in the path'],
    ['/core/old/a%22%3C%3E%5C%5E%60%7B%7C%7D',
     'http://e.example/new/a%22%3C%3E%5C%5E%60%7B%7C%7D',
     'characters not allowed in a URL stay encoded'],
    ['/core/old/a+b&c=d;e',  'http://e.example/new/a+b&c=d;e',
     'path-safe characters are not encoded'],
    ['/core/old/%7Euser',    'http://e.example/new/~user', '%7E is "~"'],

    # percent-encoded URL-paths in the configuration
    ['/core/caf%C3%A9',      'http://e.example/cafe',
     'encoded URL-path, same escapes'],
    ['/core/caf%c3%a9/x',    'http://e.example/cafe/x',
     'encoded URL-path, lower-case escapes'],
    ['/core/caf%C3%A9x',     undef, 404, 'encoded URL-path: whole segments only'],
    ['/core/cafe',           undef, 404, 'encoded URL-path: not the ASCII name'],
    ['/core/sp%20ace/x',     'http://e.example/space/x', 'URL-path with %20'],

    # path targets: absolute on this server
    ['/core/pt',             'http://HP/core/new',       'path target'],
    ['/core/pt/x%20y?a=1',   'http://HP/core/new/x%20y?a=1',
     'path target, remainder and query'],
    ['/core/ptq/x?a=1',      'http://HP/core/new/x?via=ptq&a=1',
     'path target with its own query'],

    # overlapping rules: first in configuration order
    ['/core/a/b/c',          'http://e.example/A/b/c',
     '/core/a before /core/a/b: /core/a wins'],
    ['/core/a/b',            'http://e.example/A/b',
     '/core/a before /core/a/b: /core/a wins for /core/a/b itself'],
    ['/core/a/x',            'http://e.example/A/x', '/core/a'],
    ['/core/r/b/c',          'http://e.example/RB/c',
     '/core/r/b before /core/r: /core/r/b wins'],
    ['/core/r/b',            'http://e.example/RB',
     '/core/r/b before /core/r: /core/r/b itself'],
    ['/core/r/bc',           'http://e.example/R/bc',
     '/core/r/b does not cover /core/r/bc'],
    ['/core/r/x',            'http://e.example/R/x', '/core/r for the rest'],
    ['/core/mix/x',          'http://e.example/M/x',
     'a regex before a prefix rule wins'],
    ['/core/mix',            'http://e.example/P',
     'the prefix rule where the regex does not match'],
    ['/core/mix2/x',         'http://e.example/P2/x',
     'a prefix rule before a regex wins'],
);

plan tests => 2 * @cases;

Apache::TestRequest::user_agent(requests_redirectable => 0, reset => 1);

for my $case (@cases) {
    my ($path, $location, @rest) = @$case;
    my $name = pop @rest;
    check_answer(GET($path), $location, $rest[0], "$path ($name)");
}
