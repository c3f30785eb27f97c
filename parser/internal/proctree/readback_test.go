package proctree

import (
	"reflect"
	"slices"
	"testing"
	"time"
)

// A pid that comes round again after its process moved to disk is read
// back alone with its ancestors (faultPath), and the tree decides "same
// process or not" and the ancestry as a tree kept in memory does.
func TestPathReadBack(t *testing.T) {
	// history: a shell (pid 100, under init) forks ten children 101-110
	// that exec and go quiet; then 200 short-lived processes elsewhere
	// make that subtree the coldest, so it moves out; then the case's
	// events name one of 101-110 again.
	base := func() []*Event {
		evs := []*Event{ev(0, KindExec, 1, 0, "/sbin/init", "init"), ev(1, KindExec, 100, 1, "/bin/sh", "sh", "-c", "loop")}
		for pid := 101; pid <= 110; pid++ {
			evs = append(evs, ev(2, KindExec, pid, 100, "/usr/bin/job", "job", "run"))
		}
		for i := range 200 {
			evs = append(evs, ev(10+i, KindExec, 1000+i, 1, "/usr/bin/tick", "tick"))
		}
		return evs
	}
	late := func(s int, e *Event) *Event { e.Time = time.Unix(int64(1000+s), 0).UTC(); return e }
	fork := func(e *Event, child int) *Event { e.Child = child; return e }
	for _, tc := range []struct {
		name      string
		again     []*Event
		pid       int
		processes int   // processes that held pid
		ancestry  []int // pids above the last of them
	}{
		{"re-exec soon after, same parent: the same process",
			[]*Event{late(215, ev(0, KindExec, 105, 100, "/usr/bin/job", "job", "next"))}, 105, 1, []int{100, 1}},
		{"same image again after a long silence: a new process under the same parent",
			[]*Event{late(5000, ev(0, KindExec, 105, 100, "/usr/bin/job", "job", "run"))}, 105, 2, []int{100, 1}},
		{"another parent: a new process",
			[]*Event{late(215, ev(0, KindExec, 107, 1000, "/usr/bin/other", "other"))}, 107, 2, []int{1000, 1}},
		{"an event of the old process, no exec: the same process",
			[]*Event{late(215, ev(0, KindConnect, 103, 100, "/usr/bin/job"))}, 103, 1, []int{100, 1}},
		{"its parent forked since, then a late re-exec: a new process",
			[]*Event{late(4000, fork(ev(0, KindFork, 100, 1, "/bin/sh"), 300)), late(5000, ev(0, KindExec, 104, 100, "/usr/bin/job", "job", "x"))}, 104, 2, []int{100, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			evs := append(base(), tc.again...)
			mem := buildTree(evs, 0, "")
			tr := buildTree(evs, 16, t.TempDir())
			defer tr.Close()
			if err := tr.Err(); err != nil {
				t.Fatal(err)
			}
			st := tr.SpillStats()
			if st.PathFaults == 0 {
				t.Fatalf("no path read back (%+v): the case does not exercise it", st)
			}
			// the siblings of the pid stayed on disk: read back is the
			// path, not the subtree of pid 100
			inMemory := 0
			for _, p := range tr.procs {
				if p.Key.PID > 100 && p.Key.PID <= 110 && p.Key.PID != tc.pid {
					inMemory++
				}
			}
			if inMemory != 0 {
				t.Errorf("%d siblings of pid %d were read back with it", inMemory, tc.pid)
			}
			// the decision about the last event's process is the one
			// the tree in memory made
			got, want := tr.ByPID("", tc.pid), mem.ByPID("", tc.pid)
			if len(got) != tc.processes || len(want) != tc.processes {
				t.Fatalf("pid %d: %d processes spilled, %d in memory, want %d", tc.pid, len(got), len(want), tc.processes)
			}
			chain, _ := tr.Ancestors(got[len(got)-1])
			var pids []int
			for _, a := range chain {
				pids = append(pids, a.Key.PID)
			}
			if !slices.Equal(pids, tc.ancestry) {
				t.Errorf("ancestry %v, want %v", pids, tc.ancestry)
			}
			if a, b := spillDump(mem), spillDump(tr); a != b {
				t.Errorf("the spilled tree differs from the one in memory")
			}
		})
	}
}

// Skimming a record (faultPath's first pass) reads exactly the bytes of a
// full decode and keeps the key, live flag and child records.
func TestSkimReadsTheSameBytes(t *testing.T) {
	var p Process
	fill(reflect.ValueOf(&p).Elem(), 1)
	p.Parent, p.Children = nil, nil
	for _, q := range []Process{p, {}, {Key: ProcKey{Host: "h", PID: 7}, Args: []string{}}} {
		b := encodeProcess(nil, &q, true, []int32{4, 2})
		b = append(b, 0xAA) // what follows must be left alone
		var got Process
		d := &recordDecoder{b: b, t: NewTree(), skim: true}
		live, refs := d.process(&got)
		if d.err != nil || len(d.b) != 1 || d.b[0] != 0xAA {
			t.Fatalf("skim: %v, %d bytes left", d.err, len(d.b))
		}
		if got.Key != q.Key || !live || !slices.Equal(refs, []int32{4, 2}) {
			t.Errorf("skim kept key %+v live %t refs %v, want %+v", got.Key, live, refs, q.Key)
		}
		if got.Execs != nil || got.Peers != nil || got.Container != nil {
			t.Errorf("skim kept what it should read past")
		}
	}
}

// The cold children of one parent share records of up to forestProcs
// processes, and reading one of them back leaves the rest of its record
// on disk in at most two records (the siblings before it and after it),
// not one per sibling.
func TestForestRecords(t *testing.T) {
	const kids = 300
	evs := []*Event{ev(0, KindExec, 1, 0, "/sbin/init", "init"), ev(1, KindExec, 100, 1, "/usr/sbin/master", "master")}
	for i := range kids {
		evs = append(evs, ev(2, KindExec, 1000+i, 100, "/usr/bin/worker", "worker"))
	}
	// the master stays busy (hot), its workers go quiet
	for i := range 2000 {
		evs = append(evs, ev(10+i, KindConnect, 100, 1, "/usr/sbin/master"))
		evs = append(evs, ev(10+i, KindExec, 5000+i, 1, "/usr/bin/tick", "tick"))
	}
	tr := buildTree(evs, 512, t.TempDir())
	defer tr.Close()
	master := tr.find(hostPID{"", 100})
	recs := tr.spill.refs[master]
	want := (kids + forestProcs - 1) / forestProcs
	if len(recs) != want {
		t.Fatalf("the master's %d cold workers are in %d records, want %d", kids, len(recs), want)
	}
	// a worker's pid comes round again: it alone is read back
	e := ev(3000, KindExec, 1000+kids/2, 100, "/usr/bin/worker", "worker", "again")
	tr.Observe(e)
	if e.Proc == nil || e.Proc.Parent != master || len(e.Proc.Execs) != 2 {
		t.Fatalf("worker read back wrong: %+v", e.Proc)
	}
	if got := len(tr.spill.refs[master]); got > want+1 {
		t.Errorf("after one worker came back the master has %d records on disk, want at most %d", got, want+1)
	}
	if n := len(master.Children); n != 1 {
		t.Errorf("%d workers in memory, want the one read back", n)
	}
	mem := buildTree(append(evs, ev(3000, KindExec, 1000+kids/2, 100, "/usr/bin/worker", "worker", "again")), 0, "")
	if spillDump(mem) != spillDump(tr) {
		t.Error("the spilled tree differs from the one in memory")
	}
}
