package detect

import (
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// SigmaHQ-style Linux rules, written here in SigmaHQ's own form (ids,
// field names, modifiers, conditions as upstream uses them) so that the
// repository ships none of SigmaHQ's files. They must load and run
// unmodified.
var sigmaHQStyle = map[string]string{
	// after proc_creation_lnx_bash_interactive_shell
	"bash_interactive.yml": `title: Bash Interactive Shell
id: 6104e693-a7d6-4891-86cb-49a258523559
status: test
description: Detects execution of the bash shell with the interactive flag "-i".
author: '@d4ns4n_'
date: 2023/04/07
tags:
    - attack.execution
logsource:
    category: process_creation
    product: linux
detection:
    selection:
        Image|endswith: '/bash'
        CommandLine|contains: ' -i '
    condition: selection
level: low
`,
	// after proc_creation_lnx_susp_curl_fileupload
	"curl_upload.yml": `title: Suspicious Curl File Upload - Linux
id: 00b90cc1-17ec-402c-96ad-3a8117d7a582
status: test
tags:
    - attack.exfiltration
    - attack.t1567
    - attack.t1105
logsource:
    category: process_creation
    product: linux
detection:
    selection_img:
        Image|endswith: '/curl'
    selection_cli:
        - CommandLine|contains:
              - ' --form'
              - ' --upload-file '
              - ' --data '
              - ' --data-'
        - CommandLine|re: '\s-[FTd]\s'
    filter_optional_localhost:
        CommandLine|contains:
            - '://localhost'
            - '://127.0.0.1'
    condition: all of selection_* and not 1 of filter_optional_*
level: medium
`,
	// after lnx_auditd_system_info_discovery
	"auditd_discovery.yml": `title: System Information Discovery - Auditd
id: f34047d9-20d3-4e8b-8672-0a35cc50dc71
status: test
tags:
    - attack.discovery
    - attack.t1082
logsource:
    product: linux
    service: auditd
detection:
    selection:
        type: 'PATH'
        name:
            - '/etc/lsb-release'
            - '/etc/redhat-release'
            - '/etc/issue'
    selection2:
        type: 'EXECVE'
        a0:
            - 'uname'
            - 'uptime'
            - 'lsmod'
            - 'hostname'
            - 'env'
    selection3:
        type: 'EXECVE'
        a0: 'grep'
        a1|contains:
            - 'vbox'
            - 'vm'
            - 'xen'
            - 'virtio'
            - 'hv'
    condition: 1 of selection*
level: low
`,
	// after lnx_auditd_susp_c2_commands
	"auditd_c2.yml": `title: Suspicious C2 Activities
id: f7158a64-6204-4d6d-868a-6e6378b467e0
status: test
tags:
    - attack.command_and_control
logsource:
    product: linux
    service: auditd
detection:
    selection:
        key: 'susp_activity'
    condition: selection
level: medium
`,
	// after lnx_auditd_unix_shell_configuration_modification (wildcards)
	"auditd_shell_config.yml": `title: Unix Shell Configuration Modification
id: a94cdd87-6c54-4678-a6cc-2814ffe5a13d
status: test
tags:
    - attack.persistence
    - attack.t1546.004
logsource:
    product: linux
    service: auditd
detection:
    selection:
        type: 'PATH'
        name:
            - '/etc/shells'
            - '/etc/profile'
            - '/etc/profile.d/*'
            - '/etc/bash.bashrc'
            - '/home/*/.bashrc'
            - '/home/*/.zshrc'
            - '/home/*/.profile'
    condition: selection
level: medium
`,
	// keywords on auditd records
	"auditd_devtcp_keyword.yml": `title: Dev TCP In Audit Records
id: 0d1c4ab2-5b8a-4bf6-9a52-6b3b3a0c1d11
status: experimental
tags:
    - attack.command_and_control
logsource:
    product: linux
    service: auditd
detection:
    keywords:
        - '/dev/tcp/'
    condition: keywords
level: high
`,
	// after proc_creation_lnx_webshell_detection
	"webshell_indicators.yml": `title: Linux Webshell Indicators
id: 818f7b24-0fba-4c49-a073-8b755573b9c7
status: test
tags:
    - attack.persistence
    - attack.t1505.003
logsource:
    product: linux
    category: process_creation
detection:
    selection_general:
        ParentImage|endswith:
            - '/httpd'
            - '/lighttpd'
            - '/nginx'
            - '/apache2'
            - '/node'
            - '/caddy'
    selection_tomcat:
        ParentCommandLine|contains|all:
            - '/bin/java'
            - 'tomcat'
    selection_websphere:
        ParentCommandLine|contains|all:
            - '/bin/java'
            - 'websphere'
    sub_processes:
        Image|endswith:
            - '/whoami'
            - '/ifconfig'
            - '/ip'
            - '/bin/uname'
            - '/bin/cat'
            - '/bin/crontab'
            - '/hostname'
            - '/iptables'
            - '/netstat'
            - '/pwd'
            - '/route'
    condition: 1 of selection_* and sub_processes
level: high
`,
}

func writeRules(t *testing.T, rules map[string]string) []string {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for name, text := range rules {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	slices.Sort(paths)
	return paths
}

// matchSerials runs one rule file over the lab and returns the serials of
// the events it matched.
func matchSerials(t *testing.T, rulePath string, evs []*parser.Event, tree *parser.Tree) []uint64 {
	t.Helper()
	e, err := LoadRuleFile(rulePath)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range e.Problems() {
		if p.Disabled {
			t.Fatalf("%s", p)
		}
	}
	var got []uint64
	for _, f := range runLab(t, e, evs, tree) {
		got = append(got, f.Event.Serial)
	}
	return got
}

// expectSerials lists the lab events a predicate selects, computed from the
// parser's normalized fields: an independent oracle for the rule matcher.
func expectSerials(evs []*parser.Event, pred func(*parser.Event) bool) []uint64 {
	var out []uint64
	for _, ev := range evs {
		if pred(ev) {
			out = append(out, ev.Serial)
		}
	}
	return out
}

// proctitle decodes an event's PROCTITLE record (hex, NUL-separated argv)
// independently of the engine's raw scanner.
func proctitle(ev *parser.Event) string {
	raw := ev.FirstEvidence().Raw
	i := strings.Index(raw, "type=PROCTITLE")
	if i < 0 {
		return ""
	}
	j := strings.Index(raw[i:], "proctitle=")
	if j < 0 {
		return ""
	}
	v := raw[i+j+len("proctitle="):]
	if k := strings.IndexAny(v, " \n\x1d"); k >= 0 {
		v = v[:k]
	}
	b, err := hex.DecodeString(v)
	if err != nil {
		return v
	}
	return strings.ReplaceAll(string(b), "\x00", " ")
}

func TestSigmaHQStyleRulesOnLab(t *testing.T) {
	dir := labCapture(t)
	evs, tree := labEvents(t, dir)
	paths := writeRules(t, sigmaHQStyle)
	byName := map[string]string{}
	for _, p := range paths {
		byName[filepath.Base(p)] = p
	}
	isExec := func(ev *parser.Event) bool { return ev.Kind == parser.KindExec && ev.Success }
	cmd := func(ev *parser.Event) string { return strings.Join(ev.Args, " ") }

	tests := []struct {
		file string
		want func(*parser.Event) bool
		min  int // at least this many matches (the lab's attack steps)
	}{
		// Sigma's contains ignores case: the noise's pyenv shim
		// (bash …/shims/python3 -I -S -B …) matches too
		{"bash_interactive.yml", func(ev *parser.Event) bool {
			return isExec(ev) && strings.HasSuffix(ev.Exe, "/bash") && strings.Contains(strings.ToLower(cmd(ev)), " -i ")
		}, 2},
		// the lab's uploads go to 127.0.0.1: SigmaHQ's localhost filter drops them
		{"curl_upload.yml", func(*parser.Event) bool { return false }, 0},
		{"auditd_discovery.yml", func(ev *parser.Event) bool {
			return isExec(ev) && len(ev.Args) > 0 && slices.Contains([]string{"uname", "uptime", "lsmod", "hostname", "env"}, ev.Args[0])
		}, 4},
		{"auditd_c2.yml", func(ev *parser.Event) bool { return strings.Contains(ev.Key, "susp_activity") }, 4},
		{"auditd_devtcp_keyword.yml", func(ev *parser.Event) bool {
			return strings.Contains(ev.FirstEvidence().Raw, "/dev/tcp/") || strings.Contains(proctitle(ev), "/dev/tcp/")
		}, 4},
		// php-fpm is not among that rule's parents: no match on this lab
		{"webshell_indicators.yml", func(*parser.Event) bool { return false }, 0},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got := matchSerials(t, byName[tt.file], evs, tree)
			want := expectSerials(evs, tt.want)
			if !slices.Equal(got, want) {
				t.Errorf("matched serials %v\nwant %v", got, want)
			}
			if len(got) < tt.min {
				t.Errorf("%d matches, want at least %d", len(got), tt.min)
			}
		})
	}

	// Without SigmaHQ's localhost filter the lab's two uploads match, and
	// the case-sensitive |re '\s-[FTd]\s' picks up "-T" only.
	noFilter := strings.Replace(sigmaHQStyle["curl_upload.yml"], "not 1 of filter_optional_*", "not 1 of filter_none*", 1)
	noFilter = strings.Replace(noFilter, "filter_optional_localhost:", "filter_none_localhost:\n        CommandLine: 'never'\n    unused:", 1)
	p := writeRules(t, map[string]string{"curl_nofilter.yml": noFilter})[0]
	got := matchSerials(t, p, evs, tree)
	want := expectSerials(evs, func(ev *parser.Event) bool {
		return isExec(ev) && strings.HasSuffix(ev.Exe, "/curl") && (strings.Contains(cmd(ev), " -T ") || strings.Contains(cmd(ev), " --data-"))
	})
	if !slices.Equal(got, want) || len(got) != 2 {
		t.Errorf("curl upload without filter matched %v, want %v (2)", got, want)
	}
}

func TestSigmaWildcardsAndSyntheticMatches(t *testing.T) {
	paths := writeRules(t, map[string]string{
		"shell_config.yml": sigmaHQStyle["auditd_shell_config.yml"],
		"webshell.yml":     sigmaHQStyle["webshell_indicators.yml"],
	})
	s := newSynth()
	pid := 500
	write := func(name string) *parser.Event {
		pid++ // one finding per rule and process for file events
		ev := s.file(parser.KindFileWrite, pid, 1, 1000, "/usr/bin/vim", name, true)
		ev.Paths = []parser.PathRecord{{Name: name, Nametype: "NORMAL"}}
		ev.Evidence[0].Raw += "\ntype=PATH msg=audit(1.000:1): item=0 name=\"" + name + "\" nametype=NORMAL"
		return ev
	}
	e, err := LoadRuleFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]bool{
		"/home/alice/.bashrc":      true,
		"/home/alice/.zshrc":       true,
		"/HOME/ALICE/.BASHRC":      true, // Sigma is case-insensitive
		"/etc/profile.d/evil.sh":   true,
		"/etc/profile":             true,
		"/etc/profile.bak":         false,
		"/root/.bashrc":            false,
		"/home/alice/.bashrc.orig": false,
	} {
		got := len(e.Observe(write(name), s.tree)) > 0
		if got != want {
			t.Errorf("%s: match %v, want %v", name, got, want)
		}
	}

	e, err = LoadRuleFile(paths[1])
	if err != nil {
		t.Fatal(err)
	}
	s.exec(600, 1, 33, "www-data", "/", "/usr/sbin/nginx", "nginx")
	if fs := e.Observe(s.exec(601, 600, 33, "www-data", "/", "/usr/bin/whoami", "whoami"), s.tree); len(fs) != 1 {
		t.Errorf("nginx → whoami: %v", ids(fs))
	}
	if fs := e.Observe(s.exec(602, 600, 33, "www-data", "/", "/usr/bin/ls", "ls"), s.tree); len(fs) != 0 {
		t.Errorf("nginx → ls: %v", ids(fs))
	}
}

// TestUnsupportedFeaturesReported: what cannot run loads, is reported per
// rule with its line, and never crashes or vanishes.
func TestUnsupportedFeaturesReported(t *testing.T) {
	head := "title: T\nlogsource:\n    product: linux\n    category: process_creation\n"
	rules := map[string]string{
		"windows.yml":      "title: W\nid: w\nlogsource:\n    product: windows\n    category: process_creation\ndetection:\n    sel:\n        Image|endswith: '\\cmd.exe'\n    condition: sel\nlevel: high\n",
		"syslog.yml":       "title: S\nid: s\nlogsource:\n    product: linux\ndetection:\n    keywords:\n        - 'sh -i'\n    condition: keywords\nlevel: high\n",
		"count.yml":        "id: c\n" + head + "detection:\n    sel:\n        Image|endswith: /ssh\n    timeframe: 5m\n    condition: sel | count() by User > 10\nlevel: high\n",
		"correlation.yml":  "title: C\nid: corr\ncorrelation:\n    type: event_count\n    rules:\n        - x\n    group-by:\n        - User\n    timespan: 5m\n    condition:\n        gte: 10\nlevel: high\n",
		"fieldref.yml":     "id: f\n" + head + "detection:\n    sel:\n        Image|fieldref: ParentImage\n    condition: sel\nlevel: high\n",
		"lookahead.yml":    "id: la\n" + head + "detection:\n    sel:\n        CommandLine|re: '^(?!sh).*'\n    condition: sel\nlevel: high\n",
		"unknownfield.yml": "id: uf\n" + head + "detection:\n    sel:\n        OriginalFileName: bash\n    sel2:\n        Image|endswith: /bash\n    condition: sel2 and not sel\nlevel: low\n",
		"leadingstar.yml":  "id: ls\n" + head + "detection:\n    a_tools:\n        Image|endswith: /ssh\n    b_tools:\n        Image|endswith: /scp\n    condition: 1 of *_tools\nlevel: low\n",
	}
	e, err := New(Options{NoBuiltin: true, RuleFiles: writeRules(t, rules)})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*Rule{}
	for _, r := range e.Rules() {
		byID[r.ID] = r
	}
	disabled := map[string]string{
		"w": "product windows", "s": "syslog", "c": "aggregation", "corr": "correlation",
		"f": "fieldref", "la": "regular expression",
	}
	for id, frag := range disabled {
		r := byID[id]
		if r == nil {
			t.Errorf("rule %s not loaded", id)
			continue
		}
		if r.Runnable || len(r.Problems) == 0 || !r.Problems[len(r.Problems)-1].Disabled || !strings.Contains(r.Problems[len(r.Problems)-1].Msg, frag) {
			t.Errorf("rule %s: runnable %v problems %v, want disabled mentioning %q", id, r.Runnable, r.Problems, frag)
		}
		if p := r.Problems[len(r.Problems)-1]; p.Line == 0 || !strings.Contains(p.String(), ".yml:") {
			t.Errorf("rule %s: problem without position: %s", id, p)
		}
	}
	if r := byID["uf"]; r == nil || !r.Runnable || len(r.Problems) != 1 || !strings.Contains(r.Problems[0].Msg, "OriginalFileName") {
		t.Errorf("unknown field: %+v", r)
	}
	if r := byID["c"]; r == nil || !strings.Contains(r.Problems[0].Msg, "timeframe") {
		t.Errorf("timeframe note missing: %+v", r)
	}
	s := newSynth()
	if fs := e.Observe(s.exec(700, 1, 1000, "u", "/", "/usr/bin/scp", "scp", "a", "b:"), s.tree); !slices.Equal(ids(fs), []string{"ls"}) {
		t.Errorf("leading-wildcard pattern: %v", ids(fs))
	}
	if fs := e.Observe(s.exec(701, 1, 1000, "u", "/", "/usr/bin/bash", "bash"), s.tree); !slices.Equal(ids(fs), []string{"uf"}) {
		t.Errorf("absent field: %v", ids(fs))
	}
}

// TestUserRuleErrors: a broken user rule fails LoadRuleFile (rules test)
// as path:line: msg; in a scan it is skipped instead (TestBrokenRuleAmongGood).
func TestUserRuleErrors(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"badyaml.yml", "title: x\ndetection:\n  sel: [\n", "badyaml.yml:3: rule badyaml cannot run: not valid YAML"},
		{"nodetect.yml", "title: x\nlogsource:\n  product: linux\n", "nodetect.yml:1: rule nodetect cannot run: rule has no detection"},
		{"badlevel.yml", "title: x\nlevel: severe\nlogsource:\n  category: process_creation\ndetection:\n  sel:\n    Image: x\n  condition: sel\n", "badlevel.yml:2:"},
		{"badstage.yml", "title: x\nauditchain:\n  stage: 9\nlogsource:\n  category: process_creation\ndetection:\n  sel:\n    Image: x\n  condition: sel\n", "badstage.yml:2:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeRules(t, map[string]string{tt.name: tt.text})[0]
			_, err := LoadRuleFile(p)
			var re *RuleError
			if err == nil || !errors.As(err, &re) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want RuleError containing %q", err, tt.want)
			}
		})
	}
}
