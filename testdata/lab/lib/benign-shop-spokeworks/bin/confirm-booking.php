<?php
// Run by atd two minutes after a booking (queued by service.php as www-data):
// the booking's confirmation mail, unless the customer cancelled meanwhile.
if (PHP_SAPI !== 'cli' || $argc < 2) { fwrite(STDERR, "usage: confirm-booking.php <booking id>\n"); exit(2); }
$id = preg_replace('/[^0-9a-f-]/', '', $argv[1]);
$f = "/var/lib/shop-spokeworks/bookings/$id.json";
$log = '/var/log/shop-spokeworks/bookings.log';
if (!is_file($f)) { file_put_contents($log, gmdate('c') . " $id: no such booking\n", FILE_APPEND); exit(1); }
$b = json_decode(file_get_contents($f), true);
if (($b['status'] ?? '') === 'cancelled') { file_put_contents($log, gmdate('c') . " $id: cancelled, no mail\n", FILE_APPEND); exit(0); }
$body = "Hello {$b['name']},\n\nyour {$b['service']} appointment is confirmed: {$b['date']} at {$b['slot']}.\n"
      . "Bike: {$b['bike']}\nPlease bring the bike with the battery charged (e-bikes) and the key for the lock.\n\n"
      . "Spokeworks Radwerkstatt, Am Wall 112, 28195 Bremen\n";
$ok = mail($b['email'], "Your workshop appointment on {$b['date']}", $body,
           "From: Spokeworks Werkstatt <werkstatt@shop.lab.local>\r\nContent-Type: text/plain; charset=utf-8");
$b['status'] = $ok ? 'confirmed' : 'mail-failed';
$b['confirmed'] = gmdate('c');
file_put_contents($f, json_encode($b, JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE), LOCK_EX);
file_put_contents($log, gmdate('c') . " $id: {$b['status']} ({$b['email']}, {$b['date']} {$b['slot']})\n", FILE_APPEND);
