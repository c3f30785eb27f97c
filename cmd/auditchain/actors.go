package main

import (
	"fmt"
	"slices"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// quoteActors gives each finding on a file or network act the exec record
// of the image that did it (Finding.Actor), and the records a finding
// cites whose text the scan let go (an accept or a login the timeline
// kept compact for linking) their text again, both read back from the
// inputs (parser.ReadBack): the scan kept their positions. It returns the
// notes the report must carry for records it could not read again.
func quoteActors(ins []*parser.Input, fs []*detect.Finding, lim parser.DecompressLimits, servers *detect.ServerSet) []string {
	type want struct {
		f *detect.Finding
		x parser.Exec
	}
	var wants []want
	var refs []parser.RecordRef
	bare := map[parser.RecordRef][]*parser.Evidence{} // cited records without their text
	for _, f := range fs {
		for _, ev := range append([]*parser.Event{f.Event}, f.Related...) {
			if ev == nil || ev.Source != parser.FormatAuditd {
				continue
			}
			for i := range ev.Evidence {
				e := &ev.Evidence[i]
				if e.Raw != "" || e.Serial == 0 || !e.Pos.IsValid() {
					continue
				}
				r := parser.RecordRef{Pos: e.Pos, Serial: e.Serial}
				if len(bare[r]) == 0 {
					refs = append(refs, r)
				}
				bare[r] = append(bare[r], e)
			}
		}
		if f.Process != nil && servers.IsServer(f.Process) {
			// a server's exec is its start, whatever its code did later
			// (a planted thread's connect a few seconds after a restart)
			continue
		}
		x, ok := actorExec(f)
		if !ok {
			continue
		}
		wants = append(wants, want{f, x})
		refs = append(refs, parser.RecordRef{Pos: x.Pos, Serial: x.Serial})
	}
	if len(refs) == 0 {
		return nil
	}
	res := parser.ReadBack(ins, refs, lim)
	unread := 0
	for r, es := range bare {
		text, ok := res.Text[r]
		if !ok {
			unread++
			continue
		}
		for _, e := range es {
			e.Raw = text
		}
	}
	actors := 0
	for _, w := range wants {
		text, ok := res.Text[parser.RecordRef{Pos: w.x.Pos, Serial: w.x.Serial}]
		if !ok {
			actors++
			continue
		}
		p := w.f.Process
		w.f.Actor = &parser.Event{
			Kind: parser.KindExec, Time: w.x.Time, Host: p.Key.Host, PID: p.Key.PID, PPID: p.PPID,
			Exe: w.x.Exe, Args: w.x.Args, Cwd: w.x.Cwd, UID: w.x.UID, EUID: w.x.EUID,
			AUID: p.AUID, Success: true, Source: parser.FormatAuditd, Proc: p,
			Evidence: []parser.Evidence{{Pos: w.x.Pos, Serial: w.x.Serial, Raw: text}},
		}
	}
	var notes []string
	for _, why := range res.Why {
		notes = append(notes, "evidence: "+why)
	}
	if len(notes) == 0 && actors > 0 {
		notes = append(notes, fmt.Sprintf("evidence: the exec records of %d acting processes were not quoted: their inputs cannot be read again (standard input, an archive member) or no longer hold them", actors))
	}
	if len(res.Why) == 0 && unread > 0 {
		notes = append(notes, fmt.Sprintf("evidence: %d cited records are given by file, line and serial without their text: the scan let the text go and their inputs cannot be read again (standard input, an archive member) or no longer hold them", unread))
	}
	return notes
}

// actorWithin bounds the time from an exec to the act it is quoted for. A
// command does its act within moments of its start (rm, tar, sed -i, a
// shell's redirection); a server's exec is its start, maybe hours before,
// and shows the server, not what its code did at the request.
const actorWithin = time.Minute

// actorExec returns the exec in force when f's act happened, for a finding
// on an act other than an exec whose evidence does not already hold it,
// when the act came within actorWithin of it.
func actorExec(f *detect.Finding) (parser.Exec, bool) {
	ev, p := f.Event, f.Process
	if ev == nil || p == nil || ev.Kind == parser.KindExec || ev.Source != parser.FormatAuditd {
		return parser.Exec{}, false
	}
	x, ok := p.ExecAt(ev.Time)
	if !ok || x.Inherited || x.Serial == 0 || !x.Pos.IsValid() || ev.Time.Sub(x.Time) > actorWithin {
		return parser.Exec{}, false
	}
	for _, r := range append([]*parser.Event{ev}, f.Related...) {
		if r != nil && slices.ContainsFunc(r.Evidence, func(e parser.Evidence) bool { return e.Serial == x.Serial && e.Pos == x.Pos }) {
			return parser.Exec{}, false // quoted already
		}
	}
	return x, true
}
