package detect

import (
	"runtime"
	"testing"
	"time"
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

// TestSpilledProcessesGo: processes a spilling tree moved to its file are
// not kept in memory by detection's ancestry cache (up to 32 768 entries,
// each naming a process and its parent): the cache is emptied when the
// tree spills (Engine.dropSpilled). pid-repeating 2 GB with
// --max-processes 65536: 38 000 processes outside the tree before, 5 700
// after.
func TestSpilledProcessesGo(t *testing.T) {
	e, s := spillingScene(t)
	const n = 400
	var made []weak.Pointer[parser.Process]
	kept := 0
	s.exec(200, 1, 33, "www-data", "/", "/usr/sbin/apache2", "/usr/sbin/apache2", "-k", "start")
	for i := range n {
		sh := s.exec(1000+2*i, 200, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", "uptime")
		kept += len(e.Observe(sh, s.tree)) // a finding pins its process
		up := s.exec(1001+2*i, 1000+2*i, 33, "www-data", "/var/www", "/usr/bin/uptime", "uptime")
		kept += len(e.Observe(up, s.tree))
		made = append(made, weak.Make(sh.Proc), weak.Make(up.Proc))
		s.t = s.t.Add(time.Second) // the older ones go cold
	}
	if st := s.tree.SpillStats(); st.Spilled == 0 {
		t.Fatalf("the tree did not spill (%+v): the test checks nothing", st)
	}
	runtime.GC()
	runtime.GC()
	alive := 0
	for _, w := range made {
		if w.Value() != nil {
			alive++
		}
	}
	// the tree keeps up to its limit and a half, and the processes of
	// the findings kept (pinned)
	if alive > 48+kept {
		t.Errorf("%d of %d processes still in memory; the tree keeps at most 48 and the %d of kept findings", alive, len(made), kept)
	}
	runtime.KeepAlive(s.tree)
	runtime.KeepAlive(e)
}

// TestBoundedTablesUnpin: detection's bounded tables (the newest web
// server per account, adoptions, channels, listeners, flagged writes)
// pin a process only while they list it. They pinned for good before: a
// pid-repeating archive's web-server workers stayed in memory long after
// the table had moved on (2 GB: 60 000 pinned processes, 47 000 after).
func TestBoundedTablesUnpin(t *testing.T) {
	e, s := spillingScene(t)
	const n = 300
	var workers []weak.Pointer[parser.Process]
	kept := 0
	e.Observe(s.exec(100, 1, 0, "root", "/", "/usr/sbin/php-fpm8.2", "php-fpm: master process"), s.tree)
	for i := range n {
		w := s.exec(1000+2*i, 100, 33, "www-data", "/", "/usr/sbin/php-fpm8.2", "php-fpm: pool www")
		kept += len(e.Observe(w, s.tree))
		// a web-context exec: the table notes its worker
		kept += len(e.Observe(s.exec(1001+2*i, 1000+2*i, 33, "www-data", "/var/www/html", "/usr/bin/convert", "convert", "a.png", "b.png"), s.tree))
		workers = append(workers, weak.Make(w.Proc))
		s.t = s.t.Add(time.Second)
	}
	if kept > 0 {
		t.Fatalf("%d findings: the test wants none, so that nothing but the tables pins", kept)
	}
	runtime.GC()
	runtime.GC()
	alive := 0
	for _, w := range workers {
		if w.Value() != nil {
			alive++
		}
	}
	if alive > 48+1 { // the tree's limit and a half, and the newest worker, still listed
		t.Errorf("%d of %d workers still in memory: a table that moved on still pins them", alive, n)
	}
	runtime.KeepAlive(s.tree)
	runtime.KeepAlive(e)
}

// spillingScene is an engine and a tree that moves processes to a file
// past 32 in memory.
func spillingScene(t *testing.T) (*Engine, *synth) {
	t.Helper()
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := newSynth()
	s.tree.SpillTo(t.TempDir(), 32)
	return e, s
}
