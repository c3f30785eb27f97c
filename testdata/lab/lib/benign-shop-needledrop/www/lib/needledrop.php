<?php
// Needle Drop Records: the shop's settings and helpers (second-hand vinyl,
// trade-ins graded from the seller's photos and a needle-drop clip).
const ND_DATA = '/var/lib/shop-needledrop';
const ND_CATALOGUE = ND_DATA . '/catalogue.sqlite';
const ND_LOG = '/var/log/shop-needledrop/uploads.log';
const ND_CLAMDB = ND_DATA . '/clamav';
const ND_ADMIN_TOKEN = 'nd-bo-2026-7c41e';
const ND_MAX_CLIP_SECONDS = 60;

function nd_admin_only(): void {
    if (($_SERVER['HTTP_X_SHOP_ADMIN'] ?? '') !== ND_ADMIN_TOKEN) {
        http_response_code(403);
        exit("forbidden\n");
    }
}

function nd_log(string $what): void {
    @file_put_contents(ND_LOG, sprintf("%s %s %s\n", gmdate('c'), $_SERVER['REMOTE_ADDR'] ?? '-', $what), FILE_APPEND);
}

function nd_db(): PDO {
    $db = new PDO('sqlite:' . ND_CATALOGUE);
    $db->setAttribute(PDO::ATTR_ERRMODE, PDO::ERRMODE_EXCEPTION);
    return $db;
}

// run(argv): proc_open of an argv array (no shell); [exit code, stdout+stderr]
function nd_run(array $argv): array {
    $p = proc_open($argv, [1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes);
    if (!is_resource($p)) return [127, 'cannot run ' . $argv[0]];
    $out = stream_get_contents($pipes[1]);
    fclose($pipes[1]);
    return [proc_close($p), $out];
}

// the upload virus scan: ClamAV with the shop's own signatures (no daemon)
function nd_scan(array $files): array {
    [$rc, $out] = nd_run(array_merge(['/usr/bin/clamscan', '--no-summary', '--infected', '--database=' . ND_CLAMDB], $files));
    return [$rc, trim($out)];
}
