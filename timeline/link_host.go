package timeline

import (
	"fmt"
	"maps"
	"net"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// victimData reports whether a file is the site's own data as its writer
// left it: content of a web root that is no script, written by the web
// server (write: the write, for its request) or by a unit of work under
// it that did nothing high (the application's helper making a
// thumbnail), for requests none of whose clients ran anything high (by a
// request tied to it alone); without a request, nothing says whose it
// was. Another actor encrypting, deleting or copying it acts on the
// victim's data; that makes the writer no part of that actor's intrusion
// (shop-reviews: the ransomware run over every customer's photo had
// joined each customer to the intruder). A file the intruder's own client
// uploaded (a probe, lab-nginx) stays tied to whoever removes it.
func (l *linker) victimData(file string, writer *parser.Process, write *parser.Event) bool {
	if isScript(file) || !l.o.inWebRoot(file) || writer == nil {
		return false
	}
	var rl RequestLink
	switch {
	case l.o.isWebServer(writer):
		rl = l.cz.uploads[write]
	case l.isWebRoot(writer):
		if s, ok := l.anchorSev[writer]; ok && s >= detect.SeverityHigh {
			return false
		}
		rl = l.cz.execs[writer]
	default:
		return false
	}
	reqs := rl.requests() // ambiguous: whichever it was
	if len(reqs) == 0 {
		return false // no request tells whose it was
	}
	for _, r := range reqs {
		if l.highClients()[identityOf(r)] {
			return false
		}
	}
	return true
}

// highClients are the clients (address and user agent) whose request,
// tied to it alone, spawned a unit of work with a high finding.
func (l *linker) highClients() map[identity]bool {
	if l.highIDs == nil {
		l.highIDs = map[identity]bool{}
		for _, r := range l.roots {
			if rl, ok := l.cz.execs[r]; ok && strong(rl) && l.anchorSev[r] >= detect.SeverityHigh {
				if id := identityOf(rl.Request); id.agent != "" {
					l.highIDs[id] = true
				}
			}
		}
	}
	return l.highIDs
}

// linkDroppedFiles (rule c): a file one unit of work wrote (or downloaded
// with curl -o / wget -O, or redirected into) and another later executed
// or named in its arguments: a tool downloaded then run by a cron job, an
// archive staged then sent.
func (l *linker) linkDroppedFiles() {
	drops := l.fileDrops()
	written, made, staging := drops.written, drops.made, drops.staging
	inMade := func(k fileKey, t time.Time) (string, fileDrop, bool) {
		dir := k.path
		for range 4 {
			if dir = path.Dir(dir); dir == "/" || dir == "." {
				break
			}
			dk := fileKey{k.host, dir}
			d, ok := lastBefore(made[dk], t)
			if !ok {
				continue
			}
			if !staging[dk] {
				return "", fileDrop{}, false
			}
			return dir, d, true
		}
		return "", fileDrop{}, false
	}

	// The execs of a process are read once, however many findings it has:
	// its findings share its anchor and so one component, and one union
	// per file links them all.
	done := map[*parser.Process]bool{}
	for i, f := range l.findings {
		p := procOf(f)
		a := l.anchor(p)
		if p == nil || a == nil {
			continue
		}
		if f.FiredHook != "" {
			// a start-up hook is read, never executed: detection inferred
			// which one fired (its reason says from what), and that
			// inference is the link
			k := fileKey{p.Key.Host, path.Clean(f.FiredHook)}
			if d, ok := lastBefore(written[k], f.Time); ok && d.anchor != a {
				l.union(findingKey(i), procKey{d.anchor}, f.Time, fmt.Sprintf("file: %s written by %s at %s, a start-up hook read by the interpreter that started %s at %s (inferred: its first child, just after it started)",
					k.path, label(d.proc), when(d.at), label(p), when(f.Time)))
			}
		}
		if f.TriedScript != "" {
			// a marker echoed just after a script landed: detection took
			// it for that script being tried, by the order alone, and
			// that inference is the link
			k := fileKey{p.Key.Host, path.Clean(f.TriedScript)}
			// the write the rule flagged, not an earlier one of the name
			// (an admin's touch): a server writing its own tree has no
			// unit of work to join
			if d, ok := lastBefore(written[k], f.TriedAt); ok && d.at.Equal(f.TriedAt) && d.anchor != a {
				l.union(findingKey(i), procKey{d.anchor}, f.Time, fmt.Sprintf("file: %s written into the served tree by %s at %s, then a marker echoed by %s at %s (inferred: the script just planted being tried; nothing but the order ties them)",
					k.path, label(d.proc), when(d.at), label(p), when(f.Time)))
			}
		}
		if done[p] {
			continue
		}
		done[p] = true
		for _, e := range p.Execs {
			link := func(u, how string) {
				k := fileKey{p.Key.Host, path.Clean(u)}
				d, ok := lastBefore(written[k], e.Time)
				if !ok {
					// a file no one is seen writing, inside a folder a unit
					// of work made for itself: its output read back, its
					// staging used (stillroom-savedview: the web shell's
					// `cat …/.jfr/o.txt`, which root's run of the chain's
					// script wrote by a redirection no record shows)
					if dir, md, in := inMade(k, e.Time); in && md.anchor != a {
						l.union(findingKey(i), procKey{md.anchor}, e.Time, fmt.Sprintf("folder: %s made by %s at %s, then %s, inside it, %s %s at %s (inferred: no record shows who wrote the file; that chain alone made the folder, and no other was seen writing into it before)",
							dir, label(md.proc), when(md.at), k.path, how, label(p), when(e.Time)))
						return
					}
					// a folder removed whole (rm -r) with what another
					// chain wrote inside it: its staging taken away
					// (shop-avatar: root's task removed the folder the web
					// shell's commands had written their output into)
					if removesTree(e.Args) {
						if w, d, ok := lastInside(drops, k, e.Time, a); ok && !d.existed && !l.victimData(w.path, d.anchor, nil) {
							by := "written by"
							if d.byArgs {
								by = "written (by its command line: no record of the write) by"
							}
							l.union(findingKey(i), procKey{d.anchor}, e.Time, fmt.Sprintf("folder: %s removed with everything in it by %s at %s; %s inside it was %s %s at %s",
								k.path, label(p), when(e.Time), w.path, by, label(d.proc), when(d.at)))
						}
					}
					return
				}
				if d.anchor == a {
					return
				}
				if how != "executed by" && (written[k][0].existed || l.victimData(k.path, d.anchor, nil)) {
					// acting on the site's data ties no one to its writer;
					// nor does naming a file that was there before the log
					// (its first write in the log changed it: the shop's
					// database the intruder changed, then read by the
					// admin's reindex). What was dropped is a file the log
					// shows made; running one ties whoever did it
					return
				}
				by := "written by"
				switch {
				case d.stomped:
					by = "hidden by a timestomp (inferred: whoever hides a file placed it; no record of its write) of"
				case d.byArgs:
					by = "written (by its command line: no record of the write) by"
				}
				l.union(findingKey(i), procKey{d.anchor}, e.Time, fmt.Sprintf("file: %s %s %s at %s, then %s %s at %s",
					k.path, by, label(d.proc), when(d.at), how, label(p), when(e.Time)))
			}
			link(e.Exe, "executed by")
			for _, u := range pathsIn(e.Args, e.Cwd) {
				how := "named in the arguments of"
				if u == e.Exe {
					how = "executed by"
				}
				link(u, how)
			}
		}
	}
}

// fileDrops returns linkDroppedFiles' writes, made folders and staging
// folders. A Build links the same findings' processes up to three times
// (routine's evidence-only pass, the chains, corroboration's
// evidence-only pass; demotion changes a finding's severity, not its
// process), so the anchors and the planted runs that cut them are the
// same, and so is what their subtrees wrote and made: on a long archive
// that walk (each anchor's subtree, read back from the spill) was a third
// of each linking. The tables are made once for the same anchors and
// planted runs (compared by pointer), read only after, and let go when
// Build returns.
func (l *linker) fileDrops() *droppedFiles {
	if c := l.b.drops; c != nil && slices.Equal(c.anchors, l.anchors) && maps.Equal(c.plantRuns, l.plantRuns) {
		return c
	}
	// every write of a name, in time order: an exec is linked to the
	// latest write before it, never to an older writer of the same name
	// (a long archive reuses /tmp/x across intrusions and days)
	written := map[fileKey][]fileDrop{}
	made := map[fileKey][]fileDrop{} // folders a unit of work's mkdir made
	add := func(host, p string, a, proc *parser.Process, at time.Time, existed, byArgs, stomped bool) {
		if a == nil || !strings.HasPrefix(p, "/") || detect.DeviceName(p) || strings.HasPrefix(p, "/proc/") {
			return
		}
		k := fileKey{host, path.Clean(p)}
		ds := written[k]
		if n := len(ds); n > 0 && ds[n-1].anchor == a && !at.Before(ds[n-1].at) {
			return // the same writer again: its first write stands
		}
		written[k] = append(ds, fileDrop{anchor: a, proc: proc, at: at, existed: existed, byArgs: byArgs, stomped: stomped})
	}
	for _, w := range l.b.fileOps {
		if w.Kind == parser.KindFileWrite || w.Kind == parser.KindRename {
			add(w.Host, w.Path, l.anchor(w.Proc), w.Proc, w.Time, detect.TargetExisted(w), false, false)
		}
	}
	// Each process is visited once: anchors nest (a shell below a web
	// server below a shell), and a subtree already walked has nothing
	// more to add.
	visited := map[*parser.Process]bool{}
	var stack []*parser.Process
	for _, a := range l.anchors {
		stack = append(stack[:0], a)
		for len(stack) > 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if visited[p] {
				continue
			}
			visited[p] = true
			for _, e := range p.Execs {
				for _, out := range outputsOf(e.Args) {
					add(p.Key.Host, out, a, p, e.Time, false, true, false)
				}
				// a file whose times a unit of work set to hide it was
				// placed by that unit, whoever the log shows writing it
				// (no one, when a shell fed on its stdin wrote it)
				for _, t := range detect.TimestompTargets(e.Args) {
					if !path.IsAbs(t) && path.IsAbs(e.Cwd) {
						t = path.Join(e.Cwd, t)
					}
					if t = path.Clean(t); path.IsAbs(t) {
						add(p.Key.Host, t, a, p, e.Time, false, true, true)
					}
				}
				for _, d := range madeFolders(e.Args, e.Cwd) {
					k := fileKey{p.Key.Host, d}
					made[k] = append(made[k], fileDrop{anchor: a, proc: p, at: e.Time, byArgs: true})
				}
			}
			l.tree.LoadChildren(p)
			kids := slices.Clone(p.Children)
			parser.SortProcesses(kids)
			for i := len(kids) - 1; i >= 0; i-- { // preorder, as Descendants
				stack = append(stack, kids[i])
			}
		}
	}
	for _, ds := range written {
		sort.SliceStable(ds, func(i, j int) bool { return ds[i].at.Before(ds[j].at) })
	}
	for _, ds := range made {
		sort.SliceStable(ds, func(i, j int) bool { return ds[i].at.Before(ds[j].at) })
	}
	// A folder one unit of work made is its staging: a file no one is seen
	// writing there, named later, is its output read back or its tool used.
	// Not when another unit made it too (mkdir -p before each invoice: the
	// application's folder) or wrote into it before it was made (it was
	// there already). Decided once per folder: a long archive's folders
	// are made and written thousands of times.
	staging := make(map[fileKey]bool, len(made))
	for dk, ds := range made {
		staging[dk] = !slices.ContainsFunc(ds[1:], func(m fileDrop) bool { return m.anchor != ds[0].anchor })
	}
	for k, ds := range written {
		dk := fileKey{k.host, path.Dir(k.path)}
		if !staging[dk] {
			continue
		}
		first := made[dk][0]
		for _, w := range ds {
			if !w.at.Before(first.at) {
				break // in time order
			}
			if w.anchor != first.anchor {
				staging[dk] = false
				break
			}
		}
	}
	// the files written below each folder (up to insideDepth levels up),
	// for a removal of the whole folder
	inside := map[fileKey][]fileKey{}
	for k := range written {
		dir := k.path
		for range insideDepth {
			if dir = path.Dir(dir); strings.Count(dir, "/") < 2 || dir == "/var/tmp" || dir == "/dev/shm" {
				break // no top or shared folder (/tmp, /var, /var/tmp): removing one is no one's staging
			}
			dk := fileKey{k.host, dir}
			inside[dk] = append(inside[dk], k)
		}
	}
	for dk, ks := range inside {
		// in path order, then cut: which files a full folder keeps must
		// not depend on the map's order
		sort.Slice(ks, func(i, j int) bool { return ks[i].path < ks[j].path })
		if len(ks) > maxInside {
			inside[dk] = ks[:maxInside:maxInside]
		}
	}
	d := &droppedFiles{anchors: slices.Clone(l.anchors), plantRuns: maps.Clone(l.plantRuns), written: written, made: made, staging: staging, inside: inside}
	l.b.drops = d
	return d
}

// droppedFiles is fileDrops' tables for one set of anchors and planted
// runs, kept for the next linker of the same Build (Build lets it go).
type droppedFiles struct {
	anchors   []*parser.Process
	plantRuns map[*parser.Process]bool
	written   map[fileKey][]fileDrop // every write of a name, in time order
	made      map[fileKey][]fileDrop // folders a unit of work's mkdir made, in time order
	staging   map[fileKey]bool       // a made folder only its maker used
	inside    map[fileKey][]fileKey  // the written files below a folder
}

// insideDepth is how many folders up a written file counts as inside one;
// maxInside bounds the files kept per folder (a cache folder of a long
// archive), so that a removal's look stays bounded.
const (
	insideDepth  = 4
	maxInside    = 1024
	maxBackSteps = 16
)

// lastInside returns the latest write before t, by another unit of work
// than a, of a file inside folder k.
func lastInside(d *droppedFiles, k fileKey, t time.Time, a *parser.Process) (fileKey, fileDrop, bool) {
	var bk fileKey
	var best fileDrop
	found := false
	for _, w := range d.inside[k] {
		ds := d.written[w]
		// the latest write before t by another unit: searched, then a
		// few steps back past the remover's own (a file written again and
		// again over a long archive is not read whole per removal)
		i := sort.Search(len(ds), func(i int) bool { return !ds[i].at.Before(t) })
		for j := i - 1; j >= 0 && j >= i-maxBackSteps; j-- {
			if x := ds[j]; x.anchor != a {
				if !found || x.at.After(best.at) {
					bk, best, found = w, x, true
				}
				break
			}
		}
	}
	return bk, best, found
}

// removesTree reports whether a command line is rm with a recursive flag.
func removesTree(args []string) bool {
	if len(args) < 3 || path.Base(args[0]) != "rm" {
		return false
	}
	for _, a := range args[1:] {
		if a == "--" {
			break
		}
		if detect.RecursiveFlag(a) {
			return true
		}
	}
	return false
}

// madeFolders returns the folders a mkdir command line makes (absolute,
// or read against its cwd), at most maxMade; nil for any other command.
func madeFolders(args []string, cwd string) []string {
	if len(args) < 2 || path.Base(args[0]) != "mkdir" {
		return nil
	}
	var out []string
	for i := 1; i < len(args) && len(out) < maxMade; i++ {
		a := args[i]
		switch {
		case a == "-m" || a == "--mode":
			i++ // the mode's value
		case strings.HasPrefix(a, "-"):
		case strings.HasPrefix(a, "/"):
			out = append(out, path.Clean(a))
		case path.IsAbs(cwd):
			out = append(out, path.Join(cwd, a))
		}
	}
	return out
}

// maxMade bounds the folders one mkdir is read for.
const maxMade = 8

// fileDrop is one write of a file: by which process, under which anchor,
// when.
type fileDrop struct {
	anchor  *parser.Process
	proc    *parser.Process
	at      time.Time
	existed bool // the write changed a file that was there before (its PATH records say so)
	byArgs  bool // known from the writer's command line (a redirection, curl -o, cp), not a write record
	stomped bool // named by the unit's timestomp (touch -r/-d/-t), its only trace
}

// lastBefore returns the latest of ds (sorted by time) at or before t.
func lastBefore(ds []fileDrop, t time.Time) (fileDrop, bool) {
	i := sort.Search(len(ds), func(i int) bool { return ds[i].at.After(t) })
	if i == 0 {
		return fileDrop{}, false
	}
	return ds[i-1], true
}

// outputsOf returns files a command line writes by its arguments: curl -o,
// wget -O, tar -cf, and shell redirections inside sh -c strings.
func outputsOf(args []string) []string {
	var out []string
	if len(args) == 0 {
		return nil
	}
	name := path.Base(args[0])
	if name == "chmod" && len(args) > 2 && runnableMode(args[1]) {
		// a file made runnable was prepared to run by whoever did it
		// (a hook script written by a shell redirection the log cannot
		// see, then chmod 755): its later run ties back to them
		for _, a := range args[2:] {
			if strings.HasPrefix(a, "/") {
				out = append(out, a)
			}
		}
		return out
	}
	if name == "cp" || name == "install" || name == "mv" {
		// a file copied or moved into place is written by whoever did it
		// (cp of a dropped implant into /usr/local/lib, a folder no watch
		// covers): its destination, the last operand, or the sources'
		// names in it when it is a folder given with a trailing slash
		return copyTargets(args)
	}
	for i := 1; i < len(args); i++ {
		a := args[i]
		switch {
		case (name == "curl" && (a == "-o" || a == "--output")) || (name == "wget" && (a == "-O" || a == "--output-document")):
			if i+1 < len(args) {
				out = append(out, args[i+1])
			}
		case name == "tar" && i == 1 && strings.Contains(a, "c") && strings.HasSuffix(strings.TrimLeft(a, "-"), "f"):
			if i+1 < len(args) {
				out = append(out, args[i+1])
			}
		case strings.HasPrefix(a, "--output-document="), strings.HasPrefix(a, "--output="):
			_, v, _ := strings.Cut(a, "=")
			out = append(out, v)
		}
		if strings.ContainsAny(a, "> ") {
			for _, f := range strings.Fields(a) {
				if i := strings.LastIndexByte(f, '>'); i >= 0 && i+1 < len(f) && f[i+1] == '/' {
					out = append(out, strings.TrimRight(f[i+1:], ";&|)"))
				}
			}
			fs := strings.Fields(a)
			for j := 0; j+1 < len(fs); j++ {
				if strings.HasSuffix(fs[j], ">") && !strings.HasSuffix(fs[j], "&>") || fs[j] == ">>" {
					// the word ends where the shell's list or pipe goes on
					// (`> x.pth; touch …`): the `;` is no part of the name
					out = append(out, strings.Trim(strings.TrimRight(fs[j+1], ";&|)"), `'"`))
				}
			}
		}
	}
	return out
}

// copyTargets returns the files cp, install or mv writes: the last
// operand, or each source's name below it when it ends in a slash. A
// target given by -t, or fewer than two operands, gives none.
func copyTargets(args []string) []string {
	var ops []string
	for i := 1; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-t" || strings.HasPrefix(a, "--target-directory"):
			return nil
		case a == "-m" || a == "-o" || a == "-g" || a == "-S" || a == "--suffix":
			i++ // install's and mv's options with a value
		case strings.HasPrefix(a, "-") && len(a) > 1:
		default:
			ops = append(ops, a)
		}
	}
	if len(ops) < 2 || !strings.HasPrefix(ops[len(ops)-1], "/") {
		return nil
	}
	dst := ops[len(ops)-1]
	if !strings.HasSuffix(dst, "/") {
		return []string{dst}
	}
	out := make([]string, 0, len(ops)-1)
	for _, src := range ops[:len(ops)-1] {
		out = append(out, dst+path.Base(src))
	}
	return out
}

// runnableMode reports whether a chmod mode makes a file executable: +x
// in a symbolic mode, or an execute bit in a numeric one.
func runnableMode(m string) bool {
	if strings.Contains(m, "+") && strings.ContainsAny(m[strings.Index(m, "+"):], "xX") {
		return true
	}
	if m == "" || strings.Trim(m, "01234567") != "" {
		return false
	}
	for _, c := range m[max(0, len(m)-3):] {
		if (c-'0')&1 == 1 {
			return true
		}
	}
	return false
}

// pathsIn returns the paths named in argv, shell strings split on blanks,
// an "@file" (curl --data-binary @/etc/passwd) and an option's value
// (-javaagent:/a.jar=/b.sh) included: absolute ones, and — when the
// exec's cwd is known — a whole argument that names a file below it (git
// runs its hooks as ".git/hooks/post-merge").
func pathsIn(args []string, cwd string) []string {
	var out []string
	for i, a := range args {
		if i == 0 {
			continue
		}
		if path.IsAbs(cwd) && strings.Contains(a, "/") && !strings.HasPrefix(a, "/") && !strings.ContainsAny(a, " \t:=$") {
			out = append(out, path.Join(cwd, a))
		}
		for _, f := range strings.Fields(a) {
			f = strings.Trim(f, "'\";&|()<>")
			f = strings.TrimPrefix(f, "@")
			if strings.HasPrefix(f, "/") && len(f) > 1 {
				out = append(out, f)
			}
			if strings.ContainsAny(f, "=:") {
				// a path given as an option's value or in a list:
				// --file=/x, -javaagent:/a.jar=/b.sh, -cp /a.jar:/b.jar
				// (a URL's "//host/…" is no path)
				for _, p := range strings.FieldsFunc(f, func(r rune) bool { return r == '=' || r == ':' }) {
					if strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "//") && len(p) > 1 {
						out = append(out, p)
					}
				}
			}
		}
	}
	return out
}

// linkCron (rule d): a crontab installed by a unit of work ties to the jobs
// cron later runs for that user. The jobs are children of cron, not of
// the attacker; the crontab (its owner, its install time) is the link.
func (l *linker) linkCron() {
	type install struct {
		host  string
		user  string
		uid   parser.ID
		at    time.Time
		proc  *parser.Process
		how   string
		event *parser.Event
	}
	var ins []install
	for _, w := range l.b.fileOps {
		if w.Proc == nil || (w.Kind != parser.KindFileWrite && w.Kind != parser.KindRename) {
			continue
		}
		dir, file := path.Split(path.Clean(w.Path))
		if !strings.HasPrefix(dir, "/var/spool/cron/") || strings.HasPrefix(file, "tmp.") || strings.HasPrefix(file, "#") {
			continue
		}
		in := install{host: w.Host, user: file, at: w.Time, proc: w.Proc, how: "written to " + path.Clean(w.Path), event: w}
		if file == w.Proc.User {
			in.uid = w.Proc.UID
		}
		ins = append(ins, in)
	}
	for _, e := range l.b.crontabs {
		if e.Proc == nil {
			continue
		}
		user, installs := e.User, true
		for i := 1; i < len(e.Args); i++ {
			switch e.Args[i] {
			case "-l", "-r", "-V":
				installs = false
			case "-u":
				if i+1 < len(e.Args) {
					user = e.Args[i+1]
					i++
				}
			}
		}
		if !installs {
			continue
		}
		in := install{host: e.Host, user: user, at: e.Time, proc: e.Proc, how: "installed with " + strings.Join(e.Args, " "), event: e}
		if user == e.User || user == "" {
			in.uid = e.UID
		}
		ins = append(ins, in)
	}
	// A cron run executes the crontab in force when it started: the
	// newest install for its user before it. Linking each run to that one
	// install (not to every earlier one) is both what happened and linear:
	// logs with thousands of installs and runs made the all-pairs loop
	// dominate the scan.
	sort.SliceStable(ins, func(i, j int) bool { return ins[i].at.Before(ins[j].at) })
	byProc := map[*parser.Process][]int{}
	for i, in := range ins {
		byProc[in.proc] = append(byProc[in.proc], i)
	}
	runs := func(in install, r *parser.Process) bool {
		return in.host == r.Key.Host && (in.user != "" && r.User == in.user || in.uid.Set && r.UID == in.uid)
	}
	jobs := newJobRuns()
	for _, r := range l.anchors {
		if r.Parent == nil || !isCron(r.Parent) {
			continue
		}
		n := sort.Search(len(ins), func(i int) bool { return ins[i].at.After(r.FirstSeen) })
		newest := -1
		for i := n - 1; i >= 0; i-- {
			if runs(ins[i], r) {
				newest = i
				break
			}
		}
		if first, ok := jobs.firstRun(r, r.User); newest < 0 || ok && first.Before(ins[newest].at) {
			// a job whose very command line cron ran for the same user
			// before the install was in the table already: the install
			// kept it (an application rewriting its managed block,
			// benign-shop-spokeworks), it did not add it
			continue
		}
		a := l.anchor(ins[newest].proc)
		if a == nil {
			continue // the crontab in force came from no finding's process
		}
		// one install is often two records of one process (the crontab
		// exec and its write of the spool file): link them all
		for _, j := range byProc[ins[newest].proc] {
			in := ins[j]
			if j > newest || !runs(in, r) {
				continue
			}
			who := in.user
			if who == "" {
				who = "uid " + in.uid.String()
			}
			l.union(procKey{a}, procKey{r}, r.FirstSeen, fmt.Sprintf("cron: crontab of %s %s by %s at %s; cron ran %s as %s at %s",
				who, in.how, label(in.proc), when(in.at), label(r), who, when(r.FirstSeen)))
		}
	}
}

// peersOf returns the inet peers a finding shows: its connects, and
// /dev/tcp/IP/PORT redirections in the command lines of its process.
func peersOf(f *detect.Finding) []string {
	var out []string
	for _, e := range append([]*parser.Event{f.Event}, f.Related...) {
		if e != nil && e.Kind == parser.KindConnect && (e.Peer.Family == "inet" || e.Peer.Family == "inet6") {
			out = append(out, e.Peer.String())
		}
	}
	if p := procOf(f); p != nil {
		out = append(out, devTCPPeers(strings.Join(p.Args, " "))...)
	}
	return out
}

// devTCPPeers finds bash's /dev/tcp/HOST/PORT and /dev/udp/HOST/PORT.
func devTCPPeers(s string) []string {
	var out []string
	for _, pre := range []string{"/dev/tcp/", "/dev/udp/"} {
		rest := s
		for {
			i := strings.Index(rest, pre)
			if i < 0 {
				break
			}
			rest = rest[i+len(pre):]
			host, tail, ok := strings.Cut(rest, "/")
			if !ok {
				break
			}
			j := 0
			for j < len(tail) && tail[j] >= '0' && tail[j] <= '9' {
				j++
			}
			if j == 0 {
				continue
			}
			port, _ := strconv.Atoi(tail[:j])
			out = append(out, net.JoinHostPort(host, strconv.Itoa(port)))
		}
	}
	return out
}

// linkPeers (rule d): the peer of a reverse shell, beacon or exfiltration
// (findings of stages 4, 7 and 8) seen again — in another finding's
// connect or /dev/tcp string, or in a connect of another unit of work —
// is the same operator's endpoint. ssh and DNS ports are left out: they
// are shared infrastructure, and ssh has its own rule.
func (l *linker) linkPeers() {
	hostile := map[peerKey]bool{}
	stages := map[peerKey][]detect.Stage{} // the stages that made it hostile, for its note
	for _, f := range l.findings {
		switch f.Stage {
		case detect.StageSuspiciousSpawn, detect.StageCommandAndControl, detect.StageExfiltrationImpact:
			for _, p := range peersOf(f) {
				if l.linkablePeer(p) {
					k := peerKey{f.Host, p}
					hostile[k] = true
					if !slices.Contains(stages[k], f.Stage) {
						stages[k] = append(stages[k], f.Stage)
					}
				}
			}
		}
	}
	if len(hostile) == 0 {
		return
	}
	// One note per peer, written when its first user is linked: every
	// later use joins the same node, and listing each would drown the
	// chain's other links.
	uses := map[peerKey]*peerUse{}
	var order []peerKey
	touch := func(k peerKey, node any, s peerSight, p *parser.Process, at time.Time, finding int) {
		u := uses[k]
		if u == nil {
			u = newPeerUse(node, at)
			uses[k] = u
			order = append(order, k)
		}
		u.see(s, p, at, finding)
		l.union(node, k, at, "")
	}
	for i, f := range l.findings {
		for _, s := range peerSightings(f) {
			if k := (peerKey{f.Host, s.addr}); hostile[k] {
				touch(k, findingKey(i), s, procOf(f), f.Time, i)
			}
		}
	}
	for _, c := range l.b.connects {
		k := peerKey{c.Host, c.Peer.String()}
		if !hostile[k] {
			continue
		}
		if a := l.anchor(c.Proc); a != nil {
			if _, ok := l.anchorSev[a]; ok {
				touch(k, procKey{a}, peerSight{k.addr, peerConnect, c}, c.Proc, c.Time, -1)
			}
		}
	}
	for _, k := range order {
		u := uses[k]
		l.union(u.node, k, u.at, u.note(k.addr, stages[k]))
	}
}

func (l *linker) linkablePeer(addr string) bool { return l.b.intruderPeer(addr) }

func isLoopback(ip string) bool {
	p := net.ParseIP(ip)
	return p != nil && p.IsLoopback()
}

// linkSSH (rule f): an ssh login that a unit of work's own ssh client
// opened continues that unit of work under the new account and session.
// The client's connect shows only the server address; sshd's accept shows
// the client's address and port. They are matched by time (the accept
// within a second or two of the connect) and address, the accepting sshd's
// child process then logs the session (LOGIN/USER_START with auid and
// ses). Without accept records, a USER_START/USER_LOGIN from the client's
// address within seconds is taken only when it is the only one. The source
// address alone is never enough: an admin logs in from 127.0.0.1 too.
func (l *linker) linkSSH() {
	m := newSSHMatcher(l.b)
	for _, c := range l.b.connects {
		if !l.isSSHPort(c.Peer.Port) || c.Proc == nil {
			continue
		}
		a := l.anchor(c.Proc)
		if a == nil {
			continue
		}
		acc, login, how := m.loginOf(c)
		if login == nil {
			continue
		}
		s := sessKey{login.Host, login.AUID.N, login.SES.N}
		text := fmt.Sprintf("ssh: session %d (%s) on %s opened by %s: %s", login.SES.N, loginAccount(login), hostOr(login.Host), label(c.Proc), how)
		l.union(procKey{a}, s, c.Time, text)
		if l.sshOpened == nil {
			l.sshOpened = map[sessKey]*parser.Process{}
		}
		l.sshOpened[s] = c.Proc
		if acc != nil {
			for _, i := range l.findingsOf(acc) {
				l.union(findingKey(i), s, l.findings[i].Time, text)
			}
		}
	}
}

// sshMatcher finds the login an ssh client's connect opened, from the
// kept accepts and logins.
type sshMatcher struct {
	accepts, logins *timeIndex
	in, later       []int
}

func newSSHMatcher(b *Builder) *sshMatcher {
	return &sshMatcher{accepts: newTimeIndex(b.accepts), logins: newTimeIndex(b.logins)}
}

// loginOf returns the login the connect c to an ssh port opened, the
// accept that matched it (nil without accept records) and how they were
// matched; login is nil when none can be told.
func (m *sshMatcher) loginOf(c *parser.Event) (acc, login *parser.Event, how string) {
	m.in = m.accepts.in(c.Time.Add(-time.Second), c.Time.Add(2*time.Second), m.in)
	for _, i := range m.in {
		x := m.accepts.ev[i]
		if isLoopback(c.Peer.IP) && (x.Host != c.Host || !isLoopback(x.Peer.IP)) {
			continue
		}
		if acc == nil || absDur(x.Time.Sub(c.Time)) < absDur(acc.Time.Sub(c.Time)) {
			acc = x
		}
	}
	if acc != nil {
		m.in = m.logins.in(acc.Time, acc.Time.Add(30*time.Second), m.in)
		for _, i := range m.in {
			g := m.logins.ev[i]
			if g.Host != acc.Host || g.Proc == nil || !opensSession(g) {
				continue // a session's close (USER_END) is no login, though its daemon is the same
			}
			if g.Proc == acc.Proc || g.Proc.Parent == acc.Proc || g.Proc.Parent != nil && g.Proc.Parent.Parent == acc.Proc {
				if acceptedLater(m.accepts, acc, g, &m.later) {
					continue // the daemon accepted another connection before this session began: that one opened it
				}
				login = g
				break
			}
		}
		if login != nil {
			how = fmt.Sprintf("its connect to %s at %s matched %s's accept from %s at %s", c.Peer.String(), when(c.Time), label(acc.Proc), acc.Peer.String(), when(acc.Time))
		}
		return acc, login, how
	}
	var cands []*parser.Event
	sess := map[sessKey]bool{}
	m.in = m.logins.in(c.Time, c.Time.Add(10*time.Second), m.in)
	for _, i := range m.in {
		g := m.logins.ev[i]
		if g.Peer.IP == "" || !opensSession(g) {
			continue
		}
		if isLoopback(c.Peer.IP) && (g.Host != c.Host || !isLoopback(g.Peer.IP)) {
			continue
		}
		k := sessKey{g.Host, g.AUID.N, g.SES.N}
		if !sess[k] {
			sess[k] = true
			cands = append(cands, g)
		}
	}
	if len(cands) == 1 {
		login = cands[0]
		how = fmt.Sprintf("its connect to %s at %s is followed by the only ssh login from %s, at %s (no accept records to match the port)", c.Peer.String(), when(c.Time), login.Peer.IP, when(login.Time))
	}
	return nil, login, how
}

// opensSession reports whether a kept login record opens a session (the
// LOGIN record, PAM's session_open or a login), not one that closes or
// only touches it (USER_END, CRED_DISP).
func opensSession(g *parser.Event) bool {
	switch g.RecordType {
	case "LOGIN", "USER_START", "USER_LOGIN":
		return true
	}
	return false
}

// loginAccount names the account a login record opened a session for.
func loginAccount(login *parser.Event) string {
	switch {
	case login.AUser != "":
		return login.AUser
	case login.Account != "":
		return login.Account
	}
	return login.AUID.String()
}

// timeIndex orders a kept list of events by time once, so that the events
// of a time window are found by binary search instead of a walk of the
// whole list for every ssh connect.
type timeIndex struct {
	ev  []*parser.Event // as kept
	ord []int           // indices into ev, by time (stable)
}

func newTimeIndex(ev []*parser.Event) *timeIndex {
	x := &timeIndex{ev: ev, ord: make([]int, len(ev))}
	for i := range x.ord {
		x.ord[i] = i
	}
	sort.SliceStable(x.ord, func(i, j int) bool { return ev[x.ord[i]].Time.Before(ev[x.ord[j]].Time) })
	return x
}

// in returns, in out[:0], the indices of the events with from ≤ Time ≤ to
// in their list order: the order the walk of the list met them in, which
// decides ties.
func (x *timeIndex) in(from, to time.Time, out []int) []int {
	out = out[:0]
	lo := sort.Search(len(x.ord), func(i int) bool { return !x.ev[x.ord[i]].Time.Before(from) })
	for _, i := range x.ord[lo:] {
		if x.ev[i].Time.After(to) {
			break
		}
		out = append(out, i)
	}
	sort.Ints(out)
	return out
}

// findingsOf returns the indices of the findings made of event ev.
func (l *linker) findingsOf(ev *parser.Event) []int {
	if l.byEvent == nil {
		l.byEvent = map[*parser.Event][]int{}
		for i, f := range l.findings {
			l.byEvent[f.Event] = append(l.byEvent[f.Event], i)
		}
	}
	return l.byEvent[ev]
}

func (l *linker) isSSHPort(n int) bool {
	for _, p := range l.o.SSHPorts {
		if n == p {
			return true
		}
	}
	return false
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// linkContainers (rule e): findings of high severity or more in the same
// container, within Gap of each other, are one intrusion: a container runs
// one service, and its processes share one attack surface. Lower
// findings are left alone so that a container's routine noise does not
// pull its own chain together: a web container's health checks spawn
// shells all day (medium "web server shell spawn"), and joining them by
// container alone put a benign check at the head of the lab's attack.
func (l *linker) linkContainers() {
	if l.tree == nil || l.evidenceOnly {
		return
	}
	type ck struct{ host, id string }
	last := map[ck]int{}
	for i, f := range l.findings {
		p := procOf(f)
		if p == nil || f.Severity < detect.SeverityHigh {
			continue
		}
		c := l.tree.ContainerOf(p)
		if c.ID == "" {
			continue
		}
		k := ck{p.Key.Host, c.ID}
		if j, ok := last[k]; ok {
			if d := f.Time.Sub(l.findings[j].Time); d <= l.o.Gap {
				l.union(findingKey(j), findingKey(i), f.Time, fmt.Sprintf("container: %s and %s both in container %s, %s apart (bounded gap %s)",
					label(procOf(l.findings[j])), label(p), shortID(c.ID), roundDur(d), l.o.Gap))
			}
		}
		last[k] = i
	}
}

func shortID(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}
