<?php require dirname(__DIR__) . '/lib/boot.php'; need_admin();
// "System information" page of the admin area (the vendor's support asks for it)
foreach (['id', 'uname -a', 'df -h /srv/deskline', 'php -v'] as $c) {
    echo "<h3>$c</h3><pre>" . htmlspecialchars(shell_exec($c . ' 2>&1')) . "</pre>\n";
}
