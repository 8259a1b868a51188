#!/usr/bin/perl
# startup-ab.pl RUNS 'COMMAND A' 'COMMAND B': runs A and B in turn (A B A B ...), RUNS counted
# pairs after two warm-up pairs, each as a whole process (no shell: the words are split on
# spaces; output thrown away), and prints each one's wall-clock milliseconds as min, median and
# max, and the median of the pair-by-pair ratios A/B (pairs keep the ratio fair when the
# machine's speed drifts). Public tools only: perl and Time::HiRes.
use strict;
use warnings;
use Time::HiRes qw(time);
use POSIX qw(floor);

my ($runs, $cmd_a, $cmd_b) = @ARGV;
die "usage: startup-ab.pl RUNS 'COMMAND A' 'COMMAND B'\n" unless $runs && $cmd_a && $cmd_b;

sub once {
    my @cmd = split / +/, shift;
    my $t0 = time;
    my $pid = fork() // die "fork: $!";
    if ($pid == 0) {
        open(STDIN, '<', '/dev/null');
        open(STDOUT, '>', '/dev/null');
        open(STDERR, '>', '/dev/null');
        exec(@cmd) or POSIX::_exit(127);
    }
    waitpid($pid, 0);
    return (time - $t0) * 1000;
}

sub median {
    my @s = sort { $a <=> $b } @_;
    my $n = scalar @s;
    return $n % 2 ? $s[floor($n / 2)] : ($s[$n / 2 - 1] + $s[$n / 2]) / 2;
}

once($cmd_a), once($cmd_b) for 1 .. 2;
my (@ta, @tb, @r);
for (1 .. $runs) {
    my $x = once($cmd_a);
    my $y = once($cmd_b);
    push @ta, $x;
    push @tb, $y;
    push @r, $x / $y;
}
my @sa = sort { $a <=> $b } @ta;
my @sb = sort { $a <=> $b } @tb;
my @sr = sort { $a <=> $b } @r;
printf "A = %s\nB = %s\n%d pairs, A B A B ..., after 2 warm-up pairs\n", $cmd_a, $cmd_b, $runs;
printf "%-12s %9s %9s %9s\n", "", "min", "median", "max";
printf "%-12s %9.1f %9.1f %9.1f\n", "A wall ms", $sa[0], median(@ta), $sa[-1];
printf "%-12s %9.1f %9.1f %9.1f\n", "B wall ms", $sb[0], median(@tb), $sb[-1];
printf "%-12s %9.2f %9.2f %9.2f\n", "A/B", $sr[0], median(@r), $sr[-1];
