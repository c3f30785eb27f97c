<?php
// Coupons of the winter campaign (release 2026.12)
class Coupon
{
    const CODES = ['WINTER10' => 10, 'MUG5' => 5];

    public static function discount(string $code): int
    {
        return self::CODES[strtoupper($code)] ?? 0;
    }
}
