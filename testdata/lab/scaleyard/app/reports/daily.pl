# The day's totals per product (a site report: returns the sub the app calls
# with the request, the settings and the tickets).
sub {
    my ($req, $cfg, $tickets) = @_;
    my (%net, %n);
    for my $t (@$tickets) {
        $net{$t->{product}} += $t->{gross} - $t->{tare};
        $n{$t->{product}}++;
    }
    my $out = "site $cfg->{site}: daily totals\n";
    $out .= sprintf "%-16s %4d loads %9d kg\n", $_, $n{$_}, $net{$_} for sort keys %net;
    return [200, ['Content-Type' => 'text/plain; charset=utf-8'], [$out]];
}
