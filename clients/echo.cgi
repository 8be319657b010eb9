#!/usr/bin/perl
# Echo endpoint of the client tests (clients/run.sh): answers with one JSON
# object describing the request it received -- method, path, query,
# Content-Type, protocol, scheme and the exact body (base64, and as text
# when it is valid UTF-8).  Served as text/plain so that a browser shows it
# as plain text in a frame and a script can read it back.
use strict;
use warnings;
use JSON::PP ();
use MIME::Base64 ();
use Encode ();

binmode STDIN;
binmode STDOUT;

my $body = '';
if (defined $ENV{CONTENT_LENGTH} && $ENV{CONTENT_LENGTH} =~ /^\d+$/) {
    my $want = $ENV{CONTENT_LENGTH};
    while (length($body) < $want) {
        my $n = read(STDIN, $body, $want - length($body), length($body));
        last unless $n;
    }
}
else {
    # a body without Content-Length (chunked, HTTP/2 without the header):
    # httpd dechunks it for CGI and closes stdin at its end
    local $/;
    my $rest = <STDIN>;
    $body = $rest if defined $rest;
}

my $text = eval { Encode::decode('UTF-8', "$body", Encode::FB_CROAK) };

my %echo = (
    method         => $ENV{REQUEST_METHOD}  // '',
    request_uri    => $ENV{REQUEST_URI}     // '',
    path           => ($ENV{SCRIPT_NAME} // '') . ($ENV{PATH_INFO} // ''),
    query          => $ENV{QUERY_STRING}    // '',
    content_type   => $ENV{CONTENT_TYPE}    // '',
    content_length => $ENV{CONTENT_LENGTH}  // '',
    protocol       => $ENV{SERVER_PROTOCOL} // '',
    scheme         => $ENV{REQUEST_SCHEME}  // '',
    https          => $ENV{HTTPS}           // '',
    server_port    => $ENV{SERVER_PORT}     // '',
    body_length    => length($body),
    body_base64    => MIME::Base64::encode_base64($body, ''),
    body_text      => $text,
);

print "Content-Type: text/plain; charset=utf-8\r\n";
print "Cache-Control: no-store\r\n\r\n";
print JSON::PP->new->utf8->canonical->encode(\%echo), "\n";
