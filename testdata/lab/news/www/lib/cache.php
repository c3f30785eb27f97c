<?php
// Fragment cache: an entry changed during the request is written back to
// its file when the object goes away.
class NR_CacheEntry {
    public $file;
    public $data = '';
    public $dirty = false;

    public function __construct($key) { $this->file = NR_ROOT . '/cache/' . md5($key) . '.html'; }
    public function get() { return is_file($this->file) ? file_get_contents($this->file) : null; }
    public function set($data) { $this->data = $data; $this->dirty = true; }

    public function __destruct() {
        if ($this->dirty && $this->file) @file_put_contents($this->file, $this->data);
    }
}
