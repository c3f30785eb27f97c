package timeline

import (
	"strings"
	"testing"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// TestServerLaunch: the images an application server's process ran before
// the one that serves — a process manager's login shell and exec chain —
// are its launch, not a request's command: a finding on them drops to low,
// said as inferred. Not when the launcher is init (the intrusion's own
// daemonized server), and not for a rule other than the command-text ones
// (a changed start script firing stays what it is).
func TestServerLaunch(t *testing.T) {
	for _, c := range []struct {
		name    string
		manager who // the process that starts the app's process
		rule    string
		want    detect.Severity
	}{
		{"spawned by a root process manager", who{pid: 310, ppid: 300, uid: 0, exe: "/usr/lib/passenger/support-binaries/PassengerAgent"}, "web-server-exploitation", detect.SeverityLow},
		{"daemonized under init", who{pid: 1, ppid: 0, uid: 0, exe: "/sbin/init"}, "web-server-exploitation", detect.SeverityHigh},
		{"a manager running as the app's account", who{pid: 310, ppid: 300, uid: 2191, exe: "/usr/bin/node"}, "web-server-exploitation", detect.SeverityHigh},
		{"a planted start script fired", who{pid: 310, ppid: 300, uid: 0, exe: "/usr/lib/passenger/support-binaries/PassengerAgent"}, "planted-file-run", detect.SeverityHigh},
	} {
		t.Run(c.name, func(t *testing.T) {
			set := detect.NewServerSet()
			s := newSim(t, Options{Servers: set})
			if c.manager.pid > 1 {
				s.exec(0, c.manager, c.manager.exe, "core")
			}
			app := who{pid: 500, ppid: c.manager.pid, uid: 2191, cwd: "/srv/app", user: "cragboard"}
			launch := s.exec(1, app, "/bin/bash", "-lc", `exec "$@"`, "SpawnEnvSetupperShell", "/usr/lib/passenger/support-binaries/PassengerAgent", "spawn-env-setupper", "/tmp/passenger.spawn.XXXXab12", "--after")
			f := s.find(launch, detect.StageSuspiciousSpawn, detect.SeverityHigh, "Web Server Exploitation")
			f.RuleID, f.RuleIDs = c.rule, []string{c.rule}
			s.exec(2, app, "/usr/bin/node", "nodejs", "/usr/share/passenger/helper-scripts/node-loader.js")
			app.exe = "/usr/bin/node"
			front := who{pid: 400, ppid: 399, uid: 33, exe: "/usr/sbin/apache2"}
			for i := 0; i < 3; i++ {
				set.Observe(s.accept(3+float64(i), front, "198.51.100.7", 40000+i))
				acc := s.proc(parser.KindAccept, 3.01+float64(i), app, "accept4") // no address: node's
				set.Observe(s.feed(acc))
			}
			if sv, ok := set.Learned(s.tree.ByPID("", 500)[0].Key); !ok || sv.How != detect.ServerByUpstream {
				t.Fatalf("the app's process not learned as an upstream: %+v %v", sv, ok)
			}
			r := s.build()
			var got *detect.Finding
			for _, g := range r.Findings {
				if g.Event == launch {
					got = g
				}
			}
			if got == nil {
				t.Fatal("the launch's finding is not in the result")
			}
			if got.Severity != c.want {
				t.Fatalf("severity %v, want %v (%s)", got.Severity, c.want, got.Reason)
			}
			if c.want == detect.SeverityLow && !strings.Contains(got.Reason, "inferred") {
				t.Errorf("reason %q does not say the demotion is inferred", got.Reason)
			}
		})
	}
}
