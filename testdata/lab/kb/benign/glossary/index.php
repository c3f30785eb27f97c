<?php
// Glossary extension for the team KB (vendor: kb-extensions, 2.1.0): terms
// from terms.json, rendered as a list. Runs nothing.
$terms = json_decode((string)file_get_contents(__DIR__ . '/terms.json'), true) ?: [];
ksort($terms);
echo "<h1>Glossary</h1><dl>\n";
foreach ($terms as $t => $d) {
    echo '<dt>' . htmlspecialchars($t) . '</dt><dd>' . htmlspecialchars($d) . "</dd>\n";
}
echo "</dl>\n";
