<?php
// Brew guide (release 2026.12.6)
$m = preg_replace('/[^a-z]/', '', $_GET['method'] ?? 'v60');
$ratios = ['v60' => 16, 'aeropress' => 14, 'frenchpress' => 15, 'espresso' => 2];
$r = $ratios[$m] ?? 16;
echo "<!doctype html><title>Brew guide</title><h1>Brew guide: $m</h1><p>1 g coffee to $r g water.</p>\n";
