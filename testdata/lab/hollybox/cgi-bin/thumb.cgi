#!/usr/bin/perl
# Hollybox: a preview of a share's image (convert, argv; cached per width)
use strict; use warnings;
my %q = map { my ($k, $v) = split /=/, $_, 2; ($k, $v // '') } split /&/, ($ENV{QUERY_STRING} // '');
my $f = $q{f} // ''; $f =~ s/%2F/\//gi;
my $w = $q{w} // 160;
unless ($f =~ m{^[a-z0-9_-]+/[A-Za-z0-9_.-]+\.png$} && $w =~ /^\d+$/ && $w >= 32 && $w <= 800) {
  print "Status: 400 Bad Request\r\nContent-Type: text/plain\r\n\r\nbad request\n"; exit 0;
}
my $src = "/srv/hollybox/shares/$f";
(my $key = $f) =~ s{/}{_}g;
my $out = "/var/lib/hollybox/cache/thumbs/$key-$w.png";
unless (-e $src) { print "Status: 404 Not Found\r\nContent-Type: text/plain\r\n\r\nno such file\n"; exit 0; }
unless (-e $out) {
  system('/usr/bin/convert', $src, '-thumbnail', "${w}x${w}", $out) == 0
    or do { print "Status: 500 Internal Server Error\r\nContent-Type: text/plain\r\n\r\nconvert failed\n"; exit 0; };
}
open(my $fh, '<:raw', $out) or die;
local $/; my $png = <$fh>;
print "Content-Type: image/png\r\nContent-Length: " . length($png) . "\r\n\r\n", $png;
