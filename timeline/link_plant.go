package timeline

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// A planted script that starts a loop in the background — `( while …; do
// dig …; sleep 3; done ) &` in a git hook, a profile, a cron script — runs
// it in a subshell that never execs. A fork makes no audited record of its
// own, so the loop's children name a parent pid the log never shows, and
// every round of the loop (its own $(…) subshell again) becomes a family
// of its own, cut from the intrusion (nginx-lfi capture: the post-merge
// hook's DNS beacon, nine families under four unseen pids).
//
// linkPlantForks joins such a family to the chain of a planted file that
// ran just before it, when the family's root was never seen, its first
// child started at most plantForkWindow after the plant ran, as the same
// user, on the same host, in the same working directory (a subshell keeps
// its script's cwd). A later family whose children run the same commands
// (their templates, numbers abstracted) as one joined this way, again
// from an unseen root with the same user and cwd, at most plantRoundGap
// after the last, is the loop's next round. Both links are inferred and
// say so: no fork is recorded. The planted file's run itself is observed
// (planted-file-run, detect/ownremoval.go), which is what makes the window
// worth trusting: the intrusion's own file ran, and a family appeared.

// plantForkWindow bounds the time from the plant's exec to the first
// child of the subshell it forked: a fork, a fork and an exec.
const plantForkWindow = 2 * time.Second

// plantRoundGap bounds the time between two rounds of a loop.
const plantRoundGap = time.Minute

type plantRun struct {
	at      time.Time
	host    string
	cwd     string
	uid     uint32
	proc    *parser.Process
	anchor  *parser.Process
	command string
}

// unseenFamily is an anchor whose own pid the log never shows, with what
// its direct children show of it.
type unseenFamily struct {
	root  *parser.Process
	first parser.Exec // the earliest exec of its direct children
	shape string      // the sorted templates of its children's commands
	// joined: the tree already hung the root under the plant's process
	// (parser's inferSubshellParent: its command or nearest pid says so);
	// it starts the rounds without a link of its own
	joined bool
}

func (l *linker) linkPlantForks() {
	if l.tree == nil {
		return
	}
	var runs []plantRun
	for _, f := range l.findings {
		if f == nil || f.Event == nil || !slices.Contains(f.RuleIDs, detect.RulePlantedFileRun) {
			continue
		}
		p := procOf(f)
		a := l.anchor(p)
		if p == nil || a == nil || !f.Event.UID.Set {
			continue
		}
		runs = append(runs, plantRun{f.Time, f.Event.Host, f.Event.Cwd, f.Event.UID.N, p, a, strings.Join(f.Event.Args, " ")})
	}
	if len(runs) == 0 {
		return
	}
	var fams []unseenFamily
	for _, a := range l.anchors {
		if a.Parent != nil || !unnamed(a) {
			continue
		}
		if fam, ok := l.unseenFamily(a); ok {
			fams = append(fams, fam)
		}
	}
	for _, run := range runs {
		l.tree.LoadChildren(run.proc)

		for _, c := range run.proc.Children {
			if !c.Placeholder || !c.ParentInferred() || !unnamed(c) && c.Exe != run.proc.Exe {
				continue
			}
			if fam, ok := l.unseenFamily(c); ok {
				fam.joined = true
				fams = append(fams, fam)
			}
		}
	}
	sort.SliceStable(fams, func(i, j int) bool { return fams[i].first.Time.Before(fams[j].first.Time) })
	type roundKey struct {
		host, cwd, shape string
		uid              uint32
	}
	type round struct {
		last time.Time
		run  plantRun
		by   *parser.Process // the family the loop was first seen in
	}
	rounds := map[roundKey]*round{}
	for _, fam := range fams {
		e := fam.first
		if !e.UID.Set {
			continue
		}
		k := roundKey{fam.root.Key.Host, e.Cwd, fam.shape, e.UID.N}
		if fam.joined {
			for _, run := range runs {
				if run.proc == fam.root.Parent {
					rounds[k] = &round{e.Time, run, fam.root}
				}
			}
			continue
		}
		if r, ok := rounds[k]; ok && e.Time.Sub(r.last) <= plantRoundGap {
			l.union(procKey{fam.root}, procKey{r.run.anchor}, e.Time, fmt.Sprintf(
				"planted loop (inferred): %s was never seen, and its children run the same commands as those of %s, again as %s in %s, %s after the last round: the next round of the loop the planted file started (`%s`)",
				label(fam.root), label(r.by), userOf(e.UID, r.run.proc), e.Cwd, e.Time.Sub(r.last).Round(time.Millisecond), clipCommand(r.run.command, 80)))
			r.last = e.Time
			continue
		}
		for _, run := range runs {
			d := e.Time.Sub(run.at)
			if run.host != k.host || run.uid != k.uid || run.cwd != k.cwd || d <= 0 || d > plantForkWindow {
				continue
			}
			if l.anchor(fam.root) == run.anchor {
				break
			}
			l.union(procKey{fam.root}, procKey{run.anchor}, e.Time, fmt.Sprintf(
				"planted loop (inferred): %s was never seen (a forked subshell makes no audited record); its first child started %s after %s ran the planted file (`%s`), as the same user, in the same working directory %s",
				label(fam.root), d.Round(time.Millisecond), label(run.proc), clipCommand(run.command, 80), e.Cwd))
			rounds[k] = &round{e.Time, run, fam.root}
			break
		}
	}
}

// maxFamilyChildren bounds the children read to describe an unseen root:
// a server started before the log has thousands, and a loop's subshell a
// handful per round.
const maxFamilyChildren = 64

// unseenFamily describes the anchor a by its direct children: the earliest
// exec among them and the sorted set of their command templates. A root
// with more children than maxFamilyChildren (a server started before the
// log) is not a subshell's family and is left alone.
func (l *linker) unseenFamily(a *parser.Process) (unseenFamily, bool) {
	l.tree.LoadChildren(a)
	if len(a.Children) == 0 || len(a.Children) > maxFamilyChildren {
		return unseenFamily{}, false
	}
	fam := unseenFamily{root: a}
	var shapes []string
	for _, c := range a.Children {
		e, ok := firstExec(c)
		if !ok {
			continue
		}
		if fam.first.Time.IsZero() || e.Time.Before(fam.first.Time) {
			fam.first = e
		}
		if t := commandTemplate(e.Args); !slices.Contains(shapes, t) {
			shapes = append(shapes, t)
		}
	}
	if fam.first.Time.IsZero() {
		return unseenFamily{}, false
	}
	slices.Sort(shapes)
	fam.shape = strings.Join(shapes, "\n")
	return fam, true
}

// linkCallbacks joins a planted backdoor's callback to the persistence
// act that named its address: the connect goes to exactly the address
// and port the plant's own command line holds (detect/callback.go), which
// ties the two however far apart they ran — the plant in the web chain,
// the callback under cron's logrotate or in a login (observed: both are
// in the log, and the address is in the plant's argv).
func (l *linker) linkCallbacks() {
	for i, f := range l.findings {
		if !slices.Contains(f.RuleIDs, detect.RuleBackdoorCallback) && f.RuleID != detect.RuleBackdoorCallback {
			continue
		}
		for _, e := range f.Related {
			if e == nil || e.Kind == parser.KindConnect {
				continue
			}
			for _, j := range l.findingsOf(e) {
				if j == i {
					continue
				}
				l.union(findingKey(i), findingKey(j), f.Time, fmt.Sprintf(
					"callback: %s connected to %s, the address the persistence act of %s at %s names in its command line",
					label(procOf(f)), f.Event.Peer.String(), label(procOf(l.findings[j])), when(l.findings[j].Time)))
			}
		}
	}
}

// linkChangedAccountLogins joins a login into an account the intrusion
// changed (detect/accountlogin.go) to the chain of the act that changed
// it: the session descends from sshd or cron, not from the intrusion, and
// the tie is the account's name (inferred, as the finding says).
func (l *linker) linkChangedAccountLogins() {
	for i, f := range l.findings {
		if !slices.Contains(f.RuleIDs, detect.RuleLoginChangedAccount) {
			continue
		}
		for _, e := range f.Related {
			if e == nil {
				continue
			}
			what := detect.AccountChangeText(e)
			for _, j := range l.findingsOf(e) {
				if j == i {
					continue
				}
				l.union(findingKey(i), findingKey(j), f.Time, fmt.Sprintf(
					"account (inferred from the account): %s changed the account at %s (%s); %s runs in a login of that account %s",
					label(procOf(l.findings[j])), when(e.Time), what, label(procOf(f)), detect.Later(f.Time.Sub(e.Time))))
			}
		}
	}
}

// linkServiceClients joins a command a local service ran for the
// intrusion's client (detect/viaservice.go: a psql of the intrusion
// connects, the database accepts, and moments later runs a command as its
// own account under a backend the log never shows) to the chain of that
// client. The join is inferred, as the detection is: from the order of the
// connect, the accept and the command, which the finding cites.
func (l *linker) linkServiceClients() {
	for i, f := range l.findings {
		if !slices.Contains(f.RuleIDs, detect.RuleServiceCommand) {
			continue
		}
		var conn, acc *parser.Event
		for _, e := range f.Related {
			switch {
			case e == nil:
			case e.Kind == parser.KindConnect && conn == nil:
				conn = e
			case e.Kind == parser.KindAccept && acc == nil:
				acc = e
			}
		}
		if conn != nil && acc == nil {
			l.linkDebugClient(i, f, conn) // a debugger's port: no accept (detect/debugport.go)
			continue
		}
		if conn == nil || acc == nil {
			continue
		}
		a := l.anchor(conn.Proc)
		if a == nil || a == l.anchor(procOf(f)) {
			continue
		}
		l.union(findingKey(i), procKey{a}, f.Time, fmt.Sprintf(
			"via service (inferred from the order of events): %s connected to %s at %s, %s accepted a connection %s, and %s ran its command %s",
			label(conn.Proc), conn.Peer.String(), when(conn.Time), label(acc.Proc), detect.Later(acc.Time.Sub(conn.Time)),
			label(procOf(f)), detect.Later(f.Time.Sub(acc.Time))))
	}
}

// linkDebugClient joins a command a process ran through its debugger port
// (detect/debugport.go) to the chain of the client that connected there.
// A client below the web server is joined through its unit of work, as a
// database's client is. A client that is the server itself (the
// intruder's code running in the app's process: no shell, no child) has
// no unit of its own: what ties it to the intrusion is that the same
// process ran the intrusion's commands before — the newest finding at
// high below it, up to the connect, is joined. Both inferred, as the
// finding says.
func (l *linker) linkDebugClient(i int, f *detect.Finding, conn *parser.Event) {
	why := fmt.Sprintf("via debugger (inferred from the order of events and the port): %s connected to %s at %s, a debugger port declared in a command line, and %s ran its command %s",
		label(conn.Proc), conn.Peer.String(), when(conn.Time), label(procOf(f)), detect.Later(f.Time.Sub(conn.Time)))
	if a := l.anchor(conn.Proc); a != nil {
		if a != l.anchor(procOf(f)) {
			l.union(findingKey(i), procKey{a}, f.Time, why)
		}
		return
	}
	best := -1
	for j, g := range l.findings {
		if g.Time.After(conn.Time) {
			break // in time order
		}
		if g.Severity < detect.SeverityHigh || j == i || !runsBelow(procOf(g), conn.Proc) {
			continue
		}
		best = j
	}
	if best < 0 {
		return
	}
	g := l.findings[best]
	l.union(findingKey(i), findingKey(best), f.Time, why+fmt.Sprintf("; %s ran %s (%s) below it at %s, before the connect", label(conn.Proc), label(procOf(g)), g.Title, when(g.Time)))
}

// runsBelow reports whether p runs below (not as) a, within 8 generations.
func runsBelow(p, a *parser.Process) bool {
	if p == nil || a == nil {
		return false
	}
	for q, n := p.Parent, 0; q != nil && n < 8; q, n = q.Parent, n+1 {
		if q == a {
			return true
		}
	}
	return false
}

// A shell script of the intrusion that loops (an implant polling for
// tasks: `t=$(curl …); o=$(sh -c "$t" | base64)`) runs each task in a
// subshell it forks for $(…) or a pipeline: no audited record, so the
// task's shell names a parent pid the log never shows and becomes a family
// of its own, and each task is cut from the implant (shop-stockfeed: a
// root loop fetching its tasks from an IMAP inbox; its recon, its vhost
// backdoor and its exfiltration were five chains). linkScriptFamilies
// joins such a family to the script's chain when the script is the one
// that could have forked it: a shell running a script file in a chain
// with a high finding, of the same user, in the same working folder (not
// /, where every daemon runs), alive when the family's first child
// started (the script's own children span that time), forked before it
// (a lower pid), and no other shell of that user started in that folder
// between the two pids. Two candidates leave the family alone:
// ambiguous. A shell older than the script is not looked for (it would
// take an index of every shell); the link is inferred and says what was
// checked.
func (l *linker) linkScriptFamilies() {
	if l.tree == nil {
		return
	}
	type script struct {
		proc       *parser.Process
		anchor     *parser.Process
		start, end time.Time
		cwd, file  string
		uid        uint32
	}
	var scripts []script
	seen := map[*parser.Process]bool{}
	for _, f := range l.findings {
		p := procOf(f)
		if p == nil || seen[p] {
			continue
		}
		seen[p] = true
		a := l.anchor(p)
		if a == nil || l.anchorSev[a] < detect.SeverityHigh {
			continue
		}
		e, ok := commandExec(p)
		file := shellScriptFile(e.Args)
		if !ok || file == "" || !e.UID.Set || e.Cwd == "" || e.Cwd == "/" {
			continue
		}
		end := p.LastSeen
		l.tree.LoadChildren(p)
		for _, c := range p.Children {
			if c.LastSeen.After(end) {
				end = c.LastSeen
			}
		}
		scripts = append(scripts, script{p, a, e.Time, end, e.Cwd, file, e.UID.N})
	}
	if len(scripts) == 0 {
		return
	}
	for _, a := range l.anchors {
		if a.Parent != nil || !unnamed(a) {
			continue
		}
		fam, ok := l.unseenFamily(a)
		if !ok || !fam.first.UID.Set {
			continue
		}
		e := fam.first
		var match *script
		n := 0
		for i := range scripts {
			s := &scripts[i]
			if s.proc.Key.Host != a.Key.Host || s.uid != e.UID.N || s.cwd != e.Cwd ||
				a.Key.PID <= s.proc.Key.PID || e.Time.Before(s.start) || e.Time.After(s.end) {
				continue
			}
			n++
			match = s
		}
		if n != 1 || l.anchor(a) == match.anchor || l.shellBetween(match.proc, a, e) {
			continue
		}
		l.union(procKey{a}, procKey{match.anchor}, e.Time, fmt.Sprintf(
			"script's subshell (inferred): %s was never seen (a subshell a script forks for $(…) or a pipeline makes no audited record); its children ran as %s in %s at %s, while %s ran the script %s there (its own children seen from %s to %s); no other shell of that user started in that folder between the two pids",
			label(a), userOf(e.UID, match.proc), e.Cwd, when(e.Time), label(match.proc), match.file, when(match.start), when(match.end)))
	}
}

// shellBetween reports whether a shell other than the script's own
// processes, of the family's user and folder, started between the
// script's pid and the family root's (before the family's first child):
// it could as well have forked the family. The Builder's shell index
// answers (bounded: a folder it could not keep whole answers yes); no
// process is looked up by pid, which would read the whole tree.
func (l *linker) shellBetween(script, root *parser.Process, e parser.Exec) bool {
	return l.b.shells.other(root.Key.Host, e.Cwd, e.UID.N, script.Key.PID, root.Key.PID, e.Time)
}

// shellScriptFile returns the script file a shell's argv runs (sh FILE,
// bash -x FILE), "" for a command string (-c), a shell reading its input,
// or any other program.
func shellScriptFile(args []string) string {
	if len(args) < 2 {
		return ""
	}
	if b := path.Base(args[0]); !isShellName(b) || b == "busybox" { // busybox's first word is the applet
		return ""
	}
	for _, a := range args[1:] {
		switch {
		case a == "-c" || strings.HasPrefix(a, "-") && strings.Contains(a, "c") && !strings.HasPrefix(a, "--"):
			return ""
		case a == "-s" || a == "-i" || a == "--":
			return ""
		case strings.HasPrefix(a, "-"):
		default:
			return a
		}
	}
	return ""
}
