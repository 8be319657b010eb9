#!/usr/bin/perl
# Echo endpoint for the tests and the demo: reports the method, the URI,
# the query string and the body it received, as text/plain.
use strict;
use warnings;

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
print "Content-Type: text/plain\r\n\r\n";
print "method: ", ($ENV{REQUEST_METHOD} // ''), "\n";
print "uri: ", ($ENV{REQUEST_URI} // ''), "\n";
print "query: ", ($ENV{QUERY_STRING} // ''), "\n";
print "body: $body\n";
