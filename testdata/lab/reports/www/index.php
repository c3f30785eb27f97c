<?php
// Reports portal: the list of generated monthly reports (no shell-out)
$files = array_values(array_filter(scandir('/srv/reports/out') ?: [], fn($f) => str_ends_with($f, '.txt')));
?><!doctype html>
<html><head><title>Finance reports</title></head><body>
<h1>Finance reports</h1>
<ul>
<?php foreach ($files as $f): ?>
<li><a href="/out/<?= htmlspecialchars($f) ?>"><?= htmlspecialchars($f) ?></a></li>
<?php endforeach; ?>
</ul>
<p><a href="/report.php">This month</a> · <a href="/chart.php?name=sales">Sales chart</a> · <a href="/help.php">Help</a></p>
</body></html>
