package detect

import (
	"strconv"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// A port scan needs no scanner. Code running inside a web server (PHP's
// fsockopen in a loop, a Java socket) connects to one host's ports one
// after another from the worker itself: no process is started, so no
// command line says "scan". What gives it away is the fan-out: one
// process reaching many distinct ports of one host within seconds,
// refused and pending connects included. An application talks to a few
// services (database, cache, mail, an API) — a reverse proxy to its
// upstreams — again and again on the same ports; a sweep touches each port
// once. So fanoutPorts distinct ports within fanoutWindow, none of them
// reached twice on the way, is a sweep; a repeat marks the window as the
// application's traffic.
// PortFanout tells the rules; port-scan-fanout is the rule.

const (
	fanoutPorts  = 8                // distinct ports of one host that make a sweep
	fanoutWindow = 10 * time.Second // within this long of the first
	fanoutKept   = 4096             // processes × hosts followed at once, oldest dropped first
)

// fanoutKey is one process reaching one address.
type fanoutKey struct {
	p  *parser.Process
	ip string
}

// fanoutState is what one process did to one address so far.
type fanoutState struct {
	first  time.Time
	ports  []int // distinct, at most fanoutPorts
	repeat bool  // a port was reached twice before the sweep was complete
}

// fanouts follows connects per process and address, bounded (the oldest
// followed pair is dropped first, counted).
type fanouts struct {
	by      map[fanoutKey]*fanoutState
	order   []fanoutKey
	dropped int
}

// ports returns the ports ev's process reached of ev's address so far,
// and how long after its first of them ev came.
func (f *fanouts) ports(ev *parser.Event) ([]int, time.Duration) {
	if st := f.by[fanoutKey{ev.Proc, ev.Peer.IP}]; st != nil {
		return st.ports, ev.Time.Sub(st.first)
	}
	return nil, 0
}

// note records a connect and reports whether its process has now swept
// the address (this connect or an earlier one reached fanoutPorts).
func (f *fanouts) note(ev *parser.Event) bool {
	if ev.Kind != parser.KindConnect || ev.Proc == nil || ev.Peer.IP == "" || ev.Peer.Port == 0 ||
		ev.Peer.Family != "inet" && ev.Peer.Family != "inet6" {
		return false
	}
	if f.by == nil {
		f.by = map[fanoutKey]*fanoutState{}
	}
	k := fanoutKey{ev.Proc, ev.Peer.IP}
	st := f.by[k]
	if st == nil || ev.Time.Sub(st.first) > fanoutWindow && (len(st.ports) < fanoutPorts || st.repeat) {
		if st == nil {
			if len(f.order) >= fanoutKept {
				delete(f.by, f.order[0])
				f.order = f.order[1:]
				f.dropped++ // said in the report (Engine.Dropped)
			}
			f.order = append(f.order, k)
		}
		st = &fanoutState{first: ev.Time}
		f.by[k] = st
	}
	if len(st.ports) >= fanoutPorts {
		return !st.repeat
	}
	for _, p := range st.ports {
		if p == ev.Peer.Port {
			st.repeat = true // the same service again: traffic, not a sweep
			return false
		}
	}
	st.ports = append(st.ports, ev.Peer.Port)
	return len(st.ports) >= fanoutPorts && !st.repeat
}

// intList renders ports as "21, 22, 25".
func intList(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ", ")
}
