package timeline

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// How far an access log's clock trails, read from the evidence. Some
// servers stamp a line not with the moment it is written but with a
// second they cache and refresh now and then: lighttpd's event loop
// refreshes it when it sees the second turn (reqlogged.go), Twisted Web's
// HTTPFactory from a timer (reactor.callLater(1, _updateLogDateTime)),
// which a busy reactor delays further. A request then ends up to a second
// or more after its logged second, and nothing in a combined line says
// which server wrote it (tallyhall-xslt's Twisted runs as python3: no name
// tells). The log's own execs tell: a request cannot end before a command
// it ran started, so an exec tied to a line by evidence that does not
// depend on the window — a CGI program naming the script the line names,
// a command carrying the line's own query values or record codes — that
// starts past the line's logged second shows that the file's clock lags,
// and by how much. The lag read so is the least that puts every such exec
// inside a line that carries it (a line logged later that may have been
// in flight carries it as well: a request held open), at most
// maxClockLag; it widens every request of that file. With no such exec,
// only a path or host naming a cached-clock server (laggingClock) says
// the file lags, by the whole cachedClockLag.

// maxClockLag bounds a lag read from a log's execs: Twisted's timer
// stamps a second refreshed at most a second before, and a request served
// while the reactor is blocked ends later still (tallyhall-xslt: convert
// started up to 1.2 s past its line's logged second + 1). An exec further
// from every line carrying it than this measures no clock: its own
// request is missing from the log (or far longer than the bound), and an
// earlier line carrying the same value is another request's.
const maxClockLag = 2 * time.Second

// clockAnchor is an exec that evidence independent of any window ties to
// the lines of one access log that name it (a CGI program's script, a
// command's values): its request is one of them.
type clockAnchor struct {
	at    time.Time
	names func(r *parser.Event) bool
	what  string // for the basis: "php-cgi report.php", "convert"
}

// anchorLags returns, per anchor that some line names, the least lag past
// a naming line's logged second that puts the anchor's start inside that
// line's life (0 when one logged at or after it may have been in flight),
// in anchors' order; an anchor no line within most of it names has none
// (-1). lines are sorted by time; a line without a duration lasted at
// most bound.
func anchorLags(lines []*parser.Event, anchors []clockAnchor, bound, most time.Duration) []time.Duration {
	life := bound
	for _, r := range lines {
		if r.HTTP != nil && r.HTTP.HasDuration && r.HTTP.Duration > life {
			life = min(r.HTTP.Duration, contentWindow)
		}
	}
	const none = time.Duration(-1)
	out := make([]time.Duration, len(anchors))
	for k, a := range anchors {
		best := none
		// a line may place the exec when it ends after it (its second
		// plus the most lag) and starts before it
		lo, _ := slices.BinarySearchFunc(lines, a.at.Add(-time.Second-most), func(r *parser.Event, t time.Time) int { return r.Time.Compare(t) })
		i := lo
		for ; i < len(lines); i++ {
			r := lines[i]
			sec := r.Time.Truncate(time.Second)
			if sec.Add(-life).After(a.at.Add(spanSlack)) {
				break
			}
			if fineEnd(r) || !startedBy(r, sec, bound, a.at) || !a.names(r) {
				continue
			}
			need := max(0, a.at.Sub(sec.Add(time.Second)))
			if best == none || need < best {
				best = need
			}
		}
		if best > 0 {
			// a line logged later still that names it and may have been
			// in flight (a request held open: a reverse shell's) places it
			// without a lag
			for ; i < len(lines) && !lines[i].Time.After(a.at.Add(contentWindow)); i++ {
				if r := lines[i]; !fineEnd(r) && startedBy(r, r.Time.Truncate(time.Second), bound, a.at) && a.names(r) {
					best = 0
					break
				}
			}
		}
		out[k] = best
	}
	return out
}

// An exact end can trail too. nginx's $msec and $request_time read the
// worker's cached time (ngx_timeofday), which its event loop refreshes
// when it wakes: a handler that blocks the worker (Lua's io.popen waiting
// for its command, tidegauge-plot's /healthz running df) is logged with
// the time the loop last woke, before the command it ran started, and a
// duration of 0.000. The log's own commands tell, as above: a command a
// line's own values tie to it that starts past that line's exact end
// shows the lag; the least lag that puts each such command inside some
// line carrying it, at most maxClockLag, widens the end of every line of
// the file (its start, read from the same clock before the handler
// blocked, stays a lower bound). Only a line that logged a duration of
// zero shows a lag so: a request that ran a command took milliseconds at
// least, and a clock that saw none of them was frozen. A command that
// starts after a line that did time its request began after that request
// ended: it is another request's that happens to carry the same values
// (press-ssti's web shell: a later command reading /etc/logrotate.d,
// which an earlier ls had listed, 1.06 s and more past that ls's line),
// or a job it left behind, and says nothing of the clock.

// finePart returns the lines that give their end below the second.
func finePart(lines []*parser.Event) []*parser.Event {
	var out []*parser.Event
	for _, r := range lines {
		if fineEnd(r) {
			out = append(out, r)
		}
	}
	return out
}

// fineLags is anchorLags for lines with exact ends (sorted by time): per
// anchor, the least lag past a carrying line's exact end that puts the
// anchor's start inside that line's life (0 when one ended after it), -1
// when no line within most of it carries it.
func fineLags(lines []*parser.Event, anchors []clockAnchor, most time.Duration) []time.Duration {
	const none = time.Duration(-1)
	out := make([]time.Duration, len(anchors))
	for k, a := range anchors {
		best := none
		lo, _ := slices.BinarySearchFunc(lines, a.at.Add(-time.Second-most), func(r *parser.Event, t time.Time) int { return r.Time.Compare(t) })
		for i := lo; i < len(lines) && !lines[i].Time.After(a.at.Add(contentWindow)); i++ {
			r := lines[i]
			end := r.Time.Add(r.HTTP.EndAfter)
			if end.Before(a.at.Add(-most)) || !a.names(r) {
				continue
			}
			if r.HTTP.HasDuration && end.Add(-r.HTTP.Duration).After(a.at.Add(spanSlack)) {
				continue // it began after the command started
			}
			need := max(0, a.at.Sub(end))
			if need > 0 && (!r.HTTP.HasDuration || r.HTTP.Duration >= time.Millisecond) {
				// a clock that moved while the request ran (its duration
				// is not zero) was not frozen: the command started after
				// the request ended, another request's or a job it left
				continue
			}
			if best == none || need < best {
				best = need
			}
		}
		out[k] = best
	}
	return out
}

// fineEnd reports whether a line gives its end below the second (nginx's
// msec, a container log's time): its end is read from that, whatever the
// second's clock (spanWith), and says nothing of it.
func fineEnd(r *parser.Event) bool { return r.HTTP != nil && r.HTTP.EndBy != "" }

// startedBy reports whether the request of line r, logged at second sec,
// may have started by t (its logged duration back from the second; a line
// without one may have).
func startedBy(r *parser.Event, sec time.Time, bound time.Duration, t time.Time) bool {
	if r.HTTP == nil || !r.HTTP.HasDuration {
		return true
	}
	return !sec.Add(-r.HTTP.Duration).After(t.Add(spanSlack))
}

// readLag is the lag a file's anchor lags show (see above): the most any
// anchor needs plus the clocks' rounding, at most maxClockLag; measured
// counts the anchors a line placed (none: the lags say nothing), lagging
// those that needed a lag.
func readLag(lags []time.Duration) (lag time.Duration, measured, lagging int) {
	worst := time.Duration(0)
	for _, l := range lags {
		if l < 0 {
			continue
		}
		measured++
		if l > 0 {
			lagging++
		}
		worst = max(worst, l)
	}
	if worst == 0 {
		return 0, measured, lagging
	}
	return min(worst+spanSlack, maxClockLag), measured, lagging
}

// clockLag is how far past its logged second a request of file (its lines
// reqs) may have ended, read from the host's execs, and what says so.
func (b *Builder) clockLag(file string, reqs []*parser.Event, fam families) (time.Duration, string) {
	lines := slices.Clone(reqs)
	slices.SortStableFunc(lines, func(a, b *parser.Event) int { return a.Time.Compare(b.Time) })
	host := reqs[0].Host
	var anchors []clockAnchor
	// a CGI program, and what it runs, serve the request its script names
	// (reqcgi.go): its lines are those naming the script, whatever values
	// another line carries (cgi-backdoor: a POST to report.php ran rptgen
	// with the month of a GET logged two seconds before)
	scripts := map[*parser.Process]string{}
	scriptOf := func(p *parser.Process) string {
		for n := 0; p != nil && n < 8; p, n = p.Parent, n+1 {
			if s, ok := scripts[p]; ok {
				return s
			}
		}
		return ""
	}
	for _, ex := range b.cgiExecs {
		if script := cgiScript(ex); script != "" && sameHost(ex.Host, host) {
			if _, ok := scripts[ex.Proc]; !ok && ex.Proc != nil {
				scripts[ex.Proc] = script
			}
			anchors = append(anchors, scriptAnchor(ex, script))
		}
	}
	fileServer := b.logServerOf(file)
	vals := lineValues{}
	for _, ex := range b.webExecs {
		if ex.Proc == nil || !sameHost(ex.Host, host) || len(ex.Args) == 0 {
			continue
		}
		// a worker's own log only (mayServe)
		if own := workerServer(ex.Proc); own != "" && (fileServer != "" && fileServer != own || fileServer == "" && b.logsNamed(host)[own]) {
			continue
		}
		if script := scriptOf(ex.Proc); script != "" {
			anchors = append(anchors, scriptAnchor(ex, script))
			continue
		}
		anchors = append(anchors, valueAnchor(ex, vals))
	}
	if fine := finePart(lines); len(fine) > len(lines)/2 {
		// most lines give their end below the second: the lag is read
		// past that end
		lag, measured, lagging := readLag(fineLags(fine, anchors, maxClockLag))
		if measured > 0 && lag > 0 {
			return lag, fmt.Sprintf("%d of the %d commands its lines' own values or scripts tie it to started past the exact end (%s) of every line that carries them, by up to %s: its server stamps the end with a cached clock that a worker busy in its handler does not refresh", lagging, measured, fine[0].HTTP.EndBy, lag)
		}
		return 0, ""
	}
	lags := anchorLags(lines, anchors, b.opts.RequestWindow, maxClockLag)
	lag, measured, lagging := readLag(lags)
	switch {
	case measured > 0 && lag > 0:
		return lag, fmt.Sprintf("%d of the %d commands its lines' own values or scripts tie it to started past the line's logged second, by up to %s: it stamps with a lagging clock", lagging, measured, lag)
	case measured > 0:
		return 0, ""
	case laggingClock(file, fam) > 0:
		return cachedClockLag, ""
	}
	return 0, ""
}

// scriptAnchor ties ex, a CGI program for script or a process it runs, to
// the lines naming the script.
func scriptAnchor(ex *parser.Event, script string) clockAnchor {
	base := path.Base(script)
	return clockAnchor{at: ex.Time, what: path.Base(ex.Exe) + " under " + base,
		names: func(r *parser.Event) bool { return r.HTTP != nil && namesBase(r.HTTP.Path, base) }}
}

// lineValues memoizes what rule 2 looks for of each line: its values and
// path ids, and its path's record codes.
type lineValues map[*parser.Event]struct{ match, codes []string }

// valueAnchor ties ex to the lines whose own values its command line
// carries as rule 2 finds them (a value whole, or a record code beside
// another value), 404s left out.
func valueAnchor(ex *parser.Event, vals lineValues) clockAnchor {
	cmd := newCmdWords(strings.Join(ex.Args, " "))
	return clockAnchor{at: ex.Time, what: path.Base(ex.Exe), names: func(r *parser.Event) bool {
		if r.HTTP == nil || r.HTTP.Status == 404 {
			return false
		}
		c, ok := vals[r]
		if !ok {
			c.match, c.codes = withPathIDs(queryValues(r.HTTP), r.HTTP.Path), pathCodes(r.HTTP.Path)
			vals[r] = c
		}
		return carriedIn(c.match, cmd) != "" || len(c.codes) > 0 && carriedWithCodes(c.match, c.codes, cmd) != ""
	}}
}
