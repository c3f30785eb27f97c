package detect

import (
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// Commands handed over as data. An intrusion can make another account run
// its commands with no connection that a service answers at once
// (viarequest.go): it puts them into a job queue, a spool or a file that
// the other account's worker picks up later, as the arguments of a job
// (shop-wishlist: a check queued with "127.0.0.1 /status.php; id; sudo -n
// -l" as its arguments, run by the ops team's runner as opsmon). No
// ancestry and no accept ties the worker's shell to the web server; the
// text does. An argument of a command run for the web server that holds
// shell syntax (a `;`, a pipe, `&&`, `$(`, a backtick) is text meant for a
// shell; when a shell that nothing ties to the web server starts soon
// after with that text in its command, outside quotes, where its
// separators split commands, that shell runs the intrusion's commands
// (observed: the same bytes; inferred: how they got there). It is adopted
// for the web server, and placed as that account's rights reached
// (lateral movement when it is neither root nor the web account).
//
// An application's own hand-offs carry data: a customer's "O'Brien &
// Sons; Cork" reaches a worker quoted, and a quoted text runs nothing.

const (
	handoffWithin = 10 * time.Minute // queued → picked up
	maxHandoffs   = 32
	minHandoff    = 8 // a shorter text is found anywhere
)

// handoff is one argument with shell syntax of a command run for a web
// server.
type handoff struct {
	host string
	text string
	at   time.Time
	web  *parser.Process
}

// noteHandoff remembers the texts with shell syntax an exec run for a web
// server passes on: a program's arguments, or the quoted words of a
// shell's command (what it hands to the programs it starts, not what it
// runs itself: `php queue.php http "…; id"`). The shell's own words are
// noted too, as the program it starts may be one the log cannot tie back
// to it (a `$(…)` subshell's fork is never recorded).
func (s *state) noteHandoff(ev *parser.Event, web *parser.Process) {
	if web == nil || len(ev.Args) < 2 {
		return
	}
	if cmd, _, ok := shellCommandAt(ev.Exe, ev.Args); ok {
		for _, q := range quotedWords(cmd) {
			s.addHandoff(ev, web, q)
		}
		return
	}
	if isShell(ev.Exe) {
		return // a script it runs, not text it passes on
	}
	for i, a := range ev.Args[1:] {
		if shellCFlag(ev.Args[i]) {
			// a launcher's shell command (setsid -f /bin/sh -c …, su -c …):
			// the shell it starts runs it, a tie by ancestry, not a text
			// handed to another account's worker
			continue
		}
		s.addHandoff(ev, web, a)
	}
}

// addHandoff adds one text, if it holds shell syntax.
func (s *state) addHandoff(ev *parser.Event, web *parser.Process, a string) {
	a = strings.TrimSpace(a)
	if len(a) < minHandoff || len(a) > 4096 || !shellSyntax(a) {
		return
	}
	for _, h := range s.handoffs {
		if h.text == a && h.web == web && h.host == ev.Host {
			return // the shell's quoted word, then its program's argument
		}
	}
	if len(s.handoffs) >= maxHandoffs {
		s.handoffs[0].web.Unpin()
		s.handoffs = s.handoffs[1:]
	}
	web.Pin()
	s.handoffs = append(s.handoffs, handoff{ev.Host, a, ev.Time, web})
}

// quotedWords returns the texts inside quotes of a shell command, quotes
// removed (a backslash-escaped quote inside "…" kept as the quote).
func quotedWords(cmd string) []string {
	var out []string
	for i := 0; i < len(cmd) && len(out) < 16; i++ {
		switch c := cmd[i]; c {
		case '\\':
			i++
		case '\'', '"':
			var b strings.Builder
			j := i + 1
			for ; j < len(cmd) && cmd[j] != c; j++ {
				if c == '"' && cmd[j] == '\\' && j+1 < len(cmd) {
					j++
				}
				b.WriteByte(cmd[j])
			}
			out = append(out, b.String())
			i = j
		}
	}
	return out
}

// shellCFlag: an argument that gives the next one as a shell's command
// (-c, -lc, -ic).
func shellCFlag(a string) bool {
	if len(a) < 2 || a[0] != '-' || a[len(a)-1] != 'c' {
		return false
	}
	for _, r := range a[1 : len(a)-1] {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

// shellSyntax reports whether a text holds a command separator or a
// substitution a shell acts on: `;`, `|`, `&&`, `$(`, a backtick.
func shellSyntax(s string) bool {
	return strings.Contains(s, ";") || strings.Contains(s, "|") || strings.Contains(s, "&&") ||
		strings.Contains(s, "$(") || strings.Contains(s, "`")
}

// adoptHandoff adopts a shell whose command holds, outside quotes, a text
// a command run for a web server passed as an argument before it.
func (s *state) adoptHandoff(ev *parser.Event) {
	if len(s.handoffs) == 0 || ev.Kind != parser.KindExec || ev.Proc == nil || !isShell(ev.Exe) || s.adopted[ev.Proc] != nil {
		return
	}
	cmd, _, ok := shellCommandAt(ev.Exe, ev.Args)
	if !ok || len(cmd) < minHandoff {
		return
	}
	for i := len(s.handoffs) - 1; i >= 0; i-- {
		h := s.handoffs[i]
		if d := ev.Time.Sub(h.at); d < 0 || d > handoffWithin || h.host != ev.Host {
			continue
		}
		at := strings.Index(cmd, h.text)
		if at < 0 || quotedAt(cmd, at) {
			continue
		}
		if in := s.info(ev.Proc); in.web != nil || in.channel != nil {
			return // already the intrusion's (or the web server's own)
		}
		s.adoptFor(ev.Proc, h.web)
		s.markAdopted(ev.Proc, adoptHandoff)
		return
	}
}

// quotedAt reports whether byte i of a shell command is inside quotes.
func quotedAt(cmd string, i int) bool {
	var q byte
	for j := 0; j < i && j < len(cmd); j++ {
		c := cmd[j]
		switch {
		case q == 0 && c == '\\':
			j++
		case q == 0 && (c == '\'' || c == '"'):
			q = c
		case q == c:
			q = 0
		case q == '"' && c == '\\':
			j++
		}
	}
	return q != 0
}
