package timeline

import (
	"strings"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// Fetching and unpacking files is what an intruder does to bring tools,
// and what an admin's plugin install from the browser does too: the web
// server downloads an archive and unpacks it into the web root. Asking
// who and where the process runs (id, uname -a) is an intruder's first
// step and what an admin's diagnostics page does on every view
// (benign-desk). The act alone does not tell them apart; what follows
// does. So a finding that
// shows staging alone (detect.Finding.NeedsCorroboration: the rule's
// selections grade what a match shows, and a command that runs what it
// fetched is not staging) is high only when its chain corroborates it:
//
//   - another act of the chain shows intent: a finding at high or above
//     that is not staging or discovery alone (a reverse shell, a search
//     for a way to root, a secret read, a
//     run of a dropped file, persistence);
//   - a process of the chain runs a program from outside the system's
//     program folders: what was fetched or unpacked, run;
//   - the chain reached stage 2: a script written during the log served
//     it (a web shell);
//   - a request of the chain came back through a planted backdoor.
//
// Otherwise it drops one level (high → medium), with the reason, never
// deleted. An intruder who only fetches and unpacks shows nothing more
// than an install, and the report says so at medium: the principle is
// the evidence of intent in the chain, never a name, folder or URL.

// systemPrograms are the folders whose programs an unprivileged account
// cannot have written: running one is not running what was fetched.
var systemPrograms = []string{"/usr/", "/bin/", "/sbin/", "/lib/", "/lib64/", "/opt/", "/snap/", "/nix/store/"}

// corroborate returns the chain's findings with the staging-alone ones
// that nothing in the chain corroborates replaced by demoted copies, and
// records the copies in repl. members are the chain's graph nodes.
func (l *linker) corroborate(fs []*detect.Finding, members []any, repl map[*detect.Finding]*detect.Finding) []*detect.Finding {
	var weak []int
	weakProcs := map[*parser.Process]bool{}
	shows := map[*parser.Process]detect.Shows{} // what the weak act of a process shows
	for i, f := range fs {
		if f.NeedsCorroboration && f.Severity >= detect.SeverityHigh {
			weak = append(weak, i)
			if p := procOf(f); p != nil {
				weakProcs[p] = true
				shows[p] = f.Shows
			}
		}
	}
	if len(weak) == 0 {
		return fs
	}
	// what the staging itself wrote (the files an unzip unpacked into the
	// web root) is its output, not evidence of intent beside it: judged
	// with it
	output := map[*detect.Finding]bool{}
	for i, f := range fs {
		if !f.NeedsCorroboration && f.Event != nil && f.Event.Path != "" &&
			(f.Event.Kind == parser.KindFileWrite || f.Event.Kind == parser.KindRename) && below(procOf(f), weakProcs) {
			output[f] = true
			if f.Severity >= detect.SeverityHigh {
				weak = append(weak, i)
			}
		}
	}
	chainWide, intents := l.corroboration(fs, members, output)
	if chainWide {
		return fs
	}
	tied := l.tiedByEvidence(intents)
	out := append([]*detect.Finding(nil), fs...)
	for _, i := range weak {
		if tied(fs[i]) {
			continue
		}
		d := *fs[i]
		d.Severity = fs[i].Severity - 1
		what := "it only fetches or unpacks files or names temporary ones, as installs, updates and applications do"
		switch fs[i].Shows {
		case detect.ShowsDiscovery:
			what = "it only asks who and where it runs or what runs on a schedule (discovery: id, uname, crontab -l), as status, diagnostics and scheduling pages do on every view"
		case detect.ShowsWritten:
			what = "it only writes a script where the site serves it, as installers, plugin managers and settings pages do"
		case detect.ShowsTransfer:
			what = "it only sends files to a destination, as integrations, publishing and off-site backups do"
		case detect.ShowsCollection:
			what = "it only packs files into an archive with a program the server started itself, as an application's exports do"
		case detect.ShowsSchedule:
			what = "it only installs the account's crontab from the application's own code (crontab started with an argument list, no shell; the table on its standard input, which the log does not show), as scheduling pages do"
		case detect.ShowsShippedSchedule:
			what = "it only installs the account's crontab from a file of the site's served tree that no record shows written during the log (the shell runs nothing but crontab and filters of its listing), as a release job installing the release's table does"
		}
		if output[fs[i]] {
			what = "it is the output of an act that only fetches or unpacks files, as installs and updates do"
			switch shownAbove(procOf(fs[i]), shows) {
			case detect.ShowsSchedule:
				what = "it is the spool file crontab wrote for an install of the account's crontab from the application's own code (no shell; the table not in the log), as scheduling pages do"
			case detect.ShowsShippedSchedule:
				what = "it is the spool file crontab wrote for an install of the account's crontab from a file of the site's served tree that no record shows written during the log, as a release job does"
			}
		}
		nothing := ", and nothing in its chain shows intent " +
			"(no other act at high, no program run from outside the system's folders, no script written during the log served it)"
		if len(intents) > 0 {
			nothing = ", and the acts of its chain that show intent are tied to it by time alone " +
				"(the same server's children, close together), not by evidence (ancestry, a file, a peer, a request)"
		}
		d.Reason = strings.TrimSpace(d.Reason + "; kept at " + d.Severity.String() + ": " + what + nothing)
		repl[fs[i]] = &d
		out[i] = &d
	}
	return out
}

// shownAbove is what the weak act of p or its nearest ancestor with one
// shows.
func shownAbove(p *parser.Process, shows map[*parser.Process]detect.Shows) detect.Shows {
	for i := 0; p != nil && i < 8; i, p = i+1, p.Parent {
		if s, ok := shows[p]; ok {
			return s
		}
	}
	return ""
}

// below reports whether p or one of its near ancestors is in ps.
func below(p *parser.Process, ps map[*parser.Process]bool) bool {
	for i := 0; p != nil && i < 8; i, p = i+1, p.Parent {
		if ps[p] {
			return true
		}
	}
	return false
}

// corroboration says whether the chain as a whole corroborates its
// staging acts — a script written during the log served it, a program run
// from outside the system's folders, a request that came back through a
// planted backdoor — and returns its acts that show intent (high, not
// staging alone), which corroborate only what evidence ties them to
// (tiedByEvidence).
func (l *linker) corroboration(fs []*detect.Finding, members []any, output map[*detect.Finding]bool) (bool, []*detect.Finding) {
	procs := map[*parser.Process]bool{}
	var intents []*detect.Finding
	for _, f := range fs {
		if output[f] {
			continue
		}
		if f.Severity >= detect.SeverityHigh && !f.NeedsCorroboration {
			intents = append(intents, f)
		}
		if f.Stage == detect.StageWebshellUpload && f.Severity >= detect.SeverityMedium && !f.NeedsCorroboration {
			return true, nil // (a script's write alone is what is judged, not its own corroboration)
		}
		if p := procOf(f); p != nil {
			procs[p] = true
		}
	}
	for _, k := range members {
		pk, ok := k.(procKey)
		if !ok {
			continue
		}
		if rl, ok := l.cz.execs[pk.p]; ok && rl.Backdoor != "" {
			return true, nil
		}
		procs[pk.p] = true
		if l.tree != nil {
			for _, d := range l.tree.Descendants(pk.p) {
				procs[d] = true
			}
		}
	}
	for p := range procs {
		if runsFetchedProgram(p) {
			return true, nil
		}
	}
	return false, intents
}

// tiedByEvidence returns whether a staging act is tied to one of intents
// by evidence: both in one chain of the evidence-only links (ancestry, a
// file, a peer, a request; routine.go's), not only by the time rules that
// join a server's children close together. An intruder's fetch is joined
// to its reverse shell by what it fetched or by their shell; a student's
// photo link fetched by the same app a second before a scanner's
// file:///etc/passwd is not (kiln-photourl's innocent gallery links).
func (l *linker) tiedByEvidence(intents []*detect.Finding) func(*detect.Finding) bool {
	if len(intents) == 0 {
		return func(*detect.Finding) bool { return false }
	}
	if l.evidenceOnly {
		return func(*detect.Finding) bool { return true }
	}
	if l.evComp == nil && l.ev != nil {
		// kept while this linker linked (evidenceLinks): every finding
		// has its node from link's first rule
		l.evComp = make(map[*detect.Finding]int, len(l.findings))
		for i, f := range l.findings {
			l.evComp[f] = l.ev.find(l.ids[findingKey(i)])
		}
	}
	if l.evComp == nil {
		// the evidence-only linking is a second linker as big as this
		// one (its nodes, keys and notes): only each finding's component
		// is read, so that is what is kept (the chains' assembly, where
		// it is asked, is where a scan's memory peaks)
		ev := newLinker(l.b, l.tree, l.findings, l.cz)
		ev.evidenceOnly = true
		ev.link()
		l.evComp = make(map[*detect.Finding]int, len(l.findings))
		for i, f := range l.findings {
			l.evComp[f] = ev.find(ev.id(findingKey(i)))
		}
	}
	comp := func(f *detect.Finding) (int, bool) {
		c, ok := l.evComp[f]
		return c, ok
	}
	// the intents' components, found once: a long archive's chain holds
	// thousands of staging acts and of intents, and asking every intent
	// for every staging act was quadratic (pid-repeating log)
	unknown := false // an intent the evidence linking does not know ties everything
	comps := make(map[int]bool, len(intents))
	for _, g := range intents {
		d, ok := comp(g)
		if !ok {
			unknown = true
			break
		}
		comps[d] = true
	}
	return func(f *detect.Finding) bool {
		c, ok := comp(f)
		if !ok {
			return true // not known to the evidence linking: judged with its chain
		}
		return unknown || comps[c]
	}
}

// runsFetchedProgram reports whether p's image lies outside the system's
// program folders; an unknown image shows nothing.
func runsFetchedProgram(p *parser.Process) bool {
	exe := p.Exe
	if exe == "" || !strings.HasPrefix(exe, "/") {
		return false
	}
	for _, d := range systemPrograms {
		if strings.HasPrefix(exe, d) {
			return false
		}
	}
	return true
}
