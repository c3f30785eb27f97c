<?php
// The "unit calculator" widget of the KB's how-to pages: evaluates the
// arithmetic a reader types (e.g. "1024*1024/8"). The author's "filter" only
// strips PHP tags; the expression goes to eval() (CWE-95: code injection).
// GET ?expr= from the widget's links, POST JSON {expr} from its form.
$in = json_decode((string)file_get_contents('php://input'), true);
$expr = (string)((is_array($in) ? ($in['expr'] ?? null) : null) ?? $_GET['expr'] ?? '0');
$expr = str_replace(['<?php', '<?', '?>'], '', $expr);
header('Content-Type: text/plain');
ob_start();
$r = eval('return ' . $expr . ';');
$out = ob_get_clean();
echo $out, is_scalar($r) ? $r : '', "\n";
