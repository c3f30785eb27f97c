<?php
require __DIR__ . '/../lib/backoffice.php';
bo_session();
if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    $u = (string)($_POST['user'] ?? '');
    if (isset(STAFF[$u]) && password_verify((string)($_POST['pass'] ?? ''), STAFF[$u]['hash'])) {
        session_regenerate_id(true);
        $_SESSION['staff'] = $u;
        $_SESSION['role'] = STAFF[$u]['role'];
        $_SESSION['since'] = date('c');
        header('Location: /admin/catalog.php');
        exit;
    }
    http_response_code(401);
}
header('Content-Type: text/html; charset=utf-8');
echo '<h1>Back office</h1><form method="post"><input name="user"><input name="pass" type="password"><button>Sign in</button></form>';
