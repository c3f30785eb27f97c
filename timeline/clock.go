package timeline

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// Clock checks. Joined evidence comes from machines and programs with
// clocks of their own: the kernel stamps audit records, the web server its
// access lines (when a request completes, to the second), the container
// runtime its log wrapper. A skew of a few seconds breaks the request →
// exec links, so it is measured where the evidence itself tells it and
// reported with the flag that corrects it (--clock-skew).

// clockWarn is the disagreement worth a warning: access logs stamp a
// request when it completes, so a second or two is normal.
const clockWarn = 3 * time.Second

// clockProbe is how far apart a request and the exec whose command it
// carries are searched for the skew estimate.
const clockProbe = 10 * time.Minute

// minClockSamples is how many request/exec pairs an estimate needs.
const minClockSamples = 3

// clockNotes returns warnings about clocks that disagree (Coverage.Clock): the median offset
// between access-log requests and the shells whose command lines carry a
// long request parameter (seen in both clocks at once), and access lines in
// container logs whose own time and the runtime's differ.
func (b *Builder) clockNotes() []string {
	var notes []string
	if d, n := b.requestSkew(); n >= minClockSamples && (d > clockWarn || d < -clockWarn) {
		applied := ""
		if b.opts.AccessLogSkew != 0 {
			applied = fmt.Sprintf(" (already shifted by %s)", b.opts.AccessLogSkew)
		}
		// absolute: the shift to give instead of the one applied
		notes = append(notes, fmt.Sprintf("access-log times%s are %s off the audit clock (median of %d requests whose parameters are the commands the web server ran); the request → process links assume they agree: rerun with --clock-skew access-log=%s",
			applied, d.Round(100*time.Millisecond), n, (b.opts.AccessLogSkew-d).Round(100*time.Millisecond)))
	}
	if b.wrapperSkews > 0 {
		notes = append(notes, fmt.Sprintf("%d access lines in container logs carry a time more than %s from the time their runtime logged them (largest %s): the web server's clock or time zone differs from the runtime's",
			b.wrapperSkews, parser.WrapperSkew, b.wrapperMax.Round(time.Second)))
	}
	return notes
}

// requestSkew estimates how far the access log's clock is from the audit
// clock: for each web-server shell, the nearest request (either side) whose
// long parameter its command line carries; the median of request − exec,
// less the ~0.5 s a completed request is logged after it began (plus it,
// for a log that stamps the receive time: reqlogged.go).
func (b *Builder) requestSkew() (time.Duration, int) {
	reqs := append([]*parser.Event(nil), b.requests...)
	sort.SliceStable(reqs, func(i, j int) bool { return reqs[i].Time.Before(reqs[j].Time) })
	vals := make([][]string, len(reqs))
	for i, r := range reqs {
		vals[i] = queryValues(r.HTTP)
	}
	var offs []time.Duration
	for _, ex := range b.webExecs {
		cmd := newCmdWords(strings.Join(ex.Args, " "))
		lo := sort.Search(len(reqs), func(i int) bool { return !reqs[i].Time.Before(ex.Time.Add(-clockProbe)) })
		best, found := time.Duration(0), false
		for i := lo; i < len(reqs) && !reqs[i].Time.After(ex.Time.Add(clockProbe)); i++ {
			if !sameHost(reqs[i].Host, ex.Host) {
				continue
			}
			if v := carriedIn(vals[i], cmd); len(v) >= 8 {
				d := reqs[i].Time.Sub(ex.Time) - loggedLag(b.loggedOf(reqs[i]))
				if !found || abs(d) < abs(best) {
					best, found = d, true
				}
			}
		}
		if found {
			offs = append(offs, best)
		}
	}
	if len(offs) == 0 {
		return 0, 0
	}
	sort.Slice(offs, func(i, j int) bool { return offs[i] < offs[j] })
	return offs[len(offs)/2], len(offs)
}

// loggedLag is how far a request's logged second typically lies from the
// execs it caused: half a second after them when it is the end, before
// them when it is the receive time.
func loggedLag(at loggedAt) time.Duration {
	switch at {
	case loggedStart:
		return -500 * time.Millisecond
	case loggedEither:
		return 0
	}
	return 500 * time.Millisecond
}

func abs(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
