package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/auditchain/auditchain/internal/golden"
	"github.com/auditchain/auditchain/report"
)

// The cross-host fixture is made from the classic lab capture, in the
// test, so that it stays real data and nothing large is committed. In
// the capture the attacker's web shell runs `ssh -i /tmp/.k
// deploy@127.0.0.1` and sshd on the same machine logs deploy in
// (ground-truth.json, step ssh-deploy-with-stolen-key: serials 17945 exec,
// 17946 connect, 17947 sshd's accept, session 114). crossHostLogs moves
// the server side to a second host:
//
//   - db01 (10.0.0.12) gets every record of the serials that belong to
//     sshd's side: the accept (17947), sshd's pids 1670 and 1676, and
//     everything of session 114; its client address 127.0.0.1 (addr=,
//     hostname=, the accept's sockaddr) becomes 10.0.0.11;
//   - web01 (10.0.0.11) keeps the rest; its ssh command line, proctitle
//     and connect name 10.0.0.12 instead of 127.0.0.1 (same lengths).
//
// Times, serials and every other byte are as captured.
const (
	webHost, webAddr = "web01", "10.0.0.11"
	dbHost, dbAddr   = "db01", "10.0.0.12"
)

var auditSerial = regexp.MustCompile(`msg=audit\(\d+\.\d+:(\d+)\)`)

// crossHostLogs writes web01.log and db01.log into dir; without accept,
// db01 lacks sshd's accept record (the connection unrecorded there).
func crossHostLogs(t *testing.T, dir string, accept bool) (web, db string) {
	t.Helper()
	lines := strings.Split(string(gunzip(t, filepath.Join(classic, "audit.log.gz"))), "\n")
	server := regexp.MustCompile(` ses=114 | pid=(1670|1676) `)
	move := map[string]bool{"17947": true}
	for _, l := range lines {
		if m := auditSerial.FindStringSubmatch(l); m != nil && server.MatchString(l) {
			move[m[1]] = true
		}
	}
	var a, b []string
	for _, l := range lines {
		m := auditSerial.FindStringSubmatch(l)
		switch {
		case m == nil || !move[m[1]]:
			a = append(a, l)
		case m[1] == "17947" && !accept:
		default:
			b = append(b, l)
		}
	}
	webLog := strings.NewReplacer(
		`saddr=020000167F000001`, `saddr=020000160A00000C`, // connect 127.0.0.1:22 → 10.0.0.12:22
		`laddr=127.0.0.1 lport=22 }`, `laddr=10.0.0.12 lport=22 }`,
		`"deploy@127.0.0.1"`, `"deploy@10.0.0.12"`,
		`6465706C6F79403132372E302E302E31`, `6465706C6F794031302E302E302E3132`, // in the proctitle
	).Replace(strings.Join(a, "\n"))
	dbLog := strings.NewReplacer(
		`addr=127.0.0.1`, `addr=10.0.0.11`, `hostname=127.0.0.1`, `hostname=10.0.0.11`,
		`saddr=0200AE1C7F000001`, `saddr=0200AE1C0A00000B`, // accept from 10.0.0.11:44572
		`laddr=127.0.0.1 lport=44572`, `laddr=10.0.0.11 lport=44572`,
	).Replace(strings.Join(b, "\n") + "\n")
	if strings.Contains(webLog, "127.0.0.1 lport=22 }") || !strings.Contains(dbLog, "acct=\"deploy\"") {
		t.Fatal("the capture is not the one the fixture was made from")
	}
	web, db = filepath.Join(dir, "web01.log"), filepath.Join(dir, "db01.log")
	for p, s := range map[string]string{web: webLog, db: dbLog} {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return web, db
}

// scanHostReport writes `scan --format json` of log, as host, to out.
func scanHostReport(t *testing.T, host, out string, logs ...string) string {
	t.Helper()
	args := append([]string{"scan", "--format", "json", "--reproducible", "--fail-on", "none", "--node-name", host, "-o", out}, logs...)
	if code, _, stderr := runCLI(t, "", args...); code != 0 {
		t.Fatalf("scan %s: exit %d: %s", host, code, stderr)
	}
	return out
}

// crossHostReports scans the two hosts' logs into dir.
func crossHostReports(t *testing.T, dir string, accept bool) (web, db string) {
	t.Helper()
	wl, dl := crossHostLogs(t, dir, accept)
	return scanHostReport(t, webHost, filepath.Join(dir, "web01.json"), wl), scanHostReport(t, dbHost, filepath.Join(dir, "db01.json"), dl)
}

func mergeDoc(t *testing.T, args ...string) *report.Document {
	t.Helper()
	code, out, stderr := runCLI(t, "", append([]string{"merge", "--format", "json", "--reproducible", "--fail-on", "none"}, args...)...)
	if code != 0 {
		t.Fatalf("merge: exit %d: %s", code, stderr)
	}
	if err := report.ValidateJSON([]byte(out)); err != nil {
		t.Fatalf("the merged case does not validate: %v", err)
	}
	d, err := report.ReadDocument(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// writeTestFile writes s to dir/name and returns the path.
func writeTestFile(t *testing.T, dir, name, s string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func sha256File(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// TestMergeCrossHost: the attack crosses from web01 to db01 by ssh; the
// merged case links the two sides, as strongly as the evidence allows.
func TestMergeCrossHost(t *testing.T) {
	dir := t.TempDir()
	web, db := crossHostReports(t, dir, true)
	noAcc := t.TempDir()
	_, dbNoAccept := crossHostReports(t, noAcc, false)
	both := []string{"--host-addr", webHost + "=" + webAddr, "--host-addr", dbHost + "=" + dbAddr}
	for _, tc := range []struct {
		name  string
		args  []string
		basis string
		why   string
	}{
		{"connect and accept, both addresses", append(slices.Clone(both), web, db), report.CrossObserved, "connection recorded at both ends"},
		{"arguments in the other order", append(slices.Clone(both), db, web), report.CrossObserved, "connection recorded at both ends"},
		{"db01's address only", []string{"--host-addr", dbHost + "=" + dbAddr, web, db}, report.CrossInferred, "not checked (no address known for host web01)"},
		{"web01's address only", []string{"--host-addr", webHost + "=" + webAddr, web, db}, report.CrossInferred, "not known as host db01's"},
		{"no accept on db01", append(slices.Clone(both), web, dbNoAccept), report.CrossInferred, "has no accept record"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := mergeDoc(t, tc.args...)
			if len(d.CrossHost) != 1 {
				t.Fatalf("cross-host links: %d, want 1: %+v", len(d.CrossHost), d.CrossHost)
			}
			x := d.CrossHost[0]
			if x.Basis != tc.basis || !strings.Contains(x.Reason, tc.why) {
				t.Errorf("basis %q reason %q, want %q with %q", x.Basis, x.Reason, tc.basis, tc.why)
			}
			if x.To == nil || x.To.Host != dbHost || x.To.Session != 114 || x.To.Account != "deploy" || x.From.Host != webHost || x.From.PID != 1669 {
				t.Fatalf("link %+v → %+v, want web01 pid 1669 → db01 session 114 (deploy)", x.From, x.To)
			}
			if len(x.From.Evidence) == 0 || len(x.To.Evidence) == 0 {
				t.Error("the link lacks the evidence of one side")
			}
			var from *report.DocChain
			for i := range d.Chains {
				if d.Chains[i].ID == x.From.ChainID {
					from = &d.Chains[i]
				}
			}
			if from == nil || !slices.Contains(from.Hosts, dbHost) || !slices.ContainsFunc(from.Links, func(s string) bool { return strings.Contains(s, "cross-host X01") }) {
				t.Errorf("the ssh's chain %s does not say it reached db01", x.From.ChainID)
			}
			if !slices.Equal(d.Hosts, []string{dbHost, webHost}) || len(d.Merged) != 2 || len(d.HostCoverage) != 2 {
				t.Errorf("hosts %v, %d merged, %d coverages", d.Hosts, len(d.Merged), len(d.HostCoverage))
			}
		})
	}
	t.Run("ids, inputs and hashes", func(t *testing.T) {
		d := mergeDoc(t, append(slices.Clone(both), web, db)...)
		seen := map[string]bool{}
		for _, f := range d.Findings {
			if seen[f.ID] || f.Origin == "" {
				t.Fatalf("finding %s repeated or without origin", f.ID)
			}
			seen[f.ID] = true
		}
		var shas []string
		for _, m := range d.Merged {
			shas = append(shas, m.SHA256)
		}
		if !slices.Contains(shas, sha256File(t, web)) || !slices.Contains(shas, sha256File(t, db)) {
			t.Errorf("merged reports' sha256 %v do not name the files", shas)
		}
		var paths []string
		for _, in := range d.Inputs {
			paths = append(paths, filepath.Base(in.Path))
		}
		if !slices.Contains(paths, "web01.log") || !slices.Contains(paths, "db01.log") {
			t.Errorf("inputs %v: want both hosts' logs", paths)
		}
		if d.Summary == nil || len(d.Summary.Chains) == 0 {
			t.Error("no summary recomputed")
		}
	})
}

// TestMergeAmbiguous: an address two merged hosts claim (a shared address,
// a NAT) gives two logins that fit the one ssh equally: both are listed,
// neither is linked.
func TestMergeAmbiguous(t *testing.T) {
	dir := t.TempDir()
	web, db := crossHostReports(t, dir, true)
	_, dbLog := crossHostLogs(t, t.TempDir(), true)
	db2 := scanHostReport(t, "db02", filepath.Join(dir, "db02.json"), dbLog)
	d := mergeDoc(t, "--host-addr", webHost+"="+webAddr, "--host-addr", dbHost+"="+dbAddr, "--host-addr", "db02="+dbAddr, web, db, db2)
	if len(d.CrossHost) != 1 {
		t.Fatalf("cross-host links: %d, want 1", len(d.CrossHost))
	}
	x := d.CrossHost[0]
	if x.Basis != report.CrossAmbiguous || x.To != nil || len(x.Candidates) != 2 {
		t.Fatalf("basis %s, to %+v, %d candidates: want ambiguous, none linked, 2 candidates", x.Basis, x.To, len(x.Candidates))
	}
	for _, ch := range d.Chains {
		if slices.ContainsFunc(ch.Links, func(s string) bool { return strings.Contains(s, "cross-host") }) {
			t.Errorf("chain %s was linked on an ambiguous match", ch.ID)
		}
	}
}

// TestMergeNoCrossing: two hosts, each with its own intrusion, nothing
// between them: every chain kept, no link made.
func TestMergeNoCrossing(t *testing.T) {
	dir := t.TempDir()
	web := scanHostReport(t, webHost, filepath.Join(dir, "web.json"), filepath.Join(classic, "audit.log.gz"))
	app := scanHostReport(t, "app02", filepath.Join(dir, "app.json"), "../../testdata/lab/webshell-variant/audit.log")
	d := mergeDoc(t, "--host-addr", webHost+"="+webAddr, "--host-addr", "app02=10.0.0.13", web, app)
	if len(d.CrossHost) != 0 {
		t.Errorf("cross-host links %+v, want none", d.CrossHost)
	}
	var want int
	for _, p := range []string{web, app} {
		b, _ := os.ReadFile(p)
		var one report.Document
		if err := json.Unmarshal(b, &one); err != nil {
			t.Fatal(err)
		}
		want += len(one.Chains)
	}
	if len(d.Chains) != want {
		t.Errorf("%d chains, want %d", len(d.Chains), want)
	}
	code, out, _ := runCLI(t, "", "merge", "--reproducible", "--fail-on", "none", web, app)
	if code != 0 || !strings.Contains(out, "CROSS-HOST LINKS (0)") {
		t.Errorf("exit %d; text lacks the empty cross-host section", code)
	}
}

// TestMergeRefuses: what is not a v1 report is refused with its name and
// the reason, before anything is written; so is -o onto an input.
func TestMergeRefuses(t *testing.T) {
	dir := t.TempDir()
	web, db := crossHostReports(t, dir, true)
	good, err := os.ReadFile(web)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, s string) string { return writeTestFile(t, dir, name, s) }
	v2 := write("v2.json", strings.Replace(string(good), `"auditchain.report/v1"`, `"auditchain.report/v2"`, 1))
	broken := write("broken.json", `{"schema": "auditchain.report/v1", "tool": {"name": "x"}}`)
	other := write("other.json", `{"schema": "something/else", "x": 1}`)
	noSchema := write("plain.json", `{"findings": []}`)
	notJSON := filepath.Join(dir, "web01.log")
	merged := filepath.Join(dir, "case.json")
	if code, _, stderr := runCLI(t, "", "merge", "--format", "json", "--reproducible", "--fail-on", "none", "-o", merged, web, db); code != 0 {
		t.Fatalf("merge: %d %s", code, stderr)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"a log, not JSON", []string{web, notJSON}, "web01.log: not a JSON report"},
		{"JSON without schema", []string{web, noSchema}, "plain.json: not an auditchain report: no \"schema\" field"},
		{"another schema", []string{web, other}, `other.json: not an auditchain report: schema "something/else"`},
		{"major version 2", []string{web, v2}, "v2.json: report of an incompatible major version: schema \"auditchain.report/v2\""},
		{"v1 breaking the contract", []string{web, broken}, "broken.json: does not match the report contract"},
		{"the same report twice", []string{web, web}, "are the same report"},
		{"a case with its own part", []string{merged, web}, "is already merged into"},
		{"missing file", []string{web, filepath.Join(dir, "nope.json")}, "nope.json: no such file"},
		{"-o onto an input", []string{"-o", db, web, db}, "is the input"},
		{"bad --host-addr", []string{"--host-addr", "web01=not-an-ip", web}, "is not an IP address"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := sha256File(t, db)
			code, out, stderr := runCLI(t, "", append([]string{"merge", "--fail-on", "none"}, tc.args...)...)
			if code != exitUsage || out != "" || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stdout %d bytes, stderr %q: want exit 2, nothing written, %q", code, len(out), stderr, tc.want)
			}
			if sha256File(t, db) != before {
				t.Error("an input was changed")
			}
		})
	}
}

// TestMergeGolden: the merged case is deterministic: the same bytes
// whatever the order of the reports, and its own part of the text (the
// merged reports, coverage per host, the cross-host link with its
// evidence) and its NDJSON link line are kept in
// testdata/merge-crosshost.golden (-update rewrites it). Temporary paths
// and the reports' hashes (which depend on them) are replaced by names.
func TestMergeGolden(t *testing.T) {
	dir := t.TempDir()
	web, db := crossHostReports(t, dir, true)
	addrs := []string{"--host-addr", webHost + "=" + webAddr, "--host-addr", dbHost + "=" + dbAddr}
	render := func(format string, reports ...string) string {
		code, out, stderr := runCLI(t, "", append(append([]string{"merge", "--reproducible", "--fail-on", "none", "--format", format}, addrs...), reports...)...)
		if code != 0 {
			t.Fatalf("merge: exit %d: %s", code, stderr)
		}
		return out
	}
	for _, format := range []string{"text", "json", "ndjson", "html", "csv"} {
		// the command line is in the report: the one place the order shows
		b := strings.NewReplacer(db+" "+web, web+" "+db, `"`+db+`","`+web+`"`, `"`+web+`","`+db+`"`).Replace(render(format, db, web))
		if a := render(format, web, db); a != b {
			t.Errorf("%s: the order of the reports changed the output", format)
		}
	}
	text := render("text", web, db)
	head, _, ok := strings.Cut(text, "auditchain evidence report")
	if !ok {
		t.Fatal("the merged text lacks the scan's report")
	}
	var links []string
	for _, l := range strings.Split(render("ndjson", web, db), "\n") {
		if strings.Contains(l, `"action":"lateral-movement"`) {
			links = append(links, l)
		}
	}
	out := head + "--- ndjson cross-host lines\n" + strings.Join(links, "\n") + "\n"
	out = strings.NewReplacer(dir, "TMP", sha256File(t, web), "<sha256 of web01.json>", sha256File(t, db), "<sha256 of db01.json>").Replace(out)
	golden.Check(t, "testdata/merge-crosshost.golden", []byte(out), *update)
	if bytes.Contains([]byte(out), []byte(dir)) {
		t.Error("a temporary path is left in the golden")
	}
}
