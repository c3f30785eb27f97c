<?php
// DELIBERATELY VULNERABLE (lab only): stores any uploaded file under the web
// root with its client-supplied name, no type or extension check (CWE-434).
$msg = '';
if ($_SERVER['REQUEST_METHOD'] === 'POST' && isset($_FILES['file'])) {
    $dst = __DIR__ . '/uploads/' . basename($_FILES['file']['name']);
    if (move_uploaded_file($_FILES['file']['tmp_name'], $dst)) {
        $msg = 'stored as /uploads/' . htmlspecialchars(basename($dst));
    } else {
        $msg = 'upload failed';
    }
}
?>
<!doctype html><html><body>
<h1>Upload your design</h1>
<p><?= $msg ?></p>
<form method="post" enctype="multipart/form-data">
<input type="file" name="file"><input type="submit" value="Upload">
</form></body></html>
