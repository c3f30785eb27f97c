<?php
require __DIR__ . '/../lib/account.php';
$u = session_user();
if (!$u) { header('Location: /account/login.php'); http_response_code(302); exit; }
echo "<h1>Your account</h1><p>" . htmlspecialchars($u['email']) . "</p><p>No open orders.</p>";
