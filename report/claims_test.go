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
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q lacks %q", tc.item, got, w)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(got, w) {
				t.Errorf("%s: %q says %q", tc.item, got, w)
			}
		}
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
	if n := iocs["/var/www/html/x.php"]; strings.Contains(n, "dropped") || !strings.HasPrefix(n, "written by the intruder's process: php-fpm8.2[16]") {
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
