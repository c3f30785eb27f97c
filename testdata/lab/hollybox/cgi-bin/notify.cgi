#!/usr/bin/perl
# Hollybox: "tell the team" form: a mail to the office list (sendmail -t -i, argv)
use strict; use warnings;
my $body = ''; read(STDIN, $body, $ENV{CONTENT_LENGTH} // 0);
my %q;
for (split /&/, $body) { my ($k, $v) = split /=/, $_, 2; $v //= ''; $v =~ tr/+/ /; $v =~ s/%([0-9a-fA-F]{2})/chr hex $1/ge; $q{$k} = $v; }
my $share = ($q{share} // 'projects') =~ /^([a-z]+)$/ ? $1 : 'projects';
my $msg = substr($q{message} // '', 0, 500); $msg =~ s/[\r\n]+/ /g;
open(my $m, '|-', '/usr/sbin/sendmail', '-t', '-i') or die "sendmail: $!";
print $m "From: hollybox\@marshreed.lab\nTo: office\@marshreed.lab\nSubject: [hollybox] new files in $share\n\n$msg\n";
close $m;
print "Content-Type: text/plain\r\n\r\nsent\n";
