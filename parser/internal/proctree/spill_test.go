package proctree

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// spillDump prints every process of tr with its links, one line each in the
// order they were made: two trees with the same dump are the same tree.
func spillDump(tr *Tree) string {
	var b strings.Builder
	fmt.Fprintf(&b, "len %d\n", tr.Len())
	key := func(p *Process) string {
		if p == nil {
			return "-"
		}
		return fmt.Sprintf("%s/%d@%d", p.Key.Host, p.Key.PID, p.Key.Start.UnixNano())
	}
	for _, p := range tr.Processes() {
		c := *p
		c.Parent, c.Children, c.Container = nil, nil, nil
		var kids []string
		for _, k := range p.Children {
			kids = append(kids, key(k))
		}
		slices.Sort(kids)
		var ctr Container
		if p.Container != nil {
			ctr = *p.Container
		}
		fmt.Fprintf(&b, "%+v container=%+v parent=%s kids=%v\n", c, ctr, key(p.Parent), kids)
	}
	for _, r := range tr.Roots() {
		fmt.Fprintf(&b, "root %s\n", key(r))
	}
	return b.String()
}

// randomEvents makes a process history that visits every path of the
// tree: pids reused from a small range, forks, execs, exits, connects,
// parents seen only as ppids, daemons forked into the background, and idle
// gaps so that subtrees go cold and come back.
func randomEvents(rng *rand.Rand, n int) []*Event {
	var evs []*Event
	at := time.Unix(1000, 0).UTC()
	images := []string{"/usr/sbin/php-fpm8.2", "/bin/sh", "/usr/bin/id", "/usr/sbin/nginx"}
	for range n {
		at = at.Add(time.Duration(rng.IntN(3)) * time.Second)
		if rng.IntN(20) == 0 {
			at = at.Add(time.Hour)
		}
		pid := 2 + rng.IntN(40)
		ppid := 1 + rng.IntN(40)
		if rng.IntN(10) == 0 {
			pid += 1 << 32 // a crafted log's pid must not alias a real one
		}
		e := &Event{Time: at, PID: pid, PPID: ppid, Exe: images[rng.IntN(len(images))], Success: true, Source: "auditd"}
		if rng.IntN(8) == 0 {
			e.Host = "other"
		}
		switch rng.IntN(7) {
		case 0, 1:
			e.Kind = KindExec
			e.Args = []string{e.Exe, fmt.Sprint(rng.IntN(3))}
			e.Cwd = "/srv"
		case 2:
			e.Kind = KindFork
			e.Child = 2 + rng.IntN(40)
		case 3:
			e.Kind = KindExit
		case 4:
			e.Kind = KindConnect
			e.Peer = Addr{Family: "inet", IP: "127.0.0.1", Port: 4000 + rng.IntN(4)}
		case 5:
			e.Kind = KindExec
			e.SetContainer(Container{ID: "4f1c2d3e4f1c", Name: "web"})
		default:
			e.Kind = KindFileWrite
			e.UID, e.EUID = NewID(33), NewID(33)
			e.User, e.TTY = "www-data", "pts0"
		}
		evs = append(evs, e)
	}
	return evs
}

func buildTree(evs []*Event, limit int, dir string) *Tree {
	tr := NewTree()
	if limit > 0 {
		tr.SpillTo(dir, limit)
	}
	for _, e := range evs {
		c := *e
		tr.Observe(&c)
	}
	return tr
}

func TestSpillSameTreeRandom(t *testing.T) {
	dir := t.TempDir()
	faults := 0
	for seed := range uint64(200) {
		evs := randomEvents(rand.New(rand.NewPCG(seed, 7)), 300)
		mem := buildTree(evs, 0, "")
		want := spillDump(mem)
		for _, limit := range []int{2, 5, 30} {
			tr := buildTree(evs, limit, dir)
			if err := tr.Err(); err != nil {
				t.Fatal(err)
			}
			// ask by pid first, so that reading back part of the file
			// is tried before reading all of it
			for pid := 2; pid < 42; pid += 7 {
				if a, b := procKeys(mem.ByPID("", pid)), procKeys(tr.ByPID("", pid)); !slices.Equal(a, b) {
					t.Fatalf("seed %d limit %d: pid %d: %v in memory, %v spilled", seed, limit, pid, a, b)
				}
			}
			if got := spillDump(tr); got != want {
				t.Fatalf("seed %d limit %d: tree differs (-memory +spilled):\n%s", seed, limit, cmp.Diff(want, got))
			}
			faults += tr.SpillStats().Faults
			tr.Close()
		}
	}
	if faults == 0 {
		t.Error("no subtree was read back: the test does not exercise faults")
	}
}

func procKeys(ps []*Process) []string {
	var out []string
	for _, p := range ps {
		out = append(out, fmt.Sprintf("%s/%d@%d", p.Key.Host, p.Key.PID, p.Key.Start.UnixNano()))
	}
	return out
}

// LoadDescendants brings back what is below a process, and only that.
func TestSpillLoadDescendants(t *testing.T) {
	evs := []*Event{
		ev(1, KindExec, 10, 1, "/usr/sbin/nginx", "nginx"),
		ev(2, KindExec, 11, 10, "/bin/sh", "sh", "-c", "a"),
		ev(3, KindExec, 12, 11, "/usr/bin/id", "id"),
		ev(4, KindExec, 20, 1, "/usr/sbin/cron", "cron"),
		ev(5, KindExec, 21, 20, "/bin/sh", "sh", "-c", "b"),
		ev(100, KindExec, 30, 1, "/usr/bin/top", "top"),
		ev(101, KindExec, 31, 1, "/usr/bin/top", "top"),
		ev(102, KindExec, 32, 1, "/usr/bin/top", "top"),
		ev(103, KindExec, 33, 1, "/usr/bin/top", "top"),
	}
	tr := buildTree(evs, 4, t.TempDir())
	if tr.SpillStats().Spilled == 0 {
		t.Fatal("nothing spilled")
	}
	root := tr.find(hostPID{"", 1})
	if root == nil {
		t.Fatal("pid 1 lost")
	}
	tr.LoadDescendants(root)
	var pids []int
	for _, p := range Descendants(root) {
		pids = append(pids, p.Key.PID)
	}
	if want := []int{10, 11, 12, 20, 21, 30, 31, 32, 33}; !slices.Equal(pids, want) {
		t.Errorf("descendants %v, want %v", pids, want)
	}
}

// A spill file that cannot be made leaves the tree in memory, whole, and
// says why; a file that fails once processes moved is an error.
func TestSpillUnavailable(t *testing.T) {
	evs := randomEvents(rand.New(rand.NewPCG(1, 2)), 300)
	tr := buildTree(evs, 2, filepath.Join(t.TempDir(), "missing"))
	if err := tr.Err(); err != nil {
		t.Fatalf("err = %v", err)
	}
	if st := tr.SpillStats(); !strings.Contains(st.Unavailable, "no such file") || st.Spilled != 0 {
		t.Errorf("stats %+v", st)
	}
	mem := buildTree(evs, 0, "")
	for pid := 2; pid < 42; pid++ { // before anything sorts the tree again
		if a, b := procKeys(mem.ByPID("", pid)), procKeys(tr.ByPID("", pid)); !slices.Equal(a, b) {
			t.Fatalf("pid %d: %v in memory, %v unspilled", pid, a, b)
		}
	}
	if got, want := spillDump(tr), spillDump(mem); got != want {
		t.Errorf("tree differs (-memory +unspilled):\n%s", cmp.Diff(want, got))
	}

	tr = buildTree(evs, 2, t.TempDir())
	if tr.SpillStats().Spilled == 0 {
		t.Fatal("nothing spilled")
	}
	tr.spill.f.Close() // the disk goes away under the tree
	tr.Processes()
	if err := tr.Err(); err == nil || !strings.Contains(err.Error(), "spill file") {
		t.Errorf("err = %v", err)
	}
}

// Every field of a Process survives the file. Fields are filled by
// reflection, so a field added to Process later fails here until the
// record format carries it.
func TestSpillRecordRoundTrip(t *testing.T) {
	var p Process
	fill(reflect.ValueOf(&p).Elem(), 1)
	p.Parent, p.Children = nil, nil
	tr := NewTree()
	b := encodeProcess(nil, &p, true, []int32{3, 9})
	var q Process
	d := &recordDecoder{b: b, t: tr}
	live, refs := d.process(&q)
	if d.err != nil || len(d.b) != 0 {
		t.Fatalf("decode: %v, %d bytes left", d.err, len(d.b))
	}
	if !live || !slices.Equal(refs, []int32{3, 9}) {
		t.Errorf("live %t refs %v", live, refs)
	}
	if d := cmp.Diff(p, q, cmp.AllowUnexported(Process{})); d != "" {
		t.Errorf("round trip (-want +got):\n%s", d)
	}
	// negative numbers a crafted log may hold survive too
	neg := Process{Key: ProcKey{PID: -5}, PPID: -1 << 40, Events: -3, Peers: []Addr{{Port: -80}}}
	var back Process
	dn := &recordDecoder{b: encodeProcess(nil, &neg, false, nil), t: tr}
	dn.process(&back)
	if dn.err != nil || !cmp.Equal(neg, back, cmp.AllowUnexported(Process{})) {
		t.Errorf("negative numbers: %v, %+v", dn.err, back)
	}
	// nil and empty argvs differ (no exec seen / an exec without argv)
	for _, args := range [][]string{nil, {}} {
		p := Process{Args: args}
		var q Process
		d := &recordDecoder{b: encodeProcess(nil, &p, false, nil), t: tr}
		d.process(&q)
		if (q.Args == nil) != (args == nil) {
			t.Errorf("args %#v came back as %#v", args, q.Args)
		}
	}
}

// fill sets every field reachable from v to a distinct non-zero value,
// leaving pointers to Process alone.
func fill(v reflect.Value, n int) int {
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			v.Set(reflect.ValueOf(time.Unix(int64(1700000000+n), int64(n)).UTC()))
			return n + 1
		}
		for i := range v.NumField() {
			if v.Field(i).CanSet() {
				n = fill(v.Field(i), n)
			}
		}
	case reflect.String:
		v.SetString(fmt.Sprintf("s%d", n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int32, reflect.Int64:
		v.SetInt(int64(n))
	case reflect.Uint8: // a small enum (ParentGuess): its non-zero values
		v.SetUint(uint64(1 + n%2))
	case reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(n))
	case reflect.Slice:
		if v.Type().Elem() == reflect.TypeOf((*Process)(nil)) {
			return n
		}
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			n = fill(s.Index(i), n)
		}
		v.Set(s)
	case reflect.Pointer:
		if v.Type() == reflect.TypeOf((*Process)(nil)) {
			return n
		}
		e := reflect.New(v.Type().Elem())
		n = fill(e.Elem(), n)
		v.Set(e)
	default:
		panic("fill: unhandled kind " + v.Kind().String())
	}
	return n + 1
}

// FuzzSpillRecord: a record of any bytes is refused or decoded, never a
// panic. The file is the tree's own, but a disk can fail.
func FuzzSpillRecord(f *testing.F) {
	var p Process
	fill(reflect.ValueOf(&p).Elem(), 1)
	p.Parent, p.Children = nil, nil
	rec := append([]byte{0}, encodeProcess(nil, &p, true, []int32{1})...)
	rec = append(append(rec, 1), encodeProcess(nil, &Process{}, false, nil)...)
	f.Add(rec, uint8(2), uint8(0))
	f.Add([]byte{0, 0}, uint8(1), uint8(0))
	// a range of a record left on disk by faultPath: its first node names
	// a parent outside it, the others count from the record's start
	sub := append([]byte{3}, encodeProcess(nil, &Process{}, false, nil)...)
	sub = append(append(sub, 6), encodeProcess(nil, &Process{}, true, nil)...)
	f.Add(sub, uint8(2), uint8(5))
	f.Fuzz(func(t *testing.T, b []byte, count, base uint8) {
		tr := NewTree()
		nodes, live, refs, err := tr.decodeSubtree(b, int(count), int(base))
		if err != nil {
			return
		}
		if len(nodes) == 0 || len(live) != len(nodes) || len(refs) != len(nodes) || nodes[0].Parent != nil {
			t.Fatalf("%d nodes, %d live, %d refs", len(nodes), len(live), len(refs))
		}
	})
}

// FuzzSpillTree: for any history of events, a tree that spills after two
// processes is the same as one kept in memory.
func FuzzSpillTree(f *testing.F) {
	f.Add(uint64(1), uint16(200))
	f.Add(uint64(99), uint16(1000))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, seed uint64, n uint16) {
		evs := randomEvents(rand.New(rand.NewPCG(seed, seed>>3)), int(n%2000))
		want := spillDump(buildTree(evs, 0, ""))
		tr := buildTree(evs, 2, dir)
		defer tr.Close()
		if got := spillDump(tr); got != want {
			t.Fatalf("tree differs (-memory +spilled):\n%s", cmp.Diff(want, got))
		}
	})
}

// A nil tree reads nothing back: callers without a tree (report fixtures,
// timeline tests) use the same calls.
func TestNilTreeLoads(t *testing.T) {
	tr := buildTree([]*Event{ev(1, KindExec, 10, 1, "/bin/sh", "sh"), ev(2, KindExec, 11, 10, "/bin/id", "id")}, 0, "")
	root := tr.find(hostPID{"", 10})
	var none *Tree
	none.LoadChildren(root)
	none.LoadDescendants(root)
	if got := none.Descendants(root); len(got) != 1 || got[0].Key.PID != 11 {
		t.Errorf("descendants %v", got)
	}
}

// TestSpilledPIDComeRoundNoReadBack: a pid whose last holder was moved
// out comes round again under another living parent: the index's parent
// pid says it is a new process, with no read-back of the old one; under
// the old holder's own parent it may be the same process, and is read
// back. Either way the tree is the one built in memory.
func TestSpilledPIDComeRoundNoReadBack(t *testing.T) {
	at := time.Date(2026, 12, 7, 4, 0, 0, 0, time.UTC)
	var evs []*Event
	exec := func(s, pid, ppid int, exe string) {
		evs = append(evs, &Event{Kind: KindExec, Time: at.Add(time.Duration(s) * time.Second), PID: pid, PPID: ppid, Exe: exe,
			Args: []string{exe}, UID: NewID(0), EUID: NewID(0), Success: true, Source: "auditd"})
	}
	exec(0, 100, 1, "/usr/sbin/cron")
	exec(1, 500, 100, "/usr/bin/dash") // the holder to be moved out
	exec(2, 300, 1, "/usr/sbin/sshd")
	for i := range 40 { // enough later processes to move the cold subtree out
		exec(100+i, 1000+i, 300, "/usr/bin/ls")
	}
	for _, tc := range []struct {
		name     string
		ppid     int
		readBack bool
	}{
		{"another living parent", 300, false},
		{"the holder's own parent", 100, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			all := append(slices.Clone(evs), &Event{Kind: KindExec, Time: at.Add(200 * time.Second), PID: 500, PPID: tc.ppid,
				Exe: "/usr/bin/id", Args: []string{"id"}, UID: NewID(0), EUID: NewID(0), Success: true, Source: "auditd"})
			want := spillDump(buildTree(all, 0, ""))
			tr := buildTree(all, 8, t.TempDir())
			defer tr.Close()
			st := tr.SpillStats()
			if st.Spilled == 0 {
				t.Fatal("nothing was moved out: the case does not exercise the spill")
			}
			if got := st.Faults+st.PathFaults > 0; got != tc.readBack {
				t.Errorf("read back: %v (%+v), want %v", got, st, tc.readBack)
			}
			if got := spillDump(tr); got != want {
				t.Errorf("the spilled tree differs from the one built in memory")
			}
		})
	}
}

// TestDeadAncestorAdoptsNoOne: a process whose grandparent's pid went to
// another process since (the grandparent died) is not adopted by that
// process: an event of its pid under that pid as parent is a new process,
// not the old one re-parented to a subreaper above it.
func TestDeadAncestorAdoptsNoOne(t *testing.T) {
	at := time.Date(2026, 12, 7, 4, 0, 0, 0, time.UTC)
	exec := func(s, pid, ppid int, exe string) *Event {
		return &Event{Kind: KindExec, Time: at.Add(time.Duration(s) * time.Second), PID: pid, PPID: ppid, Exe: exe,
			Args: []string{exe}, UID: NewID(0), EUID: NewID(0), Success: true, Source: "auditd"}
	}
	tr := buildTree([]*Event{
		exec(0, 200, 1, "/usr/sbin/cron"),
		exec(1, 300, 200, "/usr/bin/dash"),
		exec(2, 500, 300, "/usr/bin/sleep"),
		exec(59, 50, 1, "/usr/bin/supervisord"),
		exec(60, 200, 50, "/usr/sbin/nginx"), // cron gone: its pid is nginx's now
		exec(61, 500, 200, "/usr/bin/id"),    // nginx's child with the sleep's old pid
	}, 0, "")
	ps := tr.ByPID("", 500)
	if len(ps) != 2 {
		t.Fatalf("pid 500: %d processes, want the sleep and nginx's new child", len(ps))
	}
	if p := ps[len(ps)-1]; p.Parent == nil || p.Parent.Exe != "/usr/sbin/nginx" || p.Reparented {
		t.Errorf("the new pid 500's parent %v, reparented %v: want nginx's child", p.Parent, p.Reparented)
	}
}

// TestColdNeighboursNotReadBack: a process whose parent was never seen
// makes the tree guess it from the processes of the pids just below; those
// moved out long before are passed by from the index's marks, with no
// read-back, and the tree is the one built in memory.
func TestColdNeighboursNotReadBack(t *testing.T) {
	at := time.Date(2026, 12, 7, 4, 0, 0, 0, time.UTC)
	var evs []*Event
	exec := func(s, pid, ppid int, exe string, args ...string) {
		evs = append(evs, &Event{Kind: KindExec, Time: at.Add(time.Duration(s) * time.Second), PID: pid, PPID: ppid, Exe: exe,
			Args: append([]string{exe}, args...), UID: NewID(0), EUID: NewID(0), Success: true, Source: "auditd"})
	}
	exec(0, 100, 1, "/usr/sbin/cron")
	for i := range 8 { // the neighbours, cold by the end
		exec(1, 990+i, 100, "/usr/bin/dash", "-c", "sleep 1")
	}
	exec(2, 300, 1, "/usr/sbin/sshd")
	for i := range 40 { // later processes, to move the cold ones out
		exec(100+i, 2000+i, 300, "/usr/bin/ls")
	}
	exec(600, 999, 998, "/usr/bin/id") // its parent, pid 998, never seen
	want := spillDump(buildTree(evs, 0, ""))
	tr := buildTree(evs, 8, t.TempDir())
	defer tr.Close()
	if st := tr.SpillStats(); st.Spilled == 0 || st.Faults+st.PathFaults > 0 {
		t.Errorf("spill stats %+v: want the neighbours moved out and none read back", st)
	}
	if got := spillDump(tr); got != want {
		t.Errorf("the spilled tree differs from the one built in memory")
	}
}
