<?php
// Brew guide (release 2026.12.7: grind sizes, cold brew)
$m = preg_replace('/[^a-z]/', '', $_GET['method'] ?? 'v60');
$ratios = ['v60' => [16, 'medium-fine'], 'aeropress' => [14, 'fine'], 'frenchpress' => [15, 'coarse'],
           'espresso' => [2, 'very fine'], 'coldbrew' => [8, 'extra coarse']];
[$r, $g] = $ratios[$m] ?? [16, 'medium'];
echo "<!doctype html><title>Brew guide</title><h1>Brew guide: $m</h1><p>1 g coffee to $r g water, grind $g.</p>\n";
