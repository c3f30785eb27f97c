<?php
// The shop's queue worker (run by www-data's cron under flock, as
// "queue:work --max-time" is on hosts without a supervisor): order
// confirmations by SMTP through the provider's relay, orders posted to the
// ERP's API, the ERP's stock levels fetched every 30 s into data/stock.json.
//   php bin/worker.php [--max-time=SECONDS] [--once] [--verbose]
if (PHP_SAPI !== 'cli') { http_response_code(404); exit; }
require_once __DIR__ . '/../lib/wholesale.php';

$opt = getopt('', ['max-time::', 'once', 'verbose']);
$maxTime = (int)($opt['max-time'] ?? 170);
$once = isset($opt['once']);
$verbose = isset($opt['verbose']);
$q = WH_DATA . '/queue';
$t0 = time();
$lastStock = 0;

function say(string $m): void { echo gmdate('H:i:s'), ' worker[', getmypid(), '] ', $m, "\n"; }

function smtp_send(string $to, string $subject, string $body): void {
    $s = fsockopen(SHOP_SMTP_HOST, SHOP_SMTP_PORT, $errno, $errstr, 5);
    if (!$s) throw new RuntimeException("relay: $errstr");
    stream_set_timeout($s, 10);
    $expect = function (string $code) use ($s) {
        do { $l = fgets($s); } while ($l !== false && isset($l[3]) && $l[3] === '-');
        if ($l === false || strncmp($l, $code, 3) !== 0) throw new RuntimeException('relay said: ' . trim((string)$l));
    };
    $cmd = function (string $c, string $code) use ($s, $expect) { fwrite($s, "$c\r\n"); $expect($code); };
    $expect('220');
    $cmd('EHLO shop.lab.local', '250');
    $cmd('MAIL FROM:<' . SHOP_MAIL_FROM . '>', '250');
    $cmd("RCPT TO:<$to>", '250');
    $cmd('DATA', '354');
    $msg = "From: Lab Shop trade desk <" . SHOP_MAIL_FROM . ">\r\nTo: <$to>\r\nSubject: $subject\r\nDate: " . gmdate('r')
         . "\r\nMessage-ID: <" . bin2hex(random_bytes(8)) . "@shop.lab.local>\r\n\r\n"
         . preg_replace('/^\./m', '..', str_replace("\n", "\r\n", $body));
    $cmd("$msg\r\n.", '250');
    $cmd('QUIT', '221');
    fclose($s);
}

function erp(string $method, string $path, ?array $body = null): string {
    $c = curl_init(SHOP_ERP_URL . $path);
    curl_setopt_array($c, [CURLOPT_RETURNTRANSFER => true, CURLOPT_TIMEOUT => 10, CURLOPT_CUSTOMREQUEST => $method,
        CURLOPT_HTTPHEADER => ['Authorization: Bearer ' . SHOP_ERP_TOKEN, 'Content-Type: application/json']]);
    if ($body !== null) curl_setopt($c, CURLOPT_POSTFIELDS, json_encode($body));
    $r = curl_exec($c);
    $code = curl_getinfo($c, CURLINFO_RESPONSE_CODE);
    curl_close($c);
    if ($r === false || $code >= 300) throw new RuntimeException("erp $method $path: HTTP $code");
    return $r;
}

if ($verbose) say("start, queue $q, " . count(glob("$q/*.json")) . " jobs waiting");
do {
    foreach (glob("$q/*.json") as $f) {
        $work = "$f.work";
        if (!@rename($f, $work)) continue;           // another worker has it
        $job = json_decode(file_get_contents($work), true);
        try {
            if ($job['type'] === 'mail') smtp_send($job['to'], $job['subject'], $job['body']);
            elseif ($job['type'] === 'erp') erp('POST', '/sales-orders', $job['order']);
            rename($work, "$q/done/" . basename($f));
            say("done " . basename($f));
        } catch (Throwable $e) {
            rename($work, $f);                       // retried next round
            say("retry " . basename($f) . ": " . $e->getMessage());
        }
    }
    if (time() - $lastStock >= 30 && !$once) {
        try {
            $stock = erp('GET', '/stock.json');
            file_put_contents(WH_DATA . '/stock.json.tmp', $stock);
            rename(WH_DATA . '/stock.json.tmp', WH_DATA . '/stock.json');
            if ($verbose) say('stock levels updated');
        } catch (Throwable $e) {
            say($e->getMessage());
        }
        $lastStock = time();
    }
    if ($once) break;
    sleep(2);
} while (time() - $t0 < $maxTime);
if ($verbose) say('exit');
