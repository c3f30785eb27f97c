package parser

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TestOverlapKeepsNoText: two hosts' logs of the same hours in one scan
// overlap entirely, as a rotation's copy overlaps the next file a little;
// the reader remembers the overlap to drop repeats, and must not keep the
// first log's record text alive for it. A rotation's repeat is still
// dropped (rotated.golden).
func TestOverlapKeepsNoText(t *testing.T) {
	dir := t.TempDir()
	const events = 80000 // ~26 MB of text per log
	for _, host := range []string{"a", "b"} {
		f, err := os.Create(filepath.Join(dir, host+".log"))
		if err != nil {
			t.Fatal(err)
		}
		w := bufio.NewWriter(f)
		for i := range events {
			fmt.Fprintf(w, `node=host-%s type=SYSCALL msg=audit(1795637716.%03d:%d): arch=c000003e syscall=2 success=yes exit=3 a0=7ffd a1=0 a2=1b6 a3=0 items=1 ppid=1 pid=700 auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 comm="cat" exe="/usr/bin/cat" key="file-%08d"`+"\n",
				host, i%1000, 1000+i, i)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	ins, _ := Resolve([]string{filepath.Join(dir, "a.log"), filepath.Join(dir, "b.log")}, nil)
	if len(ins) != 2 {
		t.Fatalf("%d inputs, want 2", len(ins))
	}
	before := heap()
	r := NewReader(ins, Options{})
	n := 0
	if err := r.All(func(*Event) { n++ }); err != nil {
		t.Fatal(err)
	}
	kept := int64(heap()) - int64(before)
	runtime.KeepAlive(r)
	r.Close()
	if n != 2*events {
		t.Errorf("%d events, want %d: an event of one host was taken for a repeat", n, 2*events)
	}
	// a.log's text is 26 MB, 35 MB held with it; the reader's own
	// state and a key per event are 6-12 MB
	if kept > 24<<20 {
		t.Errorf("the reader keeps %d MB after reading two overlapping logs: the first one's text is held for the overlap", kept>>20)
	}
}
