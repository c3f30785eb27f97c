package detect

import (
	"path"
	"strings"

	"github.com/auditchain/auditchain/parser"
)

// A channel is a reverse shell when what holds it hands the socket to a
// shell: a shell redirected to /dev/tcp, a relay (nc -e, socat exec:), an
// interpreter's one-liner (perl -e with IO::Socket, python -c with
// pty.spawn). A program that connected out itself and starts a fresh
// `sh -c` for each command it receives (a jar, a script file, a binary,
// a web worker's own code) speaks a protocol of its own
// (stillroom-savedview's JVM implant speaking memcached's text
// protocol): saying "reverse shell" of it would state a guess about the
// socket that the records do not show.

// shellOnSocket reports whether the process holding a channel hands its
// socket to a shell.
func shellOnSocket(p *parser.Process) bool {
	if p == nil {
		return true // nothing known: the rule's own wording stands
	}
	name := path.Base(p.Exe)
	if shellNames[name] || channelTools[name] || rawSessionClient(p.Exe, p.Args) {
		return true
	}
	if isInterpreter(p.Exe) && len(p.Args) > 1 {
		// a one-liner (-c, -e, -r) is the reverse-shell family whatever it
		// runs each line with: perl's IO::Socket loop, python's socket;
		// a script file is a program of its own
		return shellHandedRE.MatchString(strings.Join(p.Args, " ")) || scriptOperand(p.Args[1:]) == ""
	}
	return false
}
