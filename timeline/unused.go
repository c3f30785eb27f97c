package timeline

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// A script that lands in the web root is a web shell only if it is used:
// an attacker uploads a shell to request it. Applications write scripts
// there all day too — compiled templates, generated configuration, cache
// files — and nothing ever requests those by their own URL. So a
// script-write finding whose file the log never shows in use is demoted
// one level (never deleted), with the reason; one that is used keeps its
// severity. Used means, at or after the write: a request whose URL names
// the file, a process run in the file's folder under the web server (a
// shell started by it: php-fpm runs a script in its own folder), or a
// command naming the file (an auto_prepend_file set up, a copy; writing it
// again or removing it is no use). Without an access log for the file's
// host nothing can show that it was not requested, and nothing is
// demoted: the principle is the outcome, never the name or the folder.

// The same holds for a download: ingress tool transfer is a tool fetched
// to be run. A download whose file nothing uses later in the log — no
// finding acts on it or names it, no command of the web server names it —
// drops one level; one that is run, made executable, unpacked or read by a
// flagged command keeps its severity.

// unusedRules are the rules whose finding is a file landing in a served
// tree, judged by its later use.
var unusedRules = []string{"webroot-script-write", "webroot-script-modified"}

// demoteUnused returns chainable with unused script writes replaced by
// demoted copies (all gets the same copies).
func (b *Builder) demoteUnused(all, chainable []*detect.Finding) []*detect.Finding {
	repl := map[*detect.Finding]*detect.Finding{}
	var cx *cleanupIndex // built on the first candidate
	cleanup := func() *cleanupIndex {
		if cx == nil {
			cx = newCleanupIndex(chainable)
		}
		return cx
	}
	modules := 0
	for _, f := range chainable {
		if d := b.opts.loadedPlacement(f, chainable, &modules); d != nil {
			repl[f] = d // used by the workers started after it (loadedmodule.go), access log or not
		} else if d := cleanupPlacement(f, cleanup); d != nil {
			repl[f] = d // the plant taken out (plantremoved.go): no landing to judge by its use
		}
	}
	if !b.seen[parser.KindHTTP] {
		return replaced(all, chainable, repl)
	}
	var x *useIndex // built on the first candidate
	index := func() *useIndex {
		if x == nil {
			x = b.useIndexOf(all)
		}
		return x
	}
	redeployed := deploymentBatches(chainable, index)
	for _, f := range chainable {
		if f.Severity < detect.SeverityHigh || f.Event == nil {
			continue
		}
		if repl[f] != nil {
			continue
		}
		why := redeployed[f]
		if why == "" {
			why = unusedWhy(f, index)
		}
		if why != "" {
			d := *f
			d.Severity = f.Severity - 1 // high → medium, critical → high
			d.Reason = strings.TrimSpace(f.Reason + "; demoted: " + why)
			repl[f] = &d
		}
	}
	return replaced(all, chainable, repl)
}

// useIndex answers "is this path used at or after this time" in constant
// time per question, built once from the requests, the web server's
// commands and the findings: the pass stays linear in the log, however
// many files landed (a busy site writes templates all day).
type useIndex struct {
	latest map[hostPath]time.Time // a path, or "base:" and a bare file name, used at its latest
	served map[hostPath]time.Time // "url:" and a URL path: its first request the server answered (2xx/3xx)
	urls   map[hostPath][]string  // request URL paths by their base name (bounded)
	full   map[hostPath]bool      // a base name with more URLs than kept: taken as used
}

type hostPath struct{ host, path string }

// removers are the programs whose naming a file removes it.
var removers = map[string]bool{"rm": true, "shred": true, "unlink": true, "srm": true, "wipe": true}

// maxURLsPerBase bounds the distinct URL paths kept per file name.
const maxURLsPerBase = 256

func (x *useIndex) note(host, p string, at time.Time) {
	k := hostPath{host, p}
	if t, ok := x.latest[k]; !ok || at.After(t) {
		x.latest[k] = at
	}
}

func (x *useIndex) usedSince(host, p string, at time.Time) bool {
	t, ok := x.latest[hostPath{host, p}]
	return ok && !t.Before(at)
}

// noteWords indexes the path-like words of a command line, leaving out
// the file a download in it writes (the same download again is no use).
func (x *useIndex) noteWords(host string, args []string, cwd string, at time.Time) {
	if len(args) > 0 && removers[path.Base(args[0])] {
		return // removing a file is no use of it
	}
	skip := downloadTarget(args, cwd)
	for _, a := range args {
		inner := ""
		if f := strings.Fields(a); len(f) > 1 {
			inner = downloadTarget(f, cwd) // a shell's command string
		}
		for _, w := range strings.FieldsFunc(a, func(r rune) bool {
			return r <= ' ' || strings.ContainsRune("'\"=;&|<>()`,\\", r) // a backslash too (printf's \n)
		}) {
			w = strings.TrimRight(w, "/")
			if w == "" {
				continue
			}
			abs := w
			if !path.IsAbs(abs) && cwd != "" {
				abs = path.Join(cwd, w)
			}
			if abs == skip || abs == inner {
				continue
			}
			if path.IsAbs(w) {
				x.note(host, path.Clean(w), at)
			} else if !strings.Contains(w, "/") {
				x.note(host, "base:"+w, at)
			}
		}
	}
}

// useIndexOf builds the index.
func (b *Builder) useIndexOf(all []*detect.Finding) *useIndex {
	x := &useIndex{latest: map[hostPath]time.Time{}, served: map[hostPath]time.Time{}, urls: map[hostPath][]string{}, full: map[hostPath]bool{}}
	for _, r := range b.requests {
		if r.HTTP == nil || !strings.HasPrefix(r.HTTP.Path, "/") {
			continue
		}
		u := path.Clean(r.HTTP.Path)
		x.note(r.Host, "url:"+u, r.Time)
		if st := r.HTTP.Status; st >= 200 && st < 400 {
			if t, ok := x.served[hostPath{r.Host, "url:" + u}]; !ok || r.Time.Before(t) {
				x.served[hostPath{r.Host, "url:" + u}] = r.Time
			}
		}
		k := hostPath{r.Host, path.Base(u)}
		if l := x.urls[k]; !slices.Contains(l, u) {
			if len(l) >= maxURLsPerBase {
				x.full[k] = true
			} else {
				x.urls[k] = append(l, u)
			}
		}
	}
	for _, ev := range b.webExecs {
		x.note(ev.Host, "cwd:"+path.Clean(ev.Cwd), ev.Time)
		x.note(ev.Host, path.Clean(ev.Exe), ev.Time)
		x.noteWords(ev.Host, ev.Args, ev.Cwd, ev.Time)
	}
	for _, f := range all {
		ev := f.Event
		if ev == nil {
			continue
		}
		if ev.Path != "" && ev.Kind != parser.KindFileWrite && ev.Kind != parser.KindRename && ev.Kind != parser.KindUnlink {
			x.note(ev.Host, path.Clean(ev.Path), ev.Time) // (writing it again, or removing it, is no use of it)
		}
		if ev.Exe != "" {
			x.note(ev.Host, path.Clean(ev.Exe), ev.Time)
		}
		x.noteWords(ev.Host, ev.Args, ev.Cwd, ev.Time)
		if p := ev.Proc; p != nil {
			x.note(ev.Host, path.Clean(p.Exe), ev.Time)
			x.noteWords(ev.Host, p.Args, p.Cwd, ev.Time)
		}
	}
	return x
}

// unusedWhy says why a finding about a file that landed is demoted — the
// file was never used — or "" when it is not such a finding or the file
// was used. index gives the use index, built on first need.
func unusedWhy(f *detect.Finding, index func() *useIndex) string {
	ev := f.Event
	if ev.Path != "" && f.RuleID == "webroot-script-write" {
		// a deployment writes the site's pages again: the page was
		// answered before this write, under the same URL
		if why := index().servedBefore(ev); why != "" {
			return why
		}
	}
	var target, what string
	switch {
	case f.RuleID == "ingress-tool-download" && ev.Kind == parser.KindExec:
		target, what = downloadTarget(ev.Args, ev.Cwd), "a tool is fetched to be run; a data feed is not"
	case f.RuleID == "web-server-exploitation" && ev.Kind == parser.KindExec:
		// a shell whose whole command is one download (a cron job's
		// "sh -c wget -O … URL") is judged as that download
		target, what = shellDownload(ev.Args, ev.Cwd), "the shell only downloads it"
	case ev.Path != "" && slices.Contains(unusedRules, f.RuleID):
		if index().fileUsed(ev) {
			return ""
		}
		if deployedArchive(ev.Path) {
			// the server unpacks it and serves what it unpacked: its use
			// is theirs, not its own path's
			return path.Base(ev.Path) + " was never requested, run or run beside in these logs under its own name (an archive the server deploys is used through the files it unpacks, judged by their own findings)"
		}
		return path.Base(ev.Path) + " was never requested, run or run beside in these logs (a generated file — compiled template, cache — looks so; a web shell shows its use)"
	default:
		return ""
	}
	if target == "" || target == "/dev/null" || index().downloadUsed(f, target) {
		return ""
	}
	return "nothing in these logs runs, unpacks or names " + target + " after it was fetched (" + what + ")"
}

// fileUsed reports whether the file written by w is used later in the
// log: requested by a URL that names it, run, run beside, or named by a
// command of the web server.
func (x *useIndex) fileUsed(w *parser.Event) bool {
	p := path.Clean(w.Path)
	at := w.Time.Truncate(time.Second) // access logs are to the second
	for _, b := range routeBases(p) {
		k := hostPath{w.Host, b}
		if x.full[k] {
			return true // too many URLs of that name to tell: not demoted
		}
		for _, u := range x.urls[k] {
			if servedRoute(p, u) && x.usedSince(w.Host, "url:"+u, at) {
				return true
			}
		}
	}
	return x.usedSince(w.Host, "cwd:"+path.Dir(p), w.Time) || x.usedSince(w.Host, p, w.Time.Add(time.Nanosecond))
}

// servedBefore says, when the script w writes was already answered under
// its URL before the write (an earlier second of the access log), that
// the write replaces a page the site served: a deployment of the site,
// not a new script. "" otherwise. A script changed in place is judged by
// webroot-script-modified and the re-entry pass, not here.
func (x *useIndex) servedBefore(w *parser.Event) string {
	p := path.Clean(w.Path)
	at := w.Time.Truncate(time.Second)
	for _, b := range routeBases(p) {
		for _, u := range x.urls[hostPath{w.Host, b}] {
			t, ok := x.served[hostPath{w.Host, "url:" + u}]
			if !ok || !t.Before(at) || !servedRoute(p, u) {
				continue
			}
			return fmt.Sprintf("it replaces a page the site served before: %s was answered at %s, before this write (a deployment writes the site's pages again; a new web shell has no earlier requests)",
				u, t.UTC().Format("15:04:05"))
		}
	}
	return ""
}

// downloadUsed reports whether the file a download wrote is acted on or
// named after it was fetched.
func (x *useIndex) downloadUsed(dl *detect.Finding, target string) bool {
	at := dl.Event.Time
	return x.usedSince(dl.Host, target, at) || x.usedSince(dl.Host, "base:"+path.Base(target), at)
}

// downloadTarget is the file a curl or wget command line writes, made
// absolute with the process's working directory; "" when it cannot tell
// (a pipe to stdout writes no file).
func downloadTarget(args []string, cwd string) string {
	if len(args) == 0 {
		return ""
	}
	prog := path.Base(args[0])
	var out, url string
	for i := 1; i < len(args); i++ {
		a := args[i]
		next := func() string {
			if i+1 < len(args) {
				i++
				return args[i]
			}
			return ""
		}
		switch {
		case prog == "curl" && (a == "-o" || a == "--output"):
			out = next()
		case prog == "curl" && strings.HasPrefix(a, "-o") && !strings.HasPrefix(a, "--"):
			out = a[2:]
		case prog == "curl" && (a == "-O" || a == "--remote-name"):
			out = "\x00remote"
		case prog == "wget" && (a == "-O" || a == "--output-document"):
			out = next()
		case prog == "wget" && strings.HasPrefix(a, "--output-document="):
			out = strings.TrimPrefix(a, "--output-document=")
		case prog == "wget" && strings.HasPrefix(a, "-O") && len(a) > 2:
			out = a[2:]
		case strings.Contains(a, "://"):
			url = a
		}
	}
	if out == "\x00remote" || out == "" && prog == "wget" {
		if url == "" {
			return ""
		}
		u := url[strings.Index(url, "://")+3:]
		if i := strings.IndexAny(u, "?#"); i >= 0 {
			u = u[:i]
		}
		j := strings.LastIndexByte(u, '/')
		if j < 0 || j == len(u)-1 {
			return ""
		}
		out = u[j+1:]
	}
	if out == "" || out == "-" {
		return ""
	}
	if !path.IsAbs(out) {
		if cwd == "" {
			return ""
		}
		out = path.Join(cwd, out)
	}
	return path.Clean(out)
}

// shellDownload is the file written by a shell whose -c command is one
// curl or wget invocation and nothing else (no separator, redirection or
// substitution); "" otherwise.
func shellDownload(args []string, cwd string) string {
	if len(args) < 3 || args[len(args)-2] != "-c" {
		return ""
	}
	cmd := args[len(args)-1]
	if strings.ContainsAny(cmd, ";&|`$()<>\n") {
		return ""
	}
	f := strings.Fields(cmd)
	if len(f) < 2 || (path.Base(f[0]) != "curl" && path.Base(f[0]) != "wget") {
		return ""
	}
	return downloadTarget(f, cwd)
}

// A deployment writes a whole application at once: one process writes
// many scripts within a moment, most of them pages the site served
// before. A page the old version did not have, or one nobody requested
// yet, is written in the same act and is no more a web shell than its
// neighbours (benign-tomcat: the CI's redeploy rewrote eleven JSPs in
// one second; ten had been answered before, the admin page had not). An
// upload writes one file, and a web shell's application (a WAR of its
// own) has no page served before it. So a batch — script writes by one
// process, each within deployBatchGap of the previous — of at least
// minDeployBatch scripts, one of which replaces a page served before, is
// a deployment for every member.

// deployBatchGap bounds the time between two writes of one deployment.
const deployBatchGap = 2 * time.Second

// minDeployBatch is the fewest scripts a batch needs to be a deployment.
const minDeployBatch = 3

// deploymentBatches returns, for the script writes of chainable that
// belong to a deployment batch, why they are demoted.
func deploymentBatches(chainable []*detect.Finding, index func() *useIndex) map[*detect.Finding]string {
	type batch struct {
		members []*detect.Finding
		last    time.Time
		served  string // a member's servedBefore reason
		what    string // that member's file
	}
	open := map[*parser.Process]*batch{}
	var done []*batch
	for _, f := range chainable {
		ev := f.Event
		if ev == nil || ev.Path == "" || f.RuleID != "webroot-script-write" || ev.Proc == nil {
			continue
		}
		b := open[ev.Proc]
		if b == nil || ev.Time.Sub(b.last) > deployBatchGap {
			b = &batch{}
			open[ev.Proc] = b
			done = append(done, b)
		}
		b.members = append(b.members, f)
		b.last = ev.Time
		if b.served == "" {
			if why := index().servedBefore(ev); why != "" {
				b.served, b.what = why, ev.Path
			}
		}
	}
	out := map[*detect.Finding]string{}
	for _, b := range done {
		if len(b.members) < minDeployBatch || b.served == "" {
			continue
		}
		for _, f := range b.members {
			if f.Event.Path == b.what {
				out[f] = b.served
				continue
			}
			out[f] = fmt.Sprintf("written in one deployment with %d other scripts by the same process, among them %s, which replaces a page the site served before",
				len(b.members)-1, b.what)
		}
	}
	return out
}

// deployedArchive reports whether p is an archive a Java server deploys
// by unpacking it (a .war, .ear).
func deployedArchive(p string) bool {
	switch path.Ext(p) {
	case ".war", ".ear":
		return true
	}
	return false
}
