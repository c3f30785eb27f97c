package detect

import (
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/auditchain/auditchain/internal/lazydfa"
	"github.com/auditchain/auditchain/parser"
)

// Removing what one brought is cleanup: an intruder undeploys the web
// shell's application, deletes the dropped tool, empties the staging
// folder. Deleting files is what applications do all day (caches,
// sessions, compiled templates), so the evidence is not the deletion but
// what was deleted: a file whose writing was itself a finding of these
// rules (a script written into the web root, an upload, a persistence
// file) and that the deleting process did not write as its routine. The
// FlaggedWrite field says so for a file event; own-file-removed reports it
// (anti-forensics, T1070.004, on the chain's last stage). At most
// maxFlagged files are remembered, the oldest forgotten first (counted in
// Engine.Dropped).

// maxFlagged bounds the files remembered as written by a finding.
const maxFlagged = 4096

// RulePlantedFileRun is the rule whose finding is a planted file running
// (rules/planted_file_run.yml): the timeline cuts a unit of work at it and
// the report tells it apart.
const RulePlantedFileRun = "planted-file-run"

// flaggedWriteRules are the rules whose finding on a file write makes the
// file the chain's.
var flaggedWriteRules = map[string]bool{
	"webroot-script-write": true, "webroot-file-upload": true, "webroot-script-modified": true,
	"webroot-config-backdoor": true, "web-persistence-file-write": true, "persistence-file-write": true,
	RuleServerOwnFileBelow: true, // a server's start script or program changed: run later, the plant fires
}

type flaggedWrites struct {
	m       map[writeKey]flaggedWrite // file → the finding that flagged its write
	order   []writeKey
	dropped int
	hooks   startupHooks // the flagged files an interpreter reads at start (startuphook.go)
	cmds    plantedCmds  // the commands the intrusion configured (plantcmd.go)
	// as counts the entries by the account that wrote them, and
	// loginHooks those of shell startup files (loginsession.go)
	as, loginHooks map[hostUID]int
	// names counts the entries of m by their file's base name: ran asks
	// it before cleaning a path and looking the path up, and every exec
	// of a busy server asks ran for its program and each PATH record
	names map[string]int32
}

// flaggedWrite is what is remembered of a flagged write: the rule, the
// writer's account, and the web server the writer acted for (nil when
// none): a planted file that runs later runs for that intrusion.
type flaggedWrite struct {
	rule string
	uid  parser.ID
	web  *parser.Process
	// server: the web server itself wrote the file (an upload it saved);
	// web is then nil, as no server is above the writer
	server bool
	at     time.Time // when the write (or the command that names it) was seen
	// orig: for a copy of one of the system's programs put in place under
	// another name (cp /usr/bin/curl …/kworker-sync), that program's name
	orig string
	// whole: written-for-web's file was made by the web side's write, not
	// changed by it (webWrite.created)
	whole bool
	// removed: when an rm's argv named the file or a folder above it
	// (noteRemoval); zero while it is taken to be there
	removed time.Time
	// named: for a dropped-by-command file, the act whose argv named it
	// ("named as written by the command line of dash[8769]"): no record
	// shows the write, so a run of it says the tie is inferred
	named string
	// copyOf: for a program-folder file the intrusion made by copying or
	// moving another (cp -p lib.so.1 .lib.so.1~), that file's path: the
	// original saved aside, which a later move back restores
	copyOf string
}

// note remembers the file of a finding on a write; web is the web server
// the writing process acted for, or nil, and server says the writer was a
// web server itself. It reports whether f flags a write (a nil f flags
// none).
func (w *flaggedWrites) note(f *Finding, web *parser.Process, server bool) bool {
	if f == nil {
		return false
	}
	ev := f.Event
	if ev == nil || ev.Path == "" || ev.Failed() || ev.Kind != parser.KindFileWrite && ev.Kind != parser.KindRename {
		return false
	}
	rule := ""
	for _, id := range f.RuleIDs {
		if flaggedWriteRules[id] {
			rule = id
			break
		}
	}
	if rule == "" {
		return false
	}
	w.add(writeKey{ev.Host, path.Clean(ev.Path)}, flaggedWrite{rule: rule, uid: ev.UID, web: web, server: server, at: ev.Time})
	return true
}

// add remembers one flagged file (the first flag of a file stands).
func (w *flaggedWrites) add(k writeKey, fw flaggedWrite) {
	if old, ok := w.m[k]; ok {
		if !old.removed.IsZero() {
			// written again after its removal: the new file is the one
			// that runs
			old.removed = time.Time{}
			w.m[k] = old
		}
		if old.rule != RuleDroppedByCommand || fw.rule == RuleDroppedByCommand {
			return
		}
		// a rule's finding on the write itself says more than the command
		// line that named the file (its redirection is seen first, at the
		// exec): a service's start script the intrusion rewrote is its
		// persistence, not a script of its own
		fw.web.Pin()
		old.web.Unpin()
		w.countAs(k, old, -1)
		w.hooks.remove(k)
		k.path = strings.Clone(k.path) // the hooks keep it: not a view of the record's text
		w.m[k] = fw
		w.countAs(k, fw, 1)
		w.hooks.add(k, fw)
		return
	}
	if w.m == nil {
		w.m = map[writeKey]flaggedWrite{}
	}
	if len(w.order) >= maxFlagged {
		if old, ok := w.m[w.order[0]]; ok {
			old.web.Unpin() // its entry's pin
			w.countAs(w.order[0], old, -1)
			w.countName(w.order[0], -1)
		}
		delete(w.m, w.order[0])
		w.order = w.order[1:]
		w.dropped++
	}
	fw.web.Pin()                   // kept past this event, until its entry goes
	k.path = strings.Clone(k.path) // kept past the event: not a view of its record text
	w.m[k] = fw
	w.countAs(k, fw, 1)
	w.countName(k, 1)
	w.order = append(w.order, k)
	w.hooks.add(k, fw)
}

// RuleServerOwnFileBelow is the rule whose finding is a change, made for
// the server, of the server's own start script or program
// (rules/server_own_file_below.yml).
const RuleServerOwnFileBelow = "server-own-file-below"

// RulePersistenceCommand names, in place of a rule, a persistence file
// known from the command that installed it rather than from a write
// record: the file is in a place no audit watch covers (a root shell's
// `echo … | base64 -d > /etc/update-motd.d/60-x`, then `chmod 755` of it),
// so only the command lines that name it show it.
const RulePersistenceCommand = "persistence-command"

// RuleProgramPlanted is the rule whose finding is a program copied into
// the system's program folders for the web server
// (rules/program_planted_web.yml): the copy's destination is remembered
// as planted, so that its later run is the plant firing.
const RuleProgramPlanted = "web-program-planted"

// noteCommand remembers the files an intruder's persistence command names
// (chmod 755 /etc/update-motd.d/60-x; the script a pam_exec line it
// appends will run), so that a file running later is seen as the plant
// firing. Only a command acting for the web server or in its channel or
// login counts: an administrator's edit of the same place is no plant.
func (w *flaggedWrites) noteCommand(f *Finding, web *parser.Process, intruder bool) {
	// a program planted by an account without root is placed as the
	// escalation it prepares (auditchain.unprivileged), and is as much a
	// file whose later run is the plant firing
	planted := f != nil && slices.Contains(f.RuleIDs, RuleProgramPlanted) && f.Stage == StageSuspiciousSpawn
	if f == nil || !intruder || f.Stage != StagePersistence && !planted || f.Event == nil || f.Event.Kind != parser.KindExec || f.Event.Failed() {
		return
	}
	ev := f.Event
	if slices.Contains(f.RuleIDs, RuleProgramPlanted) {
		// a program put into the system's folders: what a hook or job
		// runs later is that file, by the name the copy gave it
		orig := ""
		if src := copySource(ev.Exe, ev.Args); sharedProgram(src) {
			orig = path.Base(src) // a system program under another name is that program
		}
		copied, _ := plainCopy(ev)
		copied = strings.Clone(copied) // kept: not a view of the record's text
		for _, p := range editedPaths(ev.Exe, ev.Args, ev.Cwd) {
			w.add(writeKey{ev.Host, path.Clean(p)}, flaggedWrite{rule: RuleProgramPlanted, uid: ev.UID, web: web, at: ev.Time, orig: orig, copyOf: copied})
		}
	}
	cmd := strings.Join(ev.Args, " ")
	if sc, ok := shellCommand(ev.Exe, ev.Args); ok {
		cmd = sc
	}
	// the place written, and what the hook it writes will run (the script
	// a pam_exec, cron or unit line names): both run later for the plant
	var named []string
	place := false
	for _, p := range pathTokenRE.FindAllString(cmd, 16) {
		p = path.Clean(strings.TrimRight(p, `.,'"`))
		switch {
		case persistPlace(p):
			place = true
			named = append(named, p)
		case !sharedProgram(p):
			named = append(named, p)
		}
	}
	if !place && crontabInstallRE.MatchString(cmd) {
		// crontab installs a table into cron's spool, a place its text
		// never names (`crontab -l | { cat; echo '* * * * * /tmp/.u'; } |
		// crontab -`): what the table's lines name runs later for the plant
		place = true
	}
	if !place {
		return // a persistence command that names no place (useradd): nothing runs from it
	}
	for _, p := range named {
		w.add(writeKey{ev.Host, p}, flaggedWrite{rule: RulePersistenceCommand, uid: ev.UID, web: web, at: ev.Time})
	}
}

// RuleDroppedByCommand names, in place of a rule, a file an intrusion's
// command wrote by a shell redirection (`echo … | base64 -d >
// /var/tmp/.x/r.sh`) where no watch records the write: its later run by
// another account (root's job importing a settings file that calls it, a
// hook a root git fires) is the intrusion running with that account's
// rights (planted-file-run's escalation).
const RuleDroppedByCommand = "dropped-by-command"

// noteDropped remembers the files an intrusion's shell command writes
// whole by its redirections: a command acting for the web server or in its channel,
// judged medium or more (what a routine shell-out writes, a thumbnail or a
// report, is no finding of that weight).
func (w *flaggedWrites) noteDropped(f *Finding, web *parser.Process, intruder bool) {
	if f == nil || !intruder || f.Severity < SeverityMedium || f.Event == nil || f.Event.Kind != parser.KindExec || f.Event.Failed() {
		return
	}
	ev := f.Event
	sc, ok := shellCommand(ev.Exe, ev.Args)
	if !ok {
		// the chmod such a shell started: its argv names the files a
		// glob in the shell's command stood for (`chmod 755 /var/tmp/.wl/*.sh`,
		// shop-wishlist: r.sh run as root later by tcpdump's -z)
		for _, p := range runnableFiles(ev.Args, ev.Cwd) {
			if path.IsAbs(p) && !DeviceName(p) && !strings.HasPrefix(p, "/proc/") {
				w.add(writeKey{ev.Host, path.Clean(p)}, flaggedWrite{rule: RuleDroppedByCommand, uid: ev.UID, web: web, at: ev.Time,
					named: "made executable by " + procLabel(f.Process)})
			}
		}
		return
	}
	// written whole (`> f`), not appended to (`>> f`): a line added to the
	// site's own script runs beside its routine lines, and only what it
	// forks is the intrusion's (plantfork.go)
	written := "named as written by the command line of " + procLabel(f.Process)
	type drop struct{ file, named string }
	var dropped []drop
	for _, p := range shellCreates(sc) {
		dropped = append(dropped, drop{p, written})
	}
	// and the files its copies make (`cp /tmp/.s/report.py
	// /var/spool/millrun/millrun/`): no watch records them either; and
	// the files its chmod makes executable (`cd /var/tmp/.c && chmod 755
	// r.sh`): the intruder readying what it uploaded by a write no watch
	// saw (an upload moved into a folder outside the web root). A `cd`
	// moves the folder later relative names are read against, as it
	// moves the shell's.
	cwd := ev.Cwd
	simpleCommands(sc, func(words []string, _ bool) bool {
		if path.Base(words[0]) == "cd" && len(words) == 2 {
			if d := absIn(words[1], cwd); d != "" {
				cwd = d
			}
			return true
		}
		for _, p := range copiedFiles(words, cwd) {
			dropped = append(dropped, drop{p, written})
		}
		for _, p := range runnableFiles(words, cwd) {
			dropped = append(dropped, drop{p, "made executable by the command line of " + procLabel(f.Process)})
		}
		return len(dropped) < maxEdited
	})
	for _, d := range dropped {
		if !path.IsAbs(d.file) || DeviceName(d.file) || strings.HasPrefix(d.file, "/proc/") {
			continue
		}
		w.add(writeKey{ev.Host, path.Clean(d.file)}, flaggedWrite{rule: RuleDroppedByCommand, uid: ev.UID, web: web, at: ev.Time,
			named: d.named})
	}
}

// noteMadeRunnable remembers the files a chmod run inside an intrusion's
// channel makes executable (+x, or a mode with an execute bit), as
// dropped-by-command files: what the intruder types into a reverse
// shell's pty leaves no argv for its redirections (`echo … | base64 -d >
// …/plugins/zz_opcache`), but the chmod that readies the file names it,
// and another account running it later is the escalation
// (shop-specsheet: root's monitoring agent ran every plugin of a folder
// the web account could write). Only inside a channel: an application's
// page readying its own scripts is no intrusion.
func (w *flaggedWrites) noteMadeRunnable(ev *parser.Event, ch *channel, web *parser.Process) {
	if ch == nil || ev.Kind != parser.KindExec || ev.Failed() || path.Base(ev.Exe) != "chmod" {
		return
	}
	for _, p := range runnableFiles(ev.Args, ev.Cwd) {
		w.add(writeKey{ev.Host, p}, flaggedWrite{rule: RuleDroppedByCommand, uid: ev.UID, web: web, at: ev.Time,
			named: "made executable by " + procLabel(ev.Proc) + " inside the intrusion's channel"})
	}
}

// runnableFiles returns the files a chmod argv gives an execute bit,
// absolute against cwd (nil for any other command, or a mode without one).
func runnableFiles(words []string, cwd string) []string {
	if len(words) < 3 || path.Base(words[0]) != "chmod" {
		return nil
	}
	i := 1
	for i < len(words) && strings.HasPrefix(words[i], "-") {
		i++
	}
	if i >= len(words)-1 || !executableMode(words[i]) {
		return nil
	}
	var out []string
	for _, p := range words[i+1:] {
		if p = absIn(p, cwd); p != "" && p != path.Clean(cwd) {
			out = append(out, p)
		}
	}
	return out
}

// noteTimestomped remembers the files an intrusion's timestomp (a
// timestomp rule's finding: touch -r/-d/-t for the web server or in its
// channel) sets the times of, as dropped-by-command files. Nobody hides
// a file by its times but whoever placed or changed it, and a file so
// hidden is often one no watch saw written (shop-giftcard: root's shell,
// fed a script on its stdin, wrote a Tcl implant under /usr/share/php
// that only the touch -r naming it shows, run later by root's PHP job
// through an auto_prepend_file). Its later run outside the intrusion is
// the plant firing.
func (w *flaggedWrites) noteTimestomped(f *Finding, web *parser.Process) {
	if f == nil || f.Event == nil || f.Event.Kind != parser.KindExec || f.Event.Failed() ||
		!slices.ContainsFunc(f.RuleIDs, func(id string) bool { return strings.HasPrefix(id, "timestomp-") }) {
		return
	}
	ev := f.Event
	for _, p := range TimestompTargets(ev.Args) {
		if p = absIn(p, ev.Cwd); p != "" && !sharedProgram(p) {
			w.add(writeKey{ev.Host, p}, flaggedWrite{rule: RuleDroppedByCommand, uid: ev.UID, web: web, at: ev.Time,
				named: "its times set by " + procLabel(f.Process) + "'s timestomp"})
		}
	}
}

// TimestompTargets returns the files a touch argv gives another file's
// or a chosen time (-r, -d, -t or their long forms): a timestomp's
// targets. nil for a plain touch (which sets the time of now) or any
// other command. The timeline reads them as files placed by whoever hid
// them (link_host.go).
func TimestompTargets(args []string) []string {
	if len(args) < 2 || path.Base(args[0]) != "touch" {
		return nil
	}
	var out []string
	stamped, opts := false, true
	for i := 1; i < len(args) && len(out) < maxEdited; i++ {
		a := args[i]
		switch {
		case opts && a == "--":
			opts = false
		case opts && (a == "--reference" || a == "--date" || a == "--time"):
			stamped = stamped || a != "--time"
			i++ // the value follows
		case opts && strings.HasPrefix(a, "--"):
			// --reference=F, --date=D; --no-create sets nothing
			stamped = stamped || strings.HasPrefix(a, "--reference=") || strings.HasPrefix(a, "--date=")
		case opts && len(a) > 1 && a[0] == '-':
			// a cluster (-cr F): a value option last takes the next word
			stamped = stamped || strings.ContainsAny(a[1:], "rdt")
			if strings.ContainsAny(a[len(a)-1:], "rdt") {
				i++
			}
		default:
			out = append(out, a)
		}
	}
	if !stamped {
		return nil
	}
	return out
}

// recursiveChmod reports whether a chmod argv walks a tree (-R, or a
// cluster or long option saying so), before any "--".
func recursiveChmod(args []string) bool {
	for _, a := range args[min(1, len(args)):] {
		switch {
		case a == "--":
			return false
		case a == "--recursive":
			return true
		case len(a) > 1 && a[0] == '-' && a[1] != '-' && strings.Trim(a[1:], "cfvR") == "" && strings.Contains(a, "R"):
			return true
		}
	}
	return false
}

// executableMode reports whether a chmod mode gives an execute bit: a
// symbolic +x (u+x, a+rx, +x) or an octal mode with one of its x bits.
func executableMode(m string) bool {
	if m == "" {
		return false
	}
	if strings.Trim(m, "01234567") == "" {
		for _, c := range m[max(0, len(m)-3):] {
			if (c-'0')&1 == 1 {
				return true
			}
		}
		return false
	}
	// X is left out: it gives the bit only to folders and to files some
	// class can already run (chmod -R u=rwX,go=rX of a plugin's tree, a
	// routine fix of permissions), so it readies nothing new
	for _, clause := range strings.Split(m, ",") {
		if j := strings.IndexAny(clause, "+="); j >= 0 && strings.ContainsRune(clause[j:], 'x') {
			return true
		}
	}
	return false
}

// procLabel names a process as the reasons do ("dash[8769]").
func procLabel(p *parser.Process) string {
	if p == nil {
		return "?"
	}
	return p.Name() + "[" + strconv.Itoa(p.Key.PID) + "]"
}

// DeviceName reports whether p names a device rather than a file a
// command can leave behind: /dev/null, /dev/tcp/…. /dev/shm is the
// exception: a tmpfs any account can write, where an intruder stages
// files as in /tmp (shop-bulkedit's root script and implant waited in
// /dev/shm/.pcache).
func DeviceName(p string) bool {
	return strings.HasPrefix(p, "/dev/") && !strings.HasPrefix(p, "/dev/shm/")
}

// absIn returns p made absolute against the folder cwd and cleaned, or
// "" when p is relative and cwd is not absolute (the folder is unknown).
func absIn(p, cwd string) string {
	if !path.IsAbs(p) {
		if !path.IsAbs(cwd) {
			return ""
		}
		p = path.Join(cwd, p)
	}
	return path.Clean(p)
}

// copiedFiles returns the files a cp, mv or install argv makes, absolute
// against cwd: DIR/NAME for each source copied into a folder (a target
// ending in /, -t DIR, or several sources), and for one source copied to
// a target that may be either, both the target and target/NAME. At most
// maxEdited.
func copiedFiles(words []string, cwd string) []string {
	if len(words) < 3 {
		return nil
	}
	name := path.Base(words[0])
	if name != "cp" && name != "mv" && name != "install" {
		return nil
	}
	ops, dir, makesDirs := copyOperands(name, words[1:])
	if makesDirs {
		return nil
	}
	var out []string
	add := func(p string) {
		if p = absIn(p, cwd); p != "" && len(out) < maxEdited {
			out = append(out, p)
		}
	}
	srcs := ops
	if dir == "" {
		if len(ops) < 2 {
			return nil
		}
		dir, srcs = ops[len(ops)-1], ops[:len(ops)-1]
		if len(srcs) == 1 && !strings.HasSuffix(dir, "/") {
			add(dir) // a file's new name, or a folder: both are read
		}
	}
	for _, s := range srcs {
		if b := path.Base(s); b != "." && b != "/" && b != ".." {
			add(path.Join(dir, b))
		}
	}
	return out
}

// copySource returns the one file a cp or install copies ("" for any
// other command, or several sources).
func copySource(exe string, args []string) string {
	if b := path.Base(exe); (b != "cp" && b != "install") || len(args) < 3 {
		return ""
	}
	var ops []string
	for i := 1; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-m" || a == "-o" || a == "-g" || a == "-t" || a == "--target-directory":
			return "" // a value, or a target given first: not the plain form
		case strings.HasPrefix(a, "-"):
		default:
			ops = append(ops, a)
		}
	}
	if len(ops) != 2 {
		return ""
	}
	return ops[0]
}

// plainCopy reads a cp, mv or install of one file to another (options
// aside, no -t): its source and destination, made absolute against the
// process's folder; empty when the argv is no such command.
func plainCopy(ev *parser.Event) (src, dst string) {
	b := path.Base(ev.Exe)
	if b != "cp" && b != "mv" && b != "install" || len(ev.Args) < 3 {
		return "", ""
	}
	ops, dir, makesDirs := copyOperands(b, ev.Args[1:])
	if makesDirs || dir != "" || len(ops) != 2 {
		return "", ""
	}
	abs := func(p string) string {
		if !strings.HasPrefix(p, "/") {
			if ev.Cwd == "" {
				return ""
			}
			p = path.Join(ev.Cwd, p)
		}
		return path.Clean(p)
	}
	src, dst = abs(ops[0]), abs(ops[1])
	if src == "" || dst == "" {
		return "", ""
	}
	return src, dst
}

// restores reports whether an exec moves or copies back over a file the
// copy of it the intrusion saved aside (cp -p lib.so.1 .lib.so.1~ then,
// later, mv .lib.so.1~ lib.so.1): the original put back, its change
// undone. It returns the saved copy, the restored file and when the copy
// was made.
func (w *flaggedWrites) restores(ev *parser.Event) (saved, restored string, at time.Time, ok bool) {
	if len(w.m) == 0 || ev.Kind != parser.KindExec {
		return "", "", time.Time{}, false
	}
	src, dst := plainCopy(ev)
	if src == "" {
		return "", "", time.Time{}, false
	}
	fw, found := w.m[writeKey{ev.Host, src}]
	if !found || fw.rule != RuleProgramPlanted || fw.copyOf != dst {
		return "", "", time.Time{}, false
	}
	return src, dst, fw.at, true
}

// savesAside reports whether an exec copies (cp, not mv: the original
// stays) a file of a folder to another name in the same folder, the
// source not itself a file the intrusion put there: the new file holds
// what was already in place (cp -p lib.so.1 .lib.so.1~, the original
// kept to put back after a replacement), no program of its own. It
// returns the source.
//
// A shell's command line flags the files it names as it starts, before
// any of its commands runs (noteCommand): a source the very shell that ran
// the cp names as a later destination (cp -p lib .lib~ && mv new lib) was
// not yet written when the cp copied it.
func (w *flaggedWrites) savesAside(ev *parser.Event) (string, bool) {
	if ev.Kind != parser.KindExec || path.Base(ev.Exe) != "cp" {
		return "", false
	}
	src, dst := plainCopy(ev)
	if src == "" || src == dst || path.Dir(src) != path.Dir(dst) {
		return "", false
	}
	if fw, planted := w.m[writeKey{ev.Host, src}]; planted && !flaggedByParent(fw, ev.Proc) {
		return "", false
	}
	return src, true
}

// flaggedByParent reports whether fw was flagged by the command line of
// p's parent, at its exec (its commands, p among them, ran after).
func flaggedByParent(fw flaggedWrite, p *parser.Process) bool {
	if p == nil || p.Parent == nil || len(p.Parent.Execs) == 0 {
		return false
	}
	return fw.at.Equal(p.Parent.Execs[len(p.Parent.Execs)-1].Time)
}

// origOf returns the system program an exec runs under another name: the
// copy the intrusion put in place of it (cp /usr/bin/curl …/kworker-sync).
func (w *flaggedWrites) origOf(ev *parser.Event) string {
	if len(w.m) == 0 || ev.Kind != parser.KindExec || ev.Exe == "" {
		return ""
	}
	return w.m[writeKey{ev.Host, path.Clean(ev.Exe)}].orig
}

// sharedProgram reports whether a path is one the whole system runs (the
// shells and tools of the system's program folders) or no file at all: a
// hook that names /bin/sh says nothing of which run of /bin/sh is its own.
func sharedProgram(p string) bool {
	for _, d := range []string{"/bin/", "/sbin/", "/usr/bin/", "/usr/sbin/", "/usr/local/bin/", "/usr/local/sbin/", "/usr/libexec/", "/dev/", "/proc/", "/sys/"} {
		if strings.HasPrefix(p, d) {
			return true
		}
	}
	return strings.HasSuffix(p, ".so") // a PAM module or library the hook loads, the system's own
}

// crontabInstallRE: crontab given a table to install (`-` or a file), not
// asked to list, edit or remove one.
var crontabInstallRE = lazydfa.MustCompile(`(^|[\s;|&(/])crontab(\s+-u\s+\S+)?\s+(-(\s|$|[;|&)])|[^-\s])`)

// pathTokenRE finds absolute paths in a command line.
var pathTokenRE = lazydfa.MustCompile(`/[^\s'"<>|;&()=]+`)

// persistPlace reports whether a path is a file in a persistence place
// (places.go).
func persistPlace(p string) bool { return persistPlaceOf(p) != "" }

// forget drops a flagged file that a write no rule flagged replaced
// (sed -i's rename over it, a truncating rewrite): what runs from it
// later is no longer shown to be the plant (news-deser: root restored the
// maintenance script; its next minute's run is the application's again).
// Its removal is judged by FlaggedWrite before (own-file-removed).
func (w *flaggedWrites) forget(ev *parser.Event) {
	if len(w.m) == 0 || ev.Path == "" || ev.Failed() || ev.Kind != parser.KindRename && ev.Kind != parser.KindFileWrite {
		return
	}
	k := writeKey{ev.Host, path.Clean(ev.Path)}
	if old, ok := w.m[k]; ok {
		old.web.Unpin() // its entry's pin
		w.hooks.remove(k)
		w.countAs(k, old, -1)
		w.countName(k, -1)
	}
	delete(w.m, k) // its order entry ages out
}

// countName counts an entry of m in or out of names.
func (w *flaggedWrites) countName(k writeKey, d int32) {
	if w.names == nil {
		w.names = map[string]int32{}
	}
	b := path.Base(k.path) // k.path is clean
	if w.names[b] += d; w.names[b] <= 0 {
		delete(w.names, b)
	}
}

// mayHold reports whether m may hold the file name names (read against
// any directory): false only when no entry has its base name. The last
// element of a name is its cleaned form's base unless it is "." or ".."
// (or the name is all slashes), and then the name is looked up in full.
func (w *flaggedWrites) mayHold(name string) bool {
	name = strings.TrimRight(name, "/")
	b := name[strings.LastIndexByte(name, '/')+1:]
	if b == "" || b == "." || b == ".." {
		return true
	}
	return w.names[b] > 0
}

// of returns the rule that flagged the write of the file an unlink
// removes, or "".
func (w *flaggedWrites) of(ev *parser.Event) string {
	if len(w.m) == 0 || ev.Kind != parser.KindUnlink || ev.Path == "" {
		return ""
	}
	if ev.Proc != nil && schedulerNames[ev.Proc.Name()] {
		// the scheduler consuming its own queue: atd deletes a job's
		// file as it starts the job, which is the job running, not the
		// intrusion taking its plant away (atrm is at, not atd)
		return ""
	}
	return w.m[writeKey{ev.Host, path.Clean(ev.Path)}].rule
}

// ran returns the flagged write of the file an exec runs — the program,
// or the script a shebang or an interpreter's first operand names (its
// PATH records, relative names read against the exec's cwd) — and whether
// it is one. The plant running is the evidence that it works: a
// persistence file firing, a script the web account changed run by root.
func (w *flaggedWrites) ran(ev *parser.Event) (flaggedWrite, bool) {
	_, fw, ok := w.ranFile(ev)
	return fw, ok
}

// ranFile is ran with the planted file's name ("" for a hook's or a
// configured command's firing, which runs no planted file by name).
func (w *flaggedWrites) ranFile(ev *parser.Event) (string, flaggedWrite, bool) {
	if len(w.m) == 0 && len(w.hooks.list) == 0 && len(w.cmds.m) == 0 || ev.Kind != parser.KindExec || ev.Failed() {
		return "", flaggedWrite{}, false
	}
	look := func(name string) (string, flaggedWrite, bool) {
		if name == "" || !w.mayHold(name) {
			return "", flaggedWrite{}, false
		}
		if name = absIn(name, ev.Cwd); name == "" {
			return "", flaggedWrite{}, false
		}
		k := writeKey{ev.Host, name}
		fw, ok := w.m[k]
		if ok && !fw.removed.IsZero() && !fw.removed.After(ev.Time) {
			return "", flaggedWrite{}, false // gone before this run: what runs is not the plant
		}
		return k.path, fw, ok
	}
	if p, fw, ok := look(ev.Exe); ok {
		return p, fw, true
	}
	for _, f := range loadedCode(ev.Args) {
		if p, fw, ok := look(f); ok {
			return p, fw, true
		}
	}
	for _, p := range ev.Paths {
		if p.Nametype == "NORMAL" || p.Nametype == "" {
			if p, fw, ok := look(p.Name); ok {
				return p, fw, true
			}
		}
	}
	if h, ok := w.hooks.fired(ev); ok {
		return "", h.hook.fw, true
	}
	if pc, ok := w.cmds.fired(ev); ok {
		return "", pc.fw, true
	}
	return "", flaggedWrite{}, false
}

// noteRemoval marks the flagged files an rm's argv removes: each operand
// named, and with -r what lies below a folder named. A file the intrusion
// took away again runs no more: root's job importing a module of that
// name after the intrusion's `rm -rf /var/spool/millrun/millrun` imports
// the system's (cuspid-labelfmt). Only the argv tells, where no watch
// records the unlinks; a removal that failed (its exit) removes nothing.
func (w *flaggedWrites) noteRemoval(ev *parser.Event) {
	if len(w.m) == 0 || ev.Kind != parser.KindExec || ev.Failed() || path.Base(ev.Exe) != "rm" || len(ev.Args) < 2 {
		return
	}
	recursive := false
	var ops []string
	for _, a := range ev.Args[1:] {
		switch {
		case RecursiveFlag(a):
			recursive = true
		case a == "" || strings.HasPrefix(a, "-"):
		default:
			if a = absIn(a, ev.Cwd); a != "" && len(ops) < maxEdited {
				ops = append(ops, a)
			}
		}
	}
	if len(ops) == 0 {
		return
	}
	for k, fw := range w.m {
		if k.host != ev.Host || !fw.removed.IsZero() {
			continue
		}
		for _, op := range ops {
			if k.path == op || recursive && strings.HasPrefix(k.path, op) && len(k.path) > len(op) && (op == "/" || k.path[len(op)] == '/') {
				fw.removed = ev.Time
				w.m[k] = fw
				break
			}
		}
	}
}

// RecursiveFlag reports whether one word of rm's argv asks it to remove
// folders with what they hold: --recursive, or a short option cluster
// with r or R (-rf, -Rv).
func RecursiveFlag(a string) bool {
	return a == "--recursive" || len(a) > 1 && a[0] == '-' && a[1] != '-' && strings.ContainsAny(a, "rR")
}

// byOther reports whether the exec runs as another account than the one
// that wrote the file: what the web account changed, run by root.
func (fw flaggedWrite) byOther(ev *parser.Event) bool {
	return fw.uid.Set && ev.UID.Set && fw.uid.N != ev.UID.N
}
