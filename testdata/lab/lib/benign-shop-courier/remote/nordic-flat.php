<?php
// flat rate for the Nordics
return ['name' => 'nordic-flat', 'apply' => function (float $total, string $country): ?float {
    return in_array($country, ['DK', 'SE', 'NO', 'FI'], true) ? 7.50 : null;
}];
