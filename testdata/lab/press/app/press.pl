#!/usr/bin/perl
# Printdesk: the print shop's proofing portal (Mojolicious::Lite under
# hypnotoad, behind nginx). Customers upload artwork and order cards and
# posters; the app makes thumbnails and proof images with ImageMagick, mails
# the proof, hands the approved proof to the print vendor's intake (curl -T),
# exports the month's orders for accounting.
use Mojolicious::Lite -signatures;
use Mojo::File qw(path);
use POSIX qw(strftime);

my $home = path('/srv/press');
app->home($home);
app->renderer->paths([$home->child('templates')->to_string]);
app->static->paths([$home->child('public')->to_string]);
my %conf = map { /^\s*(\w+)\s*=\s*(.*?)\s*$/ ? ($1 => $2) : () } split /\n/, $home->child('conf/press.conf')->slurp;
app->secrets([$conf{session_secret}]);
app->log(Mojo::Log->new(path => '/var/log/press/press.log', level => 'info'));
app->config(hypnotoad => {listen => ['http://127.0.0.1:3200'], workers => 4, proxy => 1,
  pid_file => '/run/press/hypnotoad.pid', heartbeat_timeout => 60});

my %ARTS = map { $_ => 1 } qw(wedding-a5 bakery-poster yoga-flyer garage-sale-a4 choir-a3 cafe-menu);

hook after_dispatch => sub ($c) {
  app->log->info(sprintf '%s %s %s', $c->req->method, $c->req->url->path_query, $c->res->code // '-');
};

get '/' => sub ($c) { $c->render(template => 'index', arts => [sort keys %ARTS]) };

get '/orders/:id' => [id => qr/\d{4,6}/] => sub ($c) {
  $c->render(template => 'order', id => $c->param('id'));
};

# load balancer probe: free space of the app's volume (no shell)
get '/health' => sub ($c) {
  my $df = qx{/usr/bin/df -P /srv/press};
  $c->render(json => {ok => \1, df => [split /\n/, $df]});
};

# artwork thumbnails, made on first request (argv list, no shell)
get '/thumb' => sub ($c) {
  my $art = $c->param('art');
  my $w = $c->param('w') // 160;
  return $c->reply->not_found unless $ARTS{$art} && $w =~ /^\d{2,3}$/;
  my $dst = $home->child("public/cache/$art-$w.png");
  system('/usr/bin/convert', "$home/artwork/$art.png", '-thumbnail', "${w}x$w", "$dst") unless -e $dst;
  $c->reply->file("$dst");
};

# the print guides (help/<page>.html.ep)
get '/help/:page' => [page => qr/[a-z][a-z0-9-]*/] => sub ($c) {
  my $t = 'help/' . $c->param('page');
  return $c->reply->not_found unless $c->app->renderer->template_path({template => $t, format => 'html', handler => 'ep'});
  $c->render(template => $t);
};

# greeting-card preview: the customer's greeting may use the merge fields
# <%= $name %> and <%= $date %> (rendered as a template)
post '/cards/preview' => sub ($c) {
  my $greeting = $c->param('greeting') // '';
  my $name = $c->param('name') // '';
  $c->stash(name => $name, date => strftime('%e %B %Y', gmtime));
  $c->render(inline => "<div class=\"card\"><p class=\"greeting\">$greeting</p></div>\n");
};

# staff: the proof image of an order's artwork, mailed to the customer
post '/orders/:id/proof' => [id => qr/\d{4,6}/] => sub ($c) {
  my $id = $c->param('id');
  my $art = $c->param('art') // '';
  my $to = $c->param('email') // '';
  return $c->render(text => "bad request\n", status => 400) unless $ARTS{$art} && $to =~ /^[\w.+-]+@[\w.-]+$/;
  my $proof = "$home/proofs/$id.jpg";
  system('/usr/bin/convert', "$home/artwork/$art.png", '-resize', '600x600', '-fill', 'red', '-pointsize', '40',
    '-annotate', '+20+60', "PROOF $id", $proof) == 0
    or return $c->render(text => "proof failed\n", status => 500);
  open my $m, '|-', '/usr/sbin/sendmail', '-t', '-i' or die "sendmail: $!";
  print $m "To: $to\nFrom: proofs\@printdesk.lab.local\nSubject: Your proof for order $id\n\n"
    . "Your proof is ready: https://printdesk.lab.local/orders/$id (the proof image is on the order page).\n";
  close $m;
  $c->render(json => {order => $id, proof => "proofs/$id.jpg"});
};

# staff: the approved proof image goes to the print vendor's intake (HTTP PUT)
post '/orders/:id/send' => [id => qr/\d{4,6}/] => sub ($c) {
  my $id = $c->param('id');
  my $proof = "$home/proofs/$id.jpg";
  return $c->reply->not_found unless -e $proof;
  my $out = qx{/usr/bin/curl -s -S -m 10 -T $proof $conf{vendor_intake}/$id.jpg};
  $c->render(json => {order => $id, sent => ($? == 0 ? \1 : \0)});
};

# accounting: the month's orders as a tarball (one shell, the month checked)
get '/export' => sub ($c) {
  my $month = $c->param('month') // '';
  return $c->render(text => "bad month\n", status => 400) unless $month =~ /^\d{4}-\d{2}$/;
  my $out = qx{cd /srv/press/data && tar czf /srv/press/exports/orders-$month.tgz orders-$month.csv && ls -l /srv/press/exports/orders-$month.tgz};
  $c->render(text => $out);
};

# admin: old thumbnails out of the cache
post '/admin/cache/purge' => sub ($c) {
  return $c->render(text => "forbidden\n", status => 403) unless ($c->req->headers->header('X-Press-Admin') // '') eq $conf{admin_token};
  system('/usr/bin/find', "$home/public/cache", '-type', 'f', '-name', '*.png', '-delete');
  $c->render(json => {purged => \1});
};

app->start;
