<?php // packing slip, Letter ($id, $name, $address, $lines from packslip.php) ?>
<!doctype html><html><head><style>@page { size: Letter; margin: 20mm }</style></head><body>
<h1><?= htmlspecialchars(SHOP_NAME) ?> &mdash; packing slip #<?= $id ?></h1>
<p><?= htmlspecialchars($name) ?><br><?= htmlspecialchars($address) ?></p>
<table><?php foreach ($lines as [$p, $q, $e]) { printf('<tr><td>%s</td><td>%d</td><td>%.2f EUR</td></tr>', htmlspecialchars($p), $q, $q * $e); } ?></table>
</body></html>
