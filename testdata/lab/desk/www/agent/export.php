<?php require dirname(__DIR__) . '/lib/boot.php'; need_agent();
// a ticket's conversation and attachments as a zip for the customer's records
$id = (int)($_GET['id'] ?? 0);
if (!ticket_row($id)) { http_response_code(404); exit; }
@mkdir(DESK_WWW . '/exports', 0755);
$files = array_merge(glob(DESK_DATA . "/replies-$id.txt") ?: [], glob(DESK_WWW . "/attachments/$id/*.png") ?: []);
$argv = array_merge(['/usr/bin/zip', '-q', '-j', DESK_WWW . "/exports/ticket-$id.zip"], $files ?: [DESK_DATA . '/tickets.csv']);
$p = proc_open($argv, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $io);
stream_get_contents($io[1]); proc_close($p);
echo "/exports/ticket-$id.zip\n";
