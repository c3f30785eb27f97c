package detect

import (
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// TestWorkerShell: a php-fpm worker that connected to a peer no other
// request used, and then, still serving (no accept since), runs a second
// different command seconds later, is the reverse shell; the commands from
// then on run in its channel (stage 7), a root one among them is the
// privilege gained (stage 4). The channel ends at the worker's next
// accept. A peer the site calls again (a payment API) opens none, nor do
// quick commands right after a call.
func TestWorkerShell(t *testing.T) {
	type step struct {
		wait time.Duration
		ev   func(s *synth) *parser.Event
	}
	worker := func(s *synth, peer int) *parser.Event {
		return s.connect(200, 1, 33, "/usr/sbin/php-fpm8.2", "127.0.0.1", peer)
	}
	child := func(pid int, uid uint32, cmd string) func(s *synth) *parser.Event {
		return func(s *synth) *parser.Event {
			user := map[uint32]string{0: "root", 33: "www-data"}[uid]
			return s.exec(pid, 200, uid, user, "/var/www", "/usr/bin/dash", "sh", "-c", cmd)
		}
	}
	stageOf := func(fs []*Finding) Stage {
		for _, f := range fs {
			if f.Event != nil && f.Event.Kind == parser.KindExec {
				return f.Stage // one finding per act
			}
		}
		return StageNone
	}
	for _, c := range []struct {
		name  string
		steps []step
		want  Stage // the last step's stage
	}{
		{"a shell on the worker's socket", []step{
			{0, func(s *synth) *parser.Event { return worker(s, 4450) }},
			{100 * time.Millisecond, child(300, 33, "id; hostname")},
			{4 * time.Second, child(301, 33, "cat /var/www/html/config.php")},
		}, StageCommandAndControl},
		{"root in it", []step{
			{0, func(s *synth) *parser.Event { return worker(s, 4450) }},
			{100 * time.Millisecond, child(300, 33, "id; hostname")},
			{4 * time.Second, child(301, 33, "uname -a")},
			{time.Second, child(302, 33, "sudo -n cat /etc/shadow")},
			{10 * time.Millisecond, func(s *synth) *parser.Event {
				return s.exec(303, 302, 0, "root", "/var/www", "/usr/bin/cat", "cat", "/tmp/.x")
			}},
		}, StageSuspiciousSpawn},
		{"a service the site calls again", []step{
			{0, func(s *synth) *parser.Event { return s.connect(199, 1, 33, "/usr/sbin/php-fpm8.2", "127.0.0.1", 9300) }},
			{0, func(s *synth) *parser.Event { return worker(s, 9300) }},
			{100 * time.Millisecond, child(300, 33, "id; hostname")},
			{4 * time.Second, child(301, 33, "cat /var/www/html/config.php")},
		}, StageSuspiciousSpawn},
		{"commands right after a call", []step{
			{0, func(s *synth) *parser.Event { return worker(s, 4450) }},
			{100 * time.Millisecond, child(300, 33, "id; hostname")},
			{200 * time.Millisecond, child(301, 33, "cat /var/www/html/config.php")},
		}, StageSuspiciousSpawn},
		{"the worker accepted since", []step{
			{0, func(s *synth) *parser.Event { return worker(s, 4450) }},
			{100 * time.Millisecond, child(300, 33, "id; hostname")},
			{time.Second, func(s *synth) *parser.Event {
				return s.next(&parser.Event{Kind: parser.KindAccept, Syscall: "accept", Success: true, PID: 200, PPID: 1,
					UID: parser.NewID(33), EUID: parser.NewID(33), Exe: "/usr/sbin/php-fpm8.2", Peer: parser.Addr{Family: "unix"}})
			}},
			{4 * time.Second, child(301, 33, "cat /var/www/html/config.php")},
		}, StageSuspiciousSpawn},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, err := New(Options{})
			if err != nil {
				t.Fatal(err)
			}
			s := newSynth()
			s.exec(199, 1, 33, "www-data", "/var/www", "/usr/sbin/php-fpm8.2", "php-fpm: pool www")
			s.exec(200, 1, 33, "www-data", "/var/www", "/usr/sbin/php-fpm8.2", "php-fpm: pool www")
			var last []*Finding
			for _, st := range c.steps {
				s.t = s.t.Add(st.wait)
				last = e.Observe(st.ev(s), s.tree)
			}
			if got := stageOf(last); got != c.want {
				t.Errorf("the last command: stage %v, want %v (%v)", got, c.want, ids(last))
			}
		})
	}
}
