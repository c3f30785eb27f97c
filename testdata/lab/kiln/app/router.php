<?php
// Kilnworks 2.4 front controller for PHP's built-in server (php -S ... -t /srv/kiln/public router.php):
// known routes go to app/pages/, anything else is left to the server (static files and any .php
// file under public/ are served or run by the server itself).
require __DIR__ . '/lib.php';
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
$routes = [
    '/' => 'index.php', '/class' => 'class.php', '/book' => 'book.php', '/photo' => 'photo.php',
    '/gallery' => 'gallery.php', '/gallery/submit' => 'submit.php', '/healthz' => 'healthz.php',
];
if (isset($routes[$path])) {
    require __DIR__ . '/pages/' . $routes[$path];
    return true;
}
return false;
