# Configuration-time behaviour that is easy to get wrong:
#   - the literal start of a regex, used to rule regexes out cheaply, never
#     rejects a path the regex matches: RegexDefaultOptions +ICASE, inline
#     options, comments, \Q...\E, \E, quantifiers, alternations;
#   - a %{...} in the userinfo or port of a one-argument target is refused;
#   - map files: a UTF-8 byte-order mark, "# comments" after an entry and
#     CRLF line ends are accepted, a third field is still refused;
#   - Redirect307QueryString for server-level rules comes from the server,
#     <Location> and <If>, not from <Directory>;
#   - a remote "ErrorDocument 307 URL" makes httpd answer 302 (and the
#     README says so).
# Rules: t/conf/defects_config.conf.in, maps in t/data/defects.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(plan ok);
use Apache::TestRequest ();
use Apache::TestUtil qw(t_cmp);
use File::Basename qw(dirname);
use Redirect307Check qw(check_answer send_request);
use Redirect307Test qw(httpd_t top_dir);

# [path, expected Location (undef: not redirected), status when not
#  redirected, description]
my @requests = (
    # RegexDefaultOptions +ICASE before the rule, -ICASE after it
    ['/defects/icase/x', 'http://e.example/icase/x',
     '+ICASE: lower case path'],
    ['/DEFECTS/ICASE/x', 'http://e.example/icase/x',
     '+ICASE: upper case path'],
    ['/Defects/Icase/x', 'http://e.example/icase/x', '+ICASE: as written'],
    ['/Defects/Case/x', 'http://e.example/case/x', '-ICASE: as written'],
    ['/defects/case/x', undef, 404, '-ICASE: case matters again'],

    # inline options, comments and quoting in the regex
    ['/defects/inline/x', 'http://e.example/inline/x', '(?i) after a literal'],
    ['/defects/INLINE/x', 'http://e.example/inline/x', '(?i) as written'],
    ['/defects/cb', 'http://e.example/comment',
     '(?#c)? makes the character before the comment optional'],
    ['/defects/cab', 'http://e.example/comment', '(?#c)? with the character'],
    ['/defects/qa.x', 'http://e.example/quoted', '\Q.x\E: as written'],
    ['/defects/qaXx', undef, 404, '\Q.x\E: "." is literal'],
    ['/defects/ey', 'http://e.example/e', '\E? applies to the character'],
    ['/defects/exy', 'http://e.example/e', '\E? with the character'],
    ['/defects/qz', 'http://e.example/qe', '\Q\E* applies to the character'],
    ['/defects/qxxz', 'http://e.example/qe', '\Q\E* repeated'],
    ['/defects/bb', 'http://e.example/brace', 'a{0}'],
    ['/defects/bab', undef, 404, 'a{0}: no a'],
    ['/defects/sa', 'http://e.example/star', 'b*: none'],
    ['/defects/sabb', 'http://e.example/star', 'b*: two'],
    ['/defects/alt/x', 'http://e.example/alt', 'alternation: first'],
    ['/defects-alt', 'http://e.example/alt', 'alternation: second'],
    ['/defects/grp/v2/x', 'http://e.example/grp/v2', 'alternation in a group'],
    ['/defects/cls(', 'http://e.example/cls', 'class with ] and (: first'],
    ['/defects-cls', 'http://e.example/cls', 'class with ] and (: second'],
    ['/defects/up/x', 'http://e.example/up', '^(?i): lower case'],
    ['/DEFECTS/UP/x', 'http://e.example/up', '^(?i): upper case'],
    ['/defects/xy', 'http://e.example/extended', '(?x) ignores spaces'],
    ['/defects/d42', 'http://e.example/digits', '\d+ after a literal'],
    ['/defects/d', undef, 404, '\d+ needs a digit'],

    # map files
    ['/defects/bom', 'https://e.example/bom', 'map with a BOM: first entry'],
    ['/defects/bom2', 'https://e.example/bom2',
     'map with a BOM: second entry'],
    ['/defects/note', 'https://e.example/note', 'map: comment after spaces'],
    ['/defects/note2', 'https://e.example/note2', 'map: comment after a tab'],
    ['/defects/frag?a=1', 'https://e.example/p?a=1#sec',
     'map: a "#" inside the target is its fragment'],
    ['/defects/crlf', 'https://e.example/crlf', 'map: CRLF line ends'],

    # Redirect307QueryString Discard and server-level rules
    ['/defects/qsdir/old/x?a=1', 'http://e.example/qsdir/x?a=1',
     '<Directory> Discard: not seen by a server-level rule'],
    ['/defects/qsdir/sec/page.html?a=1', 'http://e.example/qsdirsec',
     '<Directory> Discard: seen by a rule of the <Directory>'],
    ['/defects/qsloc/x?a=1', 'http://e.example/qsloc/x',
     '<Location> Discard: seen by a server-level rule'],
    ['/defects/qsif/x?a=1', 'http://e.example/qsif/x',
     '<If> Discard: seen by a server-level rule'],
);

my $LITERAL_HOST = 'the scheme and host of the target must be literal text: '
    . 'no capture or variable before the path';
my $TWO_FIELDS = "expected two fields, 'URL-path URL'";
my $BOM = "\xEF\xBB\xBF";
my $LOGGED_BOM = '\xef\xbb\xbf';     # as httpd writes it in a message

# [name, snippet, map file text (m.map) or undef, line of the snippet,
#  message (DIR/ stands for the directory of the snippet)]
my @errors = (
    map({
        my $target = $_;
        ["variable in the authority: $target",
         "<Location /x>\n    Redirect307 \"$target\"\n</Location>\n", undef,
         2, "Redirect307: '$target': $LITERAL_HOST"]
    } 'https://user%{HTTP:X}@api.example/x',
      'https://user%{HTTP:X}@api.example',
      'https://u%{HTTP:X}v@api.example/x',
      'https://user:%{HTTP:X}@api.example/x',
      'https://u%{HTTP:X}:p@api.example/x',
      'https://%{HTTP:X}@api.example/x',
      'https://api.example:%{SERVER_PORT}/x',
      'https://api.example:%{SERVER_PORT}',
      'https://user@api.example:%{SERVER_PORT}/x'),
    ['map: a third field', "Redirect307Map \@DIR\@/m.map\n",
     "/a https://e.example/a extra\n", 1,
     "Redirect307Map: DIR/m.map:1: $TWO_FIELDS"],
    ['map: a third field after a comment line',
     "Redirect307Map \@DIR\@/m.map\n",
     "/a https://e.example/a # note\n/b https://e.example/b c # d\n", 1,
     "Redirect307Map: DIR/m.map:2: $TWO_FIELDS"],
    ['map: a comment in place of the target',
     "Redirect307Map \@DIR\@/m.map\n", "/a # note\n", 1,
     "Redirect307Map: DIR/m.map:1: $TWO_FIELDS"],
    ['map: a BOM after the first line', "Redirect307Map \@DIR\@/m.map\n",
     "/a https://e.example/a\n$BOM/b https://e.example/b\n", 1,
     "Redirect307Map: DIR/m.map:2: URL-path '$LOGGED_BOM/b' must start "
     . "with '/'"],
    ['map: two BOMs', "Redirect307Map \@DIR\@/m.map\n",
     "$BOM$BOM/b https://e.example/b\n", 1,
     "Redirect307Map: DIR/m.map:1: URL-path '$LOGGED_BOM/b' must start "
     . "with '/'"],
);

# [name, snippet, map file text or undef]: httpd -t passes, no warning
my @valid = (
    map({
        ["expression after the authority: $_",
         "<Location /x>\n    Redirect307 \"$_\"\n</Location>\n", undef]
    } 'https://new.example%{REQUEST_URI}',
      'https://new.example:8443%{REQUEST_URI}',
      'https://user@new.example%{REQUEST_URI}',
      'https://user:pw@new.example:8443%{REQUEST_URI}',
      'https://new.example%{REQUEST_URI}.html',
      'https://new.example%{REQUEST_URI}?by=a@b',
      'https://new.example/%{HTTP:X}@x'),
    ['map: BOM only', "Redirect307Map \@DIR\@/m.map\n", $BOM],
    ['map: BOM, CRLF and comments', "Redirect307Map \@DIR\@/m.map\n",
     "$BOM# head\r\n/a https://e.example/a # note\r\n"
     . "/b\thttps://e.example/b\t#\r\n\r\n"],
);

plan tests => 2 * @requests + 3 + 2 * @errors + 2 * @valid + 3;

Apache::TestRequest::user_agent(requests_redirectable => 0, reset => 1);

for my $case (@requests) {
    my ($path, $location, @rest) = @$case;
    my $name = pop @rest;
    check_answer(send_request('GET', $path), $location, $rest[0],
                 "GET $path ($name)");
}

# a remote ErrorDocument 307: httpd sends its URL with 302 instead
my $res = send_request('GET', '/defects/errdoc/x');
ok t_cmp($res->code, 302, 'remote ErrorDocument 307: httpd answers 302');
ok t_cmp($res->header('Location'), 'https://docs.example/moved',
         'remote ErrorDocument 307: Location is the ErrorDocument URL');
# the manual (docs/manual.txt) says what the suite checks
my $readme = do {
    local $/;
    my $file = top_dir() . '/docs/manual.txt';
    open my $fh, '<', $file or die "$file: $!";
    <$fh>;
};
(my $flat = $readme) =~ s/\s+/ /g;
readme_says(qr/remote ErrorDocument[^.]*\b302\b/,
            'a remote ErrorDocument 307 turns the 307 into a 302');

for my $case (@errors) {
    my ($name, $snippet, $map, $line, $message) = @$case;
    my ($rc, $out, $file) = httpd_t($snippet,
                                    defined $map ? (files => {'m.map' => $map})
                                                 : ());
    my $dir = dirname($file);
    ok t_cmp($rc, 1, "$name: httpd -t fails");
    (my $text = $message) =~ s{\bDIR(?=/)}{$dir}g;
    my $want = "Syntax error on line $line of $file:\n$text\n";
    my $ok = index($out, $want) >= 0;
    print "# expected: $want", map { "# httpd -t: $_\n" } split /\n/, $out
        unless $ok;
    ok $ok;
}

for my $case (@valid) {
    my ($name, $snippet, $map) = @$case;
    my ($rc, $out) = httpd_t($snippet,
                             defined $map ? (files => {'m.map' => $map}) : ());
    ok t_cmp($rc, 0, "$name: httpd -t passes");
    ok t_cmp($out, "Syntax OK\n", "$name: only Syntax OK");
}

# the README says what the suite checks
my $dir_setting = 'Redirect307QueryString in <Directory>, <Files> or '
    . '.htaccess does not reach server-level rules';
readme_says(qr/\Q$dir_setting\E/,
            '<Directory> settings do not reach server-level rules');
readme_says(qr/byte-order mark/, 'map files may start with a BOM');
readme_says(qr/RegexDefaultOptions \+ICASE/,
            'RegexDefaultOptions +ICASE is honoured');

sub readme_says {
    my ($re, $what) = @_;
    my $ok = $flat =~ $re;
    print "# the manual does not match $re\n" unless $ok;
    ok t_cmp($ok ? 1 : 0, 1, "manual: $what");
}
