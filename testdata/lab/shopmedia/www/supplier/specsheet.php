<?php
// Supplier portal: a supplier uploads the spec sheet (PDF) of a product; the
// shop keeps it under media/specs/ and renders a preview of its first page.
require __DIR__ . '/../lib/media.php';
header('Content-Type: application/json');
if ($_SERVER['REQUEST_METHOD'] !== 'POST') { echo json_encode(['upload' => 'POST sku, supplier, sheet (PDF)']); exit; }
$sku = preg_replace('/[^A-Za-z0-9-]/', '', $_POST['sku'] ?? '');
$supplier = substr(preg_replace('/[^a-z0-9.@_-]/i', '', $_POST['supplier'] ?? ''), 0, 80);
if ($sku === '' || !isset($_FILES['sheet']) || $_FILES['sheet']['error'] !== UPLOAD_ERR_OK) {
    http_response_code(400); echo json_encode(['error' => 'sku and sheet are required']); exit;
}
$name = strtolower(pathinfo($_FILES['sheet']['name'], PATHINFO_EXTENSION));
if ($name !== 'pdf') { http_response_code(415); echo json_encode(['error' => 'PDF only']); exit; }
if ($_FILES['sheet']['size'] > 8 * 1024 * 1024) { http_response_code(413); echo json_encode(['error' => 'too large']); exit; }
$base = sprintf('%s/%s-%s', SPEC_DIR, $sku, date('YmdHis'));
move_uploaded_file($_FILES['sheet']['tmp_name'], $base . '.pdf');
// the suppliers' sync tool sends whole catalogues with defer=1: the
// pseudo-cron (shop-cron.php) renders those previews later
if (($_POST['defer'] ?? '') === '1') { $ok = false; $msg = 'queued for shop-cron'; }
else { [$ok, $msg] = render_preview($base . '.pdf', $base . '.png'); }
file_put_contents(__DIR__ . '/../data/specsheets.csv', sprintf("%s,%s,%s,%s\n", date('c'), $sku, $supplier, basename($base)), FILE_APPEND);
echo json_encode(['sku' => $sku, 'file' => 'media/specs/' . basename($base) . '.pdf', 'preview' => $ok ? 'media/specs/' . basename($base) . '.png' : null, 'gs' => $msg]);
