<?php
namespace SeoSitemap;

class Sitemap
{
    public function __construct(private string $base) {}

    public function render(string $csv): string
    {
        $out = '<?xml version="1.0" encoding="UTF-8"?>' . "\n" . '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' . "\n";
        foreach (@file($csv, FILE_IGNORE_NEW_LINES) ?: [] as $i => $line) {
            if ($i === 0 || $line === '') continue;
            $sku = strtok($line, ',');
            $out .= '  <url><loc>' . htmlspecialchars($this->base . '/products.php?sku=' . $sku) . "</loc></url>\n";
        }
        return $out . "</urlset>\n";
    }
}
