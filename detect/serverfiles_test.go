package detect

import (
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// TestServerOwnFile: the files a server reads or runs — named in its
// command line (or its title, when it started before the log), or in its
// program's own folder — and not what it writes by design.
func TestServerOwnFile(t *testing.T) {
	srv := &parser.Process{Exe: "/srv/ledger/bin/ledgerd", Args: []string{"/srv/ledger/bin/ledgerd", "-config", "/srv/ledger/conf/ledger.json", "--pid=/srv/ledger/run/ledgerd.pid"}}
	old := &parser.Process{Exe: "/srv/ledger/bin/ledgerd", Title: []string{"/srv/ledger/bin/ledgerd", "--config=/srv/ledger/conf/ledger.json"}}
	node := &parser.Process{Exe: "/usr/bin/node", Args: []string{"/usr/bin/node", "/srv/orders/orderd.js"}}
	child := &parser.Process{Exe: "/usr/bin/sed"}
	for _, c := range []struct {
		name string
		proc *parser.Process
		in   procInfo
		file string
		want string
	}{
		{"its configuration, by itself", srv, procInfo{webSelf: true}, "/srv/ledger/conf/ledger.json", "self"},
		{"its start script, by a shell acting for it", child, procInfo{web: srv}, "/srv/ledger/bin/ledgerd-run", "below"},
		{"its configuration, named as --config= in its title", old, procInfo{webSelf: true}, "/srv/ledger/conf/ledger.json", "self"},
		{"its pid file", srv, procInfo{webSelf: true}, "/srv/ledger/run/ledgerd.pid", ""},
		{"an upload in its data folder", srv, procInfo{webSelf: true}, "/srv/ledger/data/receipts/r1.png", ""},
		{"node's script", node, procInfo{webSelf: true}, "/srv/orders/orderd.js", "self"},
		{"a file beside /usr/bin/node", node, procInfo{webSelf: true}, "/usr/bin/x", ""},
		{"a process acting for no server", child, procInfo{}, "/srv/ledger/bin/ledgerd-run", ""},
		{"a relative name", srv, procInfo{webSelf: true}, "ledger.json", ""},
	} {
		ev := &parser.Event{Kind: parser.KindFileWrite, Path: c.file, Proc: c.proc}
		if got := serverOwnFile(ev, &c.in); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// TestServerOwnFileRunFires: a server's start script that a shell acting
// for it changed, run later by what starts the server, is the plant
// firing (planted-file-run, stage 5), as any persistence file is.
func TestServerOwnFileRunFires(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := newSynth()
	s.exec(200, 1, 2061, "app", "/srv/app", "/srv/app/bin/gunicorn", "/srv/app/bin/gunicorn", "--config", "/srv/app/conf/app.py", "app:wsgi")
	e.Observe(s.exec(201, 200, 2061, "app", "/srv/app", "/usr/bin/dash", "sh", "-c", "sed -i '1a setsid -f /srv/app/.cache/gc' /srv/app/bin/start.sh"), s.tree)
	w := e.Observe(s.file(parser.KindFileWrite, 201, 200, 2061, "/usr/bin/dash", "/srv/app/bin/start.sh", true), s.tree)
	if findingOf(w, "server-own-file-below") == nil {
		t.Fatalf("the start script's change: %v, want server-own-file-below", ids(w))
	}
	s.exec(300, 1, 0, "root", "/", "/usr/bin/setpriv", "setpriv", "--reuid=2061", "/srv/app/bin/start.sh")
	f := findingOf(e.Observe(s.exec(300, 1, 2061, "app", "/srv/app", "/usr/bin/dash", "/bin/sh", "/srv/app/bin/start.sh"), s.tree), "planted-file-run")
	if f == nil || f.Stage != StagePersistence {
		t.Fatalf("the changed start script run by the supervisor: %+v, want planted-file-run on stage 5", f)
	}
}

// TestServerCode: a module of the server's own language below the folder
// it runs in is its code, whatever the folder's name; its static folders,
// other languages, and folders that hold no application are not.
func TestServerCode(t *testing.T) {
	node := &parser.Process{Exe: "/usr/bin/node", Cwd: "/srv/board/app"}
	py := &parser.Process{Exe: "/usr/bin/python3.11", Cwd: "/srv/notes"}
	rooted := &parser.Process{Exe: "/usr/bin/node", Cwd: "/"}
	sh := &parser.Process{Exe: "/usr/bin/dash"}
	for _, c := range []struct {
		name string
		proc *parser.Process
		in   procInfo
		file string
		want bool
	}{
		{"a widget written by a shell acting for node", sh, procInfo{web: node}, "/srv/board/app/widgets/grade-sync.js", true},
		{"a route file node writes itself", node, procInfo{webSelf: true}, "/srv/board/app/routes/x.mjs", true},
		{"a browser's script in the public folder", sh, procInfo{web: node}, "/srv/board/app/public/js/board.js", false},
		{"an upload", sh, procInfo{web: node}, "/srv/board/app/public/uploads/x.js", false},
		{"a module of another language", sh, procInfo{web: node}, "/srv/board/app/lib/x.py", false},
		{"outside the app's folder", sh, procInfo{web: node}, "/srv/other/x.js", false},
		{"a python module below gunicorn's folder", sh, procInfo{web: py}, "/srv/notes/plugins/p.py", true},
		{"a server running in /: no application folder", sh, procInfo{web: rooted}, "/srv/board/app/x.js", false},
		{"a process acting for no server", sh, procInfo{}, "/srv/board/app/widgets/x.js", false},
		{"a runtime file", node, procInfo{webSelf: true}, "/srv/board/app/tmp/app.pid", false},
	} {
		ev := &parser.Event{Kind: parser.KindFileWrite, Path: c.file, Proc: c.proc}
		if got := serverCode(ev, &c.in); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
