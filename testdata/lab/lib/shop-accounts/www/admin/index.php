<?php
require __DIR__ . '/../lib/account.php';
$u = require_admin();
$n = count(json_load(ACCT_FILE));
echo "<h1>Back office</h1><p>signed in as " . htmlspecialchars($u['email']) . "; $n accounts</p>";
echo "<a href=products.php>product photos</a> <a href=media.php>media settings</a>";
