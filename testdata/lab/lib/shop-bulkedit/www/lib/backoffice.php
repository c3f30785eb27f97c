<?php
// The back office's shared code: staff sessions (kept outside the web root,
// as the hosting panel recommends), the staff list, the catalog file.
require_once __DIR__ . '/../config.php';

const BO_DATA = '/var/lib/shop-bulkedit';
const CATALOG = __DIR__ . '/../data/products.csv';

// staff accounts of the back office (bcrypt hashes)
const STAFF = [
    'maria' => ['role' => 'catalog', 'hash' => '$2y$10$Z.AtrWfGMXXQqdddUPt/P.kiVH1y34felmb.47EePVH/XUTAy51Fq'],
    'jonas' => ['role' => 'orders',  'hash' => '$2y$10$PtlqCZErB4nS3SyViInnM.0Gjx0S.pY2aNd9lcpk8zw/ZSk7hH12W'],
];

function bo_session(): void {
    if (session_status() === PHP_SESSION_ACTIVE) return;
    ini_set('session.save_path', BO_DATA . '/sessions');
    ini_set('session.gc_maxlifetime', '28800');
    session_name('SHOPADM');
    session_start();
}

function require_staff(string $role = ''): array {
    bo_session();
    $u = $_SESSION['staff'] ?? null;
    if (!$u || ($role !== '' && ($_SESSION['role'] ?? '') !== $role)) {
        http_response_code(403);
        header('Content-Type: text/plain');
        exit("login required\n");
    }
    return ['user' => $u, 'role' => $_SESSION['role']];
}

function catalog_rows(): array {
    $rows = [];
    foreach (file(CATALOG, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) as $l) $rows[] = str_getcsv($l);
    return $rows;
}

// writes the changed column back into the catalog (name = 0, price = 1)
function bulk_apply(string $col, array $before, array $after): int {
    $c = $col === 'price' ? 1 : 0;
    $rows = catalog_rows();
    $n = 0;
    foreach ($rows as &$r) {
        $i = array_search($r[$c], $before, true);
        if ($i !== false && isset($after[$i]) && is_scalar($after[$i])) { $r[$c] = (string)$after[$i]; $n++; }
    }
    unset($r);
    $fh = fopen(CATALOG . '.tmp', 'w');
    foreach ($rows as $r) fputcsv($fh, $r);
    fclose($fh);
    rename(CATALOG . '.tmp', CATALOG);
    return $n;
}
