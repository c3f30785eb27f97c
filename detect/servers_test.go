package detect

import (
	"slices"
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// sock is a bind, accept or connect by pid as uid, through the synth tree.
func (s *synth) sock(k parser.Kind, pid, ppid int, uid uint32, exe string, port int) *parser.Event {
	ev := &parser.Event{Kind: k, Success: true, PID: pid, PPID: ppid, UID: parser.NewID(uid), EUID: parser.NewID(uid), Exe: exe}
	switch k {
	case parser.KindBind:
		ev.Syscall, ev.Peer = "bind", parser.Addr{Family: "inet", IP: "0.0.0.0", Port: port}
	case parser.KindAccept:
		ev.Syscall = "accept4" // accept4(fd, NULL, …): no SOCKADDR record, as node's
	case parser.KindConnect:
		ev.Syscall, ev.Peer = "connect", parser.Addr{Family: "inet", IP: "127.0.0.1", Port: port}
	}
	return s.next(ev)
}

// frontClient is a front server's accept of a TCP client.
func frontClient(s *synth, pid int, exe string, i int) *parser.Event {
	ev := s.sock(parser.KindAccept, pid, 1, 33, exe, 0)
	ev.Peer = parser.Addr{Family: "inet", IP: "198.51.100.7", Port: 40000 + i}
	return ev
}

// unixAccept is an accept of a UNIX socket's client (its peer unnamed).
func unixAccept(s *synth, pid, ppid int, uid uint32, exe string) *parser.Event {
	ev := s.sock(parser.KindAccept, pid, ppid, uid, exe, 0)
	ev.Peer = parser.Addr{Family: "unix"}
	return ev
}

// TestServerSet: what makes a process a server, learned from bind,
// accept and a reverse proxy's connects, and what does not.
func TestServerSet(t *testing.T) {
	const nginx = "/usr/sbin/nginx"
	tests := []struct {
		name string
		run  func(s *synth, set *ServerSet) // feeds events; the server is pid 500
		want ServerHow                      // "" not learned
		port int
	}{
		{"binds a port and accepts, own account", func(s *synth, set *ServerSet) {
			set.Observe(s.exec(500, 1, 1500, "svc", "/", "/usr/bin/python3", "python3", "/opt/q/run"))
			set.Observe(s.sock(parser.KindBind, 500, 1, 1500, "/usr/bin/python3", 8000))
			set.Observe(s.sock(parser.KindAccept, 500, 1, 1500, "/usr/bin/python3", 0))
		}, ServerByListener, 8000},
		{"root daemon binds and accepts (sshd, socket units): a login service", func(s *synth, set *ServerSet) {
			set.Observe(s.sock(parser.KindBind, 500, 1, 0, "/usr/sbin/sshd", 22))
			set.Observe(s.sock(parser.KindAccept, 500, 1, 0, "/usr/sbin/sshd", 0))
		}, "", 0},
		{"bind shell (nc -l) accepts: a backdoor, not a service", func(s *synth, set *ServerSet) {
			set.Observe(s.sock(parser.KindBind, 500, 1, 1500, "/usr/bin/nc.openbsd", 4444))
			set.Observe(s.sock(parser.KindAccept, 500, 1, 1500, "/usr/bin/nc.openbsd", 0))
		}, "", 0},
		{"accepts without a bind and without a proxy in front: unknown port", func(s *synth, set *ServerSet) {
			for i := 0; i < 5; i++ {
				set.Observe(s.sock(parser.KindAccept, 500, 1, 1500, "/usr/bin/gpg-agent", 0))
			}
		}, "", 0},
		{"accepts TCP clients, its bind before the log", func(s *synth, set *ServerSet) {
			for i := 0; i < upstreamProof; i++ {
				ev := s.sock(parser.KindAccept, 500, 1, 1500, "/usr/lib/jvm/bin/java", 0)
				ev.Peer = parser.Addr{Family: "inet", IP: "198.51.100.7", Port: 40000 + i}
				set.Observe(ev)
			}
		}, ServerByListener, 0},
		{"a listener then proved a reverse proxy's upstream", func(s *synth, set *ServerSet) {
			set.Observe(s.sock(parser.KindBind, 500, 1, 1600, "/opt/app/bin/server", 3100))
			set.Observe(s.sock(parser.KindAccept, 500, 1, 1600, "/opt/app/bin/server", 0))
			set.Observe(s.sock(parser.KindConnect, 400, 1, 33, nginx, 3100))
		}, ServerByUpstream, 3100},
		{"reverse proxy connects to a bound port", func(s *synth, set *ServerSet) {
			set.Observe(s.sock(parser.KindBind, 500, 1, 1600, "/opt/app/bin/server", 3100))
			set.Observe(s.sock(parser.KindConnect, 400, 1, 33, nginx, 3100))
		}, ServerByUpstream, 3100},
		{"reverse proxy's connects line up with accepts (bind before the log)", func(s *synth, set *ServerSet) {
			for i := 0; i < upstreamProof; i++ {
				set.Observe(s.sock(parser.KindConnect, 400, 1, 33, nginx, 3100))
				set.Observe(s.sock(parser.KindAccept, 500, 1, 1600, "/usr/bin/node", 0))
			}
		}, ServerByUpstream, 3100},
		{"a root sshd accepting logins while the proxy connects to its upstream (benign-press: hypnotoad's new workers, bind before the log)", func(s *synth, set *ServerSet) {
			for i := 0; i < 2*upstreamProof; i++ {
				set.Observe(s.sock(parser.KindConnect, 400, 1, 33, nginx, 3200))
				set.Observe(s.sock(parser.KindAccept, 500, 1, 0, "/usr/sbin/sshd", 0))
			}
		}, "", 0},
		{"too few requests lined up", func(s *synth, set *ServerSet) {
			for i := 0; i < upstreamProof-1; i++ {
				set.Observe(s.sock(parser.KindConnect, 400, 1, 33, nginx, 3100))
				set.Observe(s.sock(parser.KindAccept, 500, 1, 1600, "/usr/bin/node", 0))
			}
		}, "", 0},
		{"a busy daemon that happens to accept after proxied requests", func(s *synth, set *ServerSet) {
			for i := 0; i < 3*upstreamProof; i++ {
				set.Observe(s.sock(parser.KindAccept, 500, 1, 1600, "/usr/sbin/mysqld", 0))
			}
			for i := 0; i < upstreamProof; i++ {
				set.Observe(s.sock(parser.KindConnect, 400, 1, 33, nginx, 3100))
				set.Observe(s.sock(parser.KindAccept, 500, 1, 1600, "/usr/sbin/mysqld", 0))
			}
		}, "", 0},
		{"an accept long after the proxy's connect does not line up", func(s *synth, set *ServerSet) {
			for i := 0; i < upstreamProof; i++ {
				set.Observe(s.sock(parser.KindConnect, 400, 1, 33, nginx, 3100))
				s.t = s.t.Add(2 * upstreamWindow)
				set.Observe(s.sock(parser.KindAccept, 500, 1, 1600, "/usr/bin/node", 0))
			}
		}, "", 0},
		// uwsgi_pass/fastcgi_pass unix:…: rule sets audit connect for IP
		// families, accept for all
		{"an upstream on a UNIX socket: its accepts follow the front server's accepts of clients", func(s *synth, set *ServerSet) {
			for i := 0; i < upstreamProof; i++ {
				set.Observe(frontClient(s, 400, nginx, i))
				set.Observe(unixAccept(s, 500, 1, 1600, "/usr/bin/uwsgi-core"))
			}
		}, ServerByUpstream, 0},
		// Passenger's app processes: reached through Passenger's core on
		// UNIX sockets, node's accept4 names no address, no bind is audited
		{"an app process whose accepts name no address follows the front server's clients", func(s *synth, set *ServerSet) {
			for i := 0; i < upstreamProof; i++ {
				set.Observe(frontClient(s, 400, "/usr/sbin/apache2", i))
				set.Observe(s.sock(parser.KindAccept, 500, 1, 2191, "/usr/bin/node", 0))
			}
		}, ServerByUpstream, 0},
		{"the app process started by a root helper of the root server (Passenger's core below Apache's parent)", func(s *synth, set *ServerSet) {
			set.Observe(s.exec(300, 1, 0, "root", "/", "/usr/sbin/apache2", "/usr/sbin/apache2", "-k", "start"))
			set.Observe(s.exec(310, 300, 0, "root", "/", "/usr/lib/passenger/support-binaries/PassengerAgent", "PassengerAgent", "core"))
			set.Observe(s.exec(500, 310, 2191, "cragboard", "/srv/app", "/usr/bin/node", "nodejs", "node-loader.js"))
			for i := 0; i < upstreamProof; i++ {
				set.Observe(frontClient(s, 400, "/usr/sbin/apache2", i))
				set.Observe(s.sock(parser.KindAccept, 500, 310, 2191, "/usr/bin/node", 0))
			}
		}, ServerByUpstream, 0},
		{"a process a web worker started is never learned (a bind shell below a web shell)", func(s *synth, set *ServerSet) {
			set.Observe(s.exec(300, 1, 0, "root", "/", "/usr/sbin/apache2", "/usr/sbin/apache2", "-k", "start"))
			set.Observe(s.exec(301, 300, 33, "www-data", "/", "/usr/sbin/apache2", "/usr/sbin/apache2", "-k", "start"))
			set.Observe(s.exec(500, 301, 33, "www-data", "/tmp", "/usr/bin/node", "node", "/tmp/.x.js"))
			for i := 0; i < upstreamProof; i++ {
				set.Observe(frontClient(s, 400, "/usr/sbin/apache2", i))
				set.Observe(s.sock(parser.KindAccept, 500, 301, 33, "/usr/bin/node", 0))
			}
		}, "", 0},
		{"a process that accepts now and then on its own socket of a busy site, each time near one of many clients", func(s *synth, set *ServerSet) {
			for i := 0; i < 3*upstreamProof; i++ {
				for j := 0; j < 2*blindShare; j++ {
					set.Observe(frontClient(s, 400, "/usr/bin/caddy", i*100+j))
				}
				set.Observe(s.sock(parser.KindAccept, 500, 1, 2085, "/opt/q/bin/queued", 0))
			}
		}, "", 0},
		{"a database on its own socket, reached by the upstream after it took the request", func(s *synth, set *ServerSet) {
			for i := 0; i < 2*upstreamProof; i++ {
				set.Observe(frontClient(s, 400, nginx, i))
				set.Observe(unixAccept(s, 600, 1, 1600, "/usr/bin/uwsgi-core"))
				set.Observe(unixAccept(s, 500, 1, 1700, "/usr/sbin/mariadbd"))
			}
		}, "", 0},
		{"UNIX accepts with no client of a front server before them", func(s *synth, set *ServerSet) {
			for i := 0; i < 3*upstreamProof; i++ {
				set.Observe(unixAccept(s, 500, 1, 1600, "/usr/bin/dbus-daemon"))
			}
		}, "", 0},
		{"an application server's own connects (to its database) make no upstream; the database is a listener", func(s *synth, set *ServerSet) {
			set.Observe(s.exec(400, 1, 33, "www-data", "/", "/usr/sbin/php-fpm8.2", "php-fpm: pool www"))
			set.Observe(s.sock(parser.KindBind, 500, 1, 1600, "/usr/sbin/mysqld", 3306))
			for i := 0; i < upstreamProof; i++ {
				set.Observe(s.sock(parser.KindConnect, 400, 1, 33, "/usr/sbin/php-fpm8.2", 3306))
				set.Observe(s.sock(parser.KindAccept, 500, 1, 1600, "/usr/sbin/mysqld", 0))
			}
		}, ServerByListener, 3306},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, set := newSynth(), NewServerSet()
			tt.run(s, set)
			var got *Server
			for _, sv := range set.Servers() {
				if sv.Key.PID == 500 && sv.How != ServerByName {
					sv := sv
					got = &sv
				}
			}
			switch {
			case tt.want == "" && got != nil:
				t.Fatalf("learned %s (%s)", got.Image, got.Describe())
			case tt.want == "":
				return
			case got == nil:
				t.Fatal("not learned")
			case got.How != tt.want || got.Port != tt.port:
				t.Fatalf("learned %s on port %d, want %s on %d", got.How, got.Port, tt.want, tt.port)
			}
			for _, p := range s.tree.ByPID("", 500) {
				if !set.IsServer(p) {
					t.Error("IsServer false for a learned server")
				}
			}
			// an upstream's account is a web account, a listener's is not
			// (a database's account runs maintenance jobs)
			if web := set.IsWebAccount(got.Key.Host, "", got.UID); web != (got.How == ServerByUpstream) {
				t.Errorf("%s: web account %v", got.How, web)
			}
		})
	}
}

// TestLearnedServerChildJudged: once a server is learned, a shell it
// starts is judged by the web-server rules, and its account by the
// web-account ones, whatever its name — and only after: the same shell
// under an unproved process is not.
func TestLearnedServerChildJudged(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := newSynth()
	obs := func(ev *parser.Event) []*Finding { return e.Observe(ev, s.tree) }
	obs(s.exec(500, 1, 1600, "svc-q", "/srv/q", "/opt/q/bin/qsrv", "qsrv", "--config", "/etc/q.toml"))
	if fs := obs(s.exec(501, 500, 1600, "svc-q", "/srv/q", "/usr/bin/dash", "sh", "-c", "id; cat /etc/passwd")); has(fs, "web-server-exploitation") != nil {
		t.Fatal("an unproved process judged as a web server")
	}
	obs(s.sock(parser.KindBind, 500, 1, 1600, "/opt/q/bin/qsrv", 8443))
	obs(s.sock(parser.KindAccept, 500, 1, 1600, "/opt/q/bin/qsrv", 0))
	s.t = s.t.Add(time.Second)
	fs := obs(s.exec(502, 500, 1600, "svc-q", "/srv/q", "/usr/bin/dash", "sh", "-c", "id; cat /etc/passwd"))
	if has(fs, "web-server-exploitation") == nil {
		t.Fatalf("the learned server's shell is not judged: %v", ids(fs))
	}
	// shell-less: the server execs cat of a secrets file itself
	fs = obs(s.exec(503, 500, 1600, "svc-q", "/srv/q", "/usr/bin/cat", "/usr/bin/cat", "/srv/q/secrets.env"))
	if f := has(fs, "web-server-exploitation"); f == nil || f.Stage != StageSuspiciousSpawn {
		t.Fatalf("shell-less secret read: %v", ids(fs))
	}
}

// TestServerSetBounded: a log with endless binds, accepts and proxied
// connects keeps every table of the set within its cap.
func TestServerSetBounded(t *testing.T) {
	set := NewServerSet()
	t0 := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	nginx := &parser.Process{Key: parser.ProcKey{Host: "h", PID: 2}, Exe: "/usr/sbin/nginx", UID: parser.NewID(33)}
	for i := 0; i < 50000; i++ {
		at := t0.Add(time.Duration(i) * time.Millisecond)
		p := &parser.Process{Key: parser.ProcKey{Host: "h", PID: 1000 + i, Start: at}, Exe: "/opt/s", UID: parser.NewID(uint32(2000 + i%7))}
		set.Observe(&parser.Event{Kind: parser.KindBind, Success: true, Source: "auditd", Time: at, Proc: p,
			Peer: parser.Addr{Family: "inet", IP: "0.0.0.0", Port: 1 + i%60000}})
		set.Observe(&parser.Event{Kind: parser.KindConnect, Success: true, Source: "auditd", Time: at, Proc: nginx,
			Peer: parser.Addr{Family: "inet", IP: "127.0.0.1", Port: 60001 + i%5000}})
		q := &parser.Process{Key: parser.ProcKey{Host: "h", PID: 900000 + i, Start: at}, Exe: "/opt/c", UID: parser.NewID(0)}
		set.Observe(&parser.Event{Kind: parser.KindAccept, Success: true, Source: "auditd", Time: at, Proc: q})
	}
	if len(set.listeners) > maxListeners || len(set.bound) > maxListeners || len(set.lorder) > maxListeners {
		t.Errorf("listeners %d, bound %d, order %d (cap %d)", len(set.listeners), len(set.bound), len(set.lorder), maxListeners)
	}
	if len(set.cands) > maxCandidates || len(set.corder) > maxCandidates {
		t.Errorf("candidates %d, order %d (cap %d)", len(set.cands), len(set.corder), maxCandidates)
	}
	if len(set.servers) > maxServers || len(set.order) > maxServers || len(set.pending["h"]) > frontConnects {
		t.Errorf("servers %d, order %d, pending %d", len(set.servers), len(set.order), len(set.pending["h"]))
	}
}

// TestPositionalCode: the operands a -c script runs as code are its
// command; operands it only passes on are data.
func TestPositionalCode(t *testing.T) {
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"/bin/sh", "-c", `case "$0" in Invoice*) exec groff "$1";; *) eval "$0" 2>&1;; esac`, "id; uname -a", "/tmp/inv.tr"}, []string{"id; uname -a"}},
		{[]string{"sh", "-c", `"$1"`, "x", "curl http://203.0.113.9/a"}, []string{"curl http://203.0.113.9/a"}},
		{[]string{"bash", "-c", `eval "$@"`, "bash", "id", "whoami"}, []string{"id", "whoami"}},
		{[]string{"sh", "-c", `${1}; echo done`, "x", "ls -la"}, []string{"ls -la"}},
		{[]string{"sh", "-c", `convert "$1" -thumbnail 160x160 "$2"`, "sh", "/tmp/a.png", "/tmp/b.png"}, nil},
		{[]string{"sh", "-c", `echo "$0"`, "hello world"}, nil},
		{[]string{"sh", "-c", `id`}, nil},
		{[]string{"sh", "/srv/x.sh", "$0"}, nil},
	} {
		got := positionalCode(c.args[0], c.args)
		if !slices.Equal(got, c.want) {
			t.Errorf("positionalCode(%q) = %q, want %q", c.args, got, c.want)
		}
	}
}

// FuzzPositionalCode: any script and operands: no panic, at most four
// operands, each one of the operands given.
func FuzzPositionalCode(f *testing.F) {
	f.Add(`case "$0" in x*) ;; *) eval "$0";; esac`, "id", "/tmp/x")
	f.Add(`"$@"`, "a", "b")
	f.Add(`${1`, "$", "")
	f.Fuzz(func(t *testing.T, script, a, b string) {
		args := []string{"sh", "-c", script, a, b, a, b, a}
		got := positionalCode("/bin/sh", args)
		if len(got) > 4 {
			t.Fatalf("%d operands", len(got))
		}
		for _, g := range got {
			if !slices.Contains(args[3:], g) {
				t.Fatalf("%q is no operand", g)
			}
		}
	})
}

// TestForkedWorkerAccept: a server's worker forked after its bind (php -S
// with workers: the image, no exec of its own) accepting a client makes
// its parent the listener at once, and the worker is the server: its
// accept is no bind shell's and opens no channel.
func TestForkedWorkerAccept(t *testing.T) {
	s := newSynth()
	set := NewServerSet()
	const php = "/usr/bin/php8.2"
	set.Observe(s.exec(600, 1, 0, "root", "/", "/usr/bin/python3", "/usr/bin/python3", "/usr/bin/supervisord"))
	set.Observe(s.exec(601, 600, 2141, "kiln", "/srv/kiln", php, "/usr/bin/php", "-S", "127.0.0.1:9210", "router.php"))
	set.Observe(s.sock(parser.KindBind, 601, 600, 2141, php, 9210))
	acc := s.sock(parser.KindAccept, 602, 601, 2141, php, 0)
	acc.Peer = parser.Addr{Family: "inet", IP: "127.0.0.1", Port: 56224}
	set.Observe(acc)
	worker, master := acc.Proc, acc.Proc.Parent
	if !forkedOnly(worker) {
		t.Fatalf("the worker shows an exec of its own: %+v", worker.Execs)
	}
	if !set.Has(master) || !set.IsServer(worker) {
		t.Errorf("master learned %v, worker a server %v; want both", set.Has(master), set.IsServer(worker))
	}
	// a child that ran a program of its own is the request's command
	sh := s.exec(603, 601, 2141, "kiln", "/srv/kiln", "/usr/bin/dash", "sh", "-c", "id")
	set.Observe(sh)
	if forkedOnly(sh.Proc) || set.IsServer(sh.Proc) {
		t.Errorf("a shell the server ran taken for its worker")
	}
}

// TestUpstreamMaster: the prefork master of a learned upstream worker
// makes the workers it forks later the server's from the start (a reload,
// a worker recycled), while the master itself, which serves no request,
// is not taken for one: what it runs on its own is judged as before.
func TestUpstreamMaster(t *testing.T) {
	const uwsgi, nginx = "/usr/bin/uwsgi-core", "/usr/sbin/nginx"
	s, set := newSynth(), NewServerSet()
	set.Observe(s.exec(700, 1, 0, "root", "/", uwsgi, "uwsgi", "--ini", "/etc/uwsgi/app.ini"))
	for i := 0; i < upstreamProof; i++ {
		set.Observe(frontClient(s, 400, nginx, i))
		set.Observe(unixAccept(s, 701, 700, 2181, uwsgi))
	}
	worker := s.tree.ByPID("", 701)[0]
	if worker.Parent == nil || worker.Parent.Key.PID != 700 || !set.Has(worker) {
		t.Fatalf("worker 701 (parent %v) learned %v", worker.Parent, set.Has(worker))
	}
	master := worker.Parent
	later := s.sock(parser.KindConnect, 702, 700, 2181, uwsgi, 5432) // a worker forked after: its first record
	if !set.IsServer(later.Proc) || !set.IsServerShape(ShapeOf(later.Proc)) {
		t.Errorf("a worker the master forked later is not the server's (IsServer %v, by its shape %v)", set.IsServer(later.Proc), set.IsServerShape(ShapeOf(later.Proc)))
	}
	if set.IsServer(master) {
		t.Error("the master, which serves no request, taken for a server")
	}
	own := s.exec(703, 700, 0, "root", "/", "/usr/bin/dash", "sh", "-c", "/srv/app/bin/sitemap")
	if set.IsServer(own.Proc) {
		t.Error("the master's own command taken for a worker")
	}
}

// TestListenerBeside: a daemon known only by its own listener, on a host
// where a front server by name accepts clients, speaks a protocol of its
// own (a monitoring agent); alone on its host, or once proved a front
// server's upstream, it may be the server an access log is of.
func TestListenerBeside(t *testing.T) {
	for _, c := range []struct {
		name     string
		front    bool // nginx accepts clients on the host
		upstream bool // nginx connects to the daemon's port for requests
		want     bool
	}{
		{"an agent beside nginx", true, false, true},
		{"a listener alone on its host", false, false, false},
		{"nginx's upstream", true, true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSynth()
			set := NewServerSet()
			set.Observe(s.sock(parser.KindBind, 500, 1, 103, "/usr/sbin/zabbix_agentd", 10050))
			set.Observe(s.exec(500, 1, 103, "zabbix", "/", "/usr/sbin/zabbix_agentd", "/usr/sbin/zabbix_agentd"))
			if c.front {
				set.Observe(s.exec(400, 1, 33, "www-data", "/", "/usr/sbin/nginx", "nginx: worker process"))
			}
			for i := 0; i < upstreamProof; i++ {
				if c.front {
					set.Observe(frontClient(s, 400, "/usr/sbin/nginx", i))
					if c.upstream {
						set.Observe(s.sock(parser.KindConnect, 400, 1, 33, "/usr/sbin/nginx", 10050))
					}
				}
				ev := s.sock(parser.KindAccept, 500, 1, 103, "/usr/sbin/zabbix_agentd", 0)
				ev.Peer = parser.Addr{Family: "inet", IP: "127.0.0.1", Port: 41000 + i}
				set.Observe(ev)
			}
			if got := set.ListenerBeside(s.tree.Live("", 500)); got != c.want {
				t.Errorf("ListenerBeside = %v, want %v (servers %+v)", got, c.want, set.Servers())
			}
		})
	}
}
