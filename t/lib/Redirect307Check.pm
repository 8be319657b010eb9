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
#       Sends $method to $url (a path on the current server, or a whole URL)
#       with the suite's user agent; $content is the body (undef: none),
#       $type its Content-Type (application/octet-stream by default).

use strict;
use warnings;

use Apache::Test qw(ok);
use Apache::TestRequest ();
use Apache::TestUtil qw(t_cmp);
use Exporter qw(import);
use HTTP::Request ();

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
    if ($url =~ m{^/}) {
        $url = 'http://' . Apache::TestRequest::hostport() . $url;
    }
    my $req = HTTP::Request->new($method => $url);
    if (defined $content) {
        $req->content($content);
        $req->header('Content-Type' => $type || 'application/octet-stream');
        $req->header('Content-Length' => length $content);
    }
    return Apache::TestRequest::user_agent()->request($req);
}

1;
