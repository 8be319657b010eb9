# CSV maps (t/data/maps/sheet.csv, noheader.csv; t/conf/maps.conf.in):
# RFC 4180 quoting ("" in a quoted field, commas and line ends inside
# quotes), CRLF and LF, a UTF-8 byte-order mark, a header row skipped,
# columns after the second ignored, blanks around unquoted fields, empty
# and '#' rows skipped, a "# comment" after the URL, options; and every
# refusal of a bad row or a bad map, with its file and row, and of the
# Redirect307Map and Redirect307IgnoreParams arguments.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(plan ok);
use Apache::TestRequest qw(GET);
use Apache::TestUtil qw(t_cmp);
use File::Basename qw(dirname);
use Redirect307Test qw(httpd_t);

my $vars = Apache::Test::config()->{vars};
my $data = "$vars->{serverroot}/data/maps";

# [path, Location (undef: 404), name]
my @cases = (
    ['/maps/csv/a', 'https://c.example/a', 'the first row after the header'],
    ['/URL-path', undef, 'the header row is no entry'],
    ['/maps/csv/quoted,%20comma', 'https://c.example/comma',
     'a quoted URL-path with a comma and a space'],
    ['/maps/csv/q', 'https://c.example/q?x=1&y=%222%22',
     'a quoted URL with "" in it'],
    ['/maps/csv/multi', 'https://c.example/multi',
     'a note with a line end inside quotes'],
    ['/maps/csv/after', 'https://c.example/after',
     'the row after a multi-line note'],
    ['/maps/csv/comment', 'https://c.example/comment',
     'a "# comment" after the URL'],
    ['/maps/csv/blanks', 'https://c.example/blanks',
     'blanks around unquoted fields, three more columns'],
    ['/maps/csv/prod?lang=de&id=7&utm_source=s',
     'https://c.example/p7?utm_source=s', 'a query key in a CSV file'],
    ['/maps/csv/last', 'https://c.example/last',
     'the last row, without a line end'],
    ['/maps/csvlf/A', 'https://c.example/lf-a',
     'no header, LF line ends, nocase'],
    ['/maps/csvlf/b', 'https://c.example/lf-b', 'no header: second row'],
);

my $TWO = "expected two fields, 'URL-path,URL'";
# [name, snippet, file name => text, or undef, message]
my @errors = (
    ['CSV: one column', 'm.csv', "URL-path,URL\n/a,https://e.example/a\n/b\n",
     "DIR/m.csv:3: $TWO"],
    ['CSV: an empty URL', 'm.csv', "/a,\n", "DIR/m.csv:1: $TWO"],
    ['CSV: an empty URL-path after the header', 'm.csv',
     "from,to\n,https://e.example/x\n", "DIR/m.csv:2: $TWO"],
    ['CSV: a second row without "/"', 'm.csv',
     "from,to\n/a,https://e.example/a\nb,https://e.example/b\n",
     "DIR/m.csv:3: URL-path 'b' must start with '/'"],
    ['CSV: a quote not closed', 'm.csv',
     "/a,https://e.example/a\n/b,\"https://e.example/b\n/c,x\n",
     'DIR/m.csv:2: a quoted field is not closed'],
    ['CSV: text after a closing quote', 'm.csv',
     "/a,\"https://e.example/a\"x\n",
     'DIR/m.csv:1: text after the closing quote of a field'],
    ['CSV: a bad target, counted in rows', 'm.csv',
     "/a,https://e.example/a,\"two\nlines\"\n/b,ftp:/x\n",
     "DIR/m.csv:2: 'ftp:/x': the target is neither an absolute URL "
     . "(scheme://host/...) nor a path starting with '/'"],
    ['CSV: a bad escape in a query key', 'm.csv',
     "/a?x=%zz,https://e.example/a\n",
     "DIR/m.csv:1: URL-path '/a?x=%zz' has a bad percent-encoding in its "
     . "query"],
    ['txt: a bad escape in a query key', 'm.map',
     "/a?x=1&y=%4 https://e.example/a\n",
     "DIR/m.map:1: URL-path '/a?x=1&y=%4' has a bad percent-encoding in "
     . "its query"],
);
# [name, snippet, message]: refused arguments
my @refused = (
    ['an unknown option', "Redirect307Map \@DIR\@/m.map nocase nodots\n",
     "Redirect307Map: unknown option 'nodots': use nocase or noslash"],
    ['IgnoreParams: None with names', "Redirect307IgnoreParams None utm_*\n",
     'Redirect307IgnoreParams: None cannot be combined with parameter names'],
    ['IgnoreParams: names then None',
     "Redirect307IgnoreParams gclid\nRedirect307IgnoreParams None\n",
     'Redirect307IgnoreParams: None cannot be combined with parameter names'],
    ['IgnoreParams: "*" alone', "Redirect307IgnoreParams *\n",
     "Redirect307IgnoreParams: '*' is not a parameter name or a 'prefix*' "
     . "pattern"],
    ['IgnoreParams: "*" inside', "Redirect307IgnoreParams a*b\n",
     "Redirect307IgnoreParams: 'a*b' is not a parameter name or a 'prefix*' "
     . "pattern"],
    ['IgnoreParams in a directory',
     "<Location /x>\n    Redirect307IgnoreParams gclid\n</Location>\n",
     'Redirect307IgnoreParams not allowed in <Location> context'],
    ['IgnoreParams without arguments', "Redirect307IgnoreParams\n",
     'Redirect307IgnoreParams requires at least one argument, names or '
     . "'prefix*' patterns of query parameters that never decide a match of "
     . 'a map key with a query, or None'],
);

plan tests => 2 * @cases + 2 * @errors + 2 * @refused + 2;

Apache::TestRequest::user_agent(requests_redirectable => 0, reset => 1);
Apache::TestRequest::module('r307_maps_csv');
for my $case (@cases) {
    my ($path, $location, $name) = @$case;
    my $res = GET $path;
    ok t_cmp($res->code, defined $location ? 307 : 404, "$name: status");
    ok t_cmp($res->header('Location'), $location, "$name: Location");
}
Apache::TestRequest::module('default');

sub refused {
    my ($name, $snippet, $files, $line, $message) = @_;
    my ($rc, $out, $file) = httpd_t($snippet, files => $files);
    my $dir = dirname($file);
    (my $text = $message) =~ s{\bDIR(?=/)}{$dir}g;
    my $want = "Syntax error on line $line of $file:\n$text\n";
    ok t_cmp($rc, 1, "$name: httpd -t fails");
    my $ok = index($out, $want) >= 0;
    print "# expected: $want", map { "# httpd -t: $_\n" } split /\n/, $out
        unless $ok;
    ok $ok;
}
for my $case (@errors) {
    my ($name, $file, $text, $message) = @$case;
    refused($name, "Redirect307Map \@DIR\@/$file\n", { $file => $text }, 1,
            "Redirect307Map: $message");
}
for my $case (@refused) {
    my ($name, $snippet, $message) = @$case;
    my $line = $snippet =~ /^<Location/ ? 2
        : $snippet =~ /\n.+\n/ ? 2 : 1;
    refused($name, $snippet, { 'm.map' => "/a https://e.example/a\n" },
            $line, $message);
}

# a header row, a BOM, CRLF, comments and notes: httpd -t passes quietly
my ($rc, $out) = httpd_t("Redirect307Map \"$data/sheet.csv\" nocase\n");
ok t_cmp($rc, 0, 'sheet.csv: httpd -t passes');
ok t_cmp($out, "Syntax OK\n", 'sheet.csv: nothing but Syntax OK');
