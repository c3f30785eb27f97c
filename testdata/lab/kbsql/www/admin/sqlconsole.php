<?php
// Team KB: the support team's read-only SQL console on the KB's SQLite
// database (users, article statistics). Added for a one-off migration and
// never removed. "Safe" by construction, its author thought: the query goes
// to sqlite3 as ONE argv element through proc_open with an array (no shell,
// so no shell injection). But sqlite3's command line takes dot-commands as
// well as SQL (.shell/.system run a command line through /bin/sh), and the
// console token is the default of the install notes.
// DELIBERATELY VULNERABLE (lab only).
const SQLCONSOLE_TOKEN = 'changeme';   // TODO(migration): move to settings.php
const SQLCONSOLE_DB = '/srv/kb/db/kb.sqlite';

$tok = (string)($_REQUEST['token'] ?? '');
if (!hash_equals(SQLCONSOLE_TOKEN, $tok)) {
    http_response_code(403);
    header('Content-Type: text/plain');
    echo "sqlconsole: bad token\n";
    exit;
}
$q = (string)($_POST['q'] ?? '.tables');
$p = proc_open(['/usr/bin/sqlite3', '-header', '-column', SQLCONSOLE_DB, $q],
               [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, '/srv/kb/db');
$out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
proc_close($p);
header('Content-Type: text/plain');
echo $out;
