<?php
require __DIR__ . '/auth.php';
if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    $ini = atelier_ini();
    $u = (string) ($_POST['user'] ?? '');
    $p = (string) ($_POST['password'] ?? '');
    if (hash_equals((string) $ini['backoffice']['user'], $u) && hash_equals((string) $ini['backoffice']['password'], $p)) {
        session_regenerate_id(true);
        $_SESSION['bo'] = $u;
        bo_log('login ok');
        header('Location: /backoffice/');
        exit;
    }
    bo_log('login failed for ' . preg_replace('/[^A-Za-z0-9@._-]/', '?', substr($u, 0, 40)));
    http_response_code(403);
    echo "wrong user or password\n";
    exit;
}
?>
<!doctype html><html><body><h1>Atelier back office</h1>
<form method="post"><input name="user"><input name="password" type="password"><input type="submit" value="Sign in"></form>
</body></html>
