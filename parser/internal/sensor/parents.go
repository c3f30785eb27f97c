package sensor

import (
	"net/netip"
	"strings"

	"github.com/auditchain/auditchain/parser/internal/event"
)

// What the sensor formats (Tetragon, Sysmon, Falco, cloud_defend, k8s audit)
// share: the parent tracker behind their synthesized parent execs, and
// socket addresses from text.

// inetAddr builds a peer's Addr from a textual IP and a port. Every
// caller reads a peer (a destination, or the source of an accept), and an
// unspecified address (0.0.0.0, ::, Sysmon's 0:0:0:0:0:0:0:0 port 0 for a
// socket it could not resolve) is no peer: it gives the empty Addr, so that
// it never stands for, or replaces, a real destination.
func inetAddr(ip string, port int) event.Addr {
	ip = strings.TrimSpace(ip)
	if ip == "" {
		return event.Addr{}
	}
	if a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(ip, "["), "]")); err == nil && a.IsUnspecified() {
		return event.Addr{}
	}
	if port < 0 || port > 65535 {
		port = 0
	}
	fam := "inet"
	if strings.Contains(ip, ":") {
		fam = "inet6"
		ip = strings.TrimSuffix(strings.TrimPrefix(ip, "["), "]")
	}
	return event.Addr{Family: fam, IP: ip, Port: port}
}

// parentTracker remembers which (host, pid) an input has shown, so that a
// sensor event whose parent was never seen can first make that parent
// known to the process tree with the image and argv the sensor reports for
// it (Tetragon's parent, Elastic's process.parent, Sysmon's ParentImage).
//
// Why this is sound: the tree would otherwise make a placeholder parent
// with only a pid; the sensor did observe the parent's image and argv, so a
// KindExec for it states nothing the record does not. The synthesized
// event is marked (Synth SynthParent), carries the child record as its
// evidence, is dated at the parent's own start time when the record has it
// (else the child's time), and is made only the first time a pid appears in
// the input: a parent that is seen later with its own exec is not
// duplicated, and a pid seen before (possibly an older process that reused
// the pid) is left to the tree's pid-reuse logic. The set is capped; past
// the cap no more events are synthesized rather than risk duplicates.
// hostPID is the tracker's key: pids are per host.
type hostPID struct {
	host string
	pid  int
}

type parentTracker struct {
	seen map[hostPID]struct{}
}

const maxTrackedPIDs = 1 << 20

func newParentTracker() *parentTracker {
	return &parentTracker{seen: map[hostPID]struct{}{}}
}

// first records (host, pid) and reports whether it is new to the input.
// It reports false for pid 0 and when the tracker is full.
func (t *parentTracker) first(host string, pid int) bool {
	if pid <= 0 {
		return false
	}
	k := hostPID{host: host, pid: pid}
	if _, ok := t.seen[k]; ok {
		return false
	}
	if len(t.seen) >= maxTrackedPIDs {
		return false
	}
	t.seen[k] = struct{}{}
	return true
}
