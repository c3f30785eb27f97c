<?php require dirname(__DIR__) . '/lib/boot.php'; need_agent();
foreach (array_slice(file(DESK_DATA . '/tickets.csv', FILE_IGNORE_NEW_LINES), -25) as $l) echo htmlspecialchars($l), "<br>\n";
