# Runs last: fails when t/logs/error_log shows a crash, a sanitizer report
# or an error-level line that no test declared (t/conf/expected-errors,
# Redirect307Test::expect_error_log).  t/run-suite.sh repeats the check
# after the server has stopped, which also catches trouble at shutdown.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(plan ok);
use Apache::TestRequest qw(GET);
use Redirect307Test qw(error_log_problems);

plan tests => 1;

# give the parent a moment to reap and report children that died
GET '/';
sleep 1;

my @problems = error_log_problems();
print STDERR "# unexpected error_log line: $_" for @problems;
ok !@problems;
