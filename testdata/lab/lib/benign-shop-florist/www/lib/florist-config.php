<?php
// Blumenhaus Lindgren: order and courier settings
const FLORIST_DATA = '/var/lib/shop-florist';
const FLORIST_ORDERS_MAIL = 'orders@blumenhaus-lindgren.example';
const COURIER_WEBHOOK_SECRET = 'vb-courier-hook-2026-5e1d';
const BOUQUETS = [
    'ADVENT-WREATH' => ['Advent wreath, fir and cones', 39.00],
    'ROSES-RED-12' => ['12 red roses', 44.50],
    'WINTER-WHITE' => ['Winter white (amaryllis, eucalyptus)', 52.00],
    'POINSETTIA' => ['Poinsettia in a zinc pot', 24.90],
    'SEASONAL-S' => ["Florist's choice, small", 29.00],
];
