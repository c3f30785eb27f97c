<?php
// Folio & Spine: shared settings and helpers of the antiquarian pages
const FOLIO_DATA = '/var/lib/shop-folio';
const FOLIO_STAFF_TOKEN = 'fs-packbench-2026-6c1e';
const FOLIO_MAIL_FROM = 'ankauf@folio-spine.example';

function folio_catalogue(): array {
    $rows = [];
    $fh = fopen(FOLIO_DATA . '/catalogue.csv', 'r');
    if (!$fh) return $rows;
    fgetcsv($fh, 0, ';');
    while (($r = fgetcsv($fh, 0, ';')) !== false) {
        if (count($r) < 7) continue;
        $rows[$r[0]] = ['isbn' => $r[0], 'author' => $r[1], 'title' => $r[2], 'condition' => $r[3],
                        'price' => (float)str_replace(',', '.', $r[4]), 'status' => $r[6]];
    }
    fclose($fh);
    return $rows;
}

// runs a program with an argv array (no shell); returns [exit code, stdout, stderr]
function folio_run(array $argv, int $timeout = 30): array {
    $p = proc_open($argv, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    if (!is_resource($p)) return [127, '', 'cannot start ' . $argv[0]];
    $out = stream_get_contents($pipes[1]);
    $err = stream_get_contents($pipes[2]);
    fclose($pipes[1]); fclose($pipes[2]);
    return [proc_close($p), $out, $err];
}

function folio_staff(): bool {
    return hash_equals(FOLIO_STAFF_TOKEN, $_SERVER['HTTP_X_FOLIO_STAFF'] ?? '');
}
