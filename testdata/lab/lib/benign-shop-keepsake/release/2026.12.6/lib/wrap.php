<?php
// Gift wrap papers and prices (release 2026.12.6).
function wrap_options() {
    return [['id' => 'kraft', 'price' => 2.50], ['id' => 'stars', 'price' => 3.50], ['id' => 'xmas-red', 'price' => 3.50]];
}
