<?php
namespace GiftCards;

class Cards
{
    private const BALANCES = ['GC-1001' => 25.0, 'GC-1002' => 50.0, 'GC-1003' => 10.5];

    public static function balance(string $card): ?float
    {
        return self::BALANCES[$card] ?? null;
    }
}
