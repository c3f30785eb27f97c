<?php
// Front page: the latest articles (no process is started here).
require __DIR__ . '/lib/bootstrap.php';
$c = new NR_CacheEntry('front');
$html = $c->get();
if ($html === null) {
    $html = "<h1>Newsroom</h1><ul>";
    foreach (nr_articles() as $id => $a) {
        $html .= "<li><a href=\"/article.php?id=$id\">" . htmlspecialchars($a['title']) . "</a></li>";
    }
    $html .= "</ul>";
    $c->set($html);
}
nr_page('Front page', $html);
