package proctree

import (
	"slices"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser/internal/event"
)

// A pid names one process only between its fork and its exit, and within
// one boot. Exit records are rare in audit logs (exit_group is seldom
// audited), so the tree decides from the rest of the evidence when a pid
// seen again belongs to a new process. The rules, in order:
//
//   - Boots. A process never outlives its boot. A host's boot changes when
//     the kernel's audit serials start again (a lower serial with a later
//     time), on a SYSTEM_BOOT record, and on a DAEMON_START whose auditd pid
//     is not above the previous auditd's (the pid counter came round) or,
//     with no earlier auditd start to compare, that follows a silence longer
//     than BootGap. Signals within BootSettle after a boundary belong to the
//     same boot. A pid seen in a later boot is a new process, and a parent
//     of an earlier boot is never a parent.
//   - Re-parenting is a guess (the parent's exit is not in the logs): a pid
//     whose ppid becomes 1 or a subreaper above it is the same process
//     unless its privilege would be inverted (an unprivileged process whose
//     uid becomes 0 cannot do that without an exec of a setuid image).
//   - A re-exec under the same parent is the same process (sh -c → exec nc)
//     unless it inverts privilege the same way, or the process was silent
//     for longer than ReexecGap and either its parent started other
//     children since or the exec repeats the process's last image and argv
//     (a parent running its loop again after the pid came round).
//   - An event that shows its parent's image after the process exec'd
//     another one is a new fork of that parent (a process cannot return to
//     its parent's image without an exec).

// Named bounds of the identity rules.
const (
	// BootGap is the silence before a DAEMON_START (with no earlier one to
	// compare) that makes it a new boot rather than an auditd restart.
	BootGap = 2 * time.Minute
	// BootSettle is how long after a boot boundary further signals (the
	// DAEMON_START and SYSTEM_BOOT of the same boot) are taken as the same.
	BootSettle = 5 * time.Minute
	// ReexecGap is the silence after which a re-exec needs no other sign
	// against it to be taken for a new process that got the pid.
	ReexecGap = 10 * time.Minute
	// serialRestartGap is how far below the highest serial a serial must
	// fall to be a restart: a blocking syscall is logged with the serial it
	// took when it began, a few hundred below the newest.
	serialRestartGap = 1000
)

// bootState follows one host's boots.
type bootState struct {
	epoch      uint16 // counts modulo 65 536, as Process.Boot does
	maxSerial  uint64
	maxAt      time.Time
	last       time.Time // the newest record of the host
	boundary   time.Time // when the current boot was first seen to begin
	signal     string    // what showed that: a record type, or "serials"
	auditdPID  int       // pid of the newest DAEMON_START, 0 if none
	hasRecords bool
}

// bootOf returns the state of host's boots, creating it.
func (t *Tree) bootOf(host string) *bootState {
	if t.boots == nil {
		t.boots = map[string]*bootState{}
	}
	b := t.boots[host]
	if b == nil {
		b = &bootState{}
		if len(t.boots) < 1<<16 {
			t.boots[host] = b
		}
	}
	return b
}

// Boots returns how many boot boundaries the tree found on host.
func (t *Tree) Boots(host string) int {
	if t.parts != nil {
		if p := t.partOf(host); p != t {
			return p.Boots(host)
		}
		return 0
	}
	if b := t.boots[host]; b != nil {
		return int(b.epoch)
	}
	return 0
}

// observeBoot moves host's boot on when ev shows a new one.
func (t *Tree) observeBoot(ev *Event) {
	if ev.Source != FormatAuditd && ev.Source != "" {
		return
	}
	b := t.bootOf(ev.Host)
	newBoot, signal := false, ev.RecordType
	switch {
	case ev.RecordType == "SYSTEM_BOOT":
		newBoot = true
	case ev.RecordType == "DAEMON_START":
		if ev.PID > 0 && b.auditdPID > 0 {
			newBoot = ev.PID <= b.auditdPID
		} else {
			newBoot = b.hasRecords && ev.Time.Sub(b.last) > BootGap
		}
		if ev.PID > 0 {
			b.auditdPID = ev.PID
		}
	case ev.Serial > 0 && !strings.HasPrefix(ev.RecordType, "DAEMON_"):
		// DAEMON_* records carry auditd's own counter
		if ev.Serial*2 < b.maxSerial && b.maxSerial-ev.Serial > serialRestartGap && ev.Time.After(b.maxAt) {
			newBoot, signal = true, "serials"
			b.maxSerial, b.maxAt = ev.Serial, ev.Time
		} else if ev.Serial > b.maxSerial {
			b.maxSerial, b.maxAt = ev.Serial, ev.Time
		}
	}
	if newBoot {
		// one boot shows several signals (the serials start again, auditd
		// starts, systemd logs SYSTEM_BOOT); the same signal again is
		// another boot
		d := ev.Time.Sub(b.boundary)
		if b.signal == "" || signal == b.signal || d < 0 || d > BootSettle {
			if b.hasRecords {
				b.epoch++
			}
			b.boundary, b.signal = ev.Time, signal
		}
	}
	b.hasRecords = true
	if ev.Time.After(b.last) {
		b.last = ev.Time
	}
}

// current returns the process that holds k now: in memory or read back,
// of the host's current boot.
func (t *Tree) current(k hostPID) *Process {
	p := t.find(k)
	if p != nil && p.Boot != t.bootOf(k.host).epoch {
		return nil
	}
	return p
}

// reused reports whether an event of a live pid belongs to a new process
// that got the same pid (see the rules above).
func (t *Tree) reused(p *Process, ev *Event) bool {
	if ev.PPID > 0 && p.PPID != 0 && ev.PPID != p.PPID {
		if ev.PPID != 1 && !t.reaperAbove(p, ev.PPID) {
			return true // a different, living parent: another process
		}
		return invertsPrivilege(p, ev)
	}
	own := ownImage(p)
	switch {
	case own == nil:
		return false
	case ev.Kind == KindExec:
		if invertsPrivilege(p, ev) {
			return true
		}
		if ev.Time.Sub(p.LastSeen) <= ReexecGap {
			return false
		}
		return parentForkedSince(p) || own.Exe == ev.Exe && slices.Equal(own.Args, ev.Args)
	default:
		// back in the parent's image after an exec of another one
		return ev.Exe != "" && ev.Exe != p.Exe && p.Parent != nil && ev.Exe == p.Parent.Exe && !ranImage(p, ev.Exe)
	}
}

// reaperAbove reports whether pid is an ancestor of p: a subreaper
// (systemd --user, containerd-shim, tini) that adopted it.
func (t *Tree) reaperAbove(p *Process, pid int) bool {
	n := 0
	for a := p.Parent; a != nil && n < MaxAncestry; a, n = a.Parent, n+1 {
		// the ancestor that still holds the pid: one that died, its pid
		// since given to another process, adopts no one
		if a.Key.PID == pid && t.live[hostPID{a.Key.Host, pid}] == a {
			return true
		}
	}
	return false
}

// ownImage returns the last image p exec'd itself, nil when it only ran
// its parent's.
func ownImage(p *Process) *Exec {
	for i := len(p.Execs) - 1; i >= 0; i-- {
		if !p.Execs[i].Inherited {
			return &p.Execs[i]
		}
	}
	return nil
}

func ranImage(p *Process, exe string) bool {
	for _, e := range p.Execs {
		if e.Exe == exe && !e.Inherited {
			return true
		}
	}
	return false
}

// invertsPrivilege reports whether ev would make an unprivileged p root:
// uid and euid both known and not 0 before, uid 0 now. A setuid image
// raises the euid only; the uid follows only from a process that already
// had euid 0.
func invertsPrivilege(p *Process, ev *Event) bool {
	return p.UID.Set && p.EUID.Set && p.UID.N != 0 && p.EUID.N != 0 && ev.UID.Set && ev.UID.N == 0
}

// parentForkedSince reports whether p's parent started another child after
// p was last seen.
func parentForkedSince(p *Process) bool {
	return p.Parent != nil && event.NewestChild(p.Parent).After(p.LastSeen)
}
