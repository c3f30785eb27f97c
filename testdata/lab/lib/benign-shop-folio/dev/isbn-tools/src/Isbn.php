<?php
namespace Folio\Tools;

final class Isbn
{
    public static function valid13(string $isbn): bool
    {
        if (!preg_match('/^97[89][0-9]{10}$/', $isbn)) return false;
        $sum = 0;
        for ($i = 0; $i < 12; $i++) $sum += (int)$isbn[$i] * ($i % 2 ? 3 : 1);
        return (10 - $sum % 10) % 10 === (int)$isbn[12];
    }
}
