package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"html"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/internal/linediff"
	"github.com/auditchain/auditchain/parser"
)

func TestNewWriterFormats(t *testing.T) {
	for _, f := range append(Formats(), "", "JSON ") {
		if _, err := NewWriter(string(f), Options{}); err != nil {
			t.Errorf("NewWriter(%q): %v", f, err)
		}
	}
	_, err := NewWriter("xml", Options{})
	if err == nil || !strings.Contains(err.Error(), "text, json, ndjson, html, csv") {
		t.Errorf("NewWriter(xml) = %v, want an error naming the formats", err)
	}
}

// TestTextNoEscape: no ESC from the evidence reaches the terminal, whatever
// the options; with colour on, the only escapes are the writer's own SGR
// sequences.
func TestTextNoEscape(t *testing.T) {
	for _, opts := range []Options{{}, {Verbose: true}, {Verbose: true, Color: true, TZ: time.FixedZone("CET", 3600)}} {
		out := string(render(t, "text", opts, attackCase(fixtureOptions{})))
		if !opts.Color && strings.Contains(out, "\x1b") {
			t.Errorf("%+v: ESC in the text report at %q", opts, around(out, "\x1b"))
		}
		sgr := regexp.MustCompile(`\x1b\[[0-9;]*m`)
		if rest := sgr.ReplaceAllString(out, ""); strings.Contains(rest, "\x1b") {
			t.Errorf("%+v: ESC other than our colours at %q", opts, around(rest, "\x1b"))
		}
		for _, c := range []string{"\a", "\r", "\u202e", "\xff"} {
			if strings.Contains(out, c) {
				t.Errorf("%+v: %q in the text report at %q", opts, c, around(out, c))
			}
		}
		if !strings.Contains(out, `\x1b]0;pwned\x07`) {
			t.Errorf("%+v: the hostile argv is not shown escaped", opts)
		}
	}
}

func around(s, sub string) string {
	i := strings.Index(s, sub)
	return s[max(0, i-40):min(len(s), i+40)]
}

func TestSanitize(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain /bin/sh -c id", "plain /bin/sh -c id"},
		{"tab\there", `tab\there`},
		{"nl\nfake report line", `nl\nfake report line`},
		{"\x1b[2Jclear", `\x1b[2Jclear`},
		{"bell\a", `bell\x07`},
		{"del\x7f", `del\x7f`},
		{"c1\u009b31m", `c1\x9b31m`},
		{"bidi \u202egnp.exe", `bidi \u202egnp.exe`},
		{"bad \xff\xfe", `bad \xff\xfe`},
		{"ünïcödé ok", "ünïcödé ok"},
	} {
		if got := sanitize(tc.in); got != tc.want {
			t.Errorf("sanitize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestReproducible: two writes of the same Case are byte-identical in every
// format, and writing does not change the Case.
func TestReproducible(t *testing.T) {
	c := attackCase(fixtureOptions{})
	before, err := json.Marshal(NewDocument(c, goldenOptions()))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range Formats() {
		a := render(t, string(f), goldenOptions(), c)
		b := render(t, string(f), goldenOptions(), attackCase(fixtureOptions{}))
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two writes differ:\n%s", f, linediff.Diff(string(a), string(b)))
		}
	}
	after, _ := json.Marshal(NewDocument(c, goldenOptions()))
	if !bytes.Equal(before, after) {
		t.Errorf("writing changed the Case:\n%s", linediff.Diff(string(before), string(after)))
	}
	for _, f := range []string{"json", "text", "html"} {
		out := string(render(t, f, goldenOptions(), c))
		if strings.Contains(out, "2024-03-06T08:30") || strings.Contains(out, "duration_ms") {
			t.Errorf("%s: --reproducible output names the generation time or duration", f)
		}
	}
	var full struct {
		GeneratedAt string `json:"generated_at"`
		Stats       struct {
			DurationMS int64 `json:"duration_ms"`
		} `json:"stats"`
	}
	if err := json.Unmarshal(render(t, "json", Options{}, c), &full); err != nil {
		t.Fatal(err)
	}
	if full.GeneratedAt != "2024-03-06T08:30:00Z" || full.Stats.DurationMS != 1234 {
		t.Errorf("without --reproducible, generated_at and duration_ms are missing: %+v", full)
	}
}

// TestSchema: every JSON report the tests produce validates against the
// embedded schema, and the schema rejects a broken one.
func TestSchema(t *testing.T) {
	cases := map[string]*Case{
		"attack":           attackCase(fixtureOptions{}),
		"early+scan":       attackCase(fixtureOptions{early: true, scan: true}),
		"empty":            {},
		"only-tool":        {Tool: Tool{Version: "dev"}},
		"not-reproducible": attackCase(fixtureOptions{}),
	}
	for name, c := range cases {
		opts := goldenOptions()
		if name == "not-reproducible" {
			opts = Options{}
		}
		out := render(t, "json", opts, c)
		if err := ValidateJSON(out); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	var d map[string]any
	if err := json.Unmarshal(render(t, "json", goldenOptions(), attackCase(fixtureOptions{})), &d); err != nil {
		t.Fatal(err)
	}
	d["chains"].([]any)[0].(map[string]any)["stages"] = []any{}
	d["findings"].([]any)[0].(map[string]any)["time"] = "2024-03-05 10:00:01"
	bad, _ := json.Marshal(d)
	err := ValidateJSON(bad)
	if err == nil {
		t.Fatal("a report with no stages and a non-RFC 3339 time validates")
	}
	for _, want := range []string{"/chains/0/stages", "/findings/0/time"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("schema error does not name %s:\n%v", want, err)
		}
	}
}

// TestContract checks the promises of DESIGN.md's contract directly.
func TestContract(t *testing.T) {
	d := NewDocument(attackCase(fixtureOptions{}), goldenOptions())
	if len(d.Chains) != 1 || len(d.Chains[0].Stages) != 8 {
		t.Fatalf("want one chain of 8 stages, got %+v", d.Chains)
	}
	for i, s := range d.Chains[0].Stages {
		if s.Stage != i+1 || s.StageID != detect.Stages[i].ID {
			t.Errorf("stage %d is %d %s", i+1, s.Stage, s.StageID)
		}
	}
	var hostile *DocFinding
	for i := range d.Findings {
		f := &d.Findings[i]
		if want := FindingID(i); f.ID != want {
			t.Errorf("finding %d has id %s, want %s", i, f.ID, want)
		}
		if f.RuleID == "ac-c2-interpreter" {
			hostile = f
		}
		if f.Time.Location() != time.UTC {
			t.Errorf("%s: time not in UTC", f.ID)
		}
		for _, e := range f.Evidence {
			if e.File == "" || e.Line == 0 || e.Raw == "" {
				t.Errorf("%s: evidence without position or raw records: %+v", f.ID, e)
			}
		}
	}
	if hostile == nil || hostile.Process == nil {
		t.Fatal("the hostile finding is missing")
	}
	// Lossless argv: args_hex decodes to the original bytes.
	p := hostile.Process
	if len(p.ArgsHex) != len(hostileArgs()) {
		t.Fatalf("args_hex has %d entries, want %d", len(p.ArgsHex), len(hostileArgs()))
	}
	for i, h := range p.ArgsHex {
		b, err := hex.DecodeString(h)
		if err != nil || string(b) != hostileArgs()[i] {
			t.Errorf("args_hex[%d] = %q, does not decode to %q", i, h, hostileArgs()[i])
		}
	}
	if last := p.Args[len(p.Args)-1]; last != "bad\uFFFDbytes" {
		t.Errorf("args keeps %q, want U+FFFD for the bad bytes", last)
	}
	// Ancestors nearest first, up to the placeholder for pid 1.
	var pids []int
	for _, a := range p.Ancestors {
		pids = append(pids, a.PID)
	}
	if want := []int{1211, 1210, 901, 900, 1}; !equalInts(pids, want) {
		t.Errorf("ancestors %v, want %v", pids, want)
	}
	// One evidence entry per source event; the raw records are the event's lines.
	if n := len(hostile.Evidence); n != 1 || !strings.HasPrefix(hostile.Evidence[0].Raw, "type=SYSCALL") ||
		strings.Count(hostile.Evidence[0].Raw, "\n") != 3 {
		t.Errorf("evidence of the hostile exec: %+v", hostile.Evidence)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestReadDocumentRoundTrip: a JSON report read back and written again is
// the same bytes, so diff sees exactly what scan wrote.
func TestReadDocumentRoundTrip(t *testing.T) {
	out := render(t, "json", goldenOptions(), attackCase(fixtureOptions{}))
	d, err := ReadDocument(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := writeJSON(&again, d); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, again.Bytes()) {
		t.Errorf("round trip differs:\n%s", linediff.Diff(string(out), again.String()))
	}
	var text1, text2 bytes.Buffer
	_ = writeText(&text1, NewDocument(attackCase(fixtureOptions{}), goldenOptions()), goldenOptions())
	_ = writeText(&text2, d, goldenOptions())
	if text1.String() != text2.String() {
		t.Errorf("text from a read-back document differs:\n%s", linediff.Diff(text1.String(), text2.String()))
	}
	if _, err := ReadDocument(strings.NewReader(`{"schema":"auditchain.report/v2"}`)); err == nil {
		t.Error("ReadDocument accepts another schema version")
	}
	if _, err := ReadDocument(strings.NewReader(`not json`)); err == nil {
		t.Error("ReadDocument accepts garbage")
	}
}

// TestHTMLStatic checks the HTML without a browser: the hostile text is
// escaped, the only link targets are ours, and the CSP hashes match the
// inline style and script exactly.
func TestHTMLStatic(t *testing.T) {
	out := string(render(t, "html", goldenOptions(), attackCase(fixtureOptions{})))
	for _, bad := range []string{"<script>window.__pwned", "<img src=x", "<b>compromise", `href="javascript:`, "\x1b", "\a", "\u202e"} {
		if strings.Contains(out, bad) {
			t.Errorf("HTML contains %q at %q", bad, around(out, bad))
		}
	}
	if m := regexp.MustCompile(`(?i)<[a-z][^>]*\s(src|action|data|srcset|poster)\s*=`).FindString(out); m != "" {
		t.Errorf("HTML loads something: %q at %q", m, around(out, m))
	}
	for _, href := range regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(out, -1) {
		if u := href[1]; !strings.HasPrefix(u, "#") && !strings.HasPrefix(u, "https://attack.mitre.org/techniques/T") {
			t.Errorf("unexpected link %q", u)
		}
	}
	if !strings.Contains(out, `href="https://attack.mitre.org/techniques/T1059/004/"`) {
		t.Error("no ATT&CK link for T1059.004")
	}
	csp := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]*)">`).FindStringSubmatch(out)
	if csp == nil {
		t.Fatal("no CSP meta")
	}
	for _, tag := range []string{"style", "script"} {
		m := regexp.MustCompile(`(?s)<`+tag+`>(.*?)</`+tag+`>`).FindAllStringSubmatch(out, -1)
		if len(m) != 1 {
			t.Fatalf("want one inline <%s>, got %d", tag, len(m))
		}
		sum := sha256.Sum256([]byte(m[0][1]))
		want := tag + "-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
		if !strings.Contains(html.UnescapeString(csp[1]), want) {
			t.Errorf("CSP %q lacks %q", csp[1], want)
		}
	}
	if !strings.HasPrefix(html.UnescapeString(csp[1]), "default-src 'none';") {
		t.Errorf("CSP %q does not default to 'none'", csp[1])
	}
	if strings.Contains(out, " style=") || strings.Contains(out, " onclick=") {
		t.Error("inline style or handler attributes would be blocked by the CSP")
	}
}

func TestAttackURL(t *testing.T) {
	for id, want := range map[string]string{
		"T1059.004":           "https://attack.mitre.org/techniques/T1059/004/",
		"T1095":               "https://attack.mitre.org/techniques/T1095/",
		"T1059.04":            "",
		"javascript:alert(1)": "",
		"T1059/../../evil":    "",
		"T10591":              "",
	} {
		if got := attackURL(id); got != want {
			t.Errorf("attackURL(%q) = %q, want %q", id, got, want)
		}
	}
}

// TestTreeLimit: a chain's tree is cut at Options.TreeLimit and says so.
func TestTreeLimit(t *testing.T) {
	d := NewDocument(attackCase(fixtureOptions{}), Options{TreeLimit: 5})
	ch := d.Chains[0]
	if len(ch.Tree) > 5 || !ch.TreeTruncated {
		t.Errorf("tree of %d nodes, truncated %v; want at most 5 and truncated", len(ch.Tree), ch.TreeTruncated)
	}
}

// TestCSV: every event of the chain is a row, the required Timesketch
// columns lead, and formulas are defused.
func TestCSV(t *testing.T) {
	out := string(render(t, "csv", goldenOptions(), attackCase(fixtureOptions{})))
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if !strings.HasPrefix(lines[0], "message,datetime,timestamp,timestamp_desc,") {
		t.Errorf("header %q", lines[0])
	}
	for _, want := range []string{
		"connect 203.0.113.7:4444",     // a related event
		"exec tar czf /tmp/.d.tgz",     // staging, related to the upload
		"process sleep[1251] sleep 60", // a chain process without a finding
		"IOC address 203.0.113.7:8080", // an IOC row
	} {
		if !strings.Contains(out, want) {
			t.Errorf("CSV lacks %q", want)
		}
	}
	if csvSafe("=cmd|' /C calc'!A0") != "'=cmd|' /C calc'!A0" || csvSafe("/bin/sh") != "/bin/sh" {
		t.Error("csvSafe does not defuse formulas")
	}
	for _, c := range out {
		if c < 0x20 && c != '\n' && c != '\r' || c == 0x7f {
			t.Errorf("CSV holds control character %#x", c)
			break
		}
	}
	if got, want := csvRaw("a=1\x1dUID=\"root\"\ntype=X \x1b[2J"), "a=1\\x1dUID=\"root\"\ntype=X \\x1b[2J"; got != want {
		t.Errorf("csvRaw = %q, want %q", got, want)
	}
}

// TestNDJSON: one JSON object per line with the ECS names.
func TestNDJSON(t *testing.T) {
	out := render(t, "ndjson", goldenOptions(), attackCase(fixtureOptions{}))
	alerts := 0
	for _, line := range bytes.Split(bytes.TrimSpace(out), []byte("\n")) {
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		ev := m["event"].(map[string]any)
		if ev["kind"] == "alert" {
			alerts++
			for _, k := range []string{"@timestamp", "rule", "auditchain", "host"} {
				if m[k] == nil {
					t.Errorf("%s lacks %s", ev["id"], k)
				}
			}
		}
	}
	if alerts != 8 {
		t.Errorf("%d alert lines, want 8", alerts)
	}
}

// TestJSONLayoutEquivalent: the one-element-per-line layout holds exactly
// what encoding/json writes for the same Document.
func TestJSONLayoutEquivalent(t *testing.T) {
	for _, c := range []*Case{attackCase(fixtureOptions{}), {}} {
		d := NewDocument(c, goldenOptions())
		var ours bytes.Buffer
		if err := writeJSON(&ours, d); err != nil {
			t.Fatal(err)
		}
		theirs, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		var a, b any
		if err := json.Unmarshal(ours.Bytes(), &a); err != nil {
			t.Fatalf("our layout is not JSON: %v", err)
		}
		if err := json.Unmarshal(theirs, &b); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("the layouts differ in content")
		}
	}
}

// TestVerboseEvidenceOnce: with -v each evidence location is named once,
// above the records it quotes, not also in a list before them.
func TestVerboseEvidenceOnce(t *testing.T) {
	opts := goldenOptions()
	opts.Verbose = true
	c := attackCase(fixtureOptions{})
	out := string(render(t, "text", opts, c))
	d := NewDocument(c, opts)
	for _, f := range d.Findings {
		for _, e := range f.Evidence {
			loc := e.File + ":" + strconv.Itoa(e.Line)
			for _, line := range strings.Split(out, "\n") {
				line = strings.TrimSpace(line)
				if line == loc || (strings.HasPrefix(line, "evidence: ") && strings.Contains(line, ", ")) {
					t.Fatalf("%s: location listed apart from its records: %q", f.ID, line)
				}
			}
		}
	}
	if !strings.Contains(out, "evidence: ") || !strings.Contains(out, "  │ type=") {
		t.Error("verbose text quotes no evidence")
	}
}

// TestLinksCut: a chain's links are listed up to maxTextLinks without -v,
// with the count of the rest; -v lists them all.
func TestLinksCut(t *testing.T) {
	c := attackCase(fixtureOptions{})
	for i := range 30 {
		c.Chains[0].Links = append(c.Chains[0].Links, "file: /tmp/x"+strconv.Itoa(i))
	}
	total := len(c.Chains[0].Links)
	short := string(render(t, "text", goldenOptions(), c))
	if n := strings.Count(short, "\n    - "); n > maxTextLinks+5 || !strings.Contains(short, "more links (-v lists them all") {
		t.Errorf("without -v: %d list lines, cut note %v", n, strings.Contains(short, "more links"))
	}
	opts := goldenOptions()
	opts.Verbose = true
	long := string(render(t, "text", opts, c))
	for _, l := range c.Chains[0].Links {
		if !strings.Contains(long, "    - "+l+"\n") {
			t.Fatalf("-v lacks link %q of %d", l, total)
		}
	}
}

// TestIOCsHuntable: an IOC is something to hunt elsewhere. The victim's
// own audit rule names and its own listening sockets are not; a connect's
// and an accept's peer are.
func TestIOCsHuntable(t *testing.T) {
	peer := parser.Addr{Family: "inet", IP: "203.0.113.7", Port: 4444}
	for _, tc := range []struct {
		kind parser.Kind
		want bool
	}{{parser.KindConnect, true}, {parser.KindAccept, true}, {parser.KindBind, false}} {
		ev := &parser.Event{Kind: tc.kind, Peer: peer, Key: "network_connect_4"}
		got := false
		for _, ioc := range eventIOCs(ev) {
			if ioc[0] == "audit-key" {
				t.Errorf("%v: audit key %q is an IOC", tc.kind, ioc[1])
			}
			if ioc[0] == IOCAddress && ioc[1] == peer.String() {
				got = true
			}
		}
		if got != tc.want {
			t.Errorf("%v: address IOC %v, want %v", tc.kind, got, tc.want)
		}
	}
}
