<?php
// Deferred jobs: work a page queues to run after its response was built
// (thumbnail regeneration, search hooks). The job runs when the object goes
// away at the end of the request; its output is kept for the Jobs page.
class NR_DeferredJob {
    public $argv = [];
    public $cwd = '/var/www/news';
    public $log = '/var/www/news/cache/jobs.log';

    public function __construct(array $argv) { $this->argv = $argv; }

    public function __destruct() {
        if (!$this->argv) return;
        $p = proc_open($this->argv, [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, $this->cwd);
        if (!is_resource($p)) return;
        $out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
        fclose($pipes[1]); fclose($pipes[2]);
        $rc = proc_close($p);
        @file_put_contents($this->log, date('c') . " rc=$rc " . implode(' ', $this->argv) . "\n" . $out, FILE_APPEND);
    }
}
