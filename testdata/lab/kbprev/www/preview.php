<?php
// Link preview for the KB editor (scenario-kb-preview): fetches the URL an
// author pastes and shows its title and the start of its text. It checks
// only the scheme, never the host, so the server fetches whatever the
// caller names, internal services included (server-side request forgery).
require __DIR__ . '/inc/header.php';
$url = (string)($_GET['url'] ?? '');
$scheme = strtolower((string)parse_url($url, PHP_URL_SCHEME));
if (!in_array($scheme, ['http', 'https'], true)) {
    http_response_code(400);
    kb_head('Link preview');
    echo "<p>Only http and https links can be previewed.</p>\n";
} else {
    $ctx = stream_context_create(['http' => ['timeout' => 6, 'ignore_errors' => true,
        'header' => "User-Agent: TeamKB-LinkPreview/1.2\r\n"]]);
    $body = @file_get_contents($url, false, $ctx, 0, 65536);
    kb_head('Link preview');
    if ($body === false) {
        echo '<p>Could not fetch ' . htmlspecialchars($url) . "</p>\n";
    } else {
        $title = preg_match('~<title>(.*?)</title>~is', $body, $m) ? trim($m[1]) : $url;
        echo '<h2>' . htmlspecialchars($title) . "</h2>\n";
        echo '<pre class="snippet">' . htmlspecialchars(substr(strip_tags($body), 0, 4000)) . "</pre>\n";
    }
}
require __DIR__ . '/inc/footer.php';
