package detect

import (
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// An interactive shell whose terminal is a socket is a reverse shell,
// whoever started it. `sh -i` prompts and reads commands from its
// standard input: a person at a terminal, or, with no terminal at all, the
// other end of whatever the input is. A program that has just connected
// out and then starts `sh -i` with no terminal (a packet-socket implant
// woken by a magic datagram forks, connects back and execs /bin/sh -i on
// the socket; python's pty-less os.dup2 + execv) hands the socket to the
// shell — dup2 is not audited, the order of the connect and the exec is.
// A service runs its commands with sh -c, never an interactive shell on
// no terminal. So a shell exec with -i and no terminal, by the process
// that connected within socketShellWithin or its child, makes that
// process the opener of a channel to the connect's peer: the shell and
// what it runs are the intruder's commands (T1059.004 over T1095), judged
// as a reverse shell's are.

const (
	socketShellWithin = 10 * time.Second
	socketConnSlots   = 1024 // direct-mapped by Process.Seq
)

// socketConn is a process's newest outbound connect, kept for the shell
// it may start.
type socketConn struct {
	seq uint32
	ev  *parser.Event
}

// noteSocketConn remembers an outbound connect of a program that can hand
// a socket to a shell (a shell, an interpreter, a relay, or a program run
// from a temporary folder or a hidden path: a compiled implant), not a
// server's.
func (s *state) noteSocketConn(ev *parser.Event) {
	p := ev.Proc
	if p == nil || p.Seq == 0 || ev.Failed() || !inet(ev.Peer) || ev.Peer.Port == 0 || s.isWebServer(p) {
		return
	}
	exe := ev.Exe
	if exe == "" {
		exe = p.Exe
	}
	if !isChannelImage(exe) && !droppedImage(exe) {
		return
	}
	if s.sockConns == nil {
		s.sockConns = make([]socketConn, socketConnSlots)
	}
	// the channel cites the connect if a shell follows: its text stays
	// while the slot holds it. The connect it replaces lets its process
	// go (a channel opened on it pinned it again): kept, every shell's
	// connect pinned its process and ancestors to the end, 57 200 of
	// them on the pid-repeating log at 2 GB, the growth issue 18 measured
	ev.Retain(parser.KeepText)
	slot := &s.sockConns[p.Seq%socketConnSlots]
	if slot.ev != nil && slot.ev.Proc != nil {
		slot.ev.Proc.Unpin()
	}
	*slot = socketConn{p.Seq, ev}
}

// socketShell opens the channel an interactive shell with no terminal
// runs on: the connect of its process or of its parent (see above).
func (s *state) socketShell(ev *parser.Event) {
	p := ev.Proc
	if ev.Kind != parser.KindExec || p == nil || s.sockConns == nil || !isShell(ev.Exe) || !interactiveFlag(ev.Args) || hasTerminal(ev) {
		return
	}
	for _, q := range []*parser.Process{p, p.Parent} {
		if q == nil || q.Seq == 0 || s.channels[q] != nil {
			continue
		}
		c := s.sockConns[q.Seq%socketConnSlots]
		if c.seq != q.Seq || c.ev == nil || c.ev.Proc != q {
			continue
		}
		if d := ev.Time.Sub(c.ev.Time); d < 0 || d > socketShellWithin {
			continue
		}
		ch := s.addChannelOf(q, c.ev)
		ch.socketShell = true
		return
	}
}

// interactiveFlag reports whether a shell's argv asks for an interactive
// shell: -i alone or in a cluster of short options (-il), before the first
// operand and before a -c (whose command it would run and be done).
func interactiveFlag(args []string) bool {
	for _, a := range args[min(1, len(args)):] {
		if a == "--" || !strings.HasPrefix(a, "-") {
			return false
		}
		if strings.HasPrefix(a, "--") {
			continue // --norc, --login: the short options may follow
		}
		if strings.ContainsRune(a[1:], 'c') {
			return false // -c: a command follows, the shell runs it and is done
		}
		if len(a) <= 5 && strings.ContainsRune(a[1:], 'i') {
			return true
		}
	}
	return false
}

// hasTerminal reports whether the exec had a terminal.
func hasTerminal(ev *parser.Event) bool {
	tty := ev.TTY
	if tty == "" && ev.Proc != nil {
		tty = ev.Proc.TTY
	}
	return tty != "" && tty != "(none)"
}

// droppedImage reports whether a program runs from where dropped tools
// land: a temporary folder, or a path with a hidden component.
func droppedImage(exe string) bool {
	for _, d := range tempDirs {
		if strings.HasPrefix(exe, d) {
			return true
		}
	}
	return strings.Contains(exe, "/.")
}
