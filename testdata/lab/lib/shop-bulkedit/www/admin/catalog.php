<?php
require __DIR__ . '/../lib/backoffice.php';
$me = require_staff();
header('Content-Type: text/html; charset=utf-8');
echo '<h1>Catalog</h1><p>Signed in as ' . htmlspecialchars($me['user']) . '</p><table>';
foreach (catalog_rows() as $r) echo '<tr><td>' . htmlspecialchars($r[0]) . '</td><td>' . htmlspecialchars($r[1] ?? '') . "</td></tr>\n";
echo '</table>';
?>
<h2>Bulk edit</h2>
<form id="bulk">
 <select name="col"><option>name</option><option>price</option></select>
 <select name="op">
  <option value="trim">Trim spaces</option><option value="ucwords">Capitalise words</option>
  <option value="strtoupper">UPPER CASE</option><option value="strtolower">lower case</option>
  <option value="round">Round price</option><option value="number_format">Price with decimals</option>
 </select>
 <button data-mode="preview">Preview</button> <button data-mode="apply">Apply</button>
</form>
<pre id="out"></pre>
<script src="/admin/js/catalog.js"></script>
