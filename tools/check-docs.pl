#!/usr/bin/perl
# Keeps the documentation and the configuration code of mod_redirect307 in
# step.
#
#   tools/check-docs.pl [--source FILE|DIR ...] [--manual docs/manual.txt]
#                       [--readme README]
#
# The C source is every top-level *.c and *.h file of the tree; --source
# (repeatable) names other files, or directories whose *.c and *.h files
# are read.
#
# Fails (exit 1, one line per problem) when
#   - a directive of the command_rec table is missing from the manual's
#     "Directive reference", or the reference describes one the code does
#     not have;
#   - a directive of the command_rec table has no line in the README's
#     "Directives" table, or the table names one the code does not have;
#   - the Context: or Override: line of a directive differs from what its
#     req_override flags allow (RSRC_CONF: "server config, virtual host",
#     ACCESS_CONF: "directory", OR_*: "directory, .htaccess" plus the
#     Override class: OR_FILEINFO "FileInfo", OR_AUTHCFG "AuthConfig",
#     OR_LIMIT "Limit", OR_OPTIONS "Options", OR_INDEXES "Indexes", OR_ALL
#     "All"; no OR_* flag: "not applicable"), in httpd's order; a handler
#     that calls ap_check_cmd_context(cmd, GLOBAL_ONLY): "server config";
#   - the Syntax: lines do not take the arguments the AP_INIT_* type takes
#     (FLAG: On|Off; TAKE1, TAKE2, TAKE12, TAKE3, TAKE23, TAKE123, TAKE13:
#     those counts; ITERATE, ITERATE2: one or two, then more with "...";
#     RAW_ARGS, NO_ARGS: anything / nothing);
#   - a field of redirect307_dir_conf or redirect307_server_conf is not
#     assigned in the create or the merge function the module record names
#     for that structure (every field needs its "unset" value and its
#     inheritance rule).
# Prints "check-docs: ok (...)" and exits 0 otherwise; exit 2 when a file
# cannot be read or parsed at all.  Context:, Override: and Syntax: are the
# lines of the manual's reference.
use strict;
use warnings;

use Cwd qw(abs_path);
use File::Basename qw(dirname);
use Getopt::Long qw(GetOptions);

my $top = dirname(dirname(abs_path(__FILE__)));
my @sources;
my $manual = "$top/docs/manual.txt";
my $readme = "$top/README";
GetOptions('source=s' => \@sources, 'manual=s' => \$manual,
           'readme=s' => \$readme)
    or die "usage: $0 [--source FILE|DIR ...] [--manual FILE] [--readme FILE]\n";
@sources = ($top) unless @sources;
# directories: their *.c and *.h files
@sources = map { -d $_ ? sort(glob("$_/*.c"), glob("$_/*.h")) : $_ } @sources;

my @problems;
sub problem { push @problems, join '', @_ }

sub bail {
    print STDERR "check-docs: @_\n";
    exit 2;
}

sub slurp {
    my ($file) = @_;
    open my $fh, '<', $file or bail("$file: $!");
    local $/;
    my $text = <$fh>;
    close $fh;
    return $text;
}

bail("no C source in @sources") unless @sources;
my %text_of = map { $_ => slurp($_) } @sources;
my $doc = slurp($manual);
my $guide = slurp($readme);
# the file with the command_rec table names the source in messages
my ($source) = grep { $text_of{$_} =~ /\bcommand_rec\s+\w+\s*\[/ } @sources;
$source //= $sources[0];
my $c = join "\n", map { $text_of{$_} } @sources;

# --- the C source -------------------------------------------------------------

# comments out, string literals kept (directive names and help texts)
(my $code = $c) =~ s{/\*.*?\*/}{ }gs;
$code =~ s{//[^\n]*}{}g;

# the command_rec table: AP_INIT_<TYPE>("Name", func, data, flags, "help")
my ($table) = $code =~ /\bcommand_rec\s+\w+\s*\[\s*\]\s*=\s*\{(.*?)\n\s*\{\s*NULL\s*\}/s
    or bail("$source: no command_rec table found");
my %directive;      # name => { type, flags => [...] }
my @order;
while ($table =~ /\bAP_INIT_(\w+)\s*\(\s*"([^"]+)"\s*,\s*([^,]+?)\s*,\s*[^,]+,\s*([^,]+?)\s*,/gs) {
    my ($type, $name, $func, $flags) = ($1, $2, $3, $4);
    # a handler that checks ap_check_cmd_context(cmd, GLOBAL_ONLY) refuses
    # virtual hosts: its context is "server config" alone
    my ($body) = $code =~ /\b\Q$func\E\s*\([^)]*\)\s*\{(.*?)\n\}/s;
    $directive{$name} = { type => $type,
                          global => ($body // '') =~ /\bGLOBAL_ONLY\b/ ? 1 : 0,
                          flags => [ $flags =~ /\b([A-Z_]+)\b/g ] };
    push @order, $name;
}
bail("$source: the command_rec table lists no directive") unless @order;

my %override_name = (OR_FILEINFO => 'FileInfo', OR_AUTHCFG => 'AuthConfig',
                     OR_LIMIT => 'Limit', OR_OPTIONS => 'Options',
                     OR_INDEXES => 'Indexes', OR_ALL => 'All');

# what httpd allows for a set of flags (http_config.c: the server config
# and virtual hosts are parsed with RSRC_CONF and OR_ALL minus AuthConfig
# and Limit, sections with ACCESS_CONF and OR_ALL, .htaccess with the
# AllowOverride classes)
sub expected_context {
    my (@flags) = @_;
    my %f = map { $_ => 1 } @flags;
    my @or = grep { $override_name{$_} } @flags;
    my %or_server = map { $_ => 1 } grep { !/^OR_(AUTHCFG|LIMIT)$/ } @or;
    $or_server{OR_ALL} = 1 if $f{OR_ALL};
    my @ctx;
    push @ctx, 'server config', 'virtual host' if $f{RSRC_CONF} || %or_server;
    push @ctx, 'directory' if $f{ACCESS_CONF} || @or;
    push @ctx, '.htaccess' if @or;
    my $override = @or
        ? join(', ', map { $override_name{$_} }
               ($f{OR_ALL} ? ('OR_ALL') : sort @or))
        : 'not applicable';
    return (join(', ', @ctx), $override);
}

# --- the manual and the README ------------------------------------------------

# the "Directive reference" section: from its heading to the next heading
# underlined with dashes
my ($reference) = $doc =~ /^Directive reference\n-+\n(.*?)(?=^[^\n]+\n-{3,}\n|\z)/ms
    or bail("$manual: no \"Directive reference\" section");

# the README's "Directives" table: after its ruler line ("----  ----"),
# a row starts with the directive's name, its further lines are indented
my ($directives) = $guide =~ /^Directives\n-+\n(.*?)(?=^[^\n]+\n-{3,}\n|\z)/ms
    or bail("$readme: no \"Directives\" section");
my ($rows) = $directives =~ /^ +-{3,}(?: +-{3,})+\n(.*)\z/ms
    or bail("$readme: the \"Directives\" section has no table");
my %in_table = map { $_ => 1 } $rows =~ /^ {1,8}([A-Z]\w*)\s/mg;

# each directive: a name underlined with "~", then indented "Field: value"
# lines (a value may go on over more lines, indented further)
my %documented;
while ($reference =~ /^(\S+)\n~+\n(.*?)(?=^\S+\n~+\n|\z)/msg) {
    my ($name, $body) = ($1, $2);
    my %field;
    my $last;
    for my $line (split /\n/, $body) {
        if ($line =~ /^\s{2,}([A-Z][\w ]*?):\s+(.*?)\s*$/) {
            $last = $1;
            push @{ $field{$last} }, $2;
        }
        elsif (defined $last && $line =~ /^\s{6,}(\S.*?)\s*$/) {
            # a continuation: the next Syntax line, or more of the value
            if ($last eq 'Syntax') {
                push @{ $field{$last} }, $1;
            }
            else {
                $field{$last}[-1] .= " $1";
            }
        }
        else {
            last if $line =~ /\S/ && keys %field;    # the prose begins
        }
    }
    $documented{$name} = \%field;
}

# --- the checks ----------------------------------------------------------------

for my $name (@order) {
    my $d = $directive{$name};
    my $f = $documented{$name};
    problem("$name: in the command_rec table of $source but not in the "
            . "\"Directives\" table of $readme") unless $in_table{$name};
    unless ($f) {
        problem("$name: in the command_rec table of $source but not in the "
                . "\"Directive reference\" of $manual");
        next;
    }
    my ($ctx, $override) = expected_context(@{ $d->{flags} });
    $ctx = 'server config' if $d->{global};
    my $flags = join ' | ', @{ $d->{flags} };
    my $doc_ctx = $f->{Context} ? $f->{Context}[0] : '(none)';
    my $doc_override = $f->{Override} ? $f->{Override}[0] : '(none)';
    problem("$name: the manual says \"Context: $doc_ctx\", the code ($flags) "
            . "means \"$ctx\"") if $doc_ctx ne $ctx;
    problem("$name: the manual says \"Override: $doc_override\", the code "
            . "($flags) means \"$override\"") if $doc_override ne $override;
    check_syntax($name, $d->{type}, $f->{Syntax} || []);
}
for my $name (sort keys %documented) {
    problem("$name: in the \"Directive reference\" of $manual but not in "
            . "the command_rec table of $source") unless $directive{$name};
}
for my $name (sort keys %in_table) {
    problem("$name: in the \"Directives\" table of $readme but not in "
            . "the command_rec table of $source") unless $directive{$name};
}

# the argument counts a Syntax line allows: [min, max] (max undef: any)
sub syntax_counts {
    my ($args) = @_;
    my $repeat = $args =~ s/\s*\.\.\.\s*$//;
    my ($min, $max) = (0, 0);
    my $depth = 0;
    for my $word (split ' ', $args) {
        my $optional = $depth > 0 || $word =~ /^\[/;
        $depth += () = $word =~ /\[/g;
        $depth -= () = $word =~ /\]/g;
        $max++;
        $min++ unless $optional;
    }
    return [$min, $repeat ? undef : $max];
}

sub check_syntax {
    my ($name, $type, $lines) = @_;
    my @counts;
    for my $line (@$lines) {
        my ($first, $args) = $line =~ /^(\S+)\s*(.*)$/;
        if (!defined $first || $first ne $name) {
            problem("$name: Syntax line \"$line\" does not start with "
                    . "the directive's name");
            return;
        }
        if ($type eq 'FLAG' && $args ne 'On|Off') {
            problem("$name: AP_INIT_FLAG takes On|Off, the manual's Syntax says "
                    . "\"$line\"");
            return;
        }
        push @counts, syntax_counts($args);
    }
    problem("$name: no Syntax line in the manual"), return unless @counts;
    my %takes = (FLAG => [1], TAKE1 => [1], TAKE2 => [2], TAKE3 => [3],
                 TAKE12 => [1, 2], TAKE23 => [2, 3], TAKE13 => [1, 3],
                 TAKE123 => [1, 2, 3], NO_ARGS => [0]);
    my %allowed;
    if ($type =~ /^(RAW_ARGS|TAKE_ARGV)$/) {
        return;                     # the handler parses: anything goes
    }
    elsif ($type eq 'ITERATE' || $type eq 'ITERATE2') {
        my $min = $type eq 'ITERATE' ? 1 : 2;
        my @repeating = grep { !defined $_->[1] && $_->[0] <= $min } @counts;
        problem("$name: AP_INIT_$type takes $min or more arguments; no "
                . "the manual's Syntax line says so (\"... ...\")")
            unless @repeating && grep { $_->[0] == $min } @counts;
        return;
    }
    elsif ($takes{$type}) {
        %allowed = map { $_ => 1 } @{ $takes{$type} };
    }
    else {
        problem("$name: unknown directive type AP_INIT_$type");
        return;
    }
    my %said;
    for my $range (@counts) {
        my ($min, $max) = @$range;
        unless (defined $max) {
            problem("$name: AP_INIT_$type takes a fixed number of "
                    . "arguments, the manual's Syntax repeats them");
            return;
        }
        $said{$_} = 1 for $min .. $max;
    }
    my $said = join ',', sort keys %said;
    my $takes = join ',', sort keys %allowed;
    problem("$name: AP_INIT_$type takes $takes argument(s), the manual's Syntax "
            . "says $said") if $said ne $takes;
}

# --- configuration fields in create and merge ------------------------------------

# the fields of a typedef'd structure
sub struct_fields {
    my ($type) = @_;
    my ($body) = $code =~ /typedef\s+struct\s*\w*\s*\{([^{}]*)\}\s*\Q$type\E\s*;/s
        or bail("$source: no structure $type");
    my @fields;
    for my $decl (split /;/, $body) {
        next unless $decl =~ /\S/;
        $decl =~ s/:\s*\d+\s*$//;                   # bit-field width
        $decl =~ s/\[[^\]]*\]//g;                   # array sizes
        my @names = map { /(\w+)\s*$/ ? $1 : () } split /,/, $decl;
        push @fields, @names;
    }
    return @fields;
}

# the body of a function definition
sub function_body {
    my ($name) = @_;
    $code =~ /\b\Q$name\E\s*\([^;{]*\)\s*\{/g
        or bail("$source: no definition of $name");
    my $start = pos($code);
    my $depth = 1;
    my $i = $start;
    while ($depth && $i < length $code) {
        my $ch = substr($code, $i++, 1);
        $depth++ if $ch eq '{';
        $depth-- if $ch eq '}';
    }
    pos($code) = undef;
    return substr($code, $start, $i - $start - 1);
}

# the module record: create/merge per-directory, create/merge per-server
my ($record) = $code =~ /AP_DECLARE_MODULE\s*\(\s*\w+\s*\)\s*=\s*\{(.*?)\}/s
    or bail("$source: no AP_DECLARE_MODULE record");
my @slots = map { s/^\s+|\s+$//gr } split /,/, $record;
shift @slots;                                       # STANDARD20_MODULE_STUFF
my %config = (redirect307_dir_conf => [@slots[0, 1]],
              redirect307_server_conf => [@slots[2, 3]]);
my $fields = 0;
for my $type (sort keys %config) {
    my @fields = struct_fields($type);
    $fields += @fields;
    for my $func (@{ $config{$type} }) {
        if ($func eq 'NULL') {
            problem("$type: the module record has no function for it");
            next;
        }
        my $body = function_body($func);
        for my $field (@fields) {
            problem("$type.$field: not assigned in $func()")
                unless $body =~ /->\s*\Q$field\E\s*=(?!=)/;
        }
    }
}

if (@problems) {
    print "check-docs: $_\n" for @problems;
    exit 1;
}
printf "check-docs: ok (%d directives, %d configuration fields)\n",
    scalar @order, $fields;
exit 0;
