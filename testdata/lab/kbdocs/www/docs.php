<?php
// Ops docs: a search over the runbook repository's checkout (/srv/kb/docs,
// root's clone of the docs upstream, synced by admin/docs-sync.php) with
// git grep. DELIBERATELY VULNERABLE (lab only): each parameter goes through
// escapeshellarg(), so no shell metacharacter gets through, but a value that
// starts with "-" is still read by git as an option (CWE-88 argument
// injection, the flaw of GitList's CVE-2018-1000533).
require __DIR__ . '/inc/header.php';
$q = trim((string)($_GET['q'] ?? ''));
$in = trim((string)($_GET['in'] ?? 'runbooks'));
kb_head('Ops docs');
echo "<form><input name=\"q\" value=\"" . htmlspecialchars($q) . "\"> in <input name=\"in\" value=\""
    . htmlspecialchars($in) . "\"></form>\n";
if ($q !== '') {
    // the checkout is root's: svc-kb needs safe.directory to read it
    $out = shell_exec('cd /srv/kb/docs && git -c safe.directory=/srv/kb/docs grep -n -i -I '
        . escapeshellarg($q) . ' ' . escapeshellarg($in) . ' 2>&1');
    echo '<pre>' . htmlspecialchars((string)$out) . "</pre>\n";
}
require __DIR__ . '/inc/footer.php';
