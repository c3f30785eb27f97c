<?php
$items = '';
foreach (glob(KILN . '/uploads/gallery/*.jpg') as $f) {
    $id = basename($f, '.jpg');
    $items .= '<img src="/photo?id=' . h($id) . '&w=200" alt="">';
}
page('Gallery', "<h1>Students' work</h1>$items<form method=post action=/gallery/submit><input name=name><input name=url placeholder='link to your photo'><button>Send</button></form>");
