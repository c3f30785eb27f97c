# Scaleyard 1.4: the quarry's weighbridge ticket portal (PSGI, plain Plack;
# run by Starman as yardman behind Apache's mod_proxy). Pages: the day's
# tickets, one ticket, the monthly archive (download of a month's CSV:
# a closed month is gzipped by root's archive job), printing a ticket on
# the office printer (yardprint), the load balancer's status, and the site
# reports: reports/<name>.pl files that return a sub (the quarry's admin
# drops new ones in without a restart).
use strict;
use warnings;
use Plack::Request;

my $BASE    = '/srv/scaleyard';
my $ARCHIVE = "$BASE/archive";
my $DATA    = "$BASE/app/data";

sub read_ini {
    my ($file) = @_;
    my %c;
    open(my $fh, '<', $file) or return %c;
    while (<$fh>) {
        next if /^\s*[#;]/ || !/=/;
        chomp;
        my ($k, $v) = split /\s*=\s*/, $_, 2;
        $c{$k} = $v;
    }
    return %c;
}
my %cfg = read_ini("$BASE/conf/scaleyard.ini");

sub tickets {
    open(my $fh, '<', "$DATA/tickets.csv") or return ();
    my $head = <$fh>;
    my @t;
    while (<$fh>) {
        chomp;
        my @f = split /,/;
        push @t, { id => $f[0], time => $f[1], plate => $f[2], product => $f[3], gross => $f[4], tare => $f[5] };
    }
    return @t;
}

sub html {
    my ($title, $body) = @_;
    return [200, ['Content-Type' => 'text/html; charset=utf-8'],
        ["<!doctype html><html><head><title>$title - Scaleyard</title></head><body><h1>$title</h1>$body"
         . "<p><a href=\"/\">tickets</a> | <a href=\"/archive\">archive</a> | <a href=\"/reports/daily\">daily report</a></p></body></html>\n"]];
}
sub text { my ($code, $s) = @_; return [$code, ['Content-Type' => 'text/plain; charset=utf-8'], [$s]]; }

sub {
    my $req  = Plack::Request->new(shift);
    my $path = $req->path_info;

    if ($path eq '/') {
        my $rows = join '', map { "<tr><td><a href=\"/ticket/$_->{id}\">$_->{id}</a></td><td>$_->{time}</td><td>$_->{plate}</td><td>$_->{product}</td><td>"
            . ($_->{gross} - $_->{tare}) . " kg</td></tr>" } tickets();
        return html('Weighbridge tickets', "<table>$rows</table>");
    }
    if ($path =~ m{^/ticket/(\d+)$}) {
        my ($t) = grep { $_->{id} eq $1 } tickets();
        return text(404, "no such ticket\n") unless $t;
        return html("Ticket $t->{id}", "<p>$t->{plate}: $t->{product}, gross $t->{gross} kg, tare $t->{tare} kg, net "
            . ($t->{gross} - $t->{tare}) . " kg</p><p><a href=\"/print?id=$t->{id}\">print</a></p>");
    }
    if ($path eq '/archive') {
        opendir(my $dh, $ARCHIVE) or return text(500, "archive unavailable\n");
        my @m = sort grep { /^\d{4}-\d\d\.csv(\.gz)?$/ } readdir $dh;
        return html('Archive', join '', map { "<li><a href=\"/archive/download?file=$_\">$_</a></li>" } @m);
    }
    if ($path eq '/archive/download') {
        # a closed month is gzipped by the archive job: read it through gzip
        my $file = $req->param('file') // '';
        my $src  = "$ARCHIVE/$file";
        $src = "gzip -dc $src |" if $file =~ /\.gz\z/;
        open(my $fh, $src) or return text(404, "no such month\n");
        local $/;
        my $csv = <$fh> // '';
        close $fh;
        $file =~ s/\.gz\z//;
        return [200, ['Content-Type' => 'text/csv', 'Content-Disposition' => "attachment; filename=\"$file\""], [$csv]];
    }
    if ($path eq '/print') {
        my ($id) = ($req->param('id') // '') =~ /^(\d+)$/ or return text(400, "bad ticket\n");
        my ($t) = grep { $_->{id} eq $id } tickets() or return text(404, "no such ticket\n");
        open(my $lp, '|-', '/usr/local/bin/yardprint', '--ticket', $id) or return text(500, "printer unavailable\n");
        print $lp "$t->{id} $t->{time} $t->{plate} $t->{product} gross=$t->{gross} tare=$t->{tare}\n";
        close $lp;
        return text(200, "sent ticket $id to the office printer\n");
    }
    if ($path eq '/status') {
        my $df = `df -P $BASE`;
        return text(200, "ok\n$df");
    }
    if ($path =~ m{^/reports/(\w+)$}) {
        my $file = "$BASE/app/reports/$1.pl";
        return text(404, "no such report\n") unless -f $file;
        my $report = do $file;
        return text(500, "report failed: $@\n") unless ref $report eq 'CODE';
        return $report->($req, \%cfg, [tickets()]);
    }
    return text(404, "not found\n");
};
