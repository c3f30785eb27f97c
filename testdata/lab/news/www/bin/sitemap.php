<?php
// CLI: writes sitemap.xml in the web root from the articles.
require dirname(__DIR__) . '/lib/bootstrap.php';
$x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
foreach (nr_articles() as $id => $a) { $x .= "  <url><loc>http://news.lab.local/article.php?id=$id</loc></url>\n"; }
file_put_contents(NR_ROOT . '/sitemap.xml', $x . "</urlset>\n");
