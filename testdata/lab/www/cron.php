<?php
// Shop maintenance, run by www-data's crontab: drop thumbnails older than a day.
foreach (glob(__DIR__ . '/uploads/thumb-*') as $f) {
    if (filemtime($f) < time() - 86400) { unlink($f); }
}
