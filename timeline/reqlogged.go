package timeline

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// What an access line's time means. nginx, lighttpd and most JSON logs
// stamp a request with the moment it ended; Apache's %t is the moment it
// was received, although the line too is written when the request ends.
// A duration then runs the other way: [t, t+D], not [t−D, t]. Nothing in
// a combined line says which server wrote it, so the meaning is decided
// per access-log file from evidence, strongest first:
//  1. Line order. A server writes a line when its request ends, so the
//     lines of a file are in end order. With durations, only one reading
//     keeps them so: if reading the time as the end puts lines out of
//     order by whole seconds and reading it as the start does not (or the
//     other way round), that reading is the file's.
//  2. The file's path names the server (/var/log/apache2/…, httpd…, nginx,
//     lighttpd). When line order decided the other reading, the two
//     disagree (an Apache log whose lines are not in the order its
//     requests ended: kb-sqlconsole), and both readings are allowed.
//  3. The servers on the log's host: Apache (apache2, httpd) and no
//     end-stamping front server → received; both kinds → either, and the
//     request's life is taken wide enough for both readings, which can
//     only make more links ambiguous, never a wrong one certain.
// Otherwise the time is the end, as before. Above all of these, a format
// that says what its time is decides: uWSGI's request line stamps the
// request's start (HTTPRequest.ReceiveTime), whatever the path or order.

// loggedAt is what an access line's time is.
type loggedAt uint8

const (
	loggedEnd    loggedAt = iota // the request ended then (nginx, lighttpd)
	loggedStart                  // the request was received then (Apache %t)
	loggedEither                 // unknown between the two: both are allowed
)

func (a loggedAt) String() string {
	switch a {
	case loggedStart:
		return "when each request was received (as Apache's %t)"
	case loggedEither:
		return "either when each request was received or when it ended"
	}
	return "when each request ended"
}

// loggedVerdict is a file's reading and what decided it.
type loggedVerdict struct {
	at    loggedAt
	basis string
	// microTail: the file's bare trailing integers are microseconds (%D):
	// some of its lines carry one of 1000 or more, read as a duration by
	// the parser, so its small ones (HTTPRequest.BareTail) are too.
	microTail bool
	// late: the file's server stamps lines with a cached clock, so a
	// request may end up to late after its logged second (laggingClock)
	late time.Duration
	// lagBasis: what measured late from the file's own execs, "" when a
	// name or nothing set it (reqclock.go)
	lagBasis string
}

// startServers stamp access lines with the time a request was received.
// uWSGI does in every form: its default line's ctime and the %(ltime),
// %(ctime) and %(time) of a --log-format are all the request's start
// (core/logging.c); only %(epoch) is the moment of writing. HAProxy's
// dates are all the start too: %t is when it accepted the connection,
// %tr when it received the request (its manual, "Custom log format";
// the line itself is written at the end unless "option logasap").
var startServers = []string{"apache2", "httpd", "apache", "uwsgi", "haproxy"}

// endServers stamp access lines with the time a request ended.
var endServers = []string{"nginx", "lighttpd", "openresty", "caddy", "h2o", "traefik", "envoy"}

// serverFamily says whether image names a start- or end-stamping server.
func serverFamily(image string) (start, end bool) {
	base := path.Base(image)
	if slices.Contains(startServers, serverBase(base)) {
		return true, false
	}
	if slices.Contains(endServers, serverBase(base)) {
		return false, true
	}
	return false, false
}

// serverBase is the server a program or log name names (apache2-ssl:
// apache2; nginx.conf: nginx), or its base name when it names none.
func serverBase(image string) string {
	base := path.Base(image)
	for _, set := range [][]string{startServers, endServers} {
		for _, s := range set {
			if base == s || strings.HasPrefix(base, s+"-") || strings.HasPrefix(base, s+".") {
				return s
			}
		}
	}
	return base
}

// msTimerServers write every duration of their access lines in whole
// milliseconds: HAProxy's timers (%Tq, %Tw, %Tc, %Tr, %Ta, %Tt) have no
// other unit. A custom format's "rt=%Ta" is then 868 for 0.868 s, which
// the parser, knowing no server, reads as the seconds nginx's
// $request_time means by rt=: a request 14 minutes long, in flight at
// every command of the capture.
var msTimerServers = []string{"haproxy"}

// msDurations reports whether file's durations are its server's whole
// milliseconds (msTimerServers): the file's path names such a server
// (/var/log/haproxy.log), and every duration the parser read from it is a
// whole number (a decimal is no timer of theirs, and the file is left as
// read). A host running such a server beside others does not say which
// wrote a file whose path names none.
func msDurations(file string, reqs []*parser.Event) (string, bool) {
	name := pathServer(file)
	if !slices.Contains(msTimerServers, serverBase(name)) {
		return "", false
	}
	n := 0
	for _, r := range reqs {
		if r.HTTP.HasDuration {
			if r.HTTP.Duration%time.Second != 0 {
				return "", false
			}
			n++
		}
	}
	return serverBase(name), n > 0
}

// spanOf is the life of request r under its file's reading of time.
func (b *Builder) spanOf(r *parser.Event) reqSpan {
	v := b.verdicts()[posOf(r).File]
	return spanWith(r, b.opts.RequestWindow, atOf(r, v.at), v.microTail, v.late)
}

// loggedOf is what request r's logged time means.
func (b *Builder) loggedOf(r *parser.Event) loggedAt {
	return atOf(r, b.verdicts()[posOf(r).File].at)
}

// atOf is what r's logged time means when its file's reading is at: a
// line whose format itself says it logs the receive time (uWSGI's request
// line, HTTPRequest.ReceiveTime) is read so whatever else the file holds.
func atOf(r *parser.Event, at loggedAt) loggedAt {
	if r.HTTP != nil && r.HTTP.ReceiveTime {
		return loggedStart
	}
	return at
}

// verdicts returns every access-log file's reading, decided once, when
// first asked (every request has been observed by then).
func (b *Builder) verdicts() map[string]loggedVerdict {
	if b.logged == nil {
		b.logged = b.loggedMeanings()
	}
	return b.logged
}

// lateBound is the most any access log's end may lie past its logged
// second: requests are searched back that much further.
func (b *Builder) lateBound() time.Duration {
	b.verdicts()
	return b.maxLate
}

// receiveTimes reports whether some access log's times may be receive
// times: its requests are then searched back by their life.
func (b *Builder) receiveTimes() bool {
	if b.verdicts(); b.receivedLines {
		return true
	}
	for _, v := range b.verdicts() {
		if v.at != loggedEnd {
			return true
		}
	}
	return false
}

// loggedMeanings decides, per access-log file, what its times mean.
func (b *Builder) loggedMeanings() map[string]loggedVerdict {
	byFile := map[string][]*parser.Event{}
	for _, r := range b.requests {
		if r.HTTP != nil && r.Source == parser.FormatAccessLog {
			byFile[posOf(r).File] = append(byFile[posOf(r).File], r)
		}
		// a container's lines too: the candidate search must then
		// reach back (receiveTimes)
		b.receivedLines = b.receivedLines || r.HTTP != nil && r.HTTP.ReceiveTime
	}
	hosts := b.serverFamilies()
	out := make(map[string]loggedVerdict, len(byFile))
	for file, reqs := range byFile {
		// a server whose timers are milliseconds (msDurations): its
		// durations are read in that unit, once, before anything reads
		// them (the line order below among them)
		msName, ms := msDurations(file, reqs)
		if ms {
			for _, r := range reqs {
				if r.HTTP.HasDuration {
					r.HTTP.Duration /= 1000
				}
			}
		}
		v := b.loggedVerdictOf(file, reqs, hosts)
		if ms {
			v.basis = strings.TrimPrefix(v.basis+"; ", "; ") + "its durations are " + msName + "'s timers, whole milliseconds"
		}
		var dur, tail bool
		for _, r := range reqs {
			dur = dur || r.HTTP.HasDuration
			tail = tail || r.HTTP.HasBareTail
		}
		v.microTail = dur && tail
		if v.at == loggedEnd {
			// a lag is read past the end; a receive time has its
			// request's life after it already
			v.late, v.lagBasis = b.clockLag(file, reqs, hosts[reqs[0].Host])
		}
		if v.late > b.maxLate {
			b.maxLate = v.late
		}
		out[file] = v
	}
	return out
}

// loggedVerdictOf decides one file's reading (see above).
func (b *Builder) loggedVerdictOf(file string, reqs []*parser.Event, hosts map[string]families) loggedVerdict {
	if formatSaysReceived(reqs) {
		return loggedVerdict{at: loggedStart, basis: "its format says so: uWSGI's request line stamps each request with its start"}
	}
	if v, ok := orderVerdict(reqs); ok {
		// the path naming a server of the other reading: the two
		// evidences disagree (an Apache whose lines are not written in
		// the order its requests ended), and both readings are allowed
		if name := pathServer(file); name != "" {
			if s, _ := serverFamily(name); s != (v.at == loggedStart) {
				return loggedVerdict{at: loggedEither, basis: "its path names " + name + ", but " + v.basis}
			}
		}
		return v
	}
	if name := pathServer(file); name != "" {
		v := loggedVerdict{at: loggedEnd, basis: "its path names " + name}
		if s, _ := serverFamily(name); s {
			v.at = loggedStart
		}
		return v
	}
	fam := hosts[reqs[0].Host]
	switch {
	case fam.start && fam.end:
		return loggedVerdict{at: loggedEither, basis: "the host runs " + fam.startName + " and " + fam.endName + ", and neither the file's path nor its line order says which wrote it"}
	case fam.start:
		return loggedVerdict{at: loggedStart, basis: "the host's only front web server is " + fam.startName}
	}
	return loggedVerdict{}
}

// formatSaysReceived reports whether every line of a file is of a format
// that logs the receive time (HTTPRequest.ReceiveTime).
func formatSaysReceived(reqs []*parser.Event) bool {
	for _, r := range reqs {
		if !r.HTTP.ReceiveTime {
			return false
		}
	}
	return len(reqs) > 0
}

// pathServer returns the server a log path names, if any: a directory or
// file name such as /var/log/apache2/access.log or httpd-access.log.
func pathServer(file string) string {
	for _, part := range strings.FieldsFunc(strings.ToLower(file), func(r rune) bool { return r == '/' || r == '_' || r == '-' || r == '.' }) {
		if s, e := serverFamily(part); s || e {
			return part
		}
	}
	return ""
}

// families is which kinds of front server a host runs.
type families struct {
	start, end         bool
	startName, endName string
	otherEnd           bool // an end-stamping server other than endName too
}

// serverFamilies collects, per host, the front servers seen: those the
// rules recognised and the ancestors of the web servers' children.
func (b *Builder) serverFamilies() map[string]families {
	out := map[string]families{}
	note := func(host, image string) {
		s, e := serverFamily(image)
		f := out[host]
		if s && !f.start {
			f.start, f.startName = true, path.Base(image)
		}
		if e && !f.end {
			f.end, f.endName = true, path.Base(image)
		}
		if e && f.endName != path.Base(image) {
			f.otherEnd = true
		}
		out[host] = f
	}
	for _, sv := range b.opts.Servers.Servers() {
		note(sv.Key.Host, sv.Image)
	}
	for _, ex := range b.webExecs {
		for p, n := ex.Proc, 0; p != nil && n < 8; p, n = p.Parent, n+1 {
			note(p.Key.Host, p.Name())
		}
	}
	return out
}

// orderVerdict reads a file's line order (see above). Only lines with a
// duration speak; a reading is refuted when a later line would have ended
// a whole second or more before an earlier one.
func orderVerdict(reqs []*parser.Event) (loggedVerdict, bool) {
	var rs []*parser.Event
	for _, r := range reqs {
		if r.HTTP.HasDuration && posOf(r).Line > 0 {
			rs = append(rs, r)
		}
	}
	if len(rs) < 2 {
		return loggedVerdict{}, false
	}
	sort.Slice(rs, func(i, j int) bool { return posOf(rs[i]).Line < posOf(rs[j]).Line })
	var asEnd, asStart int
	var lastEnd, lastStart time.Time // the latest end so far under each reading
	for i, r := range rs {
		t := r.Time.Truncate(time.Second)
		endIfEnd := t
		endIfStart := t.Add(r.HTTP.Duration)
		if i > 0 {
			// a second of slack: the logged time has whole seconds
			if endIfEnd.Add(time.Second).Before(lastEnd) || endIfEnd.Add(time.Second).Equal(lastEnd) {
				asEnd++
			}
			if endIfStart.Add(time.Second).Before(lastStart) || endIfStart.Add(time.Second).Equal(lastStart) {
				asStart++
			}
		}
		if endIfEnd.After(lastEnd) {
			lastEnd = endIfEnd
		}
		if endIfStart.After(lastStart) {
			lastStart = endIfStart
		}
	}
	switch {
	case asEnd >= 2 && asStart == 0:
		return loggedVerdict{at: loggedStart, basis: fmt.Sprintf("line order: read as end times, %d lines would have ended a second or more before an earlier line; read as receive times plus duration, none", asEnd)}, true
	case asStart >= 2 && asEnd == 0:
		return loggedVerdict{at: loggedEnd, basis: fmt.Sprintf("line order: read as receive times plus duration, %d lines would have ended a second or more before an earlier line; read as end times, none", asStart)}, true
	}
	return loggedVerdict{}, false
}

// posOf is where an access line was read.
func posOf(r *parser.Event) parser.Pos { return r.FirstEvidence().Pos }

// loggedBefore orders requests by time, then by their line in the log:
// the first use of something is named, whatever a map's order.
func loggedBefore(a, b *parser.Event) bool {
	if !a.Time.Equal(b.Time) {
		return a.Time.Before(b.Time)
	}
	return posOf(a).Line < posOf(b).Line
}

// lighttpd stamps its access lines with a clock its event loop refreshes
// once a second (log_epoch_secs, set when the loop sees the second turn),
// not with the time the line is written: a request that ends while the
// loop still holds the previous second is logged with it. benign-reports
// has 52 of 125 lines whose request ended after its logged second, by up
// to 0.51 s; its status.php, served 00:15:50.920..51.157, is logged at
// 00:15:50. Such a log's end lies in its logged second or up to a lag
// after it, at most cachedClockLag; nginx and Apache read the clock per
// request. How far a log trails is read from its own execs (reqclock.go:
// its CGI programs, what they run, the commands its lines' values name),
// each started inside its request's life; cgi-backdoor's lighttpd
// measures no lag where benign-reports' trails by half a second, and a
// second taken for both made cgi-backdoor's identical report lines a
// second apart each other's candidates. cachedClockLag is taken whole only
// for a log that names such a server and has no exec to measure by.
const cachedClockLag = time.Second

// namesBase reports whether a URL path names a script of file name base:
// as a segment, or as a folder's index.
func namesBase(p, base string) bool {
	if strings.HasSuffix(p, "/") {
		return strings.HasPrefix(base, "index.")
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == base {
			return true
		}
	}
	return false
}

// cachedClockServers stamp their access lines with a cached second.
var cachedClockServers = []string{"lighttpd"}

// laggingClock is how far past its logged second a request of file may
// have ended: cachedClockLag when the file's path names a cached-clock
// server, or names none and the host's only end-stamping front server is
// one; else 0.
func laggingClock(file string, fam families) time.Duration {
	name := pathServer(file)
	if name == "" && !fam.start && !fam.otherEnd {
		name = fam.endName
	}
	if slices.Contains(cachedClockServers, name) {
		return cachedClockLag
	}
	return 0
}
