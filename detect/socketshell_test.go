package detect

import (
	"strings"
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// rootImplant is a root program started by no web server and no login (a
// packet-socket implant) that connects out to 127.0.0.1:4470 as pid 401.
func rootImplant(t *testing.T) (*Engine, *synth) {
	t.Helper()
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := newSynth()
	s.exec(400, 1, 0, "root", "/", "/usr/bin/python3.11", "python3", "/usr/lib/x86_64-linux-gnu/.cache/hald")
	s.exec(401, 400, 0, "root", "/", "/usr/bin/python3.11", "python3", "/usr/lib/x86_64-linux-gnu/.cache/hald")
	e.Observe(s.connect(401, 400, 0, "/usr/bin/python3.11", "127.0.0.1", 4470), s.tree)
	return e, s
}

// TestSocketShell: an interactive shell started with no terminal by the
// process that has just connected out (or its child) is a reverse shell:
// the shell and its commands run in a channel to the connect's peer, said
// to be inferred (shop-cartcache's packet-socket implant).
func TestSocketShell(t *testing.T) {
	e, s := rootImplant(t)
	sh := e.Observe(s.exec(402, 401, 0, "root", "/", "/usr/bin/dash", "/bin/sh", "-i"), s.tree)
	if f := has(sh, "reverse-shell-channel-command"); f == nil || f.Title != "Interactive Shell On An Outbound Connection" || f.Stage != StageCommandAndControl {
		t.Errorf("the shell on the socket: %v, want the interactive shell on an outbound connection, on 7", ids(sh))
	}
	got := e.Observe(s.exec(403, 402, 0, "root", "/", "/usr/bin/tar", "tar", "czf", "-", "/etc/shadow"), s.tree)
	f := has(got, "reverse-shell-channel-command")
	if f == nil {
		t.Fatalf("tar typed into the implant's shell: %v (shell: %v), want reverse-shell-channel-command", ids(got), ids(sh))
	}
	if !strings.Contains(f.Reason, "inferred channel: pid 401 (python3.11) connected to 127.0.0.1:4470") {
		t.Errorf("reason %q does not say the channel was inferred and from what", f.Reason)
	}
	// its writes are the intruder's hands: the site's browser code changed
	w := &parser.Event{Kind: parser.KindFileWrite, Syscall: "openat", Success: true, PID: 404, PPID: 402,
		UID: parser.NewID(0), EUID: parser.NewID(0), Exe: "/usr/bin/dash", Path: "/var/www/html/js/checkout.js",
		Paths: []parser.PathRecord{{Name: "/var/www/html/js/checkout.js", Nametype: "NORMAL"}}}
	s.exec(404, 402, 0, "root", "/", "/usr/bin/dash", "/bin/sh", "-i")
	if has(e.Observe(s.next(w), s.tree), "webroot-client-code-altered") == nil {
		t.Errorf("checkout.js appended to in the implant's shell: want webroot-client-code-altered")
	}
}

// TestSocketShellNot: a shell with a terminal, a shell run with -c, and a
// shell started long after the connect are not taken for one on a socket.
func TestSocketShellNot(t *testing.T) {
	for _, c := range []struct {
		name string
		run  func(e *Engine, s *synth) *parser.Event
	}{
		{"terminal", func(e *Engine, s *synth) *parser.Event {
			ev := &parser.Event{Kind: parser.KindExec, Syscall: "execve", Success: true, PID: 402, PPID: 401, TTY: "pts0",
				UID: parser.NewID(0), EUID: parser.NewID(0), AUID: parser.NewID(parser.Unset), User: "root", Exe: "/usr/bin/bash", Args: []string{"bash", "-i"}, Cwd: "/"}
			return s.next(ev)
		}},
		{"command", func(e *Engine, s *synth) *parser.Event {
			return s.exec(402, 401, 0, "root", "/", "/usr/bin/dash", "/bin/sh", "-c", "id")
		}},
		{"later", func(e *Engine, s *synth) *parser.Event {
			s.t = s.t.Add(time.Minute)
			return s.exec(402, 401, 0, "root", "/", "/usr/bin/dash", "/bin/sh", "-i")
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := rootImplant(t)
			e.Observe(c.run(e, s), s.tree)
			if got := e.Observe(s.exec(403, 402, 0, "root", "/", "/usr/bin/id", "id"), s.tree); has(got, "reverse-shell-channel-command") != nil {
				t.Errorf("id below a shell that is not on the socket: %v", ids(got))
			}
		})
	}
}

func TestInteractiveFlag(t *testing.T) {
	for _, c := range []struct {
		args []string
		want bool
	}{
		{[]string{"/bin/sh", "-i"}, true},
		{[]string{"bash", "-il"}, true},
		{[]string{"bash", "--norc", "-i"}, true},
		{[]string{"sh", "-c", "-i"}, false},
		{[]string{"sh", "script.sh", "-i"}, false},
		{[]string{"sh"}, false},
		{nil, false},
	} {
		if got := interactiveFlag(c.args); got != c.want {
			t.Errorf("interactiveFlag(%q) = %v, want %v", c.args, got, c.want)
		}
	}
}

// TestKernelThreadMasquerade: a program whose argv[0] is written as a
// kernel thread's name is a disguise; the test program "[" is not.
func TestKernelThreadMasquerade(t *testing.T) {
	e, s := rootImplant(t)
	if got := e.Observe(s.exec(410, 1, 0, "root", "/", "/usr/bin/python3.11", "[kworker/u4:3-events]", "/usr/lib/x86_64-linux-gnu/.cache/hald"), s.tree); has(got, "kernel-thread-masquerade") == nil {
		t.Errorf("python3 as [kworker/u4:3-events]: %v, want kernel-thread-masquerade", ids(got))
	}
	for _, args := range [][]string{{"[", "-f", "/etc/x", "]"}, {"[kthreadd"}, {"/usr/bin/[", "1", "]"}} {
		if got := e.Observe(s.exec(411, 1, 0, "root", "/", "/usr/bin/[", args...), s.tree); has(got, "kernel-thread-masquerade") != nil {
			t.Errorf("%q: kernel-thread-masquerade", args)
		}
	}
}

// TestCreatedBySelf: a file its own process created and then removed (a
// database's journal) is no content destroyed; another's file is.
func TestCreatedBySelf(t *testing.T) {
	e, s := webShellScene(t)
	s.exec(202, 201, 33, "www-data", "/var/www/html", "/usr/bin/sqlite3", "sqlite3", "data/shop.db", "UPDATE t SET a=1")
	mk := &parser.Event{Kind: parser.KindFileWrite, Syscall: "openat", Success: true, PID: 202, PPID: 201,
		UID: parser.NewID(33), EUID: parser.NewID(33), Exe: "/usr/bin/sqlite3", Path: "/var/www/html/data/shop.db-journal",
		Paths: []parser.PathRecord{{Name: "/var/www/html/data/", Nametype: "PARENT"}, {Name: "/var/www/html/data/shop.db-journal", Nametype: "CREATE"}}}
	e.Observe(s.next(mk), s.tree)
	rm := s.file(parser.KindUnlink, 202, 201, 33, "/usr/bin/sqlite3", "/var/www/html/data/shop.db-journal", true)
	if got := e.Observe(rm, s.tree); has(got, "webroot-data-destroyed") != nil {
		t.Errorf("sqlite3 removing its own journal: %v", ids(got))
	}
	s.exec(203, 201, 33, "www-data", "/var/www/html", "/usr/bin/rm", "rm", "-f", "data/orders.csv")
	if got := e.Observe(s.file(parser.KindUnlink, 203, 201, 33, "/usr/bin/rm", "/var/www/html/data/orders.csv", true), s.tree); has(got, "webroot-data-destroyed") == nil {
		t.Errorf("rm of the shop's orders below the web server: %v, want webroot-data-destroyed", ids(got))
	}
}

// TestSocketShellDroppedBinary: a compiled implant run from a temporary
// folder that connects out and hands the socket to sh -i is a reverse
// shell as an interpreter's is.
func TestSocketShellDroppedBinary(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := newSynth()
	s.exec(500, 1, 0, "root", "/", "/dev/shm/.x/kd", "kd")
	e.Observe(s.connect(500, 1, 0, "/dev/shm/.x/kd", "127.0.0.1", 4471), s.tree)
	sh := e.Observe(s.exec(501, 500, 0, "root", "/", "/usr/bin/dash", "sh", "-i"), s.tree)
	if f := has(sh, "reverse-shell-channel-command"); f == nil || f.Title != "Interactive Shell On An Outbound Connection" {
		t.Errorf("sh -i of the dropped binary: %v, want the interactive shell on an outbound connection", ids(sh))
	}
}
