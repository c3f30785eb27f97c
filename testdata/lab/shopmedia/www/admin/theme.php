<?php
// Theme manager: a theme package (.tar.gz) uploaded by the staff or the
// developer is unpacked with PharData into themes/<name>/ (PHP templates
// included), then listed.
require __DIR__ . '/auth.php';
header('Content-Type: text/plain');
$name = preg_replace('/[^a-z0-9.-]/', '', $_POST['name'] ?? '');
if ($name === '' || !isset($_FILES['package'])) { http_response_code(400); exit("name and package required\n"); }
$tmp = __DIR__ . '/../media/tmp/' . $name . '.tar.gz';
@mkdir(dirname($tmp), 0775, true);
move_uploaded_file($_FILES['package']['tmp_name'], $tmp);
$dest = __DIR__ . '/../themes/' . $name;
@mkdir($dest, 0775, true);
try {
    $ph = new PharData($tmp);
    $ph->extractTo($dest, null, true);
} catch (Exception $e) { http_response_code(422); exit('bad package: ' . $e->getMessage() . "\n"); }
unlink($tmp);
$it = new RecursiveIteratorIterator(new RecursiveDirectoryIterator($dest, FilesystemIterator::SKIP_DOTS));
foreach ($it as $f) echo substr($f->getPathname(), strlen(dirname($dest)) + 1), ' ', $f->getSize(), "\n";
file_put_contents(__DIR__ . '/../themes/active.txt', $name . "\n");
