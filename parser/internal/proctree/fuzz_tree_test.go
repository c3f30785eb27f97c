package proctree

import (
	"testing"
	"time"
)

// FuzzAncestry builds a process tree from arbitrary (pid, ppid, kind, uid,
// time step) tuples — chains tens of thousands deep, pids that name their
// own descendants as parents (cycles a crafted log may try), reused pids,
// reboots of the serial counter — and checks what every consumer of the
// tree relies on: ancestry walks end, no process is its own ancestor, and
// the roots' descendants hold every process exactly once.
func FuzzAncestry(f *testing.F) {
	f.Add([]byte{1, 0, 2, 1, 3, 2, 4, 3, 1, 4}, uint16(0))       // a cycle through pid 1
	f.Add([]byte{5, 6, 6, 5, 7, 6}, uint16(0))                   // two pids each other's parent
	f.Add([]byte{9, 9, 9, 9}, uint16(0))                         // a pid its own parent
	f.Add([]byte{0, 0, 0, 0}, uint16(3000))                      // a deep fork chain
	f.Add([]byte{200, 1, 201, 200, 200, 201, 1, 200}, uint16(7)) // reuse under a child
	f.Add([]byte{2, 1, 195, 1, 3, 2, 197, 3}, uint16(0))         // sh execs, then orphans acting as sh a pid above
	f.Fuzz(func(t *testing.T, b []byte, deep uint16) {
		tr := NewTree()
		at := time.Unix(1_700_000_000, 0).UTC()
		serial := uint64(1)
		observe := func(kind Kind, pid, ppid int, uid uint32, child int) {
			e := &Event{Kind: kind, Time: at, Serial: serial, PID: pid, PPID: ppid, Child: child,
				UID: NewID(uid), EUID: NewID(uid), Success: true, Source: "auditd", Syscall: "execve"}
			switch kind {
			case KindExec:
				e.Exe, e.Args = "/bin/sh", []string{"sh"}
			case KindConnect:
				// a process acting before any exec of its own, with
				// the image it was forked with (orphanLauncher)
				e.Exe, e.Syscall = "/bin/sh", "connect"
			default:
				e.Syscall = "clone"
			}
			tr.Observe(e)
			serial++
		}
		for i := 0; i+1 < len(b) && i < 4000; i += 2 {
			pid, ppid := int(b[i]%64)+1, int(b[i+1]%64)+1
			at = at.Add(time.Duration(b[i+1]>>6) * 7 * time.Minute)
			switch b[i] >> 6 {
			case 0:
				observe(KindExec, pid, ppid, 33, 0)
			case 1:
				observe(KindExec, pid, ppid, 0, 0)
			case 2:
				observe(KindFork, ppid, 0, 33, pid)
			case 3:
				if b[i+1]&1 == 1 {
					observe(KindConnect, pid, 1, uint32(b[i+1]&2)*33/2, 0) // an orphan: its parent exited
					break
				}
				serial = 1 // the counter starts again: a reboot
			}
		}
		// a fork chain as deep as asked, above the pids used so far
		for d := 0; d < int(deep%5000); d++ {
			observe(KindExec, 1000+d+1, 1000+d, 33, 0)
		}
		procs := tr.Processes()
		for _, p := range procs {
			seen := map[*Process]bool{p: true}
			for a := p.Parent; a != nil; a = a.Parent {
				if seen[a] {
					t.Fatalf("pid %d is its own ancestor", p.Key.PID)
				}
				seen[a] = true
			}
			chain, _ := tr.Ancestors(p)
			if len(chain) > MaxAncestry {
				t.Fatalf("%d ancestors, bound %d", len(chain), MaxAncestry)
			}
			if root, depth := tr.Root(p); root.Parent != nil || depth > len(procs) {
				t.Fatalf("root of pid %d: depth %d of %d processes", p.Key.PID, depth, len(procs))
			}
		}
		n := 0
		in := map[*Process]bool{}
		for _, r := range tr.Roots() {
			for _, p := range append([]*Process{r}, tr.Descendants(r)...) {
				if in[p] {
					t.Fatalf("pid %d under two roots", p.Key.PID)
				}
				in[p] = true
				n++
			}
		}
		if n != len(procs) {
			t.Fatalf("roots hold %d of %d processes", n, len(procs))
		}
	})
}
