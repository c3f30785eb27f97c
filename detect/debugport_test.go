package detect

import (
	"strings"
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser"
)

func TestDebugListen(t *testing.T) {
	for _, c := range []struct {
		args []string
		ip   string
		port int
		ok   bool
	}{
		{[]string{"/usr/bin/node", "--inspect=127.0.0.1:9229", "/srv/desk/sync.js"}, "127.0.0.1", 9229, true},
		{[]string{"node", "--inspect", "app.js"}, "127.0.0.1", 9229, true},
		{[]string{"node", "--inspect-brk=0.0.0.0:9300", "app.js"}, "", 9300, true},
		{[]string{"node", "--inspect-port=9231", "app.js"}, "127.0.0.1", 9231, true},
		{[]string{"java", "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=*:5005", "-jar", "app.jar"}, "", 5005, true},
		{[]string{"java", "-agentlib:jdwp=transport=dt_socket,server=n,address=10.0.0.5:5005", "-jar", "app.jar"}, "", 0, false}, // attaches out
		{[]string{"java", "-Xrunjdwp:transport=dt_socket,server=y,address=8000", "Main"}, "127.0.0.1", 8000, true},
		{[]string{"chromium", "--headless", "--remote-debugging-port=9222"}, "127.0.0.1", 9222, true},
		{[]string{"python3", "-m", "debugpy", "--listen", "localhost:5678", "app.py"}, "127.0.0.1", 5678, true},
		{[]string{"python3", "app.py", "--listen", "8080"}, "", 0, false}, // an app's own option
		{[]string{"node", "--inspect=nope", "app.js"}, "", 0, false},
		{[]string{"node", "app.js"}, "", 0, false},
	} {
		ip, port, _, ok := debugListen(c.args)
		if ok != c.ok || ok && (ip != c.ip || port != c.port) {
			t.Errorf("debugListen(%q) = %q %d %v, want %q %d %v", c.args, ip, port, ok, c.ip, c.port, c.ok)
		}
	}
}

// TestDebugPort: a web-side process that connects to the debugger port
// another account's runtime declares, and that runtime's command moments
// later, is the intrusion acting as that account (stage 6) — inferred,
// said so, with the connect cited. The debuggee's own later work, a
// connect by the debuggee's own account, and a port nobody declared do
// not count.
func TestDebugPort(t *testing.T) {
	for _, c := range []struct {
		name     string
		client   int // 210: node under the web shell; 200: the php-fpm worker itself; 100: the debuggee
		port     int
		runAfter time.Duration
		want     bool
	}{
		{"a web shell's node attaches to the inspector", 210, 9229, 5 * time.Millisecond, true},
		{"the web server's own process attaches (code in process)", 200, 9229, 5 * time.Millisecond, true},
		{"another port", 210, 9230, 5 * time.Millisecond, false},
		{"long after", 210, 9229, 30 * time.Second, false},
		{"the debuggee connects to itself", 100, 9229, 5 * time.Millisecond, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			// the till sync started before the log: its command line is
			// known from its records' title only
			first := s.connect(100, 1, 2192, "/usr/bin/node", "127.0.0.1", 8287)
			first.Proc.Title = []string{"/usr/bin/node", "--inspect=127.0.0.1:9229", "/srv/desk/sync.js"}
			e.Observe(first, s.tree)
			e.Observe(s.exec(210, 201, 33, "www-data", "/var/www", "/usr/bin/node", "node", "-e", "ws()"), s.tree)
			exe := map[int]string{210: "/usr/bin/node", 200: "/usr/sbin/php-fpm8.2", 100: "/usr/bin/node"}[c.client]
			uid := map[int]uint32{210: 33, 200: 33, 100: 2192}[c.client]
			e.Observe(s.connect(c.client, 1, uid, exe, "127.0.0.1", c.port), s.tree)
			s.t = s.t.Add(c.runAfter)
			f := findingOf(e.Observe(s.exec(301, 100, 2192, "cragdesk", "/srv/desk", "/usr/bin/dash", "sh", "-c", "id; sudo -n -l"), s.tree), RuleServiceCommand)
			if got := f != nil; got != c.want {
				t.Fatalf("%s %v, want %v", RuleServiceCommand, got, c.want)
			}
			if f == nil {
				return
			}
			if f.Stage != StageLateralMovement {
				t.Errorf("stage %v, want lateral movement", f.Stage)
			}
			if len(f.Related) != 1 || f.Related[0].Kind != parser.KindConnect || f.Related[0].PID != c.client {
				t.Errorf("related %v, want the client's connect only (the debuggee's own record is named, not cited)", f.Related)
			}
			for _, w := range []string{"inferred", "--inspect=127.0.0.1:9229", "debugger port"} {
				if !strings.Contains(f.Reason, w) {
					t.Errorf("reason %q lacks %q", f.Reason, w)
				}
			}
		})
	}
}

// TestDebugFlagBounded: the declaring argument is quoted in reasons, cut
// to a bound whatever its length.
func TestDebugFlagBounded(t *testing.T) {
	_, s := webShellScene(t)
	var d debugPorts
	arg := "-agentlib:jdwp=transport=dt_socket,server=y,address=5005," + strings.Repeat("x=y,", 1<<18)
	d.note(s.exec(100, 1, 2192, "desk", "/", "/usr/bin/java", "java", arg, "Main"))
	got, ok := d.by[hostPort{"", 5005}]
	if !ok {
		t.Fatal("the JDWP port is not read")
	}
	if len(got.flag) > maxDebugFlag+len("…") {
		t.Errorf("flag kept at %d bytes", len(got.flag))
	}
}
