<?php
namespace LabShop;

final class Money
{
    public static function eur(float $v): string
    {
        return number_format($v, 2, ',', '.') . ' €';
    }
}
