<?php
// Aurora theme 2.3 helpers
function aurora_title(string $t): string { return htmlspecialchars($t . ' - Aurora'); }
function aurora_nav(array $links): string {
    $h = '<nav>';
    foreach ($links as $href => $label) $h .= '<a href="' . htmlspecialchars($href) . '">' . htmlspecialchars($label) . '</a> ';
    return $h . '</nav>';
}
