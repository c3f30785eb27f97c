<?php
// Wholesale helpers: trade accounts, trade prices, the job queue.
require_once __DIR__ . '/settings.php';

define('WH_DATA', dirname(__DIR__) . '/data');

function wh_accounts(): array {
    return json_decode(file_get_contents(WH_DATA . '/trade-accounts.json'), true) ?: [];
}

function wh_prices(): array {
    $p = [];
    foreach (file(WH_DATA . '/trade-prices.csv', FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) as $i => $line) {
        if ($i === 0) continue;
        [$sku, $name, $price] = str_getcsv($line, ';');
        $p[strtoupper($sku)] = ['name' => $name, 'price' => (float)$price];
    }
    return $p;
}

// a job for bin/worker.php: data/queue/<time>-<id>-<type>.json
function wh_enqueue(string $type, string $id, array $job): void {
    $job['type'] = $type;
    $job['queued'] = gmdate('c');
    $f = sprintf('%s/queue/%s-%s-%s.json', WH_DATA, sprintf('%.4f', microtime(true)), $id, $type);
    file_put_contents("$f.tmp", json_encode($job, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES));
    rename("$f.tmp", $f);
}

function wh_need_login(): array {
    session_start();
    if (empty($_SESSION['trade_account'])) {
        http_response_code(401);
        echo "please log in\n";
        exit;
    }
    return $_SESSION['trade_account'];
}
