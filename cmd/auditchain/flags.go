package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser"
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
	opts    parser.Options
}

// resolve finds the inputs. It fails (exit 2) only when no input at all can
// be read; skipped paths are reported on stderr.
func (f *inputFlags) resolve(e *env, paths []string) (*evidence, error) {
	opts := parser.Options{Host: f.host}
	f.limits.apply(&opts)
	passwd, group := f.passwd, f.group
	if f.root != "" {
		found, pw, gr, err := parser.FindEvidence(f.root)
		if err != nil {
			return nil, usagef("%v", err)
		}
		paths = append(paths, found...)
		if passwd == "" {
			passwd = pw
		}
		if group == "" {
			group = gr
		}
	}
	if len(paths) == 0 {
		return nil, usagef("no input: give log files, folders, globs or - for stdin (or --root DIR)")
	}
	var err error
	if passwd != "" {
		if opts.Users, err = parser.ReadIDFile(passwd); err != nil {
			return nil, usagef("--passwd: %v", err)
		}
	}
	if group != "" {
		if opts.Groups, err = parser.ReadIDFile(group); err != nil {
			return nil, usagef("--group: %v", err)
		}
	}
	for _, s := range f.skew {
		k, v, ok := strings.Cut(s, "=")
		d, err := time.ParseDuration(v)
		if !ok || err != nil {
			return nil, usagef("--clock-skew %q: want SOURCE=DURATION, e.g. access-log=-2s", s)
		}
		if opts.ClockSkew == nil {
			opts.ClockSkew = map[string]time.Duration{}
		}
		opts.ClockSkew[k] = d
	}
	ins, skipped := parser.Resolve(paths, e.stdin)
	reportSkipped(e.stderr, skipped)
	if len(ins) == 0 {
		return nil, usagef("no readable input among %d path(s)", len(paths))
	}
	return &evidence{inputs: ins, skipped: skipped, opts: opts}, nil
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
		if in.Errors.Total == 0 && in.Duplicates == 0 {
			continue
		}
		if in.Malformed > 0 || in.Errors.Total > 0 {
			fmt.Fprintf(w, "auditchain: %s: %d of %d records skipped or damaged\n", in.Path, max(in.Malformed, in.Errors.Total), in.Records)
		}
		for _, err := range in.Errors.List {
			fmt.Fprintf(w, "  %v\n", err)
		}
		if more := in.Errors.Total - len(in.Errors.List); more > 0 {
			fmt.Fprintf(w, "  … and %d more\n", more)
		}
		if in.Duplicates > 0 {
			fmt.Fprintf(w, "auditchain: %s: %d events already read from an overlapping file, skipped\n", in.Path, in.Duplicates)
		}
	}
}
