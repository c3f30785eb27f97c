package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser"
	"github.com/auditchain/auditchain/report"
	"github.com/spf13/pflag"
)

// flagGroup is a titled set of flags, printed as one block in --help
// (Trivy's Flags.Usages).
type flagGroup struct {
	title string
	fs    *pflag.FlagSet
}

func newGroup(title string) *flagGroup {
	return &flagGroup{title: title, fs: pflag.NewFlagSet(title, pflag.ContinueOnError)}
}

// newCommandFlags joins the groups into one FlagSet for a subcommand whose
// --help prints the synopsis, then each group under its title.
func newCommandFlags(e *env, name, synopsis string, groups ...*flagGroup) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SortFlags = false
	fs.SetOutput(e.stderr)
	for _, g := range groups {
		g.fs.SortFlags = false
		fs.AddFlagSet(g.fs)
	}
	fs.Usage = func() {
		w := e.stdout
		fmt.Fprintf(w, "Usage: auditchain %s\n", strings.TrimSpace(synopsis))
		for _, g := range groups {
			fmt.Fprintf(w, "\n%s:\n%s", g.title, g.fs.FlagUsagesWrapped(100))
		}
	}
	return fs
}

// inputFlags are the flags of every command that reads evidence.
type inputFlags struct {
	root     string
	host     string
	passwd   string
	group    string
	skew     []string
	since    string
	until    string
	hostSel  string
	contSel  string
	tz       string
	filesLog io.Writer
	limits   inputLimits // inputlimits.go
	// context are files the run reads for what they say (--audit-rules,
	// --allowlist): found again in a folder of logs, they are used, not
	// "skipped as not a log format".
	context []string
}

func (f *inputFlags) group_() *flagGroup {
	g := newGroup("Input")
	g.fs.StringVar(&f.root, "root", "", "a mounted evidence image `DIR`: find var/log/audit, container logs, etc/passwd and etc/group in it")
	g.fs.StringVar(&f.host, "node-name", "", "host `NAME` for records without node= (the machine the logs come from)")
	g.fs.StringVar(&f.passwd, "passwd", "", "the evidence's /etc/passwd `FILE`, to name uids (never the analyst's own)")
	g.fs.StringVar(&f.group, "group", "", "the evidence's /etc/group `FILE`")
	g.fs.StringArrayVar(&f.skew, "clock-skew", nil, "shift a source's times: `SOURCE=DURATION` (SOURCE is a format such as access-log, or a path), e.g. access-log=-2s")
	f.limits.addFlags(g)
	return g
}

func (f *inputFlags) filterGroup() *flagGroup {
	g := newGroup("Filter")
	g.fs.StringVar(&f.since, "since", "", "only from `TIME`: RFC3339, or a duration counted back from the newest event (2h)")
	g.fs.StringVar(&f.until, "until", "", "only until `TIME`: RFC3339, or a duration counted back from the newest event")
	g.fs.StringVar(&f.hostSel, "host", "", "only host `NAME` (its node= name, or --node-name)")
	g.fs.StringVar(&f.contSel, "container", "", "only processes of the container whose id starts with, or whose name is, `ID`")
	g.fs.StringVar(&f.tz, "tz", "UTC", "time zone of times in text and HTML (`ZONE`, e.g. Europe/Berlin or Local); JSON stays UTC")
	return g
}

// evidence is what the input step produced.
type evidence struct {
	inputs  []*parser.Input
	skipped []parser.SkippedInput
	// context are the files read for names (passwd, group), listed in
	// the report's inputs with their hashes.
	context []*parser.Input
	opts    parser.Options
}

// reads are the paths a run reads, for checkOutput.
func (f *inputFlags) reads(args []string) []string {
	return append(append([]string(nil), args...), f.root, f.passwd, f.group)
}

// resolve finds the inputs. It fails (exit 2) only when no input at all can
// be read; skipped paths are reported on stderr.
func (f *inputFlags) resolve(e *env, paths []string) (*evidence, error) {
	ev := &evidence{opts: parser.Options{Host: f.host}}
	f.limits.apply(&ev.opts)
	var img *parser.Image
	if f.root != "" {
		var err error
		if img, err = parser.OpenImage(f.root); err != nil {
			return nil, usagef("%v", err)
		}
	}
	if len(paths) == 0 && img == nil {
		return nil, usagef("no input: give log files, folders, globs or - for stdin (or --root DIR)")
	}
	var err error
	if ev.opts.Users, err = ev.idFile(img, f.passwd, "etc/passwd", parser.FormatPasswd); err != nil {
		return nil, usagef("--passwd: %v", err)
	}
	if ev.opts.Groups, err = ev.idFile(img, f.group, "etc/group", parser.FormatGroup); err != nil {
		return nil, usagef("--group: %v", err)
	}
	for _, s := range f.skew {
		k, v, ok := strings.Cut(s, "=")
		d, err := time.ParseDuration(v)
		if !ok || err != nil {
			return nil, usagef("--clock-skew %q: want SOURCE=DURATION, e.g. access-log=-2s", s)
		}
		if ev.opts.ClockSkew == nil {
			ev.opts.ClockSkew = map[string]time.Duration{}
		}
		ev.opts.ClockSkew[k] = d
	}
	var ins []*parser.Input
	var skipped []parser.SkippedInput
	if img != nil {
		ins, skipped, err = parser.ResolveImage(img, paths, e.stdin)
	} else {
		ins, skipped = parser.Resolve(paths, e.stdin)
	}
	ev.skipped = append(ev.skipped, notContext(skipped, append([]string{f.passwd, f.group}, f.context...))...)
	reportSkipped(e.stderr, ev.skipped)
	if err != nil {
		return nil, usagef("%v", err)
	}
	if len(ins) == 0 {
		return nil, usagef("no readable input among %d path(s)", len(paths))
	}
	if err := parser.CheckClockSkew(ev.opts.ClockSkew, ins); err != nil {
		return nil, usagef("--clock-skew: %v", err)
	}
	ev.inputs = ins
	return ev, nil
}

// idFile reads the uid or gid names: the file given (--passwd, --group),
// else the image's own; never this machine's. An image's file that cannot
// be read is skipped with its reason; a file given must read.
func (ev *evidence) idFile(img *parser.Image, given, rel string, format parser.Format) (map[uint32]string, error) {
	var b []byte
	var in *parser.Input
	var err error
	switch {
	case given != "":
		if b, in, err = parser.ContextFile(given, format); err != nil {
			return nil, fmt.Errorf("%s: %w", given, err)
		}
	case img != nil:
		if b, in, err = img.ContextFile(rel, format); err != nil {
			ev.skipped = append(ev.skipped, parser.SkippedInput{Path: filepath.Join(img.Dir, rel), Reason: err.Error()})
			return nil, nil
		}
	}
	if in == nil {
		return nil, nil
	}
	m, err := parser.ParseIDFile(in.Path, bytes.NewReader(b))
	if err != nil {
		if given == "" {
			ev.skipped = append(ev.skipped, parser.SkippedInput{Path: in.Path, Reason: err.Error()})
			return nil, nil
		}
		return nil, err
	}
	ev.context = append(ev.context, in)
	return m, nil
}

// reportSkipped says which paths were not read and why. Files of a folder
// that are not logs (a README, a rules file) are named on one line per
// reason, so that a folder of evidence does not bury the real problems.
func reportSkipped(w io.Writer, skipped []parser.SkippedInput) {
	var order []string
	byReason := map[string][]string{}
	for _, s := range skipped {
		if _, ok := byReason[s.Reason]; !ok {
			order = append(order, s.Reason)
		}
		byReason[s.Reason] = append(byReason[s.Reason], s.Path)
	}
	for _, r := range order {
		ps := byReason[r]
		for i, p := range ps {
			ps[i] = report.Sanitize(p) // a name may hold a newline or an escape
		}
		if len(ps) == 1 {
			fmt.Fprintf(w, "auditchain: %s: %s\n", ps[0], r)
			continue
		}
		fmt.Fprintf(w, "auditchain: %d files skipped, %s: %s\n", len(ps), r, strings.Join(ps, ", "))
	}
}

// location parses --tz.
func (f *inputFlags) location() (*time.Location, error) {
	if f.tz == "" || f.tz == "UTC" {
		return time.UTC, nil
	}
	if f.tz == "Local" {
		return time.Local, nil
	}
	loc, err := time.LoadLocation(f.tz)
	if err != nil {
		return nil, usagef("--tz %q: %v", f.tz, err)
	}
	return loc, nil
}

// checkWindow rejects a malformed --since/--until before any input is read.
func (f *inputFlags) checkWindow() error {
	_, _, err := f.window(time.Unix(0, 0))
	return err
}

// window turns --since/--until into times; durations count back from the
// newest event of the inputs, never from the analyst's clock.
func (f *inputFlags) window(newest time.Time) (since, until time.Time, err error) {
	parse := func(name, v string) (time.Time, error) {
		if v == "" {
			return time.Time{}, nil
		}
		if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
			return t.UTC(), nil
		}
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return time.Time{}, usagef("--%s %q: want RFC3339 (2026-11-25T20:15:00Z) or a duration (2h)", name, v)
		}
		return newest.Add(-d), nil
	}
	if since, err = parse("since", f.since); err != nil {
		return
	}
	until, err = parse("until", f.until)
	return
}

// reportInputProblems prints each input's skipped records (the first few,
// with file:line) so that nothing is lost silently.
func reportInputProblems(w io.Writer, ins []*parser.Input) {
	for _, in := range ins {
		if in.Errors.Total == 0 && in.Duplicates == 0 && in.OrderNote == "" {
			continue
		}
		if in.Malformed > 0 || in.Errors.Total > 0 {
			fmt.Fprintf(w, "auditchain: %s: %d of %d records skipped or damaged\n", report.Sanitize(in.Path), max(in.Malformed, in.Errors.Total), in.Records)
		}
		for _, err := range in.Errors.List {
			fmt.Fprintf(w, "  %s\n", report.Sanitize(err.Error()))
		}
		if more := in.Errors.Total - len(in.Errors.List); more > 0 {
			fmt.Fprintf(w, "  … and %d more\n", more)
		}
		if in.OrderNote != "" {
			fmt.Fprintf(w, "auditchain: %s: %s\n", in.Path, in.OrderNote)
		}
		if in.Duplicates > 0 {
			fmt.Fprintf(w, "auditchain: %s: %d events already read from an overlapping file, skipped\n", report.Sanitize(in.Path), in.Duplicates)
		}
	}
}

// notContext drops from skipped the files the run reads as context
// (--passwd, --audit-rules …): they are listed among the inputs with their
// hash, and a note that they were skipped would contradict it.
func notContext(skipped []parser.SkippedInput, context []string) []parser.SkippedInput {
	var sts []os.FileInfo
	for _, c := range context {
		if c == "" {
			continue
		}
		if st, err := os.Stat(c); err == nil {
			sts = append(sts, st)
		}
	}
	if len(sts) == 0 {
		return skipped
	}
	out := skipped[:0:0]
next:
	for _, s := range skipped {
		if st, err := os.Stat(s.Path); err == nil {
			for _, c := range sts {
				if os.SameFile(st, c) {
					continue next
				}
			}
		}
		out = append(out, s)
	}
	return out
}

// reportFlags are the Report and Output flags scan and merge share: what
// goes in the report header and where the report goes. what names what a
// command writes ("report", "case") and from what it is made ("inputs",
// "reports"), for the help texts.
type reportFlags struct {
	format, out, failOn string
	caseName, examiner  string
	reproducible        bool
	verbose             bool
}

// groups returns the Report and Output groups.
func (r *reportFlags) groups(what, from string) (rep, out *flagGroup) {
	rep = newGroup("Report")
	rep.fs.StringVar(&r.caseName, "case", "", "case `NAME` for the report header")
	rep.fs.StringVar(&r.examiner, "examiner", "", "examiner `NAME` for the report header")
	rep.fs.BoolVar(&r.reproducible, "reproducible", false, "omit volatile fields (generation time, duration): same "+from+" give byte-identical output")
	rep.fs.BoolVarP(&r.verbose, "verbose", "v", false, "quote the raw evidence records (file:line) in the text report")
	out = newGroup("Output")
	out.fs.StringVar(&r.format, "format", "text", "`FORMAT`: text, json (auditchain.report/v1), ndjson (ECS), html, csv (Timesketch)")
	out.fs.StringVarP(&r.out, "output", "o", "", "write the "+what+" to `FILE` (its SHA-256 is printed on stderr)")
	out.fs.StringVar(&r.failOn, "fail-on", "high", "exit 1 when a finding has at least `SEVERITY`: informational, low, medium, high, critical or none")
	return rep, out
}

// wrote says on stderr where the report went and its SHA-256, when it
// went to a file.
func (r *reportFlags) wrote(e *env, sum string) {
	if r.out != "" && r.out != "-" {
		fmt.Fprintf(e.stderr, "auditchain: wrote %s sha256:%s\n", report.Sanitize(r.out), sum)
	}
}
