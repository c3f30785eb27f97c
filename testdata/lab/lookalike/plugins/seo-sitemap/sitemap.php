<?php
// seo-sitemap 1.4.0: the product sitemap for search engines (reads the catalogue, runs nothing)
require __DIR__ . '/src/Sitemap.php';
header('Content-Type: application/xml');
echo (new SeoSitemap\Sitemap('https://shop.lab.local'))->render(__DIR__ . '/../../data/products.csv');
