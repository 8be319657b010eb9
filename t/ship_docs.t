# Docs that stay true: tools/check-docs.pl passes on the real
# docs/manual.txt, README and mod_redirect307.c, and catches each kind of
# drift, shown on changed copies (the real files are only read):
#   - a directive of the command_rec table missing from the manual's
#     "Directive reference", or one documented there that the code does not
#     have
#   - a directive missing from the README's "Directives" table, or a row
#     there for one the code does not have
#   - a Context: or Override: line that differs from the command's flags,
#     changed on either side
#   - Syntax: lines that take other arguments than the AP_INIT_* type
#   - a field of redirect307_dir_conf / redirect307_server_conf that the
#     create or the merge function does not assign
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(plan ok);
use Apache::TestUtil qw(t_cmp);
use File::Temp qw(tempdir);
use Redirect307Test qw(top_dir);

my $top = top_dir();
my $script = "$top/tools/check-docs.pl";

sub slurp {
    my ($file) = @_;
    open my $fh, '<', $file or die "$file: $!";
    local $/;
    return scalar <$fh>;
}
my $real_c = slurp("$top/mod_redirect307.c");
my $real_manual = slurp("$top/docs/manual.txt");
my $real_readme = slurp("$top/README");
my $dir = tempdir('r307-docs-XXXXXX', TMPDIR => 1, CLEANUP => 1);

# run the script on (changed) copies; returns exit code and the problem lines
sub run_check {
    my ($c, $manual, $readme) = @_;
    $readme //= $real_readme;
    for (['mod_redirect307.c', $c], ['manual.txt', $manual],
         ['README', $readme]) {
        open my $fh, '>', "$dir/$_->[0]" or die "$dir/$_->[0]: $!";
        print $fh $_->[1];
        close $fh;
    }
    my $out = `'$^X' '$script' --source '$dir/mod_redirect307.c' --manual '$dir/manual.txt' --readme '$dir/README' 2>&1`;
    return ($? >> 8, $out);
}

# s/// on a copy that must change it: a drift that cannot be made is a
# failed test, not a silent pass
sub changed {
    my ($text, $edit, $name) = @_;
    my $copy = $text;
    local $_ = $copy;
    my $n = $edit->();
    die "ship_docs.t: the change \"$name\" does not apply any more\n"
        unless $n && $_ ne $text;
    return $_;
}

# the parts of the module record: create/merge dir, create/merge server
my ($record) = $real_c =~ /AP_DECLARE_MODULE\s*\(\s*\w+\s*\)\s*=\s*\{(.*?)\}/s;
my @slots = map { s/^\s+|\s+$//gr } map { s{/\*.*?\*/}{}gsr } split /,/, $record;
shift @slots;
my ($create_dir, $merge_dir, $create_server, $merge_server) = @slots[0 .. 3];

# drop the first "x->field = ...;" statement from a function's body
sub drop_assignment {
    my ($func) = @_;
    my $field;
    my $c = changed($real_c, sub {
        my ($head, $body, $tail) =
            /^(.*?\b\Q$func\E\s*\([^;{]*\)\s*\{)(.*?)(\n\}\n.*)\z/s
            or return 0;
        $body =~ s/\n[^\n;]*->\s*(\w+)\s*=(?!=)[^;]*;//s or return 0;
        $field = $1;
        $_ = $head . $body . $tail;
        return 1;
    }, "drop an assignment from $func");
    return ($c, $field);
}

my @cases = (
    # [name, C copy, manual copy, expected problem lines (regexes),
    #  README copy (default: the real one)]
    ['manual: a directive missing from the reference', $real_c,
     changed($real_manual, sub { s/^Redirect307Map\n~+\n.*?(?=^\S+\n~+\n)//ms },
             'remove the Redirect307Map section'),
     [qr/^check-docs: Redirect307Map: in the command_rec table of \S+ but not in the "Directive reference"/]],
    ['manual: a Context line that is wrong', $real_c,
     changed($real_manual, sub {
         s/^(Redirect307Map\n~+\n.*?Context:\s+)server config, virtual host\n/$1server config, virtual host, directory\n/ms
     }, 'Context of Redirect307Map'),
     [qr/^check-docs: Redirect307Map: the manual says "Context: server config, virtual host, directory", the code \(RSRC_CONF\) means "server config, virtual host"$/]],
    ['manual: an Override line that is wrong', $real_c,
     changed($real_manual, sub {
         s/^(Redirect307QueryString\n~+\n.*?Override:\s+)FileInfo\n/$1Options\n/ms
     }, 'Override of Redirect307QueryString'),
     [qr/^check-docs: Redirect307QueryString: the manual says "Override: Options", the code \(RSRC_CONF \| ACCESS_CONF \| OR_FILEINFO\) means "FileInfo"$/]],
    ['manual: a directive the code does not have', $real_c,
     changed($real_manual, sub {
         s/^(Redirect307Map\n~+\n)/Redirect307Bogus\n~~~~~~~~~~~~~~~~\n    Syntax:      Redirect307Bogus On|Off\n    Context:     server config\n    Override:    not applicable\n\n$1/m
     }, 'add Redirect307Bogus'),
     [qr/^check-docs: Redirect307Bogus: in the "Directive reference" of \S+ but not in the command_rec table/]],
    ['manual: a Syntax line with another number of arguments', $real_c,
     changed($real_manual, sub {
         s/^(\s+Syntax:\s+Redirect307Match) regex URL$/$1 regex/m
     }, 'Syntax of Redirect307Match'),
     [qr/^check-docs: Redirect307Match: AP_INIT_TAKE2 takes 2 argument\(s\), the manual's Syntax says 1$/]],
    ['code: a new directive in neither the manual nor the README',
     changed($real_c, sub {
         s/(\n(\s*)\{\s*NULL\s*\}\s*\n\s*\};)/\n$2AP_INIT_TAKE1("Redirect307Extra", NULL, NULL, RSRC_CONF, "x"),$1/
     }, 'add Redirect307Extra'),
     $real_manual,
     [qr/^check-docs: Redirect307Extra: in the command_rec table of \S+ but not in the "Directive reference"/,
      qr/^check-docs: Redirect307Extra: in the command_rec table of \S+ but not in the "Directives" table/]],
    ['README: a directive missing from the "Directives" table', $real_c,
     $real_manual,
     [qr/^check-docs: Redirect307Map: in the command_rec table of \S+ but not in the "Directives" table/],
     changed($real_readme, sub { s/^ {4}Redirect307Map .*\n(?: {20,}\S.*\n)*//m },
             'remove the Redirect307Map row')],
    ['README: a row for a directive the code does not have', $real_c,
     $real_manual,
     [qr/^check-docs: Redirect307Bogus: in the "Directives" table of \S+ but not in the command_rec table/],
     changed($real_readme, sub {
         s/^( {4}Redirect307Map )/    Redirect307Bogus         On|Off                 nothing\n$1/m
     }, 'add a Redirect307Bogus row')],
    ['code: a directive allowed in more contexts',
     changed($real_c, sub {
         s/(AP_INIT_\w+\s*\(\s*"Redirect307Map"\s*,[^,]+,[^,]+,\s*)RSRC_CONF\b/$1RSRC_CONF | ACCESS_CONF/
     }, 'flags of Redirect307Map'),
     $real_manual,
     [qr/^check-docs: Redirect307Map: the manual says "Context: server config, virtual host", the code \(RSRC_CONF \| ACCESS_CONF\) means "server config, virtual host, directory"$/]],
    ['code: another override class',
     changed($real_c, sub {
         s/(AP_INIT_\w+\s*\(\s*"Redirect307QueryString"\s*,[^,]+,[^,]+,[^,]*?)OR_FILEINFO/$1OR_OPTIONS/
     }, 'override of Redirect307QueryString'),
     $real_manual,
     [qr/^check-docs: Redirect307QueryString: the manual says "Override: FileInfo", the code \(RSRC_CONF \| ACCESS_CONF \| OR_OPTIONS\) means "Options"$/]],
    ['code: another argument count',
     changed($real_c, sub {
         s/AP_INIT_TAKE2(\s*\(\s*"Redirect307Match")/AP_INIT_TAKE1$1/
     }, 'type of Redirect307Match'),
     $real_manual,
     [qr/^check-docs: Redirect307Match: AP_INIT_TAKE1 takes 1 argument\(s\), the manual's Syntax says 2$/]],
    ['code: a new per-directory field in neither create nor merge',
     changed($real_c, sub {
         s/(\n\}\s*redirect307_dir_conf\s*;)/\n    int status_code;$1/
     }, 'add a field to redirect307_dir_conf'),
     $real_manual,
     [qr/^check-docs: redirect307_dir_conf\.status_code: not assigned in \Q$create_dir\E\(\)$/,
      qr/^check-docs: redirect307_dir_conf\.status_code: not assigned in \Q$merge_dir\E\(\)$/]],
    ['code: a new per-server field in neither create nor merge',
     changed($real_c, sub {
         s/(\n\}\s*redirect307_server_conf\s*;)/\n    const char *proxy_header;$1/
     }, 'add a field to redirect307_server_conf'),
     $real_manual,
     [qr/^check-docs: redirect307_server_conf\.proxy_header: not assigned in \Q$create_server\E\(\)$/,
      qr/^check-docs: redirect307_server_conf\.proxy_header: not assigned in \Q$merge_server\E\(\)$/]],
);

# a field's assignment dropped from each of the four functions
for my $f (['redirect307_dir_conf', $create_dir],
           ['redirect307_dir_conf', $merge_dir],
           ['redirect307_server_conf', $create_server],
           ['redirect307_server_conf', $merge_server]) {
    my ($type, $func) = @$f;
    my ($c, $field) = drop_assignment($func);
    push @cases, ["code: $func() no longer assigns a field", $c, $real_manual,
                  [qr/^check-docs: \Q$type.$field\E: not assigned in \Q$func\E\(\)$/]];
}

plan tests => 3 + 3 * @cases + 2;

# the real files
my ($rc, $out) = run_check($real_c, $real_manual);
ok t_cmp($rc, 0, 'the real manual, README and mod_redirect307.c agree');
ok t_cmp($out, qr/^check-docs: ok \(\d+ directives, \d+ configuration fields\)\n\z/,
         'check-docs: ok');
print "# $_\n" for split /\n/, $out;
# and the script in the tree, run as the suite's users would run it
my $direct = `'$^X' '$script' 2>&1`;
ok t_cmp($? >> 8, 0, 'tools/check-docs.pl with its default paths');

for my $case (@cases) {
    my ($name, $c, $manual, $want, $readme) = @$case;
    ($rc, $out) = run_check($c, $manual, $readme);
    my @lines = split /\n/, $out;
    ok t_cmp($rc, 1, "$name: exit code 1");
    print "# $_\n" for @lines;
    ok t_cmp(scalar @lines, scalar @$want, "$name: one line per problem");
    my $matched = grep { my $re = $_; grep { $_ =~ $re } @lines } @$want;
    ok t_cmp($matched, scalar @$want, "$name: the problem is named");
}

# files that cannot be read: exit 2
$out = `'$^X' '$script' --manual '$dir/none' 2>&1`;
$rc = $? >> 8;
ok t_cmp($rc, 2, 'an unreadable manual: exit 2');
ok t_cmp($out, qr/check-docs: \S+none: /, 'an unreadable manual: named');
