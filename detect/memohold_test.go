package detect

import (
	"runtime"
	"testing"
	"weak"

	"github.com/auditchain/auditchain/parser"
)

// TestMemoHoldsNoProcess: detection's fixed-size caches (the web-server
// memo, the table of acts already reported) name processes without
// keeping them alive. A spilling tree moves cold processes to its file;
// a cache of 65 536 pointers kept them all in memory anyway (the
// pid-repeating 500 MB log with --max-processes 32768: 42 000 processes
// outside the tree, twice what the tree held).
func TestMemoHoldsNoProcess(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	const n = 64
	var gone []weak.Pointer[parser.Process]
	func() {
		s := newSynth()
		s.exec(200, 1, 33, "www-data", "/", "/usr/sbin/apache2", "/usr/sbin/apache2", "-k", "start")
		for i := range n {
			pid := 300 + i
			ev := s.exec(pid, 200, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", "id")
			e.state.isWebServer(ev.Proc)
			e.firstOnTarget(e.rules[0], ev.Proc, ev)
			gone = append(gone, weak.Make(ev.Proc))
		}
		if gone[0].Value().Seq == 0 {
			t.Fatal("the synthetic tree does not number its processes: the test checks nothing")
		}
	}() // the tree and the events go: only the engine is left
	runtime.GC()
	runtime.GC()
	alive := 0
	for _, w := range gone {
		if w.Value() != nil {
			alive++
		}
	}
	if alive > 0 {
		t.Errorf("%d of %d processes stay in memory with nothing but the engine's caches naming them", alive, n)
	}
	runtime.KeepAlive(e)
}
