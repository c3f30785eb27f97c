<?php
// Workshop bookings (service, repair, bike fitting). The confirmation mail is
// queued with at(1) for two minutes later, so that a customer who mistyped the
// date can still cancel with the link on the thank-you page (atrm).
require __DIR__ . '/lib/spokeworks-config.php';
header('Content-Type: text/plain; charset=utf-8');

if (isset($_GET['cancel'])) {
    $id = (string)$_GET['cancel'];
    $f = booking_file($id);
    if (!hash_equals(booking_key($id), (string)($_GET['k'] ?? '')) || !is_file($f)) {
        http_response_code(404);
        exit("no such booking\n");
    }
    $b = json_decode(file_get_contents($f), true);
    if (($b['status'] ?? '') !== 'pending') {
        http_response_code(409);
        exit("this booking is already {$b['status']} - please call the workshop\n");
    }
    if (!empty($b['job'])) {
        exec('/usr/bin/atrm ' . (int)$b['job'] . ' 2>&1', $out, $rc);
    }
    $b['status'] = 'cancelled';
    $b['cancelled'] = gmdate('c');
    file_put_contents($f, json_encode($b, JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE), LOCK_EX);
    exit("booking {$id} cancelled - see you another time\n");
}

if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    header('Content-Type: text/html; charset=utf-8');
    echo "<!doctype html><title>Book the workshop</title><h1>Book a service</h1><form method=post>",
         "<input name=name><input name=email><input name=bike><select name=service><option>inspection</option>",
         "<option>repair</option><option>fitting</option><option>e-bike</option></select>",
         "<input name=date type=date><input name=slot type=time><textarea name=notes></textarea><button>Book</button></form>\n";
    exit;
}

$email = filter_var(trim($_POST['email'] ?? ''), FILTER_VALIDATE_EMAIL);
$date = (string)($_POST['date'] ?? '');
$slot = (string)($_POST['slot'] ?? '');
$service = (string)($_POST['service'] ?? 'inspection');
if (!$email || !preg_match('/^2026-12-(0[89]|[12][0-9]|3[01])$/', $date) || !preg_match('/^(0[89]|1[0-7]):(00|30)$/', $slot)
    || !in_array($service, ['inspection', 'repair', 'fitting', 'e-bike'], true)) {
    http_response_code(422);
    exit("please check the date (from tomorrow), the time slot and your e-mail address\n");
}
$id = gmdate('ymdHis') . '-' . bin2hex(random_bytes(2));
$b = [
    'id' => $id, 'created' => gmdate('c'), 'status' => 'pending',
    'name' => substr(trim($_POST['name'] ?? ''), 0, 80), 'email' => $email,
    'bike' => substr(trim($_POST['bike'] ?? ''), 0, 120), 'service' => $service,
    'date' => $date, 'slot' => $slot, 'notes' => substr(trim($_POST['notes'] ?? ''), 0, 500),
];
@mkdir(SW_DATA . '/bookings', 0750, true);
file_put_contents(booking_file($id), json_encode($b, JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE), LOCK_EX);

// the confirmation job: at prints "job N at <time>" on stderr
$cmd = '/usr/bin/php ' . SW_LIB . '/confirm-booking.php ' . escapeshellarg($id);
exec('echo ' . escapeshellarg($cmd) . ' | /usr/bin/at -q s ' . CONFIRM_DELAY . ' 2>&1', $out, $rc);
if ($rc === 0 && preg_match('/job (\d+) at/', implode("\n", $out), $m)) {
    $b['job'] = (int)$m[1];
    file_put_contents(booking_file($id), json_encode($b, JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE), LOCK_EX);
} else {
    error_log("spokeworks: could not queue the confirmation of $id: " . implode(' ', $out));
}
echo "thanks {$b['name']} - your {$service} on {$date} at {$slot} is booked; the confirmation mail follows in two minutes.\n";
echo "wrong date? cancel: /service.php?cancel={$id}&k=" . booking_key($id) . "\n";
