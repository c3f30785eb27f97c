<?php
// Reviews plugin 1.4.2 (lab vendor): renders the stars of a product.
function reviews_stars(string $sku): string {
    $n = (crc32($sku) % 5) + 1;
    return str_repeat('*', $n) . str_repeat('.', 5 - $n);
}
