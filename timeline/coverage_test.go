package timeline

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

func TestParseAuditRules(t *testing.T) {
	const rules = `## sample
-D
-b 8192
-a never,exit -F arch=b64 -F uid=2001
-w /var/www/html/ -p wa -k webroot_write
-w /etc/cron.d/ -p wa -k cron
-w /usr/bin/curl -p x -k susp
-a always,exit -F arch=b64 -S execve,execveat -F euid=33 -k detect_execve_www
-a exit,always -F arch=b64 -S accept -S accept4 -F success=1 -k "net in"
-a always,exit -F dir=/srv/app/ -F perm=wa -F key=app
-a always,exclude -F msgtype=CRYPTO_KEY_USER
-a sometimes,exit -S open
-x
-e 0
`
	got, errs := ParseAuditRules("audit.rules", strings.NewReader(rules))
	if len(errs) != 2 {
		t.Fatalf("errors = %v, want 2 (line 12 action, line 13 option)", errs)
	}
	for i, line := range []int{12, 13} {
		if errs[i].Pos.Line != line || !errors.Is(errs[i], ErrRule) {
			t.Errorf("error %d = %v, want line %d wrapping ErrRule", i, errs[i], line)
		}
	}
	want := &AuditRules{
		Syscalls: []string{"accept", "accept4", "execve", "execveat"},
		Watches: []Watch{
			{"/var/www/html/", "wa", "webroot_write"}, {"/etc/cron.d/", "wa", "cron"},
			{"/usr/bin/curl", "x", "susp"}, {"/srv/app/", "wa", "app"},
		},
		Keys:     []string{"app", "cron", "detect_execve_www", "net in", "susp", "webroot_write"},
		Rules:    8,
		Disabled: true,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseAuditRules:\n got %+v\nwant %+v", got, want)
	}
}

// execOnly is a rule file that audits execve and nothing else.
const execOnly = "-a always,exit -F arch=b64 -S execve -k exec\n"

func writeRules(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "audit.rules")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestNotVisibleStages(t *testing.T) {
	s := newSim(t, Options{AuditRules: writeRules(t, execOnly)})
	s.webServer()
	root := shellOf(200, worker1, "/var/www/html/uploads")
	f := s.find(s.exec(10, root, "sh", "-c", "id"), detect.StageCommandExecution, detect.SeverityHigh, "Web Shell")
	r := s.build()
	c := chainOf(r, f)
	if r.Coverage.RulesSource != "file" || !reflect.DeepEqual(r.Coverage.Syscalls, []string{"execve"}) || r.Coverage.AccessLog {
		t.Fatalf("coverage = %+v", r.Coverage)
	}
	want := map[detect.Stage]Visibility{
		detect.StageInitialAccess:      Observed, // inferred
		detect.StageWebshellUpload:     NotVisible,
		detect.StageCommandExecution:   Observed,
		detect.StageSuspiciousSpawn:    NotObserved,
		detect.StagePersistence:        NotVisible,
		detect.StageLateralMovement:    NotVisible,
		detect.StageCommandAndControl:  NotVisible,
		detect.StageExfiltrationImpact: NotObserved,
	}
	for i, sl := range c.Stages {
		if sl.Stage != detect.Stage(i+1) {
			t.Fatalf("slot %d holds stage %d", i, sl.Stage)
		}
		if sl.Visibility != want[sl.Stage] {
			t.Errorf("stage %d: visibility %q (%s), want %q", sl.Stage, sl.Visibility, sl.Reason, want[sl.Stage])
		}
		if sl.Reason == "" {
			t.Errorf("stage %d has no reason", sl.Stage)
		}
	}
	if s1 := c.Stages[0]; s1.Confidence != ConfidenceInferred || !strings.Contains(s1.Reason, "no access log") {
		t.Errorf("stage 1 = %+v", s1)
	}
	if s7 := c.Stages[6]; !strings.Contains(s7.Reason, "connect is not audited") {
		t.Errorf("stage 7 reason %q", s7.Reason)
	}

	// the same log with connect audited and an access log: 6 and 7 become
	// "not observed", stage 1 too once the access log is there
	s = newSim(t, Options{AuditRules: writeRules(t, execOnly+"-a always,exit -F arch=b64 -S connect -k net\n-w /var/www/ -p wa -k web\n")})
	s.webServer()
	s.http(1, "GET", "/", 200, "10.0.0.2", visitor)
	f = s.find(s.exec(10, root, "cat", "/etc/hostname"), detect.StageCommandExecution, detect.SeverityHigh, "Web Shell")
	c = chainOf(s.build(), f)
	for _, st := range []detect.Stage{detect.StageWebshellUpload, detect.StageLateralMovement, detect.StageCommandAndControl} {
		if v := c.Stages[st-1].Visibility; v != NotObserved {
			t.Errorf("with connect, watches and access log: stage %d is %q", st, v)
		}
	}
}

func TestCoverageFromLog(t *testing.T) {
	s := newSim(t, Options{})
	for _, k := range []string{`"exec"`, `"network_connect_4"`, `"webroot_write"`, `"cron"`, `(null)`} {
		s.record(0, parser.KindConfig, "CONFIG_CHANGE", "auid=4294967295 ses=4294967295 op=add_rule key="+k+" list=4 res=1")
	}
	s.record(0, parser.KindConfig, "CONFIG_CHANGE", "auid=4294967295 ses=4294967295 op=add_rule key=(null) list=5 res=1")
	r := s.build()
	cov := r.Coverage
	if cov.RulesSource != "log" || cov.Rules != 6 {
		t.Fatalf("coverage = %+v", cov)
	}
	if !reflect.DeepEqual(cov.Syscalls, []string{"connect", "execve"}) {
		t.Errorf("syscalls inferred from keys = %v", cov.Syscalls)
	}
	if !reflect.DeepEqual(cov.RuleKeys, []string{"cron", "exec", "network_connect_4", "webroot_write"}) {
		t.Errorf("rule keys = %v", cov.RuleKeys)
	}
	joined := strings.Join(cov.Notes, "\n")
	for _, want := range []string{"1 on the exclude list, 5 on the exit list", "not its text", "execve audited, by the keys exec", "web-root writes watched, by the keys webroot_write"} {
		if !strings.Contains(joined, want) {
			t.Errorf("notes lack %q:\n%s", want, joined)
		}
	}
	if len(cov.Tampering) != 0 {
		t.Errorf("tampering in a clean log: %q", cov.Tampering)
	}
}

func TestTampering(t *testing.T) {
	s := newSim(t, Options{})
	s.touch(0, cronD)
	// a reload: rules removed and re-added at once
	s.record(1, parser.KindConfig, "CONFIG_CHANGE", "auid=0 ses=3 op=remove_rule key=\"exec\" list=4 res=1")
	s.record(1, parser.KindConfig, "CONFIG_CHANGE", "auid=0 ses=3 op=add_rule key=\"exec\" list=4 res=1")
	// rules deleted for good, then auditing switched off and the daemon stopped
	s.record(100, parser.KindConfig, "CONFIG_CHANGE", "auid=33 ses=16 op=remove_rule key=\"webroot_write\" list=4 res=1")
	s.record(100.2, parser.KindConfig, "CONFIG_CHANGE", "auid=33 ses=16 op=remove_rule key=\"cron\" list=4 res=1")
	s.record(101, parser.KindConfig, "CONFIG_CHANGE", "op=set audit_enabled=0 old=1 auid=33 ses=16 res=1")
	s.record(102, parser.KindDaemon, "DAEMON_END", "op=terminate auid=0 pid=1 subj=unconfined res=success")
	// an hour of silence, then 5000 serials missing
	s.touch(3700, cronD)
	s.serial += 5000
	s.touch(3701, cronD)
	tf := s.find(s.record(3702, parser.KindConfig, "CONFIG_CHANGE", "auid=0 ses=3 op=remove_rule key=\"x\" list=4 res=1"), detect.StageNone, detect.SeverityHigh, "Audit Rule Removed")
	tf.Tampering = true
	r := s.build()
	want := []string{
		"1 audit rule(s) removed (keys exec) at 2026-11-25T20:00:01Z by auid 0 ses 3, then 1 added within 10 s (a reload",
		"2 audit rule(s) removed (keys cron, webroot_write) at 2026-11-25T20:01:40Z by auid 33 ses 16, and not re-added",
		"auditing disabled (audit_enabled=0) at 2026-11-25T20:01:41Z by auid 33 ses 16",
		"audit daemon stopped (DAEMON_END) at 2026-11-25T20:01:42Z",
		"audit.log: no audit records for 59m59s between 2026-11-25T20:01:41Z and 2026-11-25T21:01:40Z",
		"audit.log: audit serials 1009 to 6008 missing (5000 records)",
		"1 audit rule(s) removed (keys x)",
	}
	got := r.Coverage.Tampering
	if len(got) != len(want) {
		t.Fatalf("tampering:\n%s", strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.Contains(got[i], want[i]) {
			t.Errorf("tampering[%d] = %q\nwant it to contain %q", i, got[i], want[i])
		}
	}
	if len(r.Tampering) != 1 || r.Tampering[0] != tf || len(r.Chains) != 0 {
		t.Errorf("tampering findings %v, chains %d: the finding must be apart from chains", r.Tampering, len(r.Chains))
	}
	if len(r.Findings) != 1 {
		t.Errorf("Result.Findings = %d, want every finding", len(r.Findings))
	}
}

func TestNewBuilderMissingRules(t *testing.T) {
	_, err := NewBuilder(Options{AuditRules: filepath.Join(t.TempDir(), "nope.rules")})
	if err == nil || !strings.Contains(err.Error(), "--audit-rules") {
		t.Fatalf("err = %v", err)
	}
}
