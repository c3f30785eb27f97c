<?php
// Delicatessen back office: goods-in (barcode photos), suppliers' delivery
// notes (OCR), product photos, the accountant's monthly invoice pack.
define('PANTRY_DATA', '/var/lib/shop-pantry');               // outside the web root
define('SHOP_ADMIN_TOKEN', 'pt-2026-bo-7c2');
define('ACCOUNTANT_PDF_PASSWORD', 'Stb-Kanzlei-2026!');        // agreed with the tax adviser for the monthly pack

// EAN -> product, as the supplier master data says
const PANTRY_PRODUCTS = [
    '4006381333931' => ['CHEESE-ALLGAEU', 'Allgäuer Bergkäse 12 Monate'],
    '4001234567891' => ['CHEESE-TILSIT', 'Tilsiter mild'],
    '4012345678901' => ['OIL-OLIVE-500', 'Olivenöl nativ extra 500 ml'],
    '4023456789011' => ['HONEY-FOREST', 'Waldhonig 500 g'],
    '4034567890121' => ['PASTA-TRUFFLE', 'Trüffel-Tagliatelle 250 g'],
    '4045678901231' => ['SALT-SMOKED', 'Rauchsalz 120 g'],
    '4056789012341' => ['VINEGAR-BALS', 'Aceto Balsamico 250 ml'],
    '4067890123451' => ['COFFEE-ESPR', 'Espresso Bohnen 1 kg'],
];

function shop_admin_only() {
    if (($_SERVER['HTTP_X_SHOP_ADMIN'] ?? '') !== SHOP_ADMIN_TOKEN) {
        http_response_code(403);
        exit("forbidden\n");
    }
}

// run ARGV: a helper program without a shell; [exit code, stdout, stderr]
function run(array $argv) {
    $p = proc_open($argv, [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    if (!is_resource($p)) return [127, '', 'cannot run ' . $argv[0]];
    $out = stream_get_contents($pipes[1]);
    $err = stream_get_contents($pipes[2]);
    return [proc_close($p), $out, $err];
}

function pantry_log($name, $line) {
    @mkdir(PANTRY_DATA, 0750, true);
    file_put_contents(PANTRY_DATA . "/$name.log", gmdate('c') . " $line\n", FILE_APPEND | LOCK_EX);
}
