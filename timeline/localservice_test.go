package timeline

import (
	"strings"
	"testing"

	"github.com/auditchain/auditchain/detect"
)

// TestLocalService: a connect one process of the host answered within
// milliseconds (its accept from the connect's address) is to the
// victim's own service, said to be inferred; a connect no process
// answered (the intruder's listener) is not, and neither is one two
// processes may have answered, or one the web server itself answered.
func TestLocalService(t *testing.T) {
	redis := who{pid: 70, ppid: 1, uid: 0, exe: "/usr/bin/redis-server"}
	other := who{pid: 71, ppid: 1, uid: 0, exe: "/usr/sbin/mysqld"}
	for _, c := range []struct {
		name    string
		accepts func(s *sim)
		want    string
	}{
		{"the host's Redis", func(s *sim) { s.accept(10.002, redis, "127.0.0.1", 40001) }, "redis-server[70]"},
		{"nobody", func(s *sim) {}, ""},
		{"too late", func(s *sim) { s.accept(10.2, redis, "127.0.0.1", 40001) }, ""},
		{"two answer", func(s *sim) {
			s.accept(10.002, redis, "127.0.0.1", 40001)
			s.accept(10.003, other, "127.0.0.1", 40002)
		}, ""},
		{"the web server", func(s *sim) { s.accept(10.002, worker2, "127.0.0.1", 40001) }, ""},
		// an ssh session's forwarded port (ssh -R 6379:…): sshd accepts,
		// and the connection leaves the host
		{"a forwarded port", func(s *sim) { s.accept(10.002, sshD, "127.0.0.1", 40001) }, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSim(t, Options{})
			s.webServer()
			s.touch(1, redis)
			s.touch(1, other)
			sh := shellOf(300, worker1, "/var/www/html")
			cli := child(301, sh)
			s.exec(9.9, cli, "redis-cli", "-h", "127.0.0.1", "INFO")
			f := s.find(s.connect(10, cli, "127.0.0.1", 6379), detect.StageCommandAndControl, detect.SeverityMedium, "Outbound Connection From Web Server Descendant")
			c.accepts(s)
			r := s.build()
			got := builtFinding(t, r, f)
			if got.PeerService != c.want {
				t.Errorf("PeerService %q, want %q (reason %q)", got.PeerService, c.want, got.Reason)
			}
			if c.want != "" && !strings.Contains(got.Reason, "inferred by address and time") {
				t.Errorf("reason %q does not say the tie is inferred", got.Reason)
			}
		})
	}
}

// TestLocalServiceNoChannel: a connect said to open a channel (a program
// that connects out itself, then runs a command per task) that a service
// of the host answered, with no command started after it by the process
// or by the service for it, is the host's service used (shop-wishlist:
// www-data's cron job putting checks into beanstalkd): medium, off stage
// 7, said why. A service that runs code for the connection, or a client
// that starts a command after it, keeps the channel.
func TestLocalServiceNoChannel(t *testing.T) {
	queue := who{pid: 70, ppid: 1, uid: 112, exe: "/usr/bin/beanstalkd"}
	for _, c := range []struct {
		name  string
		then  func(s *sim, cli who)
		stays bool
	}{
		{"nothing runs", func(*sim, who) {}, false},
		{"the service runs code for it", func(s *sim, _ who) { s.exec(10.5, child(72, queue), "sh", "-c", "id") }, true},
		{"the client runs a task", func(s *sim, cli who) { s.exec(11, child(302, cli), "sh", "-c", "id") }, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSim(t, Options{})
			s.webServer()
			s.touch(1, queue)
			sh := shellOf(300, worker1, "/var/www/html")
			cli := child(301, sh)
			s.exec(9.9, cli, "php", "lib/queue.php")
			f := s.find(s.connect(10, cli, "127.0.0.1", 11300), detect.StageCommandAndControl, detect.SeverityHigh, "Web Reverse Shell Connect")
			f.RuleIDs = []string{f.RuleID}
			s.accept(10.002, queue, "127.0.0.1", 40001)
			c.then(s, cli)
			r := s.build()
			got := builtFinding(t, r, f)
			kept := got.Stage == detect.StageCommandAndControl && got.Severity == detect.SeverityHigh
			if kept != c.stays || !kept && !strings.Contains(got.Reason, "no channel") {
				t.Errorf("stage %v, %s, reason %q; channel kept: want %v", got.Stage, got.Severity, got.Reason, c.stays)
			}
		})
	}
}

// builtFinding returns the finding of r on f's event (the copy the build
// annotated), failing the test when it is gone.
func builtFinding(t *testing.T, r *Result, f *detect.Finding) *detect.Finding {
	t.Helper()
	for _, x := range r.Findings {
		if x.Event == f.Event {
			return x
		}
	}
	t.Fatal("the connect's finding is gone")
	return nil
}
