<?php
// Partner API (JSON over POST): the supplier's stock sync and the marketing
// agency's product feed exports (Google Merchant, price comparison sites).
//   {"key": "...", "action": "ping"}
//   {"key": "...", "action": "stock", "items": {"SKU": qty, ...}}
//   {"key": "...", "action": "product", "sku": "SKU", "title": "...", "price": "..."}
//   {"key": "...", "action": "feed", "name": "google", "format": "xml"|"csv"}
header('Content-Type: application/json');
$cfg = parse_ini_file('/etc/shop/partner.ini');
$in = json_decode(file_get_contents('php://input'), true);
if (!is_array($in) || !isset($in['key']) || $in['key'] != $cfg['partner_key']) {
    http_response_code(401);
    echo json_encode(['error' => 'invalid partner key']);
    exit;
}
$dbf = __DIR__ . '/../data/catalog.json';
$cat = json_decode(file_get_contents($dbf), true);
function save_catalog($f, $cat) {
    file_put_contents($f . '.tmp', json_encode($cat, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES));
    rename($f . '.tmp', $f);
}
switch ($in['action'] ?? '') {
case 'ping':
    echo json_encode(['ok' => true, 'time' => gmdate('c'), 'products' => count($cat)]);
    break;
case 'stock':
    $n = 0;
    foreach ((array)($in['items'] ?? []) as $sku => $qty) {
        if (isset($cat[$sku])) { $cat[$sku]['stock'] = (int)$qty; $n++; }
    }
    save_catalog($dbf, $cat);
    echo json_encode(['ok' => true, 'updated' => $n]);
    break;
case 'product':
    $sku = (string)($in['sku'] ?? '');
    if (!isset($cat[$sku])) { http_response_code(404); echo json_encode(['error' => 'unknown sku']); break; }
    foreach (['title', 'price'] as $k) {
        if (isset($in[$k])) $cat[$sku][$k] = (string)$in[$k];
    }
    save_catalog($dbf, $cat);
    echo json_encode(['ok' => true, 'sku' => $sku]);
    break;
case 'feed':
    $name = preg_replace('/[^a-z0-9_-]/', '', strtolower($in['name'] ?? 'feed'));
    $fmt = $in['format'] ?? 'csv';
    $path = __DIR__ . "/../feeds/$name.$fmt";
    if ($fmt === 'xml') {
        $x = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\" xmlns:g=\"http://base.google.com/ns/1.0\"><channel>\n<title>Lab Shop</title>\n";
        foreach ($cat as $sku => $p) {
            $x .= sprintf("<item><g:id>%s</g:id><title>%s</title><g:price>%s EUR</g:price><g:availability>%s</g:availability><link>https://shop.lab.local/products.php#%s</link></item>\n",
                htmlspecialchars($sku), htmlspecialchars($p['title']), htmlspecialchars($p['price']),
                $p['stock'] > 0 ? 'in stock' : 'out of stock', rawurlencode($sku));
        }
        file_put_contents($path, $x . "</channel></rss>\n");
    } else {
        $h = fopen($path, 'w');
        fputcsv($h, ['id', 'title', 'price', 'stock', 'link']);
        foreach ($cat as $sku => $p) {
            fputcsv($h, [$sku, $p['title'], $p['price'], $p['stock'], "https://shop.lab.local/products.php#$sku"]);
        }
        fclose($h);
    }
    echo json_encode(['ok' => true, 'feed' => "/feeds/$name.$fmt", 'bytes' => filesize($path)]);
    break;
default:
    http_response_code(400);
    echo json_encode(['error' => 'unknown action']);
}
