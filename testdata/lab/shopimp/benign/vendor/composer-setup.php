<?php
// The package manager's installer (lab stand-in for composer-setup.php):
// writes the composer stub into --install-dir under --filename.
$dir = 'bin'; $name = 'composer';
foreach (array_slice($argv, 1) as $a) {
    if (strpos($a, '--install-dir=') === 0) { $dir = substr($a, 14); }
    if (strpos($a, '--filename=') === 0) { $name = substr($a, 11); }
}
@mkdir($dir, 0755, true);
copy('http://127.0.0.1:8000/composer.phar', "$dir/$name") or exit("download failed\n");
chmod("$dir/$name", 0755);
echo "Composer (version 2.8.4-lab) successfully installed to: " . realpath("$dir/$name") . "\n";
