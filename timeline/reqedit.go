package timeline

import (
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// An access log edited during the capture. Every rule that names a request
// by what is not in the log (the only request in flight, a route's
// history, a pairing of counts) and every list of candidates rests on the
// log holding every request; a process that deletes lines from it or
// empties it takes that away for the requests before it (netdiag-profile:
// the intruder's sed -e '/api\/x\/cache/d' over the app's log, written
// back in place; shipnotes-import: sed -e /python-requests/d over
// haproxy's). The exec is evidence of its own: each inferred or ambiguous
// link of a process started before it says the log may lack lines, and the
// coverage says what edited it. Which log the edited path is cannot be
// told from the records (the log may have been copied under another name),
// so every access log of the host is concerned. Reading a log edits
// nothing; only sed deleting lines or working in place, grep -v, and
// truncate or shred count. A filter that prints (sed's d without -i,
// grep -v) changes the file only if its output is written back, which a
// shell's redirection does without an exec of its own: it is said as a
// filter whose output may have been written back, not as an edit.

// maxLogEdits bounds the edits kept (each is said; a loop of them needs one).
const maxLogEdits = 16

// logEdit is one exec that edited an access log.
type logEdit struct {
	at   time.Time
	host string
	pid  int
	prog string
	file string
	expr string // sed's or grep's expressions, as given
	// inPlace: the file itself was changed (sed -i, truncate, shred);
	// else it was filtered to the output
	inPlace bool
}

// accessLogPath reports whether a path names a web server's access log.
func accessLogPath(p string) bool {
	if !strings.HasPrefix(p, "/") {
		return false
	}
	b := strings.ToLower(path.Base(p))
	return strings.Contains(b, "access") && (strings.Contains(b, ".log") || strings.Contains(b, "_log"))
}

// accessLogEdit returns the edit an exec makes of an access log, if any.
func accessLogEdit(ev *parser.Event) (logEdit, bool) {
	if len(ev.Args) < 2 {
		return logEdit{}, false
	}
	prog := path.Base(ev.Exe)
	if prog == "." || prog == "/" || prog == "" {
		prog = path.Base(ev.Args[0])
	}
	file := ""
	for _, a := range ev.Args[1:] {
		if accessLogPath(a) {
			file = a
		}
	}
	if file == "" {
		return logEdit{}, false
	}
	var exprs []string
	edits, inPlace := false, false
	switch prog {
	case "truncate", "shred":
		edits, inPlace = true, true
	case "sed":
		for i, a := range ev.Args[1:] {
			switch {
			case a == "-i" || strings.HasPrefix(a, "-i") && !strings.HasPrefix(a, "--") || strings.HasPrefix(a, "--in-place"):
				edits, inPlace = true, true
			case a == "-e" && i+2 < len(ev.Args):
				exprs = append(exprs, ev.Args[i+2])
			case !strings.HasPrefix(a, "-") && !accessLogPath(a) && (i == 0 || ev.Args[i] != "-e"):
				exprs = append(exprs, a)
			}
		}
		for _, x := range exprs {
			if strings.HasSuffix(strings.TrimSpace(x), "d") {
				edits = true // a delete command: the lines it prints lack those
			}
		}
	case "grep", "egrep":
		for _, a := range ev.Args[1:] {
			switch {
			case a == "--invert-match" || strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && strings.Contains(a, "v"):
				edits = true // what it prints lacks the lines it matches
			case !strings.HasPrefix(a, "-") && !accessLogPath(a) && len(exprs) == 0:
				exprs = append(exprs, a)
			}
		}
	}
	if !edits {
		return logEdit{}, false
	}
	return logEdit{at: ev.Time, host: ev.Host, pid: ev.PID, prog: prog, file: file, expr: strings.Join(exprs, " "), inPlace: inPlace}, true
}

// text says what the edit did.
func (e logEdit) text() string {
	verb := "edited"
	if !e.inPlace {
		verb = "filtered"
	}
	s := fmt.Sprintf("%s (pid %d) %s %s at %s", e.prog, e.pid, verb, e.file, when(e.at))
	if e.expr != "" {
		s += fmt.Sprintf(" (%s)", clipCommand(e.expr, 120))
	}
	if !e.inPlace {
		s += ", whose output lacks the lines it dropped and may have been written back over it (a redirection the audit log does not record)"
	}
	return s
}

// noteLogEdits adds to each inferred or ambiguous link of a process that
// started before an access log of its host was edited that the log may
// lack lines.
func (b *Builder) noteLogEdits(out map[*parser.Process]RequestLink) {
	if len(b.logEdits) == 0 {
		return
	}
	for root, rl := range out {
		if rl.Event == nil || !rl.Inferred && rl.Basis != BasisAmbiguous {
			continue
		}
		for _, e := range b.logEdits {
			if sameHost(e.host, rl.Event.Host) && rl.Event.Time.Before(e.at) {
				rl.Reason += "; the access log may lack lines: " + e.text() + ", after this process started, so the request that caused it may be one the log no longer holds"
				out[root] = rl
				break
			}
		}
	}
}

// logEditNotes says, for the coverage, which access logs were edited.
func (b *Builder) logEditNotes() []string {
	var notes []string
	for _, e := range b.logEdits {
		notes = append(notes, "requests: the access log may lack lines: "+e.text()+"; links of processes before it that rest on the log holding every request are said to")
	}
	return notes
}
