package timeline

import (
	"fmt"
	"slices"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// An intrusion that entered through one application's server and then
// runs commands through another application's server, as that server's
// own account, has moved into another account: lateral movement (T1210),
// whatever carried it there — a stolen admin token used against the other
// application's installer (shop-search: the shop's www-data into the team
// KB's svc-kb), a packet to its world-writable socket. The rules judge
// each command by its own server, as a web shell's command (3, 4); the
// chain knows which server it entered by. Only commands placed as
// execution or a suspicious spawn move: what an act does (persistence,
// exfiltration, a channel) still decides its stage. Root is no
// application's account (its commands are the privilege gained), and
// the entry account's own server is the foothold.

// otherApps returns the chain's findings with the commands run through
// another application's server as its account re-placed on stage 6,
// recorded in repl. fs are one chain's findings.
func (l *linker) otherApps(fs []*detect.Finding, repl map[*detect.Finding]*detect.Finding) []*detect.Finding {
	high := false
	for _, f := range fs {
		high = high || f.Severity >= detect.SeverityHigh
	}
	if !high {
		return fs
	}
	// the entry: the server the chain's earliest command ran under
	var entry *parser.Process
	var entryAt int
	for i, f := range fs {
		srv := l.appServerOf(procOf(f))
		if srv == nil || f.Event == nil || f.Event.Kind != parser.KindExec || !srv.UID.Set {
			continue
		}
		if entry == nil || f.Time.Before(fs[entryAt].Time) {
			entry, entryAt = srv, i
		}
	}
	if entry == nil {
		return fs
	}
	entryTime := fs[entryAt].Time
	var out []*detect.Finding
	for i, f := range fs {
		if f.Stage != detect.StageCommandExecution && f.Stage != detect.StageSuspiciousSpawn || !f.Time.After(entryTime) {
			continue
		}
		p := procOf(f)
		srv := l.appServerOf(p)
		if srv == nil || !srv.UID.Set || srv.UID.N == 0 || srv.UID.N == entry.UID.N || p == nil || !p.UID.Set || p.UID.N != srv.UID.N {
			continue
		}
		if out == nil {
			out = slices.Clone(fs)
		}
		d := *f
		d.Stage = detect.StageLateralMovement
		if !slices.Contains(d.Attack, "T1210") {
			d.Attack = append(slices.Clone(d.Attack), "T1210")
		}
		d.Reason = fmt.Sprintf("run through %s as uid %d, another application's server than %s (uid %d), which the chain's first command ran under: the intrusion acting as that application's account (lateral movement, T1210; inferred from the chain's order); %s",
			label(srv), srv.UID.N, label(entry), entry.UID.N, f.Reason)
		repl[f] = &d
		out[i] = &d
	}
	if out == nil {
		return fs
	}
	return out
}

// appServerOf returns the web server a process runs below (the parent of its
// web-shell root), or nil.
func (l *linker) appServerOf(p *parser.Process) *parser.Process {
	if r := l.webRootOf(p); r != nil {
		return r.Parent
	}
	return nil
}
