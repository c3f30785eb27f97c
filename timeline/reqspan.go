package timeline

import (
	"fmt"
	"sort"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// A request can only cause a process that starts while the request is
// being served: between its start and its end. Access logs write a line
// when a request ends, so the logged time is the end, and the start is the
// end less the request's duration when the log records one. The parser
// reads both once (parser/internal/accesslog/times.go, which documents
// the fields and the bare %D rule): HTTPRequest.Duration, and EndAfter/
// EndBy, the end finer than the logged second (nginx $msec, a JSON epoch
// time, a container log's wrapper time).
// Without a duration the start is unknown: the request is assumed to have
// lasted at most Options.RequestWindow (documented bound, said in the
// link's basis). A request held open longer (a reverse shell started by a
// web shell: nginx logs it as 499 when the client gives up) is then found
// only by its parameters in the command line.

// reqSpan is what an access line tells of when its request was served.
type reqSpan struct {
	start, end time.Time
	// endExact: the end is known below the second (msec, a wrapper time);
	// else end is the last instant of the logged second.
	endExact bool
	// durKnown: the log recorded the duration, so start is exact (to the
	// end's precision); else start is end − the documented bound.
	durKnown bool
	endBasis string // "msec", "container-log time", "logged second"
	// late: how far past its logged second the end may lie, for a server
	// that stamps its lines with a cached clock (reqlogged.go); end
	// includes it
	late time.Duration
	// acceptAt: when the server accepted the request's connection
	// (reqconn.go), zero when unknown; the request began no earlier
	acceptAt time.Time
}

// requestSpanOf returns the span of request r, assuming bound when the log
// has no duration, with at saying what the logged time is (reqlogged.go).
// A fine end (msec, a wrapper time) is the end whatever the logged time is.
func requestSpanOf(r *parser.Event, bound time.Duration, at loggedAt) reqSpan {
	return spanWith(r, bound, at, false, 0)
}

// spanWith is requestSpanOf, reading a bare trailing integer too small to
// be %D on its own as microseconds when microTail says the file's others
// are (reqlogged.go), and with the end up to late past the logged second
// when the file's server stamps with a cached clock.
func spanWith(r *parser.Event, bound time.Duration, at loggedAt, microTail bool, late time.Duration) reqSpan {
	sec := r.Time.Truncate(time.Second)
	s := reqSpan{end: sec.Add(time.Second - time.Nanosecond), endBasis: "logged second"}
	h := r.HTTP
	if h == nil {
		h = &parser.HTTPRequest{}
	}
	// the parser keeps a fine end within 2 s of the logged second; an
	// event built elsewhere is held to the same
	if fine := r.Time.Add(h.EndAfter); h.EndBy != "" && absDur(fine.Sub(sec)) < 2*time.Second {
		s.end, s.endExact, s.endBasis = fine, true, h.EndBy
		at = loggedEnd
	}
	life, durKnown := bound, false
	if h.HasDuration && h.Duration >= 0 && h.Duration <= maxRequestLife {
		life, durKnown = h.Duration, true
	} else if !h.HasDuration && microTail && h.HasBareTail && h.BareTail >= 0 {
		life, durKnown = time.Duration(h.BareTail)*time.Microsecond, true
	}
	s.durKnown = durKnown
	switch {
	case s.endExact:
		s.start = s.end.Add(-life)
		if late > 0 {
			// a cached clock stamped the end (reqclock.go): the request
			// ended at it or up to late after
			s.end, s.late = s.end.Add(late), late
			s.endBasis += fmt.Sprintf(", or up to %s after it (the server stamps with a cached clock)", late)
		}
	case at == loggedStart:
		// received somewhere in the logged second, served for life
		s.start, s.end = sec, sec.Add(time.Second-time.Nanosecond).Add(life)
		s.endBasis = "logged second (receive time) + duration"
		if !durKnown {
			s.endBasis = "logged second (receive time) + the assumed bound"
		}
	case at == loggedEither:
		s.start, s.end = sec.Add(-life), sec.Add(time.Second-time.Nanosecond).Add(life)
		s.endBasis = "logged second, as receive or end time"
	default:
		// the end is somewhere in the logged second, or up to late after
		// it (a cached clock)
		s.start = s.end.Add(-time.Second + time.Nanosecond).Add(-life)
		if late > 0 {
			s.end, s.late = s.end.Add(late), late
			s.endBasis = fmt.Sprintf("logged second, or up to %s after it (the server stamps with a cached clock)", late)
		}
	}
	return s
}

// maxRequestLife bounds a request's duration (the parser's own bound).
const maxRequestLife = 24 * time.Hour

// What decided a request link (RequestLink.Basis), strongest first.
const (
	BasisParameter = "parameter-in-argv" // a request parameter is in the command line (observed)
	BasisPutPath   = "put-to-path"       // an upload PUT to the written file's own path (observed)
	BasisOnly      = "only-in-flight"    // the only script request being served when the process started (inferred)
	BasisRoute     = "route-history"     // of the requests in flight, the only one to a route seen causing this command alone (inferred)
	BasisScript    = "cgi-script-path"   // a per-request CGI program runs the file the request's path names under the learned document root (observed)
	BasisEndOrder  = "end-order"         // the rank of its php-fpm worker's end among the ends of a second is the request's among that second's lines (inferred)
	BasisPartner   = "partner-command"   // started beside the one command every run of it was started beside, by the same server process, whose run names the request (inferred)
	BasisAmbiguous = "ambiguous"         // several requests fit equally: none is named
)

// requestTimeNotes says what the access logs tell of a request's life,
// since every request → process link rests on it.
func (b *Builder) requestTimeNotes() []string {
	if len(b.requests) == 0 {
		return nil
	}
	noDur, coarse := 0, 0
	for _, r := range b.requests {
		s := b.spanOf(r)
		if !s.durKnown {
			noDur++
		}
		if !s.endExact {
			coarse++
		}
	}
	notes := b.logEditNotes()
	if noDur > 0 {
		notes = append(notes, fmt.Sprintf("requests: %d of the %d access lines that could have run code (all but static files served) carry no request duration (nginx $request_time, Apache %%D, a JSON duration): such a request is assumed to have lasted at most %s when it is tied to a process by time; a longer one (a web shell holding its request open) is found only by its parameters in the command line",
			noDur, len(b.requests), b.opts.RequestWindow))
	}
	files := make([]string, 0, len(b.logged))
	for f := range b.logged {
		files = append(files, f)
	}
	sort.Strings(files)
	for _, f := range files {
		if v := b.logged[f]; v.at != loggedEnd || v.basis != "" {
			notes = append(notes, fmt.Sprintf("requests: %s logs %s (%s)", f, v.at, v.basis))
		}
		if v := b.logged[f]; v.lagBasis != "" {
			notes = append(notes, fmt.Sprintf("requests: %s stamps its lines with a clock that trails: %s, so each of its requests is taken to have ended as late as that past its logged second", f, v.lagBasis))
		}
	}
	if coarse > 0 {
		notes = append(notes, fmt.Sprintf("requests: %d of the %d access lines that could have run code (all but static files served) give their end only to the second (no $msec, no container-log time)", coarse, len(b.requests)))
	}
	return notes
}
