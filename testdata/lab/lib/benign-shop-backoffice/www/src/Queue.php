<?php
// The shop's job queue: one JSON file per job under var/queue/pending/,
// taken by a worker with rename() into var/queue/running/, then done/.
namespace Shop;

final class Queue
{
    public static function push(string $root, string $type, array $args): string
    {
        $id = date('His') . '-' . bin2hex(random_bytes(3));
        $tmp = "$root/var/queue/tmp-$id.json";
        file_put_contents($tmp, json_encode(['id' => $id, 'type' => $type, 'args' => $args, 'at' => time()]));
        rename($tmp, "$root/var/queue/pending/$id.json");
        return $id;
    }

    public static function pop(string $root, string $worker): ?array
    {
        foreach (glob("$root/var/queue/pending/*.json") ?: [] as $f) {
            $run = "$root/var/queue/running/$worker-" . basename($f);
            if (@rename($f, $run)) {
                $job = json_decode((string) file_get_contents($run), true);
                $job['file'] = $run;
                return $job;
            }
        }
        return null;
    }

    public static function done(string $root, array $job): void
    {
        rename($job['file'], "$root/var/queue/done/" . basename($job['file']));
    }
}
