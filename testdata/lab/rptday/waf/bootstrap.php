<?php
// Reports portal request filter (a small WAF), loaded before every script
// by auto_prepend_file in the web root's .user.ini: refuses path traversal
// and control characters in the query and in JSON bodies, and marks the
// response so the monitoring can see the filter is active. Runs nothing.
header('X-Reports-WAF: 1');
$q = rawurldecode($_SERVER['QUERY_STRING'] ?? '');
$body = ($_SERVER['REQUEST_METHOD'] ?? 'GET') === 'POST' ? (string)file_get_contents('php://input') : '';
if (preg_match('#\.\./|[\x00-\x08\x0a\x0d]#', $q) || preg_match('#\\\\n|\$\(#', $body)) {
    error_log('reports-waf: refused ' . ($_SERVER['REQUEST_URI'] ?? ''));
    http_response_code(403);
    exit("refused by the request filter\n");
}
