package detect

import (
	"path"
	"slices"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// A Python start-up hook — a .pth file right inside a site folder, a
// sitecustomize or usercustomize module (places.go: startup_hook_path) —
// is never executed: the interpreter reads it when it starts, before the
// script it was started for, and runs its import lines in its own
// process. Nothing in an exec's record names the hook, so what it starts
// is only seen as the interpreter's child (kb-installer: root's cron runs
// the stats job's python in a virtualenv; a .pth the intrusion wrote into
// that venv starts `ncat --ssl … -e /bin/bash`).
//
// The firing is therefore inferred, and said so: an interpreter of the
// prefix whose site folder holds a hook the intrusion wrote, started after
// that write, whose first child comes within hookWindow of its start (a
// hook runs before the script's first line), and is a program that the
// same command's runs started before the write never started. The last
// condition keeps a job that shells out as its first act from being taken
// for the hook each time it runs; a job first seen after the write has no
// history to compare with, and then only the timing and the order speak.

// hookWindow bounds the time from an interpreter's start to the hook's
// first child: site processing comes before the script.
const hookWindow = 2 * time.Second

// Bounds of what is kept: hooks written, interpreter commands whose
// children are remembered, children remembered for each.
const (
	maxStartupHooks   = 64
	maxInterpCommands = 512
	maxChildImages    = 8
)

type startupHook struct {
	host string
	root string // the prefix whose interpreter reads it: /srv/kb/venv, /usr
	path string
	fw   flaggedWrite
}

// startupHooks remembers the flagged start-up hooks and, to judge what an
// interpreter's first child is, which programs each interpreter command
// started before.
type startupHooks struct {
	list []startupHook
	kids map[string][]childSeen // host, prefix and argv of an interpreter → its children's images
	// a login shell's hook is inferred to fire once, as its first
	// qualifying child (loginFired, by login shell); and not at all when
	// a planted file was seen running, as that account, since the login
	// began (observed): the hook's payload is then known, and the login's
	// other children are its own startup files' (a root login's pyenv
	// init from ~/.bashrc)
	loginFired map[parser.ProcKey]loginFiring
	observed   []observedRun
	// payloads are the processes taken as a hook's firing: an interpreter
	// among them reads the same hook again when it starts (a python
	// implant reads the sitecustomize that started it), and its own first
	// child is its work, not the hook firing again
	payloads map[parser.ProcKey]bool
}

// maxPayloads bounds the firings remembered (forgotten all at once when
// full, as a new set begins).
const maxPayloads = 1024

// notePayload remembers a process taken as a hook's firing.
func (h *startupHooks) notePayload(k parser.ProcKey) {
	if h.payloads == nil || len(h.payloads) >= maxPayloads {
		h.payloads = map[parser.ProcKey]bool{}
	}
	h.payloads[k] = true
}

// loginFiring is the exec taken as a login shell's hook firing.
type loginFiring struct {
	pid int
	at  time.Time
}

// observedRun is a planted file seen running (not inferred).
type observedRun struct {
	host string
	uid  uint32
	at   time.Time
}

// Bounds of the login firings and observed runs remembered.
const (
	maxLoginFired   = 1024
	maxObservedRuns = 64
)

// noteObserved remembers a planted file seen running as uid.
func (h *startupHooks) noteObserved(host string, uid uint32, at time.Time) {
	if len(h.list) == 0 {
		return // no hook to explain
	}
	if len(h.observed) >= maxObservedRuns {
		h.observed = h.observed[1:]
	}
	h.observed = append(h.observed, observedRun{host, uid, at})
}

type childSeen struct {
	image string
	start time.Time // the start of the earliest interpreter run that started it
}

// hookFiring is an inferred firing: the hook and the interpreter's exec
// that read it.
type hookFiring struct {
	hook   startupHook
	interp parser.Exec
	login  bool // a login shell's hook (loginhook.go)
}

// add remembers a flagged file when it is a start-up hook of a prefix
// the table can name.
func (h *startupHooks) add(k writeKey, fw flaggedWrite) {
	var root string
	var ok bool
	if persistPlaceOf(k.path) == "startup_hook_path" {
		root, ok = hookPrefix(k.path)
	} else if fw.web != nil {
		root, ok = loginHookRoot(k.path) // an intrusion's login hook (loginhook.go)
	}
	if !ok {
		return
	}
	if len(h.list) >= maxStartupHooks {
		h.list[0].fw.web.Unpin()
		h.list = h.list[1:]
	}
	fw.web.Pin() // kept past the write, until the hook goes (its own pin: the flagged entry may go first)
	h.list = append(h.list, startupHook{k.host, root, k.path, fw})
}

// remove forgets the hook of a file a write no rule flagged replaced
// (flaggedWrites.forget): what starts after that is not its firing.
func (h *startupHooks) remove(k writeKey) {
	h.list = slices.DeleteFunc(h.list, func(x startupHook) bool {
		if x.host == k.host && x.path == k.path {
			x.fw.web.Unpin()
			return true
		}
		return false
	})
}

// hookPrefix returns the prefix whose interpreter reads a hook:
// <prefix>/lib/pythonX.Y/site-packages/x.pth, <prefix>/lib/python3/
// dist-packages/x.pth, /etc/pythonX.Y/sitecustomize.py (Debian's, read by
// /usr/bin's python).
func hookPrefix(p string) (string, bool) {
	dir := path.Dir(p)
	if strings.HasPrefix(dir, "/etc/python") {
		return "/usr", true
	}
	site := path.Base(dir)
	if site != "site-packages" && site != "dist-packages" {
		return "", false
	}
	ver := path.Dir(dir) // …/lib/python3.11
	lib := path.Dir(ver) // …/lib
	if !strings.HasPrefix(path.Base(ver), "python") || (path.Base(lib) != "lib" && path.Base(lib) != "lib64") {
		return "", false
	}
	return path.Dir(lib), true
}

// interpPrefix returns the prefix of a Python interpreter's exec: the
// folder above the bin/ its name is in (a virtualenv's bin/python is a
// link to the system's, so the name the exec used, argv[0], tells the
// venv; the exe tells only /usr).
func interpPrefix(x parser.Exec) (string, bool) {
	// asked of every exec's parent: the name is checked before any path
	// is built (path.Join allocates)
	if len(x.Args) > 0 && strings.HasPrefix(path.Base(x.Args[0]), "python") {
		a := x.Args[0]
		if !path.IsAbs(a) && strings.Contains(a, "/") && path.IsAbs(x.Cwd) {
			a = path.Join(x.Cwd, a) // venv/bin/python run from the project's folder
		}
		if pre, ok := binPrefix(a); ok {
			return pre, true
		}
	}
	if strings.HasPrefix(path.Base(x.Exe), "python") {
		return binPrefix(x.Exe)
	}
	return "", false
}

// binPrefix returns the folder above the bin/ an absolute program path is
// in.
func binPrefix(n string) (string, bool) {
	if !path.IsAbs(n) {
		return "", false
	}
	if bin := path.Dir(n); path.Base(bin) == "bin" {
		return path.Dir(bin), true
	}
	return "", false
}

// reads reports whether the interpreter of prefix pre, run as user,
// reads hooks of the prefix root: its own; on Debian /usr's python also
// /usr/local's; and any python the user's own site folder
// (~/.local/lib/pythonX.Y/site-packages), when it runs as that user.
func reads(pre, root, user string) bool {
	if pre == root || pre == "/usr" && root == "/usr/local" {
		return true
	}
	if user == "" || path.Base(root) != ".local" {
		return false
	}
	home := "/home/" + user
	if user == "root" {
		home = "/root"
	}
	return path.Dir(root) == home
}

// lastExec returns a process's newest exec.
func lastExec(p *parser.Process) (parser.Exec, bool) {
	if p == nil || len(p.Execs) == 0 {
		return parser.Exec{}, false
	}
	return p.Execs[len(p.Execs)-1], true
}

// kidKey names an interpreter command: host, prefix and argv.
func kidKey(host, pre string, x parser.Exec) string {
	k := host + "\x00" + pre + "\x00" + strings.Join(x.Args, "\x00")
	if len(k) > 512 {
		k = k[:512]
	}
	return k
}

// noteChild remembers the image an interpreter's child runs, with the
// interpreter's start, so that later runs of the same command can be
// compared with it.
func (h *startupHooks) noteChild(ev *parser.Event) {
	if ev.Kind != parser.KindExec || ev.Proc == nil || ev.Failed() {
		return
	}
	par := ev.Proc.Parent
	x, ok := lastExec(par)
	if !ok {
		return
	}
	var k string
	if pre, ok := interpPrefix(x); ok {
		k = kidKey(ev.Host, pre, x)
	} else if loginShell(x) {
		k = loginHooksKey(ev.Host)
	} else {
		return
	}
	seen, known := h.kids[k]
	if !known && len(h.kids) >= maxInterpCommands {
		return // the bound: later commands have no history (fired says so by its conditions alone)
	}
	for i, c := range seen {
		if c.image == ev.Exe {
			if x.Time.Before(c.start) {
				seen[i].start = x.Time
			}
			return
		}
	}
	if len(seen) >= maxChildImages {
		return
	}
	if h.kids == nil {
		h.kids = map[string][]childSeen{}
	}
	h.kids[k] = append(seen, childSeen{strings.Clone(ev.Exe), x.Time})
}

// fired returns the hook whose firing an exec is, if it is one (above).
func (h *startupHooks) fired(ev *parser.Event) (hookFiring, bool) {
	if len(h.list) == 0 || ev.Kind != parser.KindExec || ev.Proc == nil || ev.Failed() {
		return hookFiring{}, false
	}
	par := ev.Proc.Parent
	x, ok := lastExec(par)
	if !ok {
		return hookFiring{}, false
	}
	d := ev.Time.Sub(x.Time)
	if d < 0 || d > hookWindow {
		return hookFiring{}, false
	}
	if loginShell(x) {
		return h.firedAtLogin(ev, par, x)
	}
	if len(par.Children) == 0 || par.Children[0] != ev.Proc {
		return hookFiring{}, false // not the interpreter's first child
	}
	if h.payloads[par.Key] {
		return hookFiring{}, false // the hook's payload itself: its child is its work
	}
	pre, ok := interpPrefix(x)
	if !ok {
		return hookFiring{}, false
	}
	for i := len(h.list) - 1; i >= 0; i-- {
		hk := h.list[i]
		if hk.host != ev.Host || !reads(pre, hk.root, par.User) || !x.Time.After(hk.fw.at) {
			continue
		}
		for _, c := range h.kids[kidKey(ev.Host, pre, x)] {
			if c.image == ev.Exe && c.start.Before(hk.fw.at) {
				return hookFiring{}, false // the command's runs started it before the hook was written
			}
		}
		return hookFiring{hk, x, false}, true
	}
	return hookFiring{}, false
}

// firedAtLogin returns the login hook whose firing a login shell's child
// is, if it is one (loginhook.go).
func (h *startupHooks) firedAtLogin(ev *parser.Event, par *parser.Process, x parser.Exec) (hookFiring, bool) {
	if !hookPayload(ev.Exe) {
		return hookFiring{}, false
	}
	// a login shell reads /etc/profile and its folder and the account's
	// ~/.bash_profile, ~/.bash_login or ~/.profile itself; ~/.bashrc and
	// bash.bashrc only when one of those sources them: a hook it reads
	// itself is named first
	var found *startupHook
	for i := len(h.list) - 1; i >= 0; i-- {
		hk := &h.list[i]
		if hk.host != ev.Host || !strings.HasPrefix(hk.root, "login") || !readsLogin(hk.root, par.User) || !x.Time.After(hk.fw.at) {
			continue
		}
		for _, c := range h.kids[loginHooksKey(ev.Host)] {
			if c.image == ev.Exe && c.start.Before(hk.fw.at) {
				return hookFiring{}, false // a login shell started it before the hook was written
			}
		}
		if found == nil || !readAtLogin(found.path) && readAtLogin(hk.path) {
			found = hk
		}
	}
	if found == nil {
		return hookFiring{}, false
	}
	if lf, ok := h.loginFired[par.Key]; ok {
		if lf.pid != ev.PID || !lf.at.Equal(ev.Time) {
			return hookFiring{}, false // the login's hook fired as an earlier child
		}
		return hookFiring{*found, x, true}, true
	}
	for _, r := range h.observed {
		if r.host == ev.Host && ev.UID.Set && r.uid == ev.UID.N && !r.at.Before(x.Time) && !r.at.After(ev.Time) {
			return hookFiring{}, false // the payload was seen running: nothing left to infer
		}
	}
	if h.loginFired == nil || len(h.loginFired) >= maxLoginFired {
		h.loginFired = map[parser.ProcKey]loginFiring{}
	}
	h.loginFired[par.Key] = loginFiring{ev.PID, ev.Time}
	return hookFiring{*found, x, true}, true
}

// reason says what the firing was inferred from.
func (f hookFiring) reason(ev *parser.Event) string {
	if f.login {
		return "inferred: the login shell " + strings.Join(f.interp.Args, " ") + " started " + ev.Time.Sub(f.interp.Time).Round(time.Millisecond).String() +
			" before reads its login hooks before the first command, " + f.hook.path + " among them, written by the intrusion at " +
			f.hook.fw.at.UTC().Format("15:04:05") + "; this program (a shell, interpreter, relay, fetcher or detacher) is one no login shell on the host started before that write"
	}
	return "inferred: " + path.Base(f.interp.Exe) + " started " + ev.Time.Sub(f.interp.Time).Round(time.Millisecond).String() +
		" before (" + strings.Join(f.interp.Args, " ") + ") reads the start-up hooks of its site folder before its script's first line, " +
		f.hook.path + " among them, written by the intrusion at " + f.hook.fw.at.UTC().Format("15:04:05") +
		"; this is its first child, a program no earlier run of that command started"
}
