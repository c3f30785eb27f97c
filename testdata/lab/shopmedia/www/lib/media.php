<?php
// Spec sheet previews: the first page of a supplier's PDF rendered to a PNG
// with Ghostscript (argv through proc_open, no shell). -dNOSAFER: the
// supplier font map (fonts/Fontmap.shop, loaded with runlibfile) needs file
// access that -dSAFER refuses since Ghostscript 10 (ticket SHOP-1187).
const SPEC_DIR = __DIR__ . '/../media/specs';

function render_preview(string $pdf, string $png): array {
    $argv = ['/usr/bin/gs', '-q', '-dNOSAFER', '-dBATCH', '-dNOPAUSE', '-sDEVICE=png16m', '-r48',
             '-dFirstPage=1', '-dLastPage=1', '-sOutputFile=' . $png, $pdf];
    $p = proc_open($argv, [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    if (!is_resource($p)) return [false, 'gs did not start'];
    $out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
    fclose($pipes[1]); fclose($pipes[2]);
    $rc = proc_close($p);
    return [$rc === 0, trim($out)];
}
