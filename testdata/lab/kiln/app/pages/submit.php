<?php
// a student's piece for the gallery, by a link to the photo: fetched with curl, typed with file,
// kept when it is a JPEG or PNG (thumbnailed once at 200)
if ($_SERVER['REQUEST_METHOD'] !== 'POST') { http_response_code(405); return; }
$name = preg_replace('/[^A-Za-z .-]/', '', $_POST['name'] ?? 'anonymous');
$url = trim($_POST['url'] ?? '');
if (!preg_match('#^(https?|file)://#', $url)) { http_response_code(400); page('Gallery', '<p>Please paste a link to your photo.</p>'); return; }
$id = 'g' . gmdate('His') . substr(md5($url . microtime()), 0, 6);
$dest = KILN . "/uploads/gallery/$id.jpg";
// escapeshellcmd keeps the link "safe" for the shell
exec('curl -s -f -L --max-time 10 --max-filesize 5000000 ' . escapeshellcmd($url) . ' -o ' . escapeshellarg($dest) . ' 2>&1', $o, $rc);
[, $mime] = is_file($dest) ? run_argv(['/usr/bin/file', '-b', '--mime-type', $dest]) : [1, ''];
if (!in_array(trim($mime), ['image/jpeg', 'image/png'], true)) {
    @unlink($dest);
    http_response_code(422);
    page('Gallery', '<p>Sorry, that link is not a photo (curl ' . (int)$rc . ', ' . h(trim($mime) ?: 'nothing saved') . ').</p>');
    return;
}
run_argv(['/usr/bin/convert', $dest, '-thumbnail', '200x200', "/var/lib/kiln/cache/$id-200.jpg"]);
file_put_contents(KILN . '/data/gallery.log', gmdate('c') . " $id $name $url\n", FILE_APPEND);
page('Gallery', '<p>Thank you, ' . h($name) . '! Your piece is in the gallery.</p>');
