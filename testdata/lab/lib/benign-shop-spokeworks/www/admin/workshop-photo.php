<?php
// The workshop tablet: a photo of a finished bike for the customer's page and
// the "fresh from the workshop" wall. Kept in the incoming folder; the photo
// watcher (www-data's cron) publishes it into img/workshop/.
require __DIR__ . '/../lib/spokeworks-config.php';
shop_admin_only();
$ref = preg_replace('/[^A-Z0-9-]/', '', strtoupper((string)($_POST['ref'] ?? '')));
$f = $_FILES['photo'] ?? null;
if ($ref === '' || !$f || $f['error'] !== UPLOAD_ERR_OK || !in_array(@getimagesize($f['tmp_name'])[2] ?? 0, [IMAGETYPE_JPEG, IMAGETYPE_PNG], true)) {
    http_response_code(422);
    exit("a JPEG or PNG and the job reference please\n");
}
$name = $ref . '-' . gmdate('His') . '.jpg';
@mkdir(SW_DATA . '/incoming', 0750, true);
move_uploaded_file($f['tmp_name'], SW_DATA . '/incoming/.' . $name);
rename(SW_DATA . '/incoming/.' . $name, SW_DATA . '/incoming/' . $name);   // the watcher sees it whole
echo "received $name\n";
