# Configuration errors: `httpd -t` refuses every bad directive with a
# message that names the directive, and httpd names the file and line (for
# map files the module names the map file and its line as well).  A valid
# configuration using every directive passes; a shadowed duplicate prefix
# rule and a duplicate map key are warnings, not errors.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(plan ok);
use Apache::TestUtil qw(t_cmp);
use File::Basename qw(dirname);
use Redirect307Test qw(httpd_t);

my $ARGS_REDIRECT = 'Redirect307 takes 1-2 arguments, a URL-path, then the '
    . 'URL to redirect to; or, in a directory context, only the URL (an '
    . 'expression string)';
my $ARGS_MATCH = 'Redirect307Match takes two arguments, a regular expression '
    . 'matched against the URL-path, then the URL to redirect to ($0-$9 are '
    . 'captures)';
my $ARGS_MAP = "Redirect307Map takes one, two or three arguments, the path "
    . "of a file of 'URL-path URL' lines (or of a .csv file), then the "
    . "options nocase and noslash";
my $ARGS_QS = "Redirect307QueryString takes one argument, Merge (keep the "
    . "request's query string) or Discard";
my $ARGS_ENGINE = 'Redirect307Engine takes one argument, On or Off: Off '
    . 'exempts the requests covered from every Redirect307 rule';
my $ARGS_PROXY = 'Redirect307TrustedProxy requires at least one argument, '
    . 'one or more IP addresses or CIDR ranges of proxies whose Forwarded / '
    . 'X-Forwarded-Proto headers are believed';
my $NEITHER = 'the target is neither an absolute URL (scheme://host/...) '
    . "nor a path starting with '/'";
my $SLASHES = "a path target must not start with '//': write the scheme, "
    . "as in 'https://host/path'";
my $ONE_ARG = "Redirect307: missing URL: write 'Redirect307 URL-path URL' "
    . "(the one-argument form 'Redirect307 URL' belongs in <Location>, "
    . "<Directory>, <Files>, <If> and .htaccess)";
my $LITERAL_START = 'the target must not start with a capture: its scheme '
    . 'and host must be written literally';
my $LITERAL_HOST = 'the scheme and host of the target must be literal text: '
    . 'no capture or variable before the path';
my $BAD_IP = "is not an IP address or CIDR range";
my $TWO_FIELDS = "expected two fields, 'URL-path URL'";

# [name, snippet, map file text (m.map) or undef, line of the snippet,
#  message: a string (the whole message line; DIR/ stands for the directory
#  of the snippet) or a regex]
my @errors = (
    # --- missing and extra arguments, for each directive
    ['Redirect307 without arguments', "Redirect307\n", undef, 1,
     $ARGS_REDIRECT],
    ['Redirect307 with three arguments', "Redirect307 /a /b /c\n", undef, 1,
     $ARGS_REDIRECT],
    ['Redirect307 without arguments in <Location>',
     "<Location /x>\n    Redirect307\n</Location>\n", undef, 2,
     $ARGS_REDIRECT],
    ['Redirect307Match without arguments', "Redirect307Match\n", undef, 1,
     $ARGS_MATCH],
    ['Redirect307Match with one argument', "Redirect307Match ^/a\n", undef,
     1, $ARGS_MATCH],
    ['Redirect307Match with three arguments', "Redirect307Match ^/a /b /c\n",
     undef, 1, $ARGS_MATCH],
    ['Redirect307Map without arguments', "Redirect307Map\n", undef, 1,
     $ARGS_MAP],
    ['Redirect307Map with a second file instead of an option',
     "Redirect307Map a.map b.map\n", undef, 1,
     "Redirect307Map: unknown option 'b.map': use nocase or noslash"],
    ['Redirect307Map with four arguments',
     "Redirect307Map a.map nocase noslash nocase\n", undef, 1, $ARGS_MAP],
    ['Redirect307QueryString without arguments', "Redirect307QueryString\n",
     undef, 1, $ARGS_QS],
    ['Redirect307QueryString with two arguments',
     "Redirect307QueryString Merge Discard\n", undef, 1, $ARGS_QS],
    ['Redirect307Engine without arguments', "Redirect307Engine\n", undef, 1,
     $ARGS_ENGINE],
    ['Redirect307Engine with two arguments',
     "# the second word must not be ignored\nRedirect307Engine On Off\n",
     undef, 2, $ARGS_ENGINE],
    ['Redirect307TrustedProxy without arguments',
     "Redirect307TrustedProxy\n", undef, 1, $ARGS_PROXY],

    # --- URL-paths
    ['URL-path not starting with /', "Redirect307 old /x\n", undef, 1,
     "Redirect307: URL-path 'old' must start with '/'"],
    # httpd itself takes an empty first word for a missing argument
    ['empty URL-path', "Redirect307 \"\" /x\n", undef, 1, $ARGS_REDIRECT],
    ['URL-path with a bad percent-encoding', "Redirect307 /x%zz /a\n",
     undef, 1, "Redirect307: URL-path '/x%zz' has a bad percent-encoding"],

    # --- targets neither absolute URL nor /path
    ['target without scheme', "Redirect307 /x example.com/x\n", undef, 1,
     "Redirect307: 'example.com/x': $NEITHER"],
    ['target scheme without //', "Redirect307 /x https:host\n", undef, 1,
     "Redirect307: 'https:host': $NEITHER"],
    ['target starting with //', "Redirect307 /x //host/x\n", undef, 1,
     "Redirect307: '//host/x': $SLASHES"],
    ['relative target', "Redirect307 /x x/y\n", undef, 1,
     "Redirect307: 'x/y': $NEITHER"],
    ['target without host', "Redirect307 /x http:///path\n", undef, 1,
     "Redirect307: 'http:///path': the target has no host"],
    ['Redirect307Match target without scheme',
     "Redirect307Match ^/(x) example.com/\$1\n", undef, 1,
     "Redirect307Match: 'example.com/\$1': $NEITHER"],
    ['Redirect307Match target starting with //',
     "Redirect307Match ^/(x) //host/\$1\n", undef, 1,
     "Redirect307Match: '//host/\$1': $SLASHES"],
    ['one-argument target without scheme in <Location>',
     "<Location /x>\n    Redirect307 example.com/x\n</Location>\n", undef, 2,
     "Redirect307: 'example.com/x': $NEITHER"],

    # --- one-argument Redirect307 outside directory contexts
    ['one-argument Redirect307 in server config', "Redirect307 /x\n", undef,
     1, $ONE_ARG],
    ['one-argument Redirect307 in <VirtualHost>',
     "<VirtualHost 127.0.0.1:*>\n    ServerName v.example\n"
     . "    Redirect307 http://n.example/\n</VirtualHost>\n", undef, 3,
     $ONE_ARG],

    # --- keywords
    ['Redirect307QueryString with a bad keyword',
     "Redirect307QueryString Maybe\n", undef, 1,
     "Redirect307QueryString: unknown keyword 'Maybe': use Merge or Discard"],
    ['Redirect307QueryString with a bad keyword in <Location>',
     "<Location /x>\n    Redirect307QueryString keep\n</Location>\n", undef,
     2, "Redirect307QueryString: unknown keyword 'keep': use Merge or "
     . "Discard"],
    ['Redirect307Engine with a bad keyword', "Redirect307Engine maybe\n",
     undef, 1, "Redirect307Engine: unknown keyword 'maybe': use On or Off"],
    ['Redirect307Engine with a bad keyword in <Directory>',
     "<Directory /tmp>\n    Redirect307Engine 1\n</Directory>\n", undef, 2,
     "Redirect307Engine: unknown keyword '1': use On or Off"],

    # --- Redirect307Match
    ['regex that does not compile', "Redirect307Match \"^/(x\" /y\n", undef,
     1, qr/^Redirect307Match: the regular expression '\^\/\(x' does not compile: \S.*$/m],
    ['$2 with one group', "Redirect307Match ^/(x) /y/\$2\n", undef, 1,
     "Redirect307Match: '/y/\$2': the target uses \$2, but the regular "
     . "expression has 1 group"],
    ['$1 without groups', "Redirect307Match ^/x http://h.example/\$1\n",
     undef, 1, "Redirect307Match: 'http://h.example/\$1': the target uses "
     . "\$1, but the regular expression has 0 groups"],
    ['target starting with $1', "Redirect307Match ^/(x) \$1/y\n", undef, 1,
     "Redirect307Match: '\$1/y': $LITERAL_START"],
    ['target starting with $0', "Redirect307Match ^/.* \$0\n", undef, 1,
     "Redirect307Match: '\$0': $LITERAL_START"],
    ['capture in the host', "Redirect307Match ^/(x) http://\$1.example/\n",
     undef, 1, "Redirect307Match: 'http://\$1.example/': $LITERAL_HOST"],
    ['capture in the port',
     "Redirect307Match ^/(\\d+) http://h.example:\$1/\n", undef, 1,
     "Redirect307Match: 'http://h.example:\$1/': $LITERAL_HOST"],
    ['capture in the user part',
     "Redirect307Match ^/(x) http://\$1\@h.example/\n", undef, 1,
     "Redirect307Match: 'http://\$1\@h.example/': $LITERAL_HOST"],
    ['variable as the host of a one-argument target',
     "<Location /x>\n    Redirect307 \"https://%{HTTP_HOST}%{REQUEST_URI}\"\n"
     . "</Location>\n", undef, 2,
     "Redirect307: 'https://%{HTTP_HOST}%{REQUEST_URI}': $LITERAL_HOST"],
    ['capture as the whole authority',
     "Redirect307Match ^/(x) https://\$1/p\n", undef, 1,
     "Redirect307Match: 'https://\$1/p': $LITERAL_HOST"],

    # --- Redirect307Map: the file
    ['missing map file', "Redirect307Map \@DIR\@/none.map\n", undef, 1,
     'Redirect307Map: cannot read DIR/none.map: No such file or directory'],
    ['relative map path is under ServerRoot', "Redirect307Map none.map\n",
     undef, 1,
     'Redirect307Map: cannot read DIR/none.map: No such file or directory'],
    ['map path is a directory', "Redirect307Map \@DIR\@\n", undef, 1,
     'Redirect307Map: DIR is not a regular file'],
    # --- Redirect307Map: bad lines, with the map file and its line
    ['map line with one field',
     "# a map\n\nRedirect307Map \@DIR\@/m.map\n",
     "# comment\n\n/ok http://m.example/ok\n/alone\n", 3,
     "Redirect307Map: DIR/m.map:4: $TWO_FIELDS"],
    ['map line with three fields', "Redirect307Map \@DIR\@/m.map\n",
     "/ok http://m.example/ok\n/a /b /c\n", 1,
     "Redirect307Map: DIR/m.map:2: $TWO_FIELDS"],
    ['map key not starting with /', "Redirect307Map \@DIR\@/m.map\n",
     "# comment\nold http://m.example/\n", 1,
     "Redirect307Map: DIR/m.map:2: URL-path 'old' must start with '/'"],
    ['map key with a bad percent-encoding',
     "Redirect307Map \@DIR\@/m.map\n",
     "\n\n\n/a%2 http://m.example/\n", 1,
     "Redirect307Map: DIR/m.map:4: URL-path '/a%2' has a bad "
     . "percent-encoding"],
    ['map target without scheme', "Redirect307Map \@DIR\@/m.map\n",
     "/a http://m.example/\n/b example.com/x\n", 1,
     "Redirect307Map: DIR/m.map:2: 'example.com/x': $NEITHER"],
    ['map target with scheme but no //', "Redirect307Map \@DIR\@/m.map\n",
     "/a https:host\n", 1,
     "Redirect307Map: DIR/m.map:1: 'https:host': $NEITHER"],
    ['map target starting with //', "Redirect307Map \@DIR\@/m.map\n",
     "/a /ok\n/b /ok\n/c //host/x\n", 1,
     "Redirect307Map: DIR/m.map:3: '//host/x': $SLASHES"],

    # --- server-only directives in directory contexts
    ['Redirect307Map in <Location>',
     "<Location /x>\n    Redirect307Map \@DIR\@/m.map\n</Location>\n",
     "/a /b\n", 2, 'Redirect307Map not allowed in <Location> context'],
    ['Redirect307Map in <Directory>',
     "<Directory /tmp>\n    Redirect307Map \@DIR\@/m.map\n</Directory>\n",
     "/a /b\n", 2, 'Redirect307Map not allowed in <Directory> context'],
    ['Redirect307TrustedProxy in <Location>',
     "<Location /x>\n    Redirect307TrustedProxy 127.0.0.1\n</Location>\n",
     undef, 2, 'Redirect307TrustedProxy not allowed in <Location> context'],
    ['Redirect307TrustedProxy in <Directory>',
     "<Directory /tmp>\n    Redirect307TrustedProxy 127.0.0.1\n"
     . "</Directory>\n", undef, 2,
     'Redirect307TrustedProxy not allowed in <Directory> context'],

    # --- Redirect307TrustedProxy addresses
    ['TrustedProxy with a bad IPv4 address',
     "Redirect307TrustedProxy 999.1.1.1\n", undef, 1,
     "Redirect307TrustedProxy: '999.1.1.1' $BAD_IP: The specified IP "
     . "address is invalid."],
    ['TrustedProxy with a bad mask',
     "Redirect307TrustedProxy 10.0.0.0/33\n", undef, 1,
     "Redirect307TrustedProxy: '10.0.0.0/33' $BAD_IP: The specified "
     . "network mask is invalid."],
    ['TrustedProxy with a bad IPv6 mask',
     "Redirect307TrustedProxy ::1/129\n", undef, 1,
     qr/^Redirect307TrustedProxy: '::1\/129' \Q$BAD_IP\E: \S.*$/m],
    ['TrustedProxy with a host name after a good address',
     "Redirect307TrustedProxy 10.0.0.1 proxy.example\n", undef, 1,
     qr/^Redirect307TrustedProxy: 'proxy\.example' \Q$BAD_IP\E: \S.*$/m],
);

# valid configurations: [name, snippet, map text, warning lines expected
# (DIR/ and FILE stand for the directory and the snippet file)]
my $map_ok = <<'EOF';
# old paths
/old/catalog.php        https://shop.example/catalog
/prices%20(2019).pdf    /archive/prices-2019.pdf

/q                      http://m.example/q?a=1#f
EOF
my @valid = (
    ['every directive, in every context it is allowed in', <<'EOF', $map_ok, []],
Redirect307QueryString merge
Redirect307Engine on
Redirect307Engine OFF
Redirect307TrustedProxy 10.0.0.0/8 192.0.2.7 ::1 2001:db8::/32
Redirect307 /old https://new.example/new
Redirect307 /caf%C3%A9 /cafe
Redirect307 /frag http://e.example/p?t=1#sec
Redirect307Match "^/blog/(\d{4})/(.*)$" "https://blog.example/$1/$2?from=$0#\$x"
Redirect307Map @DIR@/m.map
Redirect307Map m.map
<VirtualHost 127.0.0.1:*>
    ServerName v.example
    Redirect307TrustedProxy 127.0.0.1
    Redirect307QueryString Discard
    Redirect307Engine Off
    Redirect307 /v http://v.example/
    Redirect307Match ^/v/(.*) /w/$1
    Redirect307Map @DIR@/m.map
    <Location /v/on>
        Redirect307Engine On
        Redirect307 "https://api.example%{REQUEST_URI}"
    </Location>
</VirtualHost>
<Location /api>
    Redirect307QueryString Discard
    Redirect307Engine On
    Redirect307 "https://api.example%{REQUEST_URI}"
    Redirect307 /api/x /x
    Redirect307Match ^/api/(y) /y/$1
</Location>
<LocationMatch "^/lm/">
    Redirect307 /lm-target
</LocationMatch>
<Directory "@DIR@">
    Redirect307Engine Off
    Redirect307 /d http://d.example/
</Directory>
<Files "x.html">
    Redirect307 /files
</Files>
<If "%{REQUEST_METHOD} == 'POST'">
    Redirect307 "/post-handler"
</If>
<Else>
    Redirect307QueryString Merge
</Else>
EOF
    ['a shadowed duplicate prefix rule', <<'EOF', undef,
Redirect307 /x /a
Redirect307 /x /b
EOF
     ["Redirect307 at FILE:2 never matches: FILE:1 has the same URL-path "
      . "'/x'"]],
    ['a duplicate written with another percent-encoding', <<'EOF', undef,
Redirect307 /caf%C3%A9 /a

Redirect307 /caf%c3%a9 /b
EOF
     ["Redirect307 at FILE:3 never matches: FILE:1 has the same URL-path "
      # httpd's log escapes bytes outside ASCII
      . "'/caf\\xc3\\xa9'"]],
    ['the same URL-path in different scopes is no duplicate', <<'EOF', undef, []],
Redirect307 /x /a
<Location /x>
    Redirect307 /x /b
</Location>
<VirtualHost 127.0.0.1:*>
    Redirect307 /x /c
</VirtualHost>
Redirect307 /x/ /d
Redirect307Match ^/x /e
EOF
    ['a duplicate map key', "Redirect307Map \@DIR\@/m.map\n",
     "# map\n/a http://m.example/1\n/b http://m.example/b\n"
     . "/a http://m.example/2\n", ["Redirect307Map: DIR/m.map:4: '/a' is "
     . "already mapped at line 2; the first entry wins"]],
);

plan tests => 2 * @errors + 3 * @valid;

for my $case (@errors) {
    my ($name, $snippet, $map, $line, $message) = @$case;
    my ($rc, $out, $file) = httpd_t($snippet,
                                    defined $map ? (files => {'m.map' => $map})
                                                 : ());
    my $dir = dirname($file);
    ok t_cmp($rc, 1, "$name: httpd -t fails");
    my $where = "Syntax error on line $line of $file:\n";
    my $ok;
    if (ref $message) {
        my ($after) = $out =~ /\Q$where\E(.*)/s;
        $ok = defined $after && $after =~ $message;
    }
    else {
        (my $text = $message) =~ s{\bDIR(?=/| )}{$dir}g;
        $ok = index($out, "$where$text\n") >= 0;
        print "# expected:\n# $where# $text\n" unless $ok;
    }
    print map { "# httpd -t: $_\n" } split /\n/, $out unless $ok;
    ok $ok;
}

for my $case (@valid) {
    my ($name, $snippet, $map, $warnings) = @$case;
    my ($rc, $out, $file) = httpd_t($snippet,
                                    defined $map ? (files => {'m.map' => $map})
                                                 : ());
    my $dir = dirname($file);
    ok t_cmp($rc, 0, "$name: httpd -t passes");
    ok t_cmp($out, qr/^Syntax OK$/m, "$name: Syntax OK");
    # exactly the expected warnings, nothing else
    my @got = map { /\] (Redirect307.*)$/ ? $1 : $_ }
        grep { $_ ne 'Syntax OK' } split /\n/, $out;
    my @want = map { (my $w = $_) =~ s{\bDIR/}{$dir/}g;
                     $w =~ s{\bFILE\b}{$file}g; $w } @$warnings;
    my $same = "@got" eq "@want";
    print map { "# got:  $_\n" } @got unless $same;
    print map { "# want: $_\n" } @want unless $same;
    ok $same;
    if (!$same) {
        print map { "# httpd -t: $_\n" } split /\n/, $out;
    }
}
