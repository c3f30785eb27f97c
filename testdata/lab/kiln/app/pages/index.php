<?php
$rows = '';
foreach (classes() as $c) {
    $rows .= sprintf('<li><a href="/class?id=%s">%s</a> %s, %s places <img src="/photo?id=%s&w=160" alt=""></li>',
        h($c['id']), h($c['title']), h($c['when']), h($c['places']), h($c['id']));
}
page('Classes', "<h1>Classes this month</h1><ul>$rows</ul>");
