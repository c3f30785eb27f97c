<?php
// composer autoload (dev dependencies were installed on the server and never removed)
spl_autoload_register(function ($c) {
    $f = __DIR__ . '/../lib/' . str_replace('\\', '/', $c) . '.php';
    if (is_file($f)) { require $f; }
});
