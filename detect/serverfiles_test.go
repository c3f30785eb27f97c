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
