package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
)

// TextWriter writes the default report: a header that states what was read
// (inputs with SHA-256 and record counts, hosts, time range, skipped
// records) with coverage and tampering first, then each chain as a stage
// table, a timeline of its findings and the process tree around it, then
// the findings outside chains and the IOCs.
//
// Every attacker-controlled string passes through sanitize, so no control
// character (ESC included) from the evidence reaches the terminal. Colour
// codes are the writer's own and only appear with Options.Color.
type TextWriter struct {
	Options Options
}

// Write implements Writer.
func (tx *TextWriter) Write(w io.Writer, c *Case) error {
	return writeText(w, NewDocument(c, tx.Options), tx.Options)
}

// writeText renders a Document; Diff uses it on two documents read back
// from JSON, which is why the text report is made from the Document alone.
func writeText(w io.Writer, d *Document, opts Options) error {
	restoreBytes(d)
	t := &textRenderer{d: d, opts: opts, byID: findingIndex(d)}
	t.header()
	t.chains()
	t.outside()
	t.iocs()
	t.allowlisted()
	t.routine()
	_, err := w.Write(t.buf.Bytes())
	return err
}

type textRenderer struct {
	buf  bytes.Buffer
	d    *Document
	opts Options
	byID map[string]*DocFinding
}

// ANSI SGR codes used with Options.Color.
const (
	sgrBold   = "1"
	sgrDim    = "2"
	sgrRed    = "31"
	sgrYellow = "33"
	sgrCyan   = "36"
	sgrBright = "1;31"
)

// paint wraps s (already sanitized) in a colour when colour is on.
func (t *textRenderer) paint(code, s string) string {
	if !t.opts.Color || s == "" {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

func (t *textRenderer) sev(s string) string {
	code := sgrDim
	switch s {
	case "critical":
		code = sgrBright
	case "high":
		code = sgrRed
	case "medium":
		code = sgrYellow
	case "low":
		code = sgrCyan
	}
	return t.paint(code, sanitize(s))
}

func (t *textRenderer) printf(format string, args ...any) {
	fmt.Fprintf(&t.buf, format, args...)
}

func (t *textRenderer) heading(s string) {
	t.printf("\n%s\n%s\n", t.paint(sgrBold, s), strings.Repeat("─", len([]rune(s))))
}

// field prints an aligned "Name: value" header line; value is sanitized.
func (t *textRenderer) field(name, value string) {
	if value == "" {
		return
	}
	t.printf("%-12s %s\n", name+":", sanitize(value))
}

// table renders rows with tablewriter. Cells are sanitized here, before
// tablewriter sees them: a tab or newline inside a cell would otherwise
// break the table's lines.
func (t *textRenderer) table(header []string, rows [][]string, indent string) {
	var b bytes.Buffer
	tb := tablewriter.NewTable(&b,
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderAutoWrap(tw.WrapNone),
		tablewriter.WithTrimSpace(tw.Off),
	)
	tb.Header(anySlice(header)...)
	for _, r := range rows {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = sanitize(c)
		}
		_ = tb.Append(cells) // errors only on a column-count mismatch, which rows here cannot have
	}
	if err := tb.Render(); err != nil {
		t.printf("%s(table: %v)\n", indent, err)
		return
	}
	for _, line := range strings.SplitAfter(b.String(), "\n") {
		if line != "" {
			t.printf("%s%s", indent, line)
		}
	}
}

func anySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func (t *textRenderer) header() {
	d := t.d
	title := "auditchain evidence report"
	if d.Case != nil && d.Case.Name != "" {
		title += " — " + sanitize(d.Case.Name)
	}
	t.printf("%s\n%s\n", t.paint(sgrBold, title), strings.Repeat("═", len([]rune(title))))
	if d.Case != nil {
		t.field("Case", d.Case.Name)
		t.field("Examiner", d.Case.Examiner)
	}
	t.field("Tool", strings.TrimSpace(d.Tool.Name+" "+d.Tool.Version))
	t.field("Rules", d.Tool.RulesVersion)
	t.ruleSet()
	t.field("Binary", d.Tool.BinarySHA256)
	t.field("Command", shellJoin(d.CommandLine))
	if !d.GeneratedAt.IsZero() {
		t.field("Generated", fmtTime(d.GeneratedAt, t.opts.tz()))
	}
	t.field("Hosts", strings.Join(d.Hosts, ", "))
	if !d.FirstTime.IsZero() {
		t.field("Time range", fmtTime(d.FirstTime, t.opts.tz())+" → "+fmtTime(d.LastTime, t.opts.tz())+
			" ("+d.LastTime.Sub(d.FirstTime).String()+")")
	}
	t.filter()
	t.printf("%-12s %s\n", "Summary:", t.summary())

	t.tampering()
	t.summarySection()
	t.coverage()
	t.inputs()
}

func (t *textRenderer) summary() string {
	counts := map[string]int{}
	for _, f := range t.d.Findings {
		counts[f.Severity]++
	}
	var parts []string
	for _, s := range []string{"critical", "high", "medium", "low", "informational"} {
		if n := counts[s]; n > 0 {
			parts = append(parts, strconv.Itoa(n)+" "+t.sev(s))
		}
	}
	st := t.d.Stats
	if st.FailedAttempts > 0 {
		parts = append(parts, plural(st.FailedAttempts, "failed attempt"))
	}
	s := plural(len(t.d.Findings), "finding") + ", one per act"
	if len(parts) > 0 {
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	// two lists: the IOC table (from the findings' records) and the key
	// IOCs of the summary, which adds the requests' clients and URLs
	s += " in " + plural(len(t.d.Chains), "chain") + ", " + plural(len(t.d.IOCs), "IOC") + " from the findings' records"
	if t.d.Summary != nil && len(t.d.Summary.KeyIOCs) > 0 {
		s += ", " + plural(len(t.d.Summary.KeyIOCs), "key IOC")
	}
	if a := t.d.Allowlisted; a != nil {
		s += ", " + plural(a.Total, "rule match") + " allowlisted"
	}
	if n := routineFindings(t.d.Routine); n > 0 {
		s += ", " + plural(n, "routine finding") + " demoted"
	}
	s += "; " + plural(st.Events, "event") + ", " + plural(st.Processes, "process") + ", " +
		plural(st.Malformed, "malformed record")
	return s
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if strings.HasSuffix(word, "s") {
		return strconv.Itoa(n) + " " + word + "es"
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// tampering comes first: signs that the evidence itself was touched change
// how everything after it must be read.
func (t *textRenderer) tampering() {
	var lines []string
	for _, s := range t.d.Coverage.Tampering {
		lines = append(lines, sanitize(s))
	}
	for _, f := range t.d.Findings {
		if f.Tampering {
			lines = append(lines, fmt.Sprintf("%s %s [%s] %s: %s", fmtTime(f.Time, t.opts.tz()), f.ID,
				t.sev(f.Severity), sanitize(f.Title), sanitize(f.Summary)))
		}
	}
	if len(lines) == 0 {
		return
	}
	t.heading("TAMPERING — the evidence shows signs of being altered")
	for _, l := range lines {
		t.printf("  %s %s\n", t.paint(sgrBright, "!"), l)
	}
}

func (t *textRenderer) coverage() {
	cv := t.d.Coverage
	t.heading("Coverage")
	src := "unknown (no CONFIG_CHANGE records and no --audit-rules): absence of evidence proves little"
	switch cv.RulesSource {
	case "log":
		src = "from the log (CONFIG_CHANGE add_rule records)"
	case "file":
		src = "from --audit-rules"
	}
	t.printf("  %-12s %s\n", "audit rules:", src)
	t.printf("  %-12s %s\n", "syscalls:", orNone(sanitize(strings.Join(cv.Syscalls, ", "))))
	t.printf("  %-12s %s\n", "watches:", sanitize(cv.WatchesText()))
	if cv.Rules > 0 || len(cv.RuleKeys) > 0 {
		t.printf("  %-12s %d in force; keys %s\n", "rules:", cv.Rules, orNone(sanitize(strings.Join(cv.RuleKeys, ", "))))
	}
	for _, n := range cv.Notes {
		t.printf("  %-12s %s\n", "note:", sanitize(n))
	}
	for _, s := range cv.Servers {
		t.printf("  %-12s %s pid %d (%s) %s\n", "server:", sanitize(s.Image), s.PID, orNone(sanitize(s.User)), sanitize(s.Describe))
	}
	al := "no — stages 1–3 rest on audit records alone"
	if cv.AccessLog {
		al = "yes"
	}
	t.printf("  %-12s %s\n", "access log:", al)
	var hidden []string
	for _, ch := range t.d.Chains {
		for _, s := range ch.Stages {
			if s.Visibility == "not-visible" && !containsString(hidden, s.StageID) {
				hidden = append(hidden, s.StageID)
			}
		}
	}
	if len(hidden) > 0 {
		t.printf("  %-12s %s\n", "not visible:", strings.Join(hidden, ", "))
	}
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func containsString(ss []string, s string) bool {
	for _, v := range ss {
		if v == s {
			return true
		}
	}
	return false
}

func (t *textRenderer) inputs() {
	d := t.d
	t.heading("Inputs (" + strconv.Itoa(len(d.Inputs)) + ")")
	rows := make([][]string, 0, len(d.Inputs))
	for _, in := range d.Inputs {
		format := in.Format
		if in.Compression != "" {
			format += "+" + in.Compression
		}
		rows = append(rows, []string{in.Path, format, in.SHA256, humanBytes(in.Bytes),
			strconv.Itoa(in.Records), strconv.Itoa(in.Malformed),
			fmtTime(in.FirstTime, t.opts.tz()), fmtTime(in.LastTime, t.opts.tz())})
	}
	if len(rows) > 0 {
		t.table([]string{"path", "format", "sha256", "size", "records", "malformed", "first", "last"}, rows, "  ")
	}
	var skipped []string
	for _, s := range d.SkippedInputs {
		skipped = append(skipped, sanitize(s.Path)+": "+sanitize(s.Reason))
	}
	for _, in := range d.Inputs {
		for _, e := range in.Errors {
			skipped = append(skipped, sanitize(e.File)+":"+strconv.Itoa(e.Line)+": "+sanitize(e.Message))
		}
		if more := in.Malformed - len(in.Errors); more > 0 && len(in.Errors) > 0 {
			skipped = append(skipped, sanitize(in.Path)+": … and "+plural(more, "more malformed record"))
		}
	}
	for _, in := range d.Inputs {
		if in.OrderNote != "" {
			t.printf("  order: %s: %s\n", sanitize(in.Path), t.paint(sgrYellow, sanitize(in.OrderNote)))
		}
	}
	if len(skipped) > 0 {
		t.printf("  Skipped:\n")
		for _, s := range skipped {
			t.printf("    %s\n", s)
		}
	}
}

func (t *textRenderer) chains() {
	for _, ch := range t.d.Chains {
		t.chain(&ch)
	}
}

func (t *textRenderer) chain(ch *DocChain) {
	title := "Chain " + ch.ID + " — " + HostLabel(ch.Host)
	if ch.ContainerID != "" {
		title += ", container " + shortContainer(ch.ContainerID)
		if ch.Container != nil && ch.Container.Name != "" {
			title += " (" + ch.Container.Name + ")"
		}
	}
	t.heading(sanitize(title))
	t.printf("  severity %s, score %d%s, %s → %s, %s\n", t.sev(ch.Severity), ch.Score, t.scoreParts(ch.ID),
		fmtTime(ch.FirstSeen, t.opts.tz()), fmtTime(ch.LastSeen, t.opts.tz()), plural(len(ch.FindingIDs), "act"))

	rows := make([][]string, 0, 8)
	for _, s := range ch.Stages {
		what, n := t.stageWhat(s)
		rows = append(rows, []string{strconv.Itoa(s.Stage), s.StageID, stageVerdict(s),
			fmtTime(s.FirstSeen, t.opts.tz()), what, strconv.Itoa(n)})
	}
	t.printf("\n")
	t.table([]string{"#", "stage", "observed", "first seen", "what", "acts"}, rows, "  ")
	for _, s := range ch.Stages {
		if s.Observed && s.Confidence == "inferred" && s.Reason != "" {
			t.printf("  stage %d inferred: %s\n", s.Stage, sanitize(s.Reason))
		}
	}

	t.printf("\n  %s\n", t.paint(sgrBold, "Timeline"))
	for _, id := range ch.FindingIDs {
		if f := t.byID[id]; f != nil {
			t.finding(f, "    ")
		}
	}
	if len(ch.Requests) > 0 {
		t.printf("\n  %s\n", t.paint(sgrBold, "Requests and what they caused"))
		for _, r := range ch.Requests {
			if len(r.Candidates) > 0 && r.Method == "" {
				t.printf("    %s  (ambiguous: %d candidates)\n", fmtTime(r.Time, t.opts.tz()), len(r.Candidates))
				for _, c := range r.Candidates {
					t.printf("        ? %s  %s %s → %d from %s\n", fmtTime(c.Time, t.opts.tz()), sanitize(c.Method), t.argv(c.URL), c.Status, sanitize(c.Client))
				}
			} else {
				t.printf("    %s  %s %s → %d from %s\n", fmtTime(r.Time, t.opts.tz()), sanitize(r.Method),
					t.argv(r.URL), r.Status, sanitize(r.Client))
			}
			caused := ""
			switch {
			case r.File != "":
				caused = "wrote " + sanitize(r.File)
			case r.PID > 0:
				caused = "spawned " + procLabel(sanitize(baseName(r.Exe)), r.PID) + " " + t.argv(shellJoin(r.Args))
			}
			if caused != "" {
				t.printf("        ⇒ %s (%s)\n", caused, requestLinkNote(r))
			}
		}
	}
	if len(ch.Tree) > 0 {
		t.printf("\n  %s\n", t.paint(sgrBold, "Process tree (* = acting process of a finding)"))
		t.tree(ch)
	}
	if len(ch.Links) > 0 {
		t.printf("\n  %s\n", t.paint(sgrBold, "Linked by"))
		// Each finding also says its own link ("in this chain:"); the
		// list is the chain's whole account, long on a busy chain, so it
		// is cut unless -v asks for all of it.
		links := ch.Links
		if len(links) > maxTextLinks && !t.opts.Verbose {
			links = links[:maxTextLinks]
		}
		for _, l := range links {
			t.printf("    - %s\n", sanitize(l))
		}
		if more := len(ch.Links) - len(links); more > 0 {
			t.printf("    … and %d more links (-v lists them all; the JSON report has every one)\n", more)
		}
	}
}

// maxTextLinks is how many of a chain's links the text report lists
// without -v.
const maxTextLinks = 10

// stageWhat names what put a chain in a stage (the distinct titles of its
// findings, shortened for the table) and counts its acts: its findings
// (one per act, so the rows add up to the chain's count), or for a stage
// seen only in the access log its requests with evidence. Records are not
// counted: one act has several (a syscall, its exec, its connect).
func (t *textRenderer) stageWhat(s DocStage) (string, int) {
	var titles []string
	n := 0
	for _, id := range s.FindingIDs {
		f := t.byID[id]
		if f == nil {
			continue
		}
		n++
		if !containsString(titles, f.Title) {
			titles = append(titles, f.Title)
		}
	}
	for _, r := range s.Requests {
		if r.Evidence != nil && len(titles) == 0 {
			n++
		}
	}
	what := strings.Join(titles, "; ")
	if what == "" && len(s.Requests) > 0 {
		what = s.Requests[0].Method + " " + s.Requests[0].URL
	}
	if what == "" && s.Observed {
		what = s.Reason
	}
	return ellipsize(sanitize(what), 60), n
}

func (t *textRenderer) finding(f *DocFinding, indent string) {
	stage := "stage -"
	if f.Stage > 0 {
		stage = "stage " + strconv.Itoa(f.Stage) + " " + f.StageID
	}
	t.printf("%s%s  %s %-8s %s  %s\n", indent, fmtTime(f.Time, t.opts.tz()), f.ID, t.sev(f.Severity),
		stage, t.paint(sgrBold, sanitize(f.Title)))
	sub := indent + "    "
	t.printf("%s%s\n", sub, t.argv(f.Summary))
	if p := f.Process; p != nil {
		who := sanitize(account(p))
		if who == "" {
			who = orDash(sanitize(p.User))
		}
		line := "pid " + strconv.Itoa(p.PID) + " as " + who
		if p.Cwd != "" {
			line += " cwd " + sanitize(p.Cwd)
		}
		if p.ContainerID != "" || p.ContainerName != "" {
			line += " container " + sanitize(strings.TrimSpace(shortContainer(p.ContainerID)+" "+p.ContainerName))
		}
		if len(p.Ancestors) > 0 {
			var chain []string
			for i, a := range p.Ancestors {
				if i == 4 {
					chain = append(chain, "…")
					break
				}
				chain = append(chain, sanitize(ancestorLabel(a)))
			}
			line += " ← " + strings.Join(chain, " ← ")
		}
		t.printf("%s%s\n", sub, line)
	}
	if len(f.RuleIDs) > 1 {
		t.printf("%srules: %s\n", sub, sanitize(strings.Join(f.RuleIDs, ", ")))
	}
	if len(f.Attack) > 0 {
		t.printf("%sATT&CK %s\n", sub, sanitize(strings.Join(f.Attack, ", ")))
	}
	t.printf("%swhy suspicious: %s\n", sub, sanitize(whySuspicious(f)))
	if f.Reason != "" {
		t.printf("%sstage: %s\n", sub, sanitize(stageWhy(f)))
	}
	if f.ChainLink != "" {
		t.printf("%sin this chain: %s\n", sub, sanitize(f.ChainLink))
	}
	// Verbose quotes each record under its location, so the one-line list
	// of locations would only say the same again.
	if t.opts.Verbose {
		for _, e := range f.Evidence {
			t.printf("%sevidence: %s:%d\n", sub, sanitize(e.File), e.Line)
			for _, line := range strings.Split(e.Raw, "\n") {
				t.printf("%s  │ %s\n", sub, sanitize(line))
			}
		}
		return
	}
	var pos []string
	for _, e := range f.Evidence {
		pos = append(pos, sanitize(e.File)+":"+strconv.Itoa(e.Line))
	}
	if len(pos) > 0 {
		t.printf("%sevidence: %s\n", sub, strings.Join(pos, ", "))
	}
}

// argv shortens a command line for one report line unless Verbose.
func (t *textRenderer) argv(s string) string {
	s = sanitize(s)
	if t.opts.Verbose {
		return s
	}
	return shorten(s, 160)
}

// tree draws the chain's process tree with box characters.
func (t *textRenderer) tree(ch *DocChain) {
	var draw func(n *treeNode, prefix, branch string)
	draw = func(n *treeNode, prefix, branch string) {
		mark := ""
		if n.Suspicious {
			mark = t.paint(sgrBright, "*") + " "
		}
		label := nodeLabel(sanitize(n.Name), n.PID)
		if n.Suspicious {
			label = t.paint(sgrBold, label)
		}
		line := label
		if n.User != "" {
			line += " (" + sanitize(n.User) + ")"
		}
		if len(n.Args) > 0 {
			line += " " + t.argv(shellJoin(n.Args)) + sanitize(inferredMark(n.Inferred, n.Reason))
		} else if n.Placeholder {
			line += " (" + placeholderNote(n.Name, len(n.Kids)+n.HiddenChildren) + ")"
		}
		if len(n.FindingIDs) > 0 {
			line += "  ◀ " + strings.Join(n.FindingIDs, " ")
		}
		if n.HiddenChildren > 0 {
			kids := strconv.Itoa(n.HiddenChildren) + " other children"
			if n.HiddenChildren == 1 {
				kids = "1 other child"
			}
			line += " " + t.paint(sgrDim, "(+"+kids+")")
		}
		t.printf("    %s%s%s%s\n", prefix, branch, mark, line)
		next := prefix
		switch branch {
		case "├─ ":
			next += "│  "
		case "└─ ":
			next += "   "
		}
		for i, k := range n.Kids {
			b := "├─ "
			if i == len(n.Kids)-1 {
				b = "└─ "
			}
			draw(k, next, b)
		}
	}
	for _, r := range nestTree(ch.Tree) {
		draw(r, "", "")
	}
	if ch.TreeTruncated {
		t.printf("    … (tree cut at %d processes)\n", len(ch.Tree))
	}
}

func (t *textRenderer) outside() {
	var fs []*DocFinding
	for i := range t.d.Findings {
		if f := &t.d.Findings[i]; f.ChainID == "" {
			fs = append(fs, f)
		}
	}
	if len(fs) == 0 {
		return
	}
	t.heading("Findings outside chains (" + strconv.Itoa(len(fs)) + ")")
	for _, f := range fs {
		t.finding(f, "  ")
	}
}

func (t *textRenderer) iocs() {
	if len(t.d.IOCs) == 0 {
		return
	}
	t.heading("Indicators of compromise (" + strconv.Itoa(len(t.d.IOCs)) + ")")
	rows := make([][]string, 0, len(t.d.IOCs))
	for _, ioc := range t.d.IOCs {
		ids := ioc.FindingIDs
		more := ""
		if len(ids) > 6 && !t.opts.Verbose { // a user seen in every finding would make the table unreadable
			ids, more = ids[:6], " (+"+strconv.Itoa(len(ioc.FindingIDs)-6)+" more)"
		}
		if ioc.Inferred {
			more += " (inferred)" // the reason is in the JSON and HTML: the table stays in 100 columns
		}
		rows = append(rows, []string{ioc.Type, shorten(sanitize(ioc.Value), 80),
			fmtTime(ioc.FirstSeen, t.opts.tz()), strings.Join(ids, " ") + more})
	}
	t.table([]string{"type", "value", "first seen", "findings"}, rows, "  ")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// shortContainer shortens a 64-hex container id to the 12 characters docker shows.
func shortContainer(id string) string {
	if len(id) == 64 {
		return id[:12]
	}
	return id
}

func baseName(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 && i < len(p)-1 {
		return p[i+1:]
	}
	if p == "" {
		return "?"
	}
	return p
}

// filter states the window applied and what a filter matched not at all,
// right under the time range the logs cover.
func (t *textRenderer) filter() {
	f := t.d.Filter
	if f == nil {
		return
	}
	t.field("Window", f.windowText(func(x time.Time) string { return fmtTime(x, t.opts.tz()) }))
	if f.Host != "" {
		t.field("Only host", f.Host)
	}
	if f.Container != "" {
		t.field("Only cont.", f.Container)
	}
	for _, n := range f.Notes {
		t.printf("%-12s %s\n", "Filter:", t.paint(sgrYellow, sanitize(n)))
	}
	for _, n := range f.Outliers {
		t.printf("%-12s %s\n", "Outlier:", t.paint(sgrYellow, sanitize(n)))
	}
}
