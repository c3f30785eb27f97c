<?php // packing slip on a 4x6 in label ($id, $name, $address from packslip.php) ?>
<!doctype html><html><head><style>@page { size: 4in 6in; margin: 4mm }</style></head><body>
<h2>#<?= $id ?></h2><p><?= htmlspecialchars($name) ?><br><?= htmlspecialchars($address) ?></p>
</body></html>
