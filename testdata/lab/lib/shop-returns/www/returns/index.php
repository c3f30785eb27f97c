<?php
// Returns & warranty claims: the customer's form (strings by Accept-Language).
$lang = substr($_SERVER['HTTP_ACCEPT_LANGUAGE'] ?? 'en', 0, 2);
$L = require __DIR__ . '/lang/' . (in_array($lang, ['en', 'de'], true) ? $lang : 'en') . '.php';
?>
<!doctype html><html><head><title><?= htmlspecialchars($L['title']) ?></title></head><body>
<h1><?= htmlspecialchars($L['title']) ?></h1>
<form method="post" action="claim.php" enctype="multipart/form-data">
<label><?= $L['order'] ?> <input name="order" placeholder="SO-104233"></label>
<label><?= $L['email'] ?> <input name="email"></label>
<label><?= $L['reason'] ?> <textarea name="reason"></textarea></label>
<label><?= $L['photos'] ?> <input type="file" name="photos[]" multiple accept="image/jpeg,image/png"></label>
<input type="submit" value="<?= $L['send'] ?>">
</form></body></html>
