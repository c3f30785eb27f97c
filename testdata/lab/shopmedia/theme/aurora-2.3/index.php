<?php require __DIR__ . '/functions.php'; ?><!doctype html>
<html><head><title><?= aurora_title('Lab Shop') ?></title><link rel="stylesheet" href="style.css"></head>
<body><header><?= aurora_nav(['/' => 'Home', '/products.php' => 'Products', '/contact.php' => 'Contact']) ?></header>
<main><h1>Winter collection</h1><p>Spec sheets for every product in the supplier portal.</p></main></body></html>
