package proctree

import (
	"encoding/binary"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser/internal/event"
)

// hostPID is the key of the live-process index.
type hostPID struct {
	host string
	pid  int
}

// Tree holds the process trees of every host seen. It is built by feeding it
// events in input order (Observe) and is not safe for concurrent use.
type Tree struct {
	// containers collects what runtime logs say about each container
	// (docker events, json-file config, CRI paths), so that a process
	// attributed by its shim's -id also gets the name and image.
	containers map[string]Container
	procs      []*Process
	live       map[hostPID]*Process
	strs       map[string]string   // interned exe/comm/cwd/arg strings
	argvs      map[string][]string // interned argvs, by length-prefixed key
	argvKey    []byte
	slab       []Process // the rest of the block new processes are taken from
	maxArgs    int
	total      int         // processes made, in memory or not
	spill      *spillStore // nil: every process stays in memory
	unsorted   bool        // procs is not in Seq order (processes were read back)
	hosts      hostSet
	boots      map[string]*bootState
	parts      []*Tree // a union's trees, one per host partition (union.go)
	// workers holds, for a placeholder with one fork seen so far that
	// never exec'd, that fork's pid and image (inferMasterImage)
	workers map[ProcKey]workerSeen
	// launches holds, per host and image, the last few processes seen to
	// exec it (inferDaemonParent): a master re-exec'd in place (php-fpm's
	// USR2, nginx's binary upgrade) daemonizes again from its old pid.
	launches map[hostImage][launchRing]ProcKey
}

// hostImage keys launches.
type hostImage struct{ host, image string }

// launchRing is how many execs of one image launches keeps: the newest
// few are enough to choose the latest before a daemon's first trace.
const launchRing = 4

// maxLaunchImages bounds launches: past it the notes start again.
const maxLaunchImages = 4096

// NewTree returns an empty Tree.
func NewTree() *Tree {
	return &Tree{live: make(map[hostPID]*Process), strs: make(map[string]string), argvs: make(map[string][]string), containers: make(map[string]Container)}
}

// Len returns the number of processes.
func (t *Tree) Len() int { return t.total }

// Processes returns every process in the order it was first seen. A
// spilling tree reads every process back first.
func (t *Tree) Processes() []*Process {
	if t.parts != nil {
		return t.unionProcesses()
	}
	t.loadAll()
	return t.procs
}

// intern returns a copy of s shared with equal strings seen before. Event
// strings point into large buffers; the tree outlives them and must not pin
// them, and argv repeats a lot (every "sh -c date" of a health check).
func (t *Tree) intern(s string) string {
	if s == "" {
		return ""
	}
	if v, ok := t.strs[s]; ok {
		return v
	}
	v := strings.Clone(s)
	if len(t.strs) < 1<<20 {
		t.strs[v] = v
	}
	return v
}

// internBytes is intern for bytes that are not kept (a spill record's):
// looking up with string(b) does not allocate, so only a string seen for
// the first time is copied.
func (t *Tree) internBytes(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if v, ok := t.strs[string(b)]; ok {
		return v
	}
	return t.intern(string(b))
}

// set stores an interned v in *f unless v is empty or already there: most
// events of a process repeat what the node holds, and comparing is cheaper
// than interning.
func (t *Tree) set(f *string, v string) {
	if v != "" && v != *f {
		*f = t.intern(v)
	}
}

// internArgs returns an argv shared with equal argvs seen before: the
// same command lines repeat across thousands of processes (health checks,
// build steps), and a shared slice costs a node nothing. Slices in the tree
// are read-only for that reason.
func (t *Tree) internArgs(a []string) []string {
	if a == nil {
		return nil
	}
	// the key length-prefixes every argument, so that no choice of
	// arguments can make two different argvs collide
	k := t.argvKey[:0]
	for _, s := range a {
		k = binary.AppendUvarint(k, uint64(len(s)))
		k = append(k, s...)
	}
	t.argvKey = k
	if v, ok := t.argvs[string(k)]; ok {
		return v
	}
	out := make([]string, len(a))
	for i, s := range a {
		out[i] = t.intern(s)
	}
	if len(t.argvs) < 1<<18 && len(k) <= 4096 {
		t.argvs[string(k)] = out
	}
	return out
}

// Observe updates the tree with one event and sets ev.Proc. Events without a
// pid (access-log requests, daemon records) are left alone.
func (t *Tree) Observe(ev *Event) {
	if t.parts != nil {
		panic("proctree: Observe on a union of trees")
	}
	if c := ev.Container(); c.ID != "" {
		t.learnContainer(c)
	}
	t.observeBoot(ev)
	if ev.PID <= 0 {
		return
	}
	if t.spill != nil {
		t.maybeSpill()
	}
	k := hostPID{ev.Host, ev.PID}
	var p *Process
	if !t.spilledReused(k, ev) {
		p = t.current(k)
	}
	fresh := p == nil || p.Exited || t.reused(p, ev)
	if fresh {
		p = t.newProcess(ev.Host, ev.PID, ev.Time)
	}
	// its first record of its own: new, or known so far only as a parent
	// (a worker whose child's exec was logged before the worker's accept)
	firstOwn := fresh || p.Placeholder
	if ev.PPID > 0 {
		switch {
		case p.Parent == nil && p.PPID == 0:
			p.PPID = ev.PPID
			if l := t.orphanLauncher(p, ev, fresh); l != nil {
				p.ParentGuess = GuessDaemon
				t.link(p, l)
			} else {
				t.link(p, t.parent(ev.Host, ev.PPID, ev.Time, p, ev.Exe, ev.Args, ev.UID, ev.Kind == KindExec))
			}
			if firstOwn && ev.Kind != KindExec {
				t.inferMasterImage(p.Parent, ev)
			}
			if fresh && ev.Kind != KindExec && p.Parent != nil && len(p.Parent.Execs) > 0 && ev.Exe == p.Parent.Exe &&
				(len(ev.Args) == 0 || slices.Equal(ev.Args, p.Parent.Execs[len(p.Parent.Execs)-1].Args)) {
				// a forked child acting before any exec of its own still
				// runs its parent's image (bash -c '…' forking for a
				// redirection): show that as the first image. Not when the
				// event states the process's own command line (a sensor's
				// alert): an event's own fields win over the parent's.
				pe := p.Parent.Execs[len(p.Parent.Execs)-1]
				pe.Inherited, pe.Time = true, ev.Time
				p.Execs = append(p.Execs, pe)
				p.Args = pe.Args
			}
		case p.PPID == 0 && p.ParentInferred():
			// a placeholder hung under a guessed parent now shows its own
			// ppid: the record wins over the guess
			t.unlink(p)
			p.ParentGuess = GuessNone
			p.PPID = ev.PPID
			t.link(p, t.parent(ev.Host, ev.PPID, ev.Time, p, ev.Exe, ev.Args, ev.UID, ev.Kind == KindExec))
		case ev.PPID != p.PPID:
			// reused() ruled out a new process: the parent died and the
			// process was re-parented; keep the real ancestry.
			p.Reparented = true
		}
	}
	if p.Placeholder {
		delete(t.workers, p.Key) // its own record: no guess is needed
	}
	p.Placeholder = false
	p.Events++
	if ev.Time.After(p.LastSeen) {
		p.LastSeen = ev.Time
	}
	if ev.Exe != "" && ev.Kind != KindExec && !pathEndsWith(p.Exe, ev.Exe) {
		// (a sensor's bare name, Sysmon's Image "bash", does not replace
		// the path the process was executed as)
		t.set(&p.Exe, ev.Exe)
	}
	if ev.Exe != "" {
		p.ImageInferred = false // its own record states its image
	}
	if ev.Kind != KindExec && len(ev.Args) > 0 && len(p.Args) == 0 {
		p.Args = t.internArgs(ev.Args) // a sensor names the command line of a process it saw no exec of
	}
	if ev.Kind != KindExec && ev.ProcTitle != "" && p.Title == nil && len(p.Execs) == 0 {
		p.Title = t.internArgs(ev.TitleArgs()) // decoded once per process that has no exec
	}
	t.set(&p.Comm, ev.Comm)
	if ev.UID.Set {
		p.UID, p.EUID = ev.UID, ev.EUID
	}
	if ev.AUID.Set || ev.SES.Set {
		p.AUID, p.SES = ev.AUID, ev.SES
	}
	t.set(&p.User, ev.User)
	t.set(&p.TTY, ev.TTY)
	t.set(&p.Cwd, ev.Cwd)
	if c := ev.Container(); !c.IsZero() && p.Container == nil {
		p.Container = new(Container) // not &c: c would escape on every call
		*p.Container = c
	}
	switch ev.Kind {
	case KindExec:
		if ev.ExecSucceeded() {
			t.exec(p, ev)
		}
	case KindFork:
		if ev.Child > 0 && ev.Success {
			c := t.newProcess(ev.Host, ev.Child, ev.Time)
			c.PPID = ev.PID
			c.Exe, c.Comm, c.Cwd = p.Exe, p.Comm, p.Cwd
			c.Args = p.Args
			c.UID, c.EUID, c.AUID, c.SES, c.User = p.UID, p.EUID, p.AUID, p.SES, p.User
			t.link(c, p)
		}
	case KindConnect:
		if ev.Peer.Family == "inet" || ev.Peer.Family == "inet6" {
			addPeer(p, ev.Peer)
		}
	case KindExit:
		p.Exited = true
	}
	ev.Proc = p
}

func (t *Tree) exec(p *Process, ev *Event) {
	e := Exec{
		Time: ev.Time, Exe: t.intern(ev.Exe), Args: t.internArgs(ev.Args),
		Cwd: t.intern(ev.Cwd), UID: ev.UID, EUID: ev.EUID,
	}
	if len(ev.Evidence) > 0 {
		e.Pos, e.Serial = ev.Evidence[0].Pos, ev.Evidence[0].Serial
	}
	p.Execs = append(p.Execs, e)
	p.Exe, p.Args = e.Exe, e.Args
	p.Title = nil // its exec is seen now: Title is for processes without one
	t.noteLaunch(p, e.Exe)
}

// noteLaunch remembers that p exec'd image, newest first.
func (t *Tree) noteLaunch(p *Process, image string) {
	if image == "" {
		return
	}
	if t.launches == nil || len(t.launches) >= maxLaunchImages {
		t.launches = map[hostImage][launchRing]ProcKey{}
	}
	k := hostImage{p.Key.Host, image}
	r := t.launches[k]
	if r[0] == p.Key {
		return
	}
	copy(r[1:], r[:launchRing-1])
	r[0] = p.Key
	t.launches[k] = r
}

func addPeer(p *Process, a Addr) {
	if len(p.Peers) >= 8 {
		return
	}
	for _, x := range p.Peers {
		if x == a {
			return
		}
	}
	p.Peers = append(p.Peers, a)
}

// procSlab is how many processes are allocated at once. The tree keeps
// every process to the end, so one block of many costs the collector one
// object instead of many, with siblings near each other in memory.
const procSlab = 256

func (t *Tree) newProcess(host string, pid int, at time.Time) *Process {
	var p *Process
	if t.spill != nil {
		// a block stays as long as one of its processes does: a
		// spilling tree frees processes one by one
		p = new(Process)
	} else {
		if len(t.slab) == 0 {
			t.slab = make([]Process, procSlab)
		}
		p = &t.slab[0]
		t.slab = t.slab[1:]
	}
	*p = Process{Key: ProcKey{Host: host, PID: pid, Start: at}, FirstSeen: at, LastSeen: at, Boot: t.bootOf(host).epoch}
	t.hosts.add(host)
	t.procs = append(t.procs, p)
	t.total++
	p.Seq = uint32(t.total) // wraps after 4G processes: a cache index, never an identity
	k := hostPID{host, pid}
	t.live[k] = p
	if t.spill != nil {
		t.spill.forget(k) // the pid is someone else's now
	}
	return p
}

// parent returns the live process with pid ppid, creating a placeholder when
// it has not been seen yet.
func (t *Tree) parent(host string, ppid int, at time.Time, child *Process, image string, childArgs []string, childUID ID, childExec bool) *Process {
	if q := t.current(hostPID{host, ppid}); q != nil && q != child {
		return q
	}
	q := t.newProcess(host, ppid, at)
	q.Placeholder = true
	t.inferRelayParent(q, childArgs, childUID)
	if q.Parent == nil && !childExec {
		// a daemon's worker acts with its master's image before any exec
		// of its own; a child's exec shows only what the child runs (an
		// rm under a parent never seen is no fork of the rm before it)
		t.inferDaemonParent(q, image, childUID)
	}
	if q.Parent == nil {
		t.inferSubshellParent(q, image, childUID)
	}
	return q
}

// workerSeen is the first fork of a placeholder that acted without an exec.
type workerSeen struct {
	pid int
	exe string // "" once forks of two images were seen: no guess
}

// maxWorkerNotes bounds the placeholders waiting for a second fork: past
// it the notes are dropped and start again, so a log of endless unseen
// parents cannot grow the map (a master then needs two more workers).
const maxWorkerNotes = 4096

// inferMasterImage names a placeholder's image from its forks. A process
// whose first record is not an exec runs the image it was forked with, its
// parent's: a pre-fork server's master (nginx, apache, php-fpm, uWSGI)
// started before the log makes no audited record itself, but its workers
// do, and a shell the master runs (the nginx master runs init_by_lua at
// every reload, as root) would otherwise hang under a nameless parent, cut
// from the server. One such fork is not enough: a child started before the
// log may have exec'd where the log cannot see (a shell's one background
// job). Two forks of one image name it, inferred, and say so in the
// report; forks of two images, or init, never do.
func (t *Tree) inferMasterImage(q *Process, ev *Event) {
	if q == nil || !q.Placeholder || q.Exe != "" || q.Key.PID == 1 || ev.Exe == "" {
		return
	}
	w, ok := t.workers[q.Key]
	switch {
	case !ok:
		if t.workers == nil || len(t.workers) >= maxWorkerNotes {
			t.workers = map[ProcKey]workerSeen{}
		}
		t.workers[q.Key] = workerSeen{ev.PID, ev.Exe}
	case w.exe == "" || w.pid == ev.PID:
	case w.exe != ev.Exe:
		t.workers[q.Key] = workerSeen{}
	default:
		delete(t.workers, q.Key)
		t.set(&q.Exe, ev.Exe)
		t.set(&q.Comm, ev.Comm)
		q.ImageInferred = true
	}
}

// daemonPIDWindow is how far below a daemonized child's pid its launcher
// may be: the fork that backgrounds a daemon takes the next free pids.
const daemonPIDWindow = 16

// daemonWindow is how long before the daemon's first trace its launcher may
// have exec'd the program: daemonizing is the launcher's first act, not a
// later one.
const daemonWindow = time.Minute

// inferDaemonParent links a placeholder parent that is never seen itself to
// the process that most likely forked it into the background. Daemons
// started with --daemonize (php-fpm, nginx without "daemon off") fork and
// let the launcher exit; the fork is not audited and the background master
// makes no audited syscall, so its workers' ancestry would end at an
// unknown pid, cutting them off from the container shim or init script
// that started them.
//
// A launcher is a process the log shows exec'ing the same image (the worker
// acts as the master's image) at most daemonWindow before the daemon's
// first trace, at a lower pid: a fresh start a few pids below, or a master
// that re-exec'd itself in place and daemonized again from its old pid.
// Of those, the latest exec wins, because daemonizing follows the exec at
// once. A process that only ever ran the image by being forked (a worker,
// or a program's own double-forked background child) started nothing, and
// is never taken. The guess cannot invert privilege: a launcher that is not
// root never gets a child running as another user (a root process drawn
// under a www-data one would read as an escalation the evidence never
// showed). The node says the link is inferred.
func (t *Tree) inferDaemonParent(q *Process, image string, childUID ID) {
	best := t.daemonLauncher(q, image, childUID, daemonWindow, true)
	if best == nil {
		return
	}
	q.Exe, q.Args, q.Comm = best.Exe, best.Args, best.Comm
	q.ParentGuess = GuessDaemon
	t.link(q, best)
}

// daemonLauncher returns the process that most likely forked q into the
// background, running image (see inferDaemonParent), or nil: one that
// exec'd it at most within before q's first trace, a few pids below or,
// with reexec, among the last to exec it (a master re-exec'd in place).
func (t *Tree) daemonLauncher(q *Process, image string, childUID ID, within time.Duration, reexec bool) *Process {
	if image == "" {
		return nil
	}
	var best *Process
	var bestAt time.Time
	consider := func(l *Process) {
		if l == nil || l == best || l.Placeholder || l.Key.PID >= q.Key.PID || l.Exe != image {
			return
		}
		at, ok := launchedAt(l)
		if !ok || at.After(q.FirstSeen) || q.FirstSeen.Sub(at) > within {
			return
		}
		if !l.UID.Set || l.UID.N != 0 && (!l.EUID.Set || l.EUID.N != 0) && (!childUID.Set || childUID.N != l.UID.N) {
			// unknown, or an unprivileged launcher of another user's
			// process (an effective root may set any uid: a setuid
			// program's daemon runs as root)
			return
		}
		if best == nil || at.After(bestAt) {
			best, bestAt = l, at
		}
	}
	for pid := q.Key.PID - 1; pid > 0 && pid >= q.Key.PID-daemonPIDWindow; pid-- {
		hk := hostPID{q.Key.Host, pid}
		if skip, _ := t.coldSpilled(hk, q.FirstSeen.Add(-daemonWindow)); skip {
			continue // on disk, and a placeholder or too old to have launched it
		}
		consider(t.current(hk))
	}
	for _, k := range t.launches[hostImage{q.Key.Host, image}] {
		if k.PID == 0 || !reexec {
			break
		}
		if l := t.current(hostPID{k.Host, k.PID}); l != nil && l.Key == k {
			consider(l)
		}
	}
	return best
}

// orphanLauncher returns the launcher of a process whose first record
// is not an exec and already names init as its parent: it runs the image
// it was forked with, and its parent exited before it acted, the double
// fork of a program that puts itself in the background (perl's fork and
// setsid). Init never runs that image, so init is not its parent; the
// process that exec'd the image just before, a few pids below, is, by the
// same guess as a daemon's master (inferDaemonParent). Nil when the
// record does not show that shape or no launcher fits.
func (t *Tree) orphanLauncher(p *Process, ev *Event, fresh bool) *Process {
	if !fresh || ev.Kind == KindExec || ev.PPID != 1 || ev.Exe == "" || len(ev.Args) > 0 {
		// (a sensor's event that names the process's own command line
		// states what it runs, not what it was forked with)
		return nil
	}
	if q := t.current(hostPID{ev.Host, 1}); q != nil && (q.Exe == ev.Exe || pathEndsWith(q.Exe, ev.Exe)) {
		return nil // init's own fork, still running init's image
	}
	return t.daemonLauncher(p, ev.Exe, ev.UID, orphanWindow, false)
}

// orphanWindow bounds the time from a launcher's exec to its orphaned
// fork's first record: putting itself in the background is what such a
// program does first (a loader's fork and setsid took 96 ms on
// shop-partnerfeed); a fork long after (ssh -f once its login is done)
// is some later act, and a pid nearby then tells little.
const orphanWindow = 2 * time.Second

// launchedAt is when l exec'd the image it runs now, if the log shows it.
func launchedAt(l *Process) (time.Time, bool) {
	if len(l.Execs) == 0 {
		return time.Time{}, false
	}
	e := l.Execs[len(l.Execs)-1]
	if e.Inherited || e.Exe != l.Exe {
		return time.Time{}, false
	}
	return e.Time, true
}

// unlink takes c from its parent's children (an inferred link that a
// record proved wrong).
func (t *Tree) unlink(c *Process) {
	par := c.Parent
	if par == nil {
		return
	}
	if i := slices.Index(par.Children, c); i >= 0 {
		par.Children = slices.Delete(par.Children, i, i+1)
	}
	c.Parent = nil
}

func (t *Tree) link(c, parent *Process) {
	if parent == nil || parent == c {
		return
	}
	// Never build a cycle. A cycle needs c above parent, so c must have
	// children: a process linked as it is made has none and costs nothing,
	// which keeps a long fork chain linear. Otherwise the walk is bounded;
	// past the bound c stays a root (its ancestry shows as unknown).
	if len(c.Children) > 0 {
		n := 0
		for a := parent; a != nil; a, n = a.Parent, n+1 {
			if a == c || n >= MaxAncestry {
				return
			}
		}
	}
	c.Parent = parent
	parent.Children = append(parent.Children, c)
	if c.Key.Start.After(event.NewestChild(parent)) {
		event.SetNewestChild(parent, c.Key.Start)
	}
	if parent.FirstSeen.After(c.FirstSeen) {
		parent.FirstSeen = c.FirstSeen
	}
}

// MaxAncestry bounds the ancestry walks that consumers make per process
// (Ancestors, the cycle check of a late link): the depth of a chain is
// attacker-controlled, and past this many levels a chain is reported
// truncated. Root walks the whole chain, once per caller.
const MaxAncestry = 4096

// Ancestors returns p's ancestors, nearest first, at most MaxAncestry.
// truncated is true when the chain ends at a process whose own parent is
// unknown (a placeholder, or a process whose ppid was never seen) rather
// than at pid 1 or a kernel thread, or when the bound cut it.
func (t *Tree) Ancestors(p *Process) (chain []*Process, truncated bool) {
	for a := p.Parent; a != nil; a = a.Parent {
		if len(chain) >= MaxAncestry {
			return chain, true
		}
		chain = append(chain, a)
	}
	root := p
	if len(chain) > 0 {
		root = chain[len(chain)-1]
	}
	return chain, root.Key.PID > 2 && root.Parent == nil
}

// Root returns the topmost ancestor of p (p itself for a root) and how many
// levels above p it is, however deep the chain. Links never make a cycle;
// the walk is still bounded by the number of processes.
func (t *Tree) Root(p *Process) (root *Process, depth int) {
	limit := 1 << 62
	if t != nil {
		limit = t.total + 1
	}
	for root = p; root.Parent != nil && depth < limit; depth++ {
		root = root.Parent
	}
	return root, depth
}

// Live returns the process holding pid on host now (the last one seen
// with that pid in the current boot), nil for none: a constant-time
// lookup for a consumer reading the events in order (a debugger's -p
// names a process alive at its exec), where ByPID walks every process.
func (t *Tree) Live(host string, pid int) *Process {
	return t.current(hostPID{host, pid})
}

// ByPID returns every process that had pid on host ("" matches any host), in
// the order they were seen.
func (t *Tree) ByPID(host string, pid int) []*Process {
	if t.parts != nil {
		return t.unionByPID(host, pid)
	}
	t.loadPID(host, pid)
	t.sortProcs()
	var out []*Process
	for _, p := range t.procs {
		if p.Key.PID == pid && (host == "" || p.Key.Host == host) {
			out = append(out, p)
		}
	}
	return out
}

// Hosts returns the hosts that have processes, sorted, without reading a
// spilled tree back.
func (t *Tree) Hosts() []string { return slices.Sorted(maps.Keys(t.hosts.names)) }

// Descendants is the package's Descendants after reading back what of p's
// subtree a spilling tree moved out; t may be nil.
func (t *Tree) Descendants(p *Process) []*Process {
	t.LoadDescendants(p)
	return Descendants(p)
}

// Roots returns the processes without a parent, sorted by host, start, pid.
func (t *Tree) Roots() []*Process {
	if t.parts != nil {
		return t.unionRoots()
	}
	t.loadAll()
	var out []*Process
	for _, p := range t.procs {
		if p.Parent == nil {
			out = append(out, p)
		}
	}
	SortProcesses(out)
	return out
}

// SortProcesses orders processes by host, first seen, pid: a total order for
// deterministic output.
func SortProcesses(ps []*Process) {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.Key.Host != b.Key.Host {
			return a.Key.Host < b.Key.Host
		}
		if !a.FirstSeen.Equal(b.FirstSeen) {
			return a.FirstSeen.Before(b.FirstSeen)
		}
		if a.Key.PID != b.Key.PID {
			return a.Key.PID < b.Key.PID
		}
		return a.Key.Start.Before(b.Key.Start)
	})
}

// Descendants returns every process below p, depth first, children in
// order. The walk keeps its own stack: the depth of a tree is
// attacker-controlled.
func Descendants(p *Process) []*Process {
	var out []*Process
	stack := []*Process{p}
	for len(stack) > 0 {
		q := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if q != p {
			out = append(out, q)
		}
		kids := append([]*Process(nil), q.Children...)
		SortProcesses(kids)
		for i := len(kids) - 1; i >= 0; i-- { // the first child on top
			stack = append(stack, kids[i])
		}
	}
	return out
}

// ContainerOf attributes p to a container from the logs alone: the source's
// own attribution if any, else the id in the arguments of the nearest
// containerd-shim, conmon or runc ancestor. It reads the tree only (no
// cache), so report writers may call it on a tree they must not change.
func (t *Tree) ContainerOf(p *Process) Container {
	for a, depth := p, 0; a != nil && depth < 256; a, depth = a.Parent, depth+1 {
		if a.Container != nil {
			if a.Container.Name == "" && a.Container.ID != "" {
				return t.Container(a.Container.ID)
			}
			return *a.Container
		}
		if isRuntime(a) {
			if id := runtimeContainerID(a.Args); id != "" {
				return t.Container(id)
			}
			if isShim(a) {
				return Container{} // a shim without an id: do not climb past it
			}
		}
	}
	return Container{}
}

// learnContainer merges what one event says about a container.
func (t *Tree) learnContainer(c Container) {
	if len(t.containers) >= 1<<16 {
		return
	}
	old := t.containers[c.ID]
	for _, f := range [][2]*string{{&old.Name, &c.Name}, {&old.Image, &c.Image}, {&old.Pod, &c.Pod}, {&old.Namespace, &c.Namespace}, {&old.Runtime, &c.Runtime}} {
		if *f[0] == "" {
			*f[0] = *f[1]
		}
	}
	old.ID = c.ID
	t.containers[c.ID] = old
}

// Container returns what the runtime logs say about the container with
// this id (full or a prefix of at least 12 characters), with the id as
// given when nothing more is known.
func (t *Tree) Container(id string) Container {
	if c, ok := t.containers[id]; ok {
		return c
	}
	if len(id) >= 12 {
		var found Container
		n := 0
		for full, c := range t.containers {
			if strings.HasPrefix(full, id) || strings.HasPrefix(id, full) {
				found, n = c, n+1
			}
		}
		if n == 1 { // an ambiguous prefix names nothing
			return found
		}
	}
	return Container{ID: id}
}

func isShim(p *Process) bool {
	n := p.Name()
	return strings.HasPrefix(n, "containerd-shim") || n == "conmon"
}

func isRuntime(p *Process) bool {
	n := p.Name()
	return isShim(p) || n == "runc" || n == "crun"
}

// runtimeContainerID finds the container id in a shim or runtime argv:
// "-id ID" (containerd-shim), "--cid ID"/"-c ID" (conmon), or the last
// argument of "runc … create|run|exec|start … ID".
func runtimeContainerID(args []string) string {
	for i := 0; i < len(args)-1; i++ {
		switch args[i] {
		case "-id", "--id", "--cid", "-c":
			return args[i+1]
		}
		if v, ok := strings.CutPrefix(args[i], "--cid="); ok {
			return v
		}
	}
	for i, a := range args {
		switch a {
		case "create", "run", "start":
			if last := args[len(args)-1]; i < len(args)-1 && isHexID(last) {
				return last
			}
		}
	}
	return ""
}

func isHexID(s string) bool {
	if len(s) < 12 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// pathEndsWith reports whether p ends with "/"+name, without making that
// string: it is asked for every record of a process that names its program.
func pathEndsWith(p, name string) bool {
	return len(p) > len(name) && p[len(p)-len(name)-1] == '/' && strings.HasSuffix(p, name)
}
