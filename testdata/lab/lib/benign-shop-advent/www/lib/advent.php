<?php
// The advent sale's shared helpers: the calendar's data (data/advent.json in
// the web root, written by the back office and the door switch job) and the
// cache bans sent to the page cache (Varnish on 127.0.0.1:6081) when it changes.
const ADVENT_DATA = __DIR__ . '/../data/advent.json';
const ADVENT_VAR = '/var/lib/shop-advent';
const ADVENT_CACHE = 'http://127.0.0.1:6081/';
const ADVENT_BAN_TOKEN = 'adv26-7c41e0b9';
const ADVENT_ADMIN_TOKEN = 'adv-bo-2026-93d1';

function advent_load(): array {
    $d = json_decode((string)@file_get_contents(ADVENT_DATA), true);
    return is_array($d) ? $d : ['open_door' => 0, 'doors' => []];
}

function advent_save(array $d): void {
    $tmp = ADVENT_DATA . '.' . getmypid() . '.tmp';
    file_put_contents($tmp, json_encode($d, JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES) . "\n");
    rename($tmp, ADVENT_DATA);
}

// the door of a day: 1..24 in December (Europe/Berlin midnight), else 0
function advent_door_at(int $t): int {
    $d = new DateTime('@' . $t);
    $d->setTimezone(new DateTimeZone('Europe/Berlin'));
    return ($d->format('n') === '12' && (int)$d->format('j') <= 24) ? (int)$d->format('j') : 0;
}

// BAN request to the page cache: every cached URL matching $re is dropped
function advent_ban(string $re): int {
    $ch = curl_init(ADVENT_CACHE);
    curl_setopt_array($ch, [
        CURLOPT_CUSTOMREQUEST => 'BAN',
        CURLOPT_HTTPHEADER => ['X-Ban-Url: ' . $re, 'X-Purge-Token: ' . ADVENT_BAN_TOKEN],
        CURLOPT_RETURNTRANSFER => true,
        CURLOPT_CONNECTTIMEOUT => 2,
        CURLOPT_TIMEOUT => 4,
        CURLOPT_USERAGENT => 'shop-advent/1.4 (cache ban)',
    ]);
    curl_exec($ch);
    $code = (int)curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
    curl_close($ch);
    return $code;
}
