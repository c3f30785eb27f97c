<?php
// free shipping in DE/AT over 50 EUR (winter campaign)
return ['name' => 'free-over-50', 'apply' => function (float $total, string $country): ?float {
    return ($total >= 50 && in_array($country, ['DE', 'AT'], true)) ? 0.0 : null;
}];
