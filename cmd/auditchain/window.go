package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser"
	"github.com/auditchain/auditchain/report"
)

// evidenceSpan watches the events of a run for what the filters need: the
// newest time of the audit log, which durations in --since/--until count
// back from; records far beyond the rest of their input (one access-log line
// dated next year must not move the window off every record); and the
// containers seen, to name them when --container matches none.
type evidenceSpan struct {
	inputs     map[string]*inputSpan
	order      []string // input paths in first-seen order
	containers map[string]bool
	first      time.Time
	last       time.Time
}

// topTimes is how many of each input's newest records are kept to find
// outliers among them: more outliers than that in one input are taken as
// the input's real end.
const topTimes = 8

// maxListed bounds the values a "matches nothing" message lists.
const maxListed = 20

type inputSpan struct {
	audit bool
	first time.Time
	top   []stamped // newest first, at most topTimes
	n     int
}

type stamped struct {
	t    time.Time
	file string
	line int // formatted only when reported: most events pass through top
}

func newEvidenceSpan() *evidenceSpan {
	return &evidenceSpan{inputs: map[string]*inputSpan{}, containers: map[string]bool{}}
}

func (s *evidenceSpan) observe(ev *parser.Event) {
	if ev.Time.IsZero() {
		return
	}
	if s.first.IsZero() || ev.Time.Before(s.first) {
		s.first = ev.Time
	}
	if ev.Time.After(s.last) {
		s.last = ev.Time
	}
	if c := ev.Container(); len(s.containers) < 4096 {
		if c.ID != "" {
			s.containers[c.ID] = true
		} else if c.Name != "" {
			s.containers[c.Name] = true
		}
	}
	pos := ev.FirstEvidence().Pos
	in := s.inputs[pos.File]
	if in == nil {
		in = &inputSpan{audit: ev.Source == parser.FormatAuditd}
		s.inputs[pos.File] = in
		s.order = append(s.order, pos.File)
	}
	in.n++
	if in.first.IsZero() || ev.Time.Before(in.first) {
		in.first = ev.Time
	}
	if len(in.top) == topTimes && !ev.Time.After(in.top[topTimes-1].t) {
		return
	}
	x := stamped{ev.Time, pos.File, pos.Line}
	if len(in.top) == topTimes && ev.Time.After(in.top[0].t) {
		// the newest yet, as nearly every record of a log in time
		// order: the search and the insert below, in place
		copy(in.top[1:], in.top[:topTimes-1])
		in.top[0] = x
		return
	}
	i, _ := slices.BinarySearchFunc(in.top, ev.Time, func(a stamped, t time.Time) int { return t.Compare(a.t) })
	in.top = slices.Insert(in.top, i, x)
	if len(in.top) > topTimes {
		in.top = in.top[:topTimes]
	}
}

// newest returns an input's newest record that is not an outlier, and the
// outliers: the records past the largest gap among its newest ones, when
// that gap is longer than an hour and than the span of everything below it.
func (in *inputSpan) newest() (time.Time, []stamped) {
	if len(in.top) == 0 {
		return time.Time{}, nil
	}
	cut := -1
	for j := 0; j+1 < len(in.top) && j+1 < in.n; j++ {
		gap := in.top[j].t.Sub(in.top[j+1].t)
		if gap > time.Hour && gap > in.top[j+1].t.Sub(in.first) {
			cut = j
		}
	}
	return in.top[cut+1].t, in.top[:cut+1]
}

// reference is the time durations count back from: the newest record of
// the audit logs, or of all inputs when there is no audit log, outliers
// left out. It returns what it is, in words, and the outliers found.
func (s *evidenceSpan) reference() (ref time.Time, what string, outliers []string) {
	var all time.Time
	for _, p := range s.order {
		in := s.inputs[p]
		t, out := in.newest()
		for _, o := range out {
			outliers = append(outliers, fmt.Sprintf("%s:%d: a record dated %s, far beyond the rest of its input (newest otherwise %s): not used as the reference for --since/--until",
				o.file, o.line, stamp(o.t), stamp(t)))
		}
		if in.audit && t.After(ref) {
			ref = t
		}
		if t.After(all) {
			all = t
		}
	}
	if !ref.IsZero() {
		return ref, "the newest audit record", outliers
	}
	return all, "the newest record (no audit log)", outliers
}

// filterReport states what --since/--until/--host/--container did and says
// when one matched nothing, with the values that exist; each note goes to
// stderr as a warning too.
func filterReport(w io.Writer, f inputFlags, span *evidenceSpan, hosts []string, since, until time.Time) *report.Filter {
	ref, what, outliers := span.reference()
	fl := &report.Filter{Since: since, Until: until, Host: f.hostSel, Container: f.contSel, SinceArg: f.since, UntilArg: f.until}
	if isDuration(f.since) || isDuration(f.until) {
		fl.Reference, fl.ReferenceOf = ref, what
	}
	note := func(format string, a ...any) {
		n := fmt.Sprintf(format, a...)
		fl.Notes = append(fl.Notes, n)
		fmt.Fprintf(w, "auditchain: warning: %s\n", n)
	}
	if f.hostSel != "" && !slices.Contains(hosts, f.hostSel) {
		named := slices.DeleteFunc(slices.Clone(hosts), func(h string) bool { return h == "" })
		if len(named) == 0 {
			note("--host %q matches no host of the logs: their records name no host (--node-name names them)", f.hostSel)
		} else {
			note("--host %q matches no host of the logs; hosts: %s", f.hostSel, listed(named))
		}
	}
	if f.contSel != "" && !span.hasContainer(f.contSel) {
		note("--container %q matches no container of the logs; containers: %s", f.contSel, listed(slices.Sorted(maps.Keys(span.containers))))
	}
	if (!since.IsZero() || !until.IsZero()) && !span.first.IsZero() &&
		(!since.IsZero() && since.After(span.last) || !until.IsZero() && until.Before(span.first) || !since.IsZero() && !until.IsZero() && since.After(until)) {
		note("the window %s holds no record: the logs cover %s → %s", fl.Window(), stamp(span.first), stamp(span.last))
	}
	fl.Outliers = outliers
	for _, o := range outliers {
		fmt.Fprintf(w, "auditchain: warning: %s\n", o)
	}
	if !fl.Active() && len(fl.Outliers) == 0 {
		return nil
	}
	return fl
}

func (s *evidenceSpan) hasContainer(sel string) bool {
	for c := range s.containers {
		if c == sel || strings.HasPrefix(c, sel) {
			return true
		}
	}
	return false
}

// listed joins values for a message, at most maxListed of them.
func listed(vs []string) string {
	if len(vs) == 0 {
		return "(none)"
	}
	if len(vs) > maxListed {
		return strings.Join(vs[:maxListed], ", ") + fmt.Sprintf(" … and %d more", len(vs)-maxListed)
	}
	return strings.Join(vs, ", ")
}

// stamp writes a time as the reports do, in UTC with milliseconds.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z07:00") }

func isDuration(v string) bool {
	if v == "" {
		return false
	}
	_, err := time.Parse(time.RFC3339Nano, v)
	return err != nil
}

// absorb adds what another host's partition saw, as if its events had come
// after s's (scanhosts.go): the inputs are the partition's own.
func (s *evidenceSpan) absorb(o *evidenceSpan) {
	if !o.first.IsZero() && (s.first.IsZero() || o.first.Before(s.first)) {
		s.first = o.first
	}
	if o.last.After(s.last) {
		s.last = o.last
	}
	for c := range o.containers {
		if len(s.containers) >= 4096 {
			break
		}
		s.containers[c] = true
	}
	for _, p := range o.order {
		if _, ok := s.inputs[p]; !ok {
			s.order = append(s.order, p)
		}
		s.inputs[p] = o.inputs[p]
	}
}
