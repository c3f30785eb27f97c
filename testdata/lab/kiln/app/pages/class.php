<?php
$id = $_GET['id'] ?? '';
foreach (classes() as $c) {
    if ($c['id'] === $id) {
        page($c['title'], sprintf('<h1>%s</h1><p>%s</p><p>%s, tutor %s</p><img src="/photo?id=%s&w=480" alt="">
<form method=post action=/book><input type=hidden name=class value="%s"><input name=name><input name=email><button>Book</button></form>',
            h($c['title']), h($c['blurb']), h($c['when']), h($c['tutor']), h($c['id']), h($c['id'])));
        return;
    }
}
http_response_code(404); page('Not found', '<p>No such class.</p>');
