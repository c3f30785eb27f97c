<?php
// bulky items over the holidays
return ['name' => 'xmas-bulky', 'apply' => function (float $total, string $country): ?float {
    $extra = 9.90;
    return $total > 200 ? $extra : null;
}];
