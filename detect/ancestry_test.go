package detect

import (
	"fmt"
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// ancFixture feeds events to an engine and its tree, and checks after
// each that the cached info of every process is what a walk says.
type ancFixture struct {
	t *testing.T
	e *Engine
	s *synth
}

func (f *ancFixture) event(ev *parser.Event) {
	f.s.next(ev)
	f.e.Observe(ev, f.s.tree)
}

func (f *ancFixture) exec(pid, ppid int, uid uint32, exe string, args ...string) {
	f.e.Observe(f.s.exec(pid, ppid, uid, "", "/", exe, args...), f.s.tree)
}

// proc returns the newest process with pid.
func (f *ancFixture) proc(pid int) *parser.Process {
	ps := f.s.tree.ByPID("", pid)
	if len(ps) == 0 {
		f.t.Fatalf("no process %d", pid)
	}
	return ps[len(ps)-1]
}

// check compares the cached info of every process with the uncached walk;
// asking also fills the cache for the next step.
func (f *ancFixture) check(step int) {
	f.t.Helper()
	for _, p := range f.s.tree.Processes() {
		if got, want := f.e.state.info(p), f.e.state.walkInfo(p); got != want {
			f.t.Errorf("step %d, pid %d: cached %+v, walk %+v", step, p.Key.PID, got, want)
		}
	}
}

func pidOf(p *parser.Process) int {
	if p == nil {
		return 0
	}
	return p.Key.PID
}

// TestAncestryCache: after each change a cached ancestry depends on, info
// answers as the walk does, and as expected at the end.
func TestAncestryCache(t *testing.T) {
	type want struct{ web, channel int }
	chain := func(f *ancFixture) { // bash → python3 → id, nothing special
		f.exec(100, 1, 1000, "/usr/bin/bash", "bash")
		f.exec(101, 100, 1000, "/usr/bin/python3", "python3", "job.py")
		f.exec(102, 101, 1000, "/usr/bin/id", "id")
	}
	webChain := func(f *ancFixture) { // nginx → bash → cat, as www-data
		f.exec(100, 1, 33, "/usr/sbin/nginx", "nginx")
		f.exec(101, 100, 33, "/usr/bin/bash", "bash")
		f.exec(102, 101, 33, "/usr/bin/cat", "cat")
	}
	orphanChild := func(f *ancFixture) { // a web exec, then an orphan (seen before its exec) with a child
		f.exec(100, 1, 33, "/usr/sbin/nginx", "nginx")
		f.exec(101, 100, 33, "/usr/bin/dash", "sh", "-c", "nohup nc &")
		f.event(&parser.Event{Kind: parser.KindSyscall, Syscall: "read", Success: true, PID: 300, PPID: 1, UID: parser.NewID(33), Exe: "/usr/bin/dash", Comm: "sh"})
		f.exec(301, 300, 33, "/usr/bin/id", "id")
	}
	cases := []struct {
		name  string
		steps []func(f *ancFixture)
		pid   int
		want  want
	}{
		{"an ancestor execs into a web server", []func(*ancFixture){chain,
			func(f *ancFixture) { f.exec(100, 1, 1000, "/usr/sbin/nginx", "nginx") },
		}, 102, want{web: 100}},
		{"an ancestor execs out of a web server", []func(*ancFixture){
			func(f *ancFixture) { // as root: an exec with ppid 1 is then never adopted
				f.exec(100, 1, 0, "/usr/sbin/nginx", "nginx")
				f.exec(101, 100, 0, "/usr/bin/bash", "bash")
				f.exec(102, 101, 0, "/usr/bin/cat", "cat")
			},
			func(f *ancFixture) { f.exec(100, 1, 0, "/usr/bin/bash", "bash") },
		}, 102, want{}},
		{"an ancestor renames itself into a server", []func(*ancFixture){chain,
			func(f *ancFixture) {
				f.event(&parser.Event{Kind: parser.KindSyscall, Syscall: "read", Success: true, PID: 101, PPID: 100,
					UID: parser.NewID(1000), Exe: "/usr/bin/python3", Comm: "gunicorn: worke"})
			},
		}, 102, want{web: 101}},
		{"a channel opened by an ancestor after a descendant was cached", []func(*ancFixture){webChain,
			func(f *ancFixture) {
				f.e.Observe(f.s.connect(101, 100, 33, "/usr/bin/bash", "192.0.2.1", 4444), f.s.tree)
			},
		}, 102, want{web: 100, channel: 101}},
		{"a channel's opener evicted", []func(*ancFixture){webChain,
			func(f *ancFixture) {
				f.e.Observe(f.s.connect(101, 100, 33, "/usr/bin/bash", "192.0.2.1", 4444), f.s.tree)
			},
			func(f *ancFixture) {
				for i := 0; i < maxChannels; i++ {
					f.e.state.addChannel(&parser.Event{Kind: parser.KindConnect, Proc: &parser.Process{}})
				}
			},
		}, 102, want{web: 100}},
		{"an orphan adopted after its child was cached", []func(*ancFixture){orphanChild,
			func(f *ancFixture) { f.exec(300, 1, 33, "/usr/bin/nc.traditional", "nc", "-e", "/bin/sh") },
		}, 301, want{web: 100}},
		{"an orphan adopted by a failed exec (no new image)", []func(*ancFixture){orphanChild,
			func(f *ancFixture) {
				f.event(&parser.Event{Kind: parser.KindExec, Syscall: "execve", Exit: -13, PID: 300, PPID: 1,
					UID: parser.NewID(33), Exe: "/usr/bin/nc.traditional", Args: []string{"nc"}})
			},
		}, 301, want{web: 100}},
		{"a root linked to its parent later", []func(*ancFixture){
			func(f *ancFixture) { f.exec(100, 1, 33, "/usr/sbin/nginx", "nginx") },
			func(f *ancFixture) { f.exec(301, 300, 33, "/usr/bin/id", "id") }, // 300 is a placeholder root
			func(f *ancFixture) {
				f.event(&parser.Event{Kind: parser.KindSyscall, Syscall: "read", Success: true, PID: 300, PPID: 100, UID: parser.NewID(33), Exe: "/usr/bin/dash", Comm: "sh"})
			},
		}, 301, want{web: 100}},
		{"a root, unchanged otherwise, linked to its parent later", []func(*ancFixture){
			func(f *ancFixture) {
				f.exec(100, 1, 33, "/usr/sbin/nginx", "nginx")
				// a record without ppid: 300 is known, without a parent
				f.event(&parser.Event{Kind: parser.KindSyscall, Syscall: "read", Success: true, PID: 300, UID: parser.NewID(33), Exe: "/usr/bin/dash", Comm: "sh"})
				f.exec(301, 300, 33, "/usr/bin/id", "id")
			},
			func(f *ancFixture) {
				f.event(&parser.Event{Kind: parser.KindSyscall, Syscall: "read", Success: true, PID: 300, PPID: 100, UID: parser.NewID(33), Exe: "/usr/bin/dash", Comm: "sh"})
			},
		}, 301, want{web: 100}},
		{"a scheduler that execs away", []func(*ancFixture){
			func(f *ancFixture) {
				f.exec(50, 1, 0, "/usr/sbin/cron", "cron")
				f.exec(51, 50, 0, "/usr/bin/dash", "sh", "-c", "job")
				f.exec(52, 51, 0, "/usr/bin/id", "id")
			},
			func(f *ancFixture) { f.exec(50, 1, 0, "/usr/bin/bash", "bash") },
		}, 52, want{}},
		{"a chain deeper than maxAncestry", []func(*ancFixture){
			func(f *ancFixture) {
				f.exec(1000, 1, 33, "/usr/sbin/nginx", "nginx")
				for i := 1; i <= maxAncestry+5; i++ {
					f.exec(1000+i, 1000+i-1, 33, "/usr/bin/bash", "bash")
				}
			},
		}, 1000 + maxAncestry + 5, want{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e, err := New(Options{})
			if err != nil {
				t.Fatal(err)
			}
			f := &ancFixture{t: t, e: e, s: newSynth()}
			for i, step := range tc.steps {
				step(f)
				f.check(i)
			}
			in := e.state.info(f.proc(tc.pid))
			if got := (want{pidOf(in.web), channelOpener(in.channel)}); got != tc.want {
				t.Errorf("info(%d) = %+v, want %+v", tc.pid, got, tc.want)
			}
		})
	}
}

func channelOpener(ch *channel) int {
	if ch == nil {
		return 0
	}
	return pidOf(ch.opener)
}

// TestAncestrySched: a scheduler anywhere above a process is seen through
// the cache, also after the cache was emptied.
func TestAncestrySched(t *testing.T) {
	st := newState()
	cron := &parser.Process{Exe: "/usr/sbin/cron"}
	sh := &parser.Process{Exe: "/usr/bin/dash", Parent: cron}
	for i, reset := range []bool{false, true} {
		if reset {
			st.anc.reset()
		}
		job := &parser.Process{Exe: "/usr/bin/id", Parent: sh}
		if in := st.info(job); !in.sched || in != st.walkInfo(job) {
			t.Errorf("round %d: %+v", i, in)
		}
	}
}

// TestAncestryBounded: the cache stays within maxAncEntries and answers as
// the walk does after it was emptied.
func TestAncestryBounded(t *testing.T) {
	st := newState()
	web := &parser.Process{Exe: "/usr/sbin/nginx"}
	for i := 0; i < maxAncEntries+100; i++ {
		sh := &parser.Process{Exe: fmt.Sprintf("/usr/bin/sh%d", i%7), Parent: web}
		child := &parser.Process{Exe: "/usr/bin/id", Parent: sh}
		if got, want := st.info(child), st.walkInfo(child); got != want {
			t.Fatalf("process %d: cached %+v, walk %+v", i, got, want)
		}
	}
	if st.anc.n > maxAncEntries {
		t.Errorf("%d entries", st.anc.n)
	}
}

// TestAncestryExeLearnedLater: a placeholder's exe is learned from a later
// record without comm or exec; the memo and the cache notice it.
func TestAncestryExeLearnedLater(t *testing.T) {
	st := newState()
	parent := &parser.Process{Key: parser.ProcKey{PID: 10}} // a placeholder: nothing known yet
	child := &parser.Process{Key: parser.ProcKey{PID: 11}, Exe: "/usr/bin/id", Parent: parent}
	if got := st.info(child); got.web != nil {
		t.Fatalf("an unknown parent is a web server: %+v", got)
	}
	parent.Exe = "/usr/sbin/nginx"
	if got, want := st.info(child), st.walkInfo(child); got != want || got.web != parent {
		t.Errorf("cached %+v, walk %+v", got, want)
	}
}

// TestMemoCollisions: processes whose Seqs share a slot take it from each
// other; every answer stays the process's own.
func TestMemoCollisions(t *testing.T) {
	st := newState()
	web := &parser.Process{Exe: "/usr/sbin/nginx", Seq: 7}
	sh := &parser.Process{Exe: "/usr/bin/dash", Seq: 7 + webMemoSlots, Parent: web}
	id := &parser.Process{Exe: "/usr/bin/id", Seq: 7 + 2*ancSlots, Parent: sh}
	for i := 0; i < 3; i++ {
		if !st.isWebServer(web) || st.isWebServer(sh) || st.isWebServer(id) {
			t.Fatalf("round %d: memo answered for another process", i)
		}
		if got, want := st.info(id), st.walkInfo(id); got != want || got.web != web {
			t.Fatalf("round %d: cached %+v, walk %+v", i, got, want)
		}
	}
}

// TestInferredMaster: a pre-fork master the log never shows is named from
// its workers (proctree's inferMasterImage). A shell it runs is the
// server's child (the nginx master runs init_by_lua at reloads, as root),
// while its workers' own connections stay the server's, as they were when
// the master had no name.
func TestInferredMaster(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := newSynth()
	for _, w := range []int{701, 702} {
		if fs := e.Observe(s.connect(w, 700, 33, "/usr/sbin/nginx", "127.0.0.1", 5432), s.tree); len(fs) > 0 {
			t.Errorf("worker %d's own connect: %v, want nothing", w, ids(fs))
		}
	}
	if m := s.tree.ByPID("", 700)[0]; !m.ImageInferred || m.Exe != "/usr/sbin/nginx" {
		t.Fatalf("master: Exe %q inferred %v", m.Exe, m.ImageInferred)
	}
	fs := e.Observe(s.exec(703, 700, 0, "root", "/", "/usr/bin/dash", "sh", "-c", "[ -s /dev/shm/.t/r.sh ] && setsid sh /dev/shm/.t/r.sh &"), s.tree)
	if findingOf(fs, "web-server-exploitation") == nil && findingOf(fs, "web-server-shell-spawn") == nil {
		t.Errorf("the master's shell: %v, want a web server's shell", ids(fs))
	}
}
