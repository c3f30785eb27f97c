<?php
// shared helpers of Kilnworks
const KILN = '/srv/kiln';
function kiln_ini() { static $c; return $c ??= parse_ini_file(KILN . '/conf/kiln.ini', true); }
function classes() { return json_decode(file_get_contents(KILN . '/data/classes.json'), true); }
function h($s) { return htmlspecialchars((string)$s, ENT_QUOTES); }
function page($title, $body) {
    header('Content-Type: text/html; charset=utf-8');
    echo "<!doctype html><html><head><title>" . h($title) . " - Kilnworks</title><link rel=stylesheet href=/css/kiln.css></head><body>";
    echo "<header><a href=/>Kilnworks studio</a> <a href=/gallery>Gallery</a></header><main>$body</main></body></html>";
}
// run an argv array (no shell): [exit code, stdout]
function run_argv(array $argv) {
    $p = proc_open($argv, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $out = stream_get_contents($pipes[1]); stream_get_contents($pipes[2]);
    fclose($pipes[1]); fclose($pipes[2]);
    return [proc_close($p), $out];
}
