package detect

import (
	"strings"
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// TestViaService: a database that accepts the intrusion's client and
// moments later runs a command as its own account (COPY ... FROM PROGRAM)
// is the intrusion acting as that account (stage 6). The application's own
// connection, a root daemon, or a command long after do not count.
func TestViaService(t *testing.T) {
	for _, c := range []struct {
		name     string
		client   int    // the connecting pid: 210 (psql under the web shell) or 200 (the worker)
		svcUID   uint32 // the service's account
		runAfter time.Duration
		routine  string // the first word of a command the service ran on its own before
		listener bool   // the service is learned as a server by its bind and accepts first
		between  bool   // it accepts another client after the intrusion's, before the command
		want     bool
	}{
		{"COPY FROM PROGRAM for the web shell's psql", 210, 101, 60 * time.Millisecond, "", false, false, true},
		{"the application's own query", 200, 101, 60 * time.Millisecond, "", false, false, false},
		{"a root daemon", 210, 0, 60 * time.Millisecond, "", false, false, false},
		{"long after", 210, 101, 30 * time.Second, "", false, false, false},
		{"the service's own routine command, run again just after", 210, 101, 60 * time.Millisecond, "id", false, false, false},
		{"the service runs other commands on its own", 210, 101, 60 * time.Millisecond, "cp", false, false, true},
		// a monitoring agent is learned as a server by its accepts; to
		// a client of another account it is still a service
		{"a service known as a server by its accepts only", 210, 101, 60 * time.Millisecond, "", true, false, true},
		// whose command it runs is no longer told by the order
		{"another client accepted in between", 210, 101, 60 * time.Millisecond, "", false, true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			user := map[uint32]string{0: "root", 101: "postgres"}[c.svcUID]
			s.exec(100, 1, c.svcUID, user, "/var/lib/postgresql", "/usr/lib/postgresql/15/bin/postgres", "/usr/lib/postgresql/15/bin/postgres", "-D", "/var/lib/postgresql/15/main")
			if c.listener {
				e.Observe(s.sock(parser.KindBind, 100, 1, c.svcUID, "/usr/lib/postgresql/15/bin/postgres", 5432), s.tree)
				for i := 0; i < upstreamProof; i++ {
					ev := s.sock(parser.KindAccept, 100, 1, c.svcUID, "/usr/lib/postgresql/15/bin/postgres", 0)
					ev.Peer = parser.Addr{Family: "inet", IP: "198.51.100.7", Port: 40000 + i}
					e.Observe(ev, s.tree)
				}
				if !e.state.isWebServer(s.tree.Live("", 100)) {
					t.Fatal("the service was not learned as a server by its accepts")
				}
			}
			if c.routine != "" { // the archive command, say, before any client
				e.Observe(s.exec(290, 100, c.svcUID, user, "/var/lib/postgresql", "/usr/bin/dash", "sh", "-c", c.routine+" /var/lib/postgresql/x"), s.tree)
			}
			e.Observe(s.exec(210, 201, 33, "www-data", "/var/www", "/usr/lib/postgresql/15/bin/psql", "psql", "-h", "127.0.0.1", "-c", "COPY o FROM PROGRAM 'id'"), s.tree)
			exe := "/usr/lib/postgresql/15/bin/psql"
			if c.client == 200 {
				exe = "/usr/sbin/php-fpm8.2"
			}
			e.Observe(s.connect(c.client, 1, 33, exe, "127.0.0.1", 5432), s.tree)
			e.Observe(s.next(&parser.Event{Kind: parser.KindAccept, Syscall: "accept", Success: true, PID: 100, PPID: 1,
				UID: parser.NewID(c.svcUID), EUID: parser.NewID(c.svcUID), Exe: "/usr/lib/postgresql/15/bin/postgres",
				Peer: parser.Addr{Family: "inet", IP: "127.0.0.1", Port: 42326}}), s.tree)
			if c.between {
				s.t = s.t.Add(2 * svcAcceptAfter) // not the same connection's accept
				e.Observe(s.next(&parser.Event{Kind: parser.KindAccept, Syscall: "accept", Success: true, PID: 100, PPID: 1,
					UID: parser.NewID(c.svcUID), EUID: parser.NewID(c.svcUID), Exe: "/usr/lib/postgresql/15/bin/postgres",
					Peer: parser.Addr{Family: "inet", IP: "198.51.100.9", Port: 51000}}), s.tree)
			}
			s.t = s.t.Add(c.runAfter)
			// the backend (pid 300) forked from the master and never exec'd
			f := findingOf(e.Observe(s.exec(301, 300, c.svcUID, user, "/var/lib/postgresql", "/usr/bin/dash", "sh", "-c", "id"), s.tree), "service-command-for-intrusion")
			if got := f != nil; got != c.want {
				t.Fatalf("service-command-for-intrusion %v, want %v", got, c.want)
			}
			if f == nil {
				return
			}
			if f.Stage != StageLateralMovement {
				t.Errorf("stage %v, want lateral movement", f.Stage)
			}
			// the inference is shown with its records: the client's
			// connect and the service's accept, in that order
			var kinds []parser.Kind
			for _, r := range f.Related {
				kinds = append(kinds, r.Kind)
			}
			if len(kinds) != 2 || kinds[0] != parser.KindConnect || kinds[1] != parser.KindAccept || f.Related[0].PID != 210 {
				t.Errorf("related events %v, want the psql's connect and the service's accept", kinds)
			}
			if !strings.Contains(f.Reason, "inferred") || !strings.Contains(f.Reason, "accepted") {
				t.Errorf("reason %q does not say what the order of events showed", f.Reason)
			}
		})
	}
}
