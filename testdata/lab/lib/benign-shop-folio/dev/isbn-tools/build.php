<?php
// builds isbn-tools.phar (php -d phar.readonly=0 build.php)
@unlink(__DIR__ . '/isbn-tools.phar');
$p = new Phar(__DIR__ . '/isbn-tools.phar', 0, 'isbn-tools.phar');
$p->buildFromDirectory(__DIR__ . '/src', '/\.php$/');
$p->setStub("#!/usr/bin/env php\n<?php Phar::mapPhar('isbn-tools.phar'); require 'phar://isbn-tools.phar/cli.php'; __HALT_COMPILER(); ?>\n");
echo "built isbn-tools.phar (" . count($p) . " files)\n";
