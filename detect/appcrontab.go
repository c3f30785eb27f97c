package detect

import (
	"path"

	"github.com/auditchain/auditchain/parser"
)

// appCrontab reports whether ev is crontab installing the account's table
// from its standard input (crontab -, or no operand), exec'd by a web
// server's process itself with an argument list, no shell between: the
// application's own code path (a scheduling page's proc_open), not a
// command line anyone could inject into. What it installs is not in the
// log; the act shows intent only with its chain (ShowsSchedule).
func appCrontab(ev *parser.Event, p *parser.Process, in *procInfo) bool {
	if ev.Kind != parser.KindExec || p == nil || in == nil || path.Base(ev.Exe) != "crontab" || in.web == nil || p.Parent != in.web {
		return false
	}
	switch len(ev.Args) {
	case 1:
		return true
	case 2:
		return ev.Args[1] == "-"
	}
	return false
}
