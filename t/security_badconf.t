# Generated bad configurations: httpd -t must refuse every malformed
# directive and map file with a message naming the directive as written
# (and, for a bad line of a map file, the file and line), exit with status
# 1 (not a signal) and never hang; the valid configurations generated next
# to them must pass.
#
# The generator is seeded and bounded: R307_BADCONF_SEED (default below),
# R307_BADCONF_COUNT cases (400) and R307_BADCONF_SECONDS (45; the cases
# left when the time is up are skipped, and say so).  Each httpd -t runs
# under timeout(1) (20 s).  Families of cases:
#   directives  wrong argument counts; URL-paths without '/'; targets with
#               no scheme, no host, a truncated scheme, a bad byte in the
#               host, a port that is no number or out of range; regexes that do not compile; $N beyond
#               the groups; captures and %{...} in the scheme or host;
#               unknown keywords; bad proxy addresses; directives in the
#               wrong context; misspelt directive names and names with odd
#               bytes; valid lines cut short
#   map files   a line with one field or three, a URL-path without '/',
#               bad percent-encoding, a bad target, binary junk, a UTF-8
#               BOM after the first line, a NUL (UTF-16), a 1 MB junk line,
#               a missing file, a directory
#   valid       random prefix, regex, expression and map rules, odd bytes
#               in paths and regexes, keywords in any case, proxy ranges,
#               maps that are empty, commented, CRLF, Latin-1, with a
#               1 MB key, with duplicates, with a BOM, with "# notes" after
#               entries
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use File::Basename qw(dirname);
use File::Temp qw(tempdir);
use Time::HiRes qw(time);
use Redirect307Test qw(httpd_t httpd_bin);

my $SEED    = $ENV{R307_BADCONF_SEED}    // 307_2026;
my $COUNT   = $ENV{R307_BADCONF_COUNT}   // 400;
my $BUDGET  = $ENV{R307_BADCONF_SECONDS} // 45;
my $TIMEOUT = 20;

srand $SEED;

# --- random pieces -----------------------------------------------------------

sub pick { $_[int rand @_] }
sub chance { rand() < $_[0] }

sub word {
    my ($min, $max, @chars) = @_;
    @chars = ('a' .. 'z', '0' .. '9') unless @chars;
    return join '', map { pick(@chars) } 1 .. $min + int rand($max - $min + 1);
}

sub label { pick('a' .. 'z') . word(0, 8, 'a' .. 'z', '0' .. '9', '-') . pick('a' .. 'z') }
sub host { join('.', map { label() } 1 .. 1 + int rand 2) . '.example' }
sub port { chance(0.3) ? ':' . (1 + int rand 65535) : '' }

sub segment {
    my $s = word(1, 8, 'a' .. 'z', 'A' .. 'Z', '0' .. '9', qw(- . _ ~));
    $s .= pick('%20', '%C3%A9', '%2F', '%3F', '%23') if chance(0.2);
    return $s eq '.' || $s eq '..' ? "x$s" : $s;
}

sub url_path { '/' . join('/', map { segment() } 1 .. 1 + int rand 3) . (chance(0.2) ? '/' : '') }

sub absolute {
    my $url = pick('http', 'https') . '://' . host() . port() . url_path();
    $url .= '?' . word(1, 5) . '=' . word(0, 5) if chance(0.3);
    $url .= '#' . word(1, 5) if chance(0.2);
    return $url;
}

sub target { chance(0.7) ? absolute() : url_path() }

# bytes that are neither whitespace, NUL nor allowed in a host
my @ODD = ((map { chr } 0x01 .. 0x08, 0x0e .. 0x1f, 0x7f .. 0xff), split //, q{<>^`{|}"});

sub odd { pick(@ODD) }

sub insert_at {
    my ($s, $from, $to, $byte) = @_;
    $to = length $s if $to > length $s;
    my $i = $from + int rand($to - $from + 1);
    return substr($s, 0, $i) . $byte . substr($s, $i);
}

sub mixcase { join '', map { chance(0.5) ? uc : lc } split //, $_[0] }

# a few valid directives placed before the one under test, so that the
# line number in the message is checked too
sub preamble {
    return map { "Redirect307 " . url_path() . " " . target() } 1 .. int rand 3;
}

sub map_lines {
    my ($n) = @_;
    my (@lines, %seen);
    while (@lines < $n) {
        my $key = url_path();
        next if $seen{$key}++;
        push @lines, chance(0.1) ? '# ' . word(0, 20) : "$key " . target();
    }
    return @lines;
}

# --- the families ---------------------------------------------------------------
#
# Each returns a case: { family, lines => [snippet lines], files, and
# either ok => 1, or name => what the message must name (and map_line)}.

my %DIRECTIVE_ARGS = (
    Redirect307 => [0, 3, 4], Redirect307Match => [0, 1, 3],
    Redirect307Map => [0, 2], Redirect307QueryString => [0, 2],
    Redirect307Engine => [0, 2], Redirect307TrustedProxy => [0],
);

# each is an error whatever comes before it and whatever letters, digits
# and '/' come after it
my @BAD_REGEX = ('(', '[', 'a{2,1}', '(?<', '(?z)', '[z-a]', 'x**', ')',
                 '(?P<>x)', '[[:nope:]]', '\\k<nope>', 'x{3,2}');

my @FAMILIES = (
    # ---- valid ----
    [valid_prefix => 8, sub {
        { ok => 1, lines => [mixcase('Redirect307') . ' ' . url_path() . ' '
                             . target()] } }],
    [valid_match => 6, sub {
        my $groups = int rand 4;
        my $regex = '^' . url_path() . join('', map { '(' . pick('.*', '\d+', '[a-z]+', '[^/]*') . ')' } 1 .. $groups) . '$';
        my $t = pick('http', 'https') . '://' . host() . port() . '/'
            . join('/', map { "\$$_" } 0 .. $groups);
        $t .= "?g=\$$groups" if chance(0.3);
        $t .= "#\$$groups" if chance(0.2);
        { ok => 1, lines => [qq{Redirect307Match "$regex" "$t"}] } }],
    [valid_section => 4, sub {
        my $t = pick('https://' . host() . '%{REQUEST_URI}',
                     '/landing%{REQUEST_URI}', '%{REQUEST_URI}/x',
                     'https://' . host() . '/p?u=%{REQUEST_URI}#%{QUERY_STRING}');
        { ok => 1, lines => ['<Location "' . url_path() . '">',
                             qq{    Redirect307 "$t"}, '</Location>'] } }],
    [valid_keywords => 4, sub {
        my $line = pick(
            'Redirect307QueryString ' . mixcase(pick('Merge', 'Discard')),
            'Redirect307Engine ' . mixcase(pick('On', 'Off')),
            'Redirect307TrustedProxy ' . join(' ', map {
                pick(join('.', map { int rand 256 } 1 .. 4),
                     '10.0.0.0/' . (1 + int rand 32), '::1',
                     '2001:db8::/' . (1 + int rand 128),
                     '192.0.2.' . int(rand 256))
            } 1 .. 1 + int rand 3));
        { ok => 1, lines => [$line] } }],
    [valid_odd_bytes => 6, sub {
        my $where = pick(qw(path target regex));
        my $line = $where eq 'path'
            ? 'Redirect307 ' . insert_at(url_path(), 1, 1, odd()) . ' ' . absolute()
            : $where eq 'target'
            ? 'Redirect307 ' . url_path() . ' https://' . host() . '/'
              . insert_at(segment(), 0, 1, odd())
            : 'Redirect307Match ^/' . word(1, 5) . odd() . '(.*) https://'
              . host() . '/$1';
        { ok => 1, lines => [$line] } }],
    [valid_map => 6, sub {
        my $kind = pick(qw(plain empty comments crlf latin1 longkey dup noeol tabs
                           bom notes));
        my @lines = map_lines(int rand 30);
        my $text = join("\n", @lines) . "\n";
        $text = '' if $kind eq 'empty';
        $text = "# nothing here\n\n   \n\t# indented\n" if $kind eq 'comments';
        $text =~ s/\n/\r\n/g if $kind eq 'crlf';
        $text .= "/caf\xe9/\xff\xfe " . absolute() . "\n" if $kind eq 'latin1';
        $text .= '/' . ('k' x 1_000_000) . ' ' . absolute() . "\n" if $kind eq 'longkey';
        $text .= "/dup " . absolute() . "\n/dup " . absolute() . "\n" if $kind eq 'dup';
        $text .= "/last " . absolute() if $kind eq 'noeol';
        $text .= "\t/tabs\t\t" . absolute() . "\t\n" if $kind eq 'tabs';
        $text = "\xEF\xBB\xBF$text" if $kind eq 'bom';
        $text .= "/noted " . absolute() . "  # a note\n" if $kind eq 'notes';
        { ok => 1, lines => ['Redirect307Map "@DIR@/m.map"'],
          files => { 'm.map' => $text } } }],

    # ---- malformed directives ----
    [arg_count => 5, sub {
        my $d = pick(sort keys %DIRECTIVE_ARGS);
        my $n = pick(@{ $DIRECTIVE_ARGS{$d} });
        { name => $d, lines => [join ' ', $d, map { pick('/' . word(1, 5), absolute(), 'Merge', 'On') } 1 .. $n] } }],
    [one_arg_outside_section => 2, sub {
        { name => 'Redirect307', lines => ['Redirect307 ' . target()] } }],
    [url_path_no_slash => 4, sub {
        my $p = pick('a' .. 'z', '0' .. '9', '.', '~', '%2F', '*', '\\', odd()) . word(0, 8);
        { name => 'Redirect307', lines => ["Redirect307 $p " . absolute()] } }],
    [url_path_bad_escape => 3, sub {
        my $p = url_path() . pick('%', '%4', '%zz', '%G1', '%00');
        { name => 'Redirect307', lines => ["Redirect307 $p " . absolute()] } }],
    [bad_target => 10, sub {
        my $h = host();
        my $t = pick(
            $h . url_path(),                                  # no scheme
            '//' . $h . url_path(), '/\\' . $h,              # protocol-relative
            substr('https://', 0, int rand 8),               # scheme cut short
            'https://', 'http:///' . word(1, 5), 'https://?q', 'https://#f', 'https://:80/',
            'https://' . insert_at($h, 0, length $h, odd()) . '/',         # odd byte in host
            pick('1http', '-x', '+a') . "://$h/", "ht\x01tp://$h/",
            'https:' . $h, 'mailto:' . $h, "https://$h:" . pick('x', '8o', '8 0') . '/',
        );
        $t = '""' if $t eq '';
        { name => 'Redirect307', family_detail => $t,
          lines => ['Redirect307 ' . url_path() . " $t"] } }],
    [bad_port => 3, sub {
        my $port = pick(65536, 99999, 1_000_000, -1, '+80', '0x50', '080000');
        my $t = 'https://' . host() . ":$port/" . word(0, 5);
        return chance(0.5)
            ? { name => 'Redirect307', lines => ['Redirect307 ' . url_path() . " $t"] }
            : { name => 'Redirect307Map', map_line => 1, lines => ['Redirect307Map "@DIR@/m.map"'],
                files => { 'm.map' => url_path() . " $t\n" } } }],
    [bad_regex => 6, sub {
        my $regex = '^/' . word(0, 4, 'a' .. 'z', '/', '.') . pick(@BAD_REGEX)
            . word(0, 4, 'a' .. 'z', '0' .. '9', '/');
        { name => 'Redirect307Match',
          lines => [qq{Redirect307Match "$regex" https://} . host() . '/'] } }],
    [capture_beyond_groups => 4, sub {
        my $groups = int rand 4;
        my $n = $groups + 1 + int rand(9 - $groups);
        my $regex = '^/p' . ('/(x)' x $groups) . '$';
        my $t = 'https://' . host() . pick("/\$$n", "/a?q=\$$n", "/a#\$$n");
        { name => 'Redirect307Match', lines => [qq{Redirect307Match "$regex" "$t"}] } }],
    [capture_in_authority => 4, sub {
        my $h = host();
        my $t = pick('$1/x', '$0', "https://\$1/x", "https://a\$1.$h/", "https://$h:\$1/",
                     "http\$1://$h/", "https://$h\$1/x", "https://$h%{HTTP_HOST}/");
        { name => 'Redirect307Match', lines => [qq{Redirect307Match "^/c/(.*)\$" "$t"}] } }],
    [bad_section_target => 4, sub {
        my $t = pick('https://%{HTTP_HOST}/x', 'https://' . host() . '/$1', 'https://' . host() . '/%{REQUEST_URI',
                     'https://' . host() . '/%{nosuchfunction:x}', '//' . host() . '/x',
                     host() . '%{REQUEST_URI}');
        { name => 'Redirect307', line => 2,
          lines => ['<Location "' . url_path() . '">', qq{    Redirect307 "$t"}, '</Location>'] } }],
    [wrong_context => 3, sub {
        my ($d, $arg) = @{ pick(['Redirect307Map', '"@DIR@/m.map"'],
                                ['Redirect307TrustedProxy', '10.0.0.0/8']) };
        { name => $d, line => 2, files => { 'm.map' => "/a https://b.example/\n" },
          lines => ['<Location "' . url_path() . '">', "    $d $arg", '</Location>'] } }],
    [bad_keyword => 4, sub {
        my ($d, @good) = @{ pick(['Redirect307QueryString', 'merge', 'discard'],
                                 ['Redirect307Engine', 'on', 'off']) };
        my $w;
        do {
            $w = pick(word(1, 8, 'a' .. 'z'), substr($good[0], 0, -1), "$good[1]s",
                      '0', '1', 'yes', 'no', 'true', $good[0] . odd());
        } while grep { lc $w eq $_ } @good;
        { name => $d, lines => ["$d $w"] } }],
    [bad_proxy => 3, sub {
        my $a = pick(join('.', 256 + int rand 700, 1, 1, 1), '10.0.0.0/' . (33 + int rand 60),
                     '::1/' . (129 + int rand 100), word(2, 6, 'g' .. 'z'), '1.2.3.4.5',
                     '1.2.3.4/x', 'fe80::1%eth0', ':::1', '10.0.0.0/-1');
        { name => 'Redirect307TrustedProxy', lines => ["Redirect307TrustedProxy $a"] } }],
    [bad_name => 4, sub {
        my $d = pick(sort keys %DIRECTIVE_ARGS);
        my $i = 1 + int rand(length($d) - 1);
        my $bad = pick(substr($d, 0, $i) . substr($d, $i + 1),          # a letter dropped
                       insert_at($d, 1, length $d, odd()),               # an odd byte
                       $d . word(1, 3, 'a' .. 'z'));                    # letters added
        { name => $bad, lines => ["$bad /a https://b.example/"] } }],
    [cut_short => 6, sub {
        my $line = pick('Redirect307 ' . url_path() . ' ' . absolute(),
                        qq{Redirect307Match "^/r/(.*)\$" "https://} . host() . '/$1"',
                        'Redirect307Map "@DIR@/m.map"');
        # cut inside the directive name or its first argument, or inside
        # the scheme of the second: never a valid line (a map path is cut
        # before it names a file that is there)
        my $arg2 = index($line, ' ', index($line, ' ') + 1);
        my @cuts = (1 .. ($arg2 < 0 ? length('Redirect307Map "@DIR') : $arg2));
        if ($arg2 > 0 && substr($line, $arg2 + 1) =~ /^("?)https?:/) {
            push @cuts, $arg2 + 1 .. $arg2 + length($1) + 7;
        }
        my $cut = substr $line, 0, pick(@cuts);
        my ($name) = $cut =~ /^(\S+)/;
        { name => $name, lines => [$cut], files => { 'm.map' => "/a https://b.example/\n" } } }],

    # ---- malformed map files ----
    [bad_map_line => 10, sub {
        my @lines = map_lines(int rand 20);
        my $at = int rand(@lines + 1);
        my $bad = pick(
            url_path(),                                       # one field
            url_path() . ' ' . absolute() . ' ' . word(1, 5), # three fields
            url_path() . ' ' . absolute() . ' ' . word(1, 5) . ' # comment',
                                                              # three, a comment
            word(1, 6) . ' ' . absolute(),                    # no leading '/'
            url_path() . pick('%', '%4', '%zz', '%00') . ' ' . absolute(),
            url_path() . ' ' . pick('evil.example/x', '//evil.example', 'https://',
                                    'https:/x', 'https://ev' . odd() . 'il/'),
            (pick(map { chr } 0x01 .. 0x08, 0x0e .. 0x1f, 0x21, 0x24 .. 0x2e, 0x30 .. 0x7e, 0x80 .. 0xff)
             . join('', map { pick(map { chr } 0x01 .. 0x09, 0x0b .. 0xff) } 1 .. int rand 40)),
            'x' x 1_000_000,                                  # a 1 MB junk line
        );
        if (chance(0.1) && @lines) {                          # a BOM, not first
            $at = 1 + int rand @lines;
            $bad = "\xEF\xBB\xBF" . url_path() . ' ' . absolute();
        }
        splice @lines, $at, 0, $bad;
        { name => 'Redirect307Map', map_line => $at + 1, lines => ['Redirect307Map "@DIR@/m.map"'],
          files => { 'm.map' => join("\n", @lines) . "\n" } } }],
    [bad_map_file => 3, sub {
        my $kind = pick(qw(nul utf16 missing directory));
        my $text = join("\n", map_lines(5)) . "\n";
        my %files = (
            nul => { 'm.map' => insert_at($text, 0, length $text, "\0") },
            utf16 => { 'm.map' => "\xFF\xFE" . join('', map { "$_\0" } split //, $text) },
            missing => {}, directory => {},
        );
        { name => 'Redirect307Map', map_file => $kind eq 'directory' ? 'dir' : 'm.map',
          lines => [$kind eq 'directory' ? 'Redirect307Map "@DIR@/"'
                                          : 'Redirect307Map "@DIR@/m.map"'],
          files => $files{$kind} } }],
);

# --- generating the cases ---------------------------------------------------

my @weighted = map { ($_) x $_->[1] } @FAMILIES;
my @cases;
for my $i (1 .. $COUNT) {
    my $family = pick(@weighted);
    my $case = $family->[2]->();
    $case->{family} = $family->[0];
    my @pre = $case->{ok} ? () : preamble();
    $case->{line} = @pre + ($case->{line} || 1);
    $case->{text} = join("\n", @pre, @{ $case->{lines} }) . "\n";
    push @cases, $case;
}

my $valid = grep { $_->{ok} } @cases;
plan tests => 2 + @cases;

diag("seed $SEED: $COUNT cases, $valid valid; R307_BADCONF_SEED=$SEED to repeat");
cmp_ok($valid, '>', $COUNT / 6, 'valid configurations among the cases');
cmp_ok($COUNT - $valid, '>', $COUNT / 2, 'malformed ones among the cases');

# --- running them ---------------------------------------------------------------

# httpd -t under timeout(1): a hang ends with 124, a crash with 128 + signal
my $bin = tempdir('r307-badconf-XXXXXX', TMPDIR => 1, CLEANUP => 1);
my $httpd = httpd_bin();
open my $fh, '>', "$bin/httpd" or die "$bin/httpd: $!";
print $fh "#!/bin/sh\nexec timeout -k 5 $TIMEOUT '$httpd' \"\$@\"\n";
close $fh;
chmod 0755, "$bin/httpd" or die "chmod: $!";
local $ENV{APACHE_TEST_HTTPD} = "$bin/httpd";

sub show {
    my ($s) = @_;
    $s = substr($s, 0, 300) . '...' if length $s > 300;
    $s =~ s/([^\x20-\x7e\n])/sprintf '\\x%02X', ord $1/ge;
    return $s;
}

my $deadline = time + $BUDGET;
my ($slowest, $ran) = (0, 0);
for my $n (0 .. $#cases) {
    my $case = $cases[$n];
    if (time > $deadline) {
        my $left = @cases - $n;
        SKIP: { skip "time budget of ${BUDGET}s used up", $left }
        diag("$left cases skipped: the budget of ${BUDGET}s ran out");
        last;
    }
    my $t0 = time;
    my ($rc, $out, $file) = httpd_t($case->{text}, files => $case->{files} || {});
    my $took = time - $t0;
    $slowest = $took if $took > $slowest;
    $ran++;
    my $dir = dirname($file);
    my @why;
    push @why, "httpd -t ran out of time (${TIMEOUT}s)" if $rc == 124 || $rc == 137;
    push @why, 'httpd -t died from signal ' . ($rc - 128) if $rc > 128 && $rc < 160;
    push @why, 'a crash reported' if $out =~ /Segmentation|core dumped|Aborted|AddressSanitizer/;
    if ($case->{ok}) {
        push @why, "exit status $rc, want 0" if $rc != 0;
        push @why, 'no "Syntax OK"' unless $out =~ /^Syntax OK$/m;
    }
    else {
        push @why, "exit status $rc, want 1" if $rc != 1;
        push @why, "not refused at line $case->{line} of the snippet"
            unless $out =~ /Syntax error on line \Q$case->{line}\E of \Q$file\E:/;
        # httpd writes odd bytes of a name it does not know as \xhh
        (my $escaped = $case->{name}) =~ s/(["\\])/\\$1/g;
        $escaped =~ s/([^\x20-\x7e])/sprintf '\\x%02x', ord $1/ge;
        push @why, 'the message does not name ' . show($case->{name})
            unless $out =~ /\Q$case->{name}\E/i || $out =~ /\Q$escaped\E/i;
        if ($case->{map_line}) {
            push @why, "the message does not name m.map:$case->{map_line}"
                unless $out =~ /\Q$dir\E\/m\.map:$case->{map_line}:/;
        }
        elsif ($case->{map_file}) {
            my $map = $case->{map_file} eq 'dir' ? qr/\Q$dir\E\/?[ :]/
                : qr/\Q$dir\E\/m\.map\b/;
            push @why, 'the message does not name the map file'
                unless $out =~ $map;
        }
    }
    ok(!@why, sprintf('%d %s: %s', $n, $case->{family},
                      $case->{ok} ? 'accepted' : 'refused'))
        or diag(join("\n", @why, 'snippet:', show($case->{text}),
                     'httpd -t said:', show($out),
                     $case->{files} && $case->{files}{'m.map'}
                         ? ('m.map:', show($case->{files}{'m.map'})) : ()));
}
diag(sprintf '%d of %d cases run, the slowest httpd -t took %.2fs', $ran,
     scalar @cases, $slowest);
