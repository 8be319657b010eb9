package Redirect307Check;

# Request helpers shared by the test files (they need Apache::Test; the
# helpers that do not are in Redirect307Test.pm, which tools use too).
#
#   use Redirect307Check qw(check_answer check_module_case send_request);
#
#   check_answer($res, $location, $status, $label)
#       Two tests on the HTTP::Response $res.  With a defined $location it
#       must be a 307 with exactly that Location ("http://HP/" at its start
#       stands for the current server's host:port); without one, the status
#       must be $status and there must be no Location.
#   check_module_case($module, $path, $status, $location, $name)
#       GETs $path from the Apache::Test virtual host $module (or 'default')
#       and makes two tests: the status is $status, the Location $location
#       (undef: none).
#   send_request($method, $url, $content, $type)
#       Sends $method to $url (a path on the current server, or a whole
#       http:// URL) with Redirect307Test::raw_request, which answers with a
#       parsed response ($res->code, ->header, ->content, as on an
#       HTTP::Response); $content is the body (undef: none), $type its
#       Content-Type (application/octet-stream by default).  Redirects are
#       not followed.

use strict;
use warnings;

use Apache::Test qw(ok);
use Apache::TestRequest ();
use Apache::TestUtil qw(t_cmp);
use Exporter qw(import);
use Redirect307Test qw(raw_request);

our @EXPORT_OK = qw(check_answer check_module_case send_request);

sub check_answer {
    my ($res, $location, $status, $label) = @_;
    if (defined $location) {
        my $hostport = Apache::TestRequest::hostport();
        $location =~ s{^http://HP/}{http://$hostport/};
        ok t_cmp($res->code, 307, "$label: 307");
        ok t_cmp($res->header('Location'), $location, "$label: Location");
    }
    else {
        ok t_cmp($res->code, $status, "$label: not redirected");
        ok t_cmp($res->header('Location'), undef, "$label: no Location");
    }
}

sub check_module_case {
    my ($module, $path, $status, $location, $name) = @_;
    Apache::TestRequest::module($module);
    my $res = Apache::TestRequest::GET($path);
    Apache::TestRequest::module('default');
    ok t_cmp($res->code, $status, "$name: status of $module $path");
    ok t_cmp($res->header('Location'), $location,
             "$name: Location of $module $path");
}

sub send_request {
    my ($method, $url, $content, $type) = @_;
    my ($hostport, $target) = $url =~ m{^http://([^/?#]+)([^#]*)}i
        ? ($1, $2) : (Apache::TestRequest::hostport(), $url);
    $target = "/$target" unless $target =~ m{^/};
    my $request = "$method $target HTTP/1.1\r\nHost: $hostport\r\n"
        . "Connection: close\r\n";
    if (defined $content) {
        $request .= 'Content-Type: ' . ($type || 'application/octet-stream')
            . "\r\nContent-Length: " . length($content) . "\r\n";
    }
    $request .= "\r\n" . ($content // '');
    # the response object, whatever the context of the call
    return scalar raw_request($hostport, $request);
}

1;
