package report

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// IOC types, in the order reports list them.
const (
	IOCAddress = "address"    // a network peer: ip:port of a connect or accept, or an HTTP client
	IOCURL     = "url"        // a requested path with its query
	IOCAgent   = "user-agent" // the client's user agent of a request tied to a finding
	IOCFile    = "file"       // a file written, renamed into place or chmod-ed, or a dropped program run (droppedPath)
	IOCUser    = "user"       // an account that acted: no longer written (the victim's own, see iocs)
	IOCHash    = "hash"       // a file hash, where a source recorded one
)

// iocRank is the listing order of an IOC type.
func iocRank(typ string) int {
	return slices.Index([]string{IOCAddress, IOCURL, IOCAgent, IOCFile, IOCUser, IOCHash}, typ)
}

// iocs collects the indicators of every finding's events (matched and
// related), merged by type and value, sorted by type then value. The
// normalized events carry no file hashes today, so hash IOCs appear only
// once a parser records them.
//
// The victim's own things are no indicators to hunt elsewhere: the
// account a process ran as (named in each chain's headline; an account
// the intruder made is in the clean-up), a service a scan probed or
// lateral movement reached (a host to check, in the clean-up), a
// temporary file renamed into place (the place is the indicator), a
// file that was there before the event changed it (setenv.sh appended to,
// index.html overwritten: the clean-up says to restore it), and what only
// informational findings outside a high chain record (context, as a
// customer's upload is).
func (b *builder) iocs() []DocIOC {
	type key struct{ typ, value string }
	acc := map[key]*DocIOC{}
	own := map[key]bool{}    // seen in a finding's own record
	tied := map[key]string{} // else: the first related record it came from
	add := func(typ, value string, at time.Time, fid string) {
		if strings.TrimSpace(value) == "" {
			return
		}
		k := key{typ, value}
		ioc := acc[k]
		if ioc == nil {
			v, vh := lossless(value)
			ioc = &DocIOC{Type: typ, Value: v, ValueHex: vh, FindingIDs: []string{}}
			acc[k] = ioc
		}
		at = utc(at)
		ioc.FirstSeen = earliest(ioc.FirstSeen, at)
		ioc.LastSeen = latest(ioc.LastSeen, at)
		// findings are added in order, so a repeat of the current one can
		// only be the last id: a user in every finding stays linear
		if n := len(ioc.FindingIDs); n == 0 || ioc.FindingIDs[n-1] != fid {
			ioc.FindingIDs = append(ioc.FindingIDs, fid)
		}
	}
	renamedAway := map[string]bool{}
	for _, f := range b.c.Findings {
		if f == nil {
			continue
		}
		for _, ev := range append([]*parser.Event{f.Event}, f.Related...) {
			if ev != nil && ev.Kind == parser.KindRename && ev.OldPath != "" {
				renamedAway[ev.OldPath] = true
			}
		}
	}
	for i, f := range b.c.Findings {
		if f == nil {
			continue
		}
		if ch := b.chainFor(f); f.Severity == detect.SeverityInformational && (ch == nil || ch.Severity < detect.SeverityHigh) {
			// context, not an indicator: a customer's upload into the
			// web root is recorded as informational; in an intrusion's
			// chain the same record (its polyglot "photo") is one
			continue
		}
		fid := FindingID(i)
		if p := f.Process; p != nil && (f.Event == nil || f.Event.Kind != parser.KindExec) {
			// the program the acting process runs, when it is a dropped
			// tool: its connect or its file access is the finding, its
			// exec record (no finding of its own) names it
			for _, file := range droppedRun(p.Exe, p.Args) {
				add(IOCFile, file, f.Time, fid)
				own[key{IOCFile, file}] = true
			}
		}
		if ev := f.Event; ev != nil && ev.Kind == parser.KindExec && transferStage(f.Stage) && f.Severity >= detect.SeverityHigh {
			// where a download came from, where data or a beacon went: the
			// URL its command names (curl -T tftp://…, wget http://…/x),
			// also when the transfer left no connect record (UDP)
			for _, a := range ev.Args {
				for _, u := range argURLRE.FindAllString(a, 4) {
					if strings.ContainsAny(u, "$`") {
						continue // a shell expansion: not the URL that was fetched
					}
					add(IOCURL, u, ev.Time, fid)
					own[key{IOCURL, u}] = true
				}
			}
		}
		// a scanned service, a host moved on to: the victim's own
		victims := slices.Contains(f.Attack, "T1046") || f.Stage == detect.StageLateralMovement || f.PeerService != ""
		for j, ev := range append([]*parser.Event{f.Event}, f.Related...) {
			if ev == nil || victims && ev.Kind == parser.KindConnect {
				continue
			}
			for _, ioc := range eventIOCs(ev) {
				if ioc[0] == IOCUser || ioc[0] == IOCFile && (renamedAway[ioc[1]] || detect.TargetExisted(ev)) {
					continue // (a file the event changed but did not make is the victim's)
				}
				add(ioc[0], ioc[1], ev.Time, fid)
				k := key{ioc[0], ioc[1]}
				if j == 0 {
					own[k] = true
				} else if _, ok := tied[k]; !ok {
					tied[k] = "a " + ev.Kind.String() + " record tied to " + fid
				}
			}
		}
	}
	// the requests a high chain's links tie to its processes by what the
	// records show (a request parameter in the argv, the upload that wrote
	// the file): the web shell's URL and the intruder's user agent (issue
	// 14), as a finding's own records rarely are requests. A link inferred
	// (the only request in flight, the nearest) or ambiguous names none: a
	// visitor's agent is no indicator.
	for _, ch := range b.c.Chains {
		if ch == nil || ch.Severity < detect.SeverityHigh {
			continue
		}
		byProc := map[*parser.Process]string{}
		for _, f := range ch.Findings {
			if i, ok := b.ids[f]; ok && f.Process != nil {
				if _, seen := byProc[f.Process]; !seen {
					byProc[f.Process] = FindingID(i)
				}
			}
		}
		for _, rl := range ch.Requests {
			if rl.Request == nil || rl.Request.HTTP == nil || rl.Inferred {
				continue
			}
			fid := ""
			for p, n := rl.Process, 0; p != nil && n < 8 && fid == ""; p, n = p.Parent, n+1 {
				fid = byProc[p]
			}
			if fid == "" {
				continue
			}
			for _, ioc := range eventIOCs(rl.Request) {
				if ioc[0] != IOCURL && ioc[0] != IOCAgent {
					continue // the address: the client, often a proxy's or the loopback
				}
				add(ioc[0], ioc[1], rl.Request.Time, fid)
				if k := (key{ioc[0], ioc[1]}); !own[k] && tied[k] == "" {
					tied[k] = "a request the chain's link ties to " + fid + " (" + rl.Confidence + ": " + rl.Basis + ")"
				}
			}
		}
	}
	out := make([]DocIOC, 0, len(acc))
	for k, ioc := range acc {
		slices.SortFunc(ioc.FindingIDs, compareIDs)
		ioc.FindingIDs = slices.Compact(ioc.FindingIDs) // a chain's request may name a finding seen before
		if !own[k] && tied[k] != "" {
			ioc.Inferred, ioc.Reason = true, "only in "+tied[k]+", in no finding's own record"
		}
		out = append(out, *ioc)
	}
	slices.SortFunc(out, func(a, b DocIOC) int {
		if c := iocRank(a.Type) - iocRank(b.Type); c != 0 {
			return c
		}
		return strings.Compare(a.Value, b.Value)
	})
	return out
}

// eventIOCs returns the (type, value) indicators of one event.
func eventIOCs(ev *parser.Event) [][2]string {
	var out [][2]string
	switch ev.Kind {
	case parser.KindConnect, parser.KindAccept:
		// a bind's address is the host's own socket: nothing to hunt
		// elsewhere; a connect's or an accept's peer is the other side
		if ev.Peer.Family == "inet" || ev.Peer.Family == "inet6" {
			out = append(out, [2]string{IOCAddress, ev.Peer.String()})
		}
	case parser.KindExec:
		// a program or script the intrusion's process runs from a
		// temporary folder or a hidden path is a dropped tool, whether or
		// not a watch saw it written (hivelog-rpcsend's agent, copied by
		// a cp no rule watches, run as `setsid ruby …/.aux/ld-sync`)
		for _, f := range droppedRun(ev.Exe, ev.Args) {
			out = append(out, [2]string{IOCFile, f})
		}
	case parser.KindFileWrite, parser.KindChmod:
		out = append(out, [2]string{IOCFile, ev.Path})
	case parser.KindRename:
		out = append(out, [2]string{IOCFile, ev.Path})
	case parser.KindHTTP:
		if h := ev.HTTP; h != nil {
			out = append(out, [2]string{IOCAddress, h.Client})
			u := h.Path
			if h.Query != "" {
				u += "?" + h.Query
			}
			out = append(out, [2]string{IOCURL, u})
			// the intruder's tool names itself (python-requests, curl, a
			// scanner): behind a proxy, a NAT or the loopback the agent is
			// the handle to hunt its other requests by, where the address
			// is everyone's
			if ua := strings.TrimSpace(h.UserAgent); ua != "" && ua != "-" {
				out = append(out, [2]string{IOCAgent, ua})
			}
		}
	}
	if ev.PID > 0 || ev.UID.Set || ev.User != "" {
		uid, user := ev.UID, ev.User
		if p := ev.Proc; p != nil {
			if !uid.Set {
				uid = p.UID
			}
			if user == "" {
				user = p.User
			}
		}
		out = append(out, [2]string{IOCUser, userIOC(user, uid)})
	}
	// Audit keys are the victim host's own rule names: they say which rule
	// logged an event (the evidence shows it), not what to hunt elsewhere.
	return out
}

// argURLRE finds the URLs a command line names, scheme first.
var argURLRE = regexp.MustCompile(`(?i)\b(?:https?|ftps?|tftp|sftp|scp|dict|gopher|ldaps?|smb)://[^\s'"<>|;&()]+`)

// transferStage: the stages whose commands move tools or data (a download,
// a beacon's channel, data going out).
func transferStage(st detect.Stage) bool {
	return st == detect.StageSuspiciousSpawn || st == detect.StageCommandAndControl || st == detect.StageExfiltrationImpact
}

// droppedRun returns the dropped tools an exec runs: its program and the
// script or archive its runner loads, where droppedPath says tools are
// dropped. The kernel names a program deleted since it started "…
// (deleted)": the path is still the one to hunt.
func droppedRun(exe string, args []string) []string {
	var out []string
	for _, f := range append([]string{exe}, detect.LoadedCode(args)...) {
		if f = strings.TrimSuffix(f, " (deleted)"); droppedPath(f) {
			out = append(out, f)
		}
	}
	return out
}

// droppedPath reports whether an absolute path is where dropped tools sit:
// a temporary or memory-backed folder, or a name or folder hidden by a
// leading dot.
func droppedPath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.Contains(p, "/../") {
		return false
	}
	if detect.Staged(p) {
		return true
	}
	parts := strings.Split(p[1:], "/")
	for i, e := range parts {
		if !strings.HasPrefix(e, ".") {
			continue
		}
		// a dot-folder right in a home directory is where the account's
		// own tools install (~/.pyenv, ~/.nvm, ~/.local): hidden from
		// listings, not dropped; a hidden name below it still counts
		home := i == 1 && parts[0] == "root" || i == 2 && parts[0] == "home"
		if !home || i < len(parts)-1 && slices.ContainsFunc(parts[i+1:], func(x string) bool { return strings.HasPrefix(x, ".") }) {
			return true
		}
		return false
	}
	return false
}

// userIOC names an account as "name (uid N)", or "uid N" without a name.
func userIOC(name string, uid parser.ID) string {
	switch {
	case name != "" && uid.Set:
		return name + " (uid " + strconv.FormatUint(uint64(uid.N), 10) + ")"
	case name != "":
		return name
	case uid.Set:
		return "uid " + strconv.FormatUint(uint64(uid.N), 10)
	}
	return ""
}

// compareIDs orders report ids (F0001, F10000, C01) by number, not text, so
// that ids wider than their padding still sort right.
func compareIDs(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}
