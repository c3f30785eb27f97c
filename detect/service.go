package detect

import (
	"path"

	"github.com/auditchain/auditchain/parser"
)

// serviceManagers start services and keep them running: what they start
// directly as an account is that account's service (the site's own server
// restarted by supervisorctl update), not an act of the account.
var serviceManagers = map[string]bool{"systemd": true, "supervisord": true, "runsv": true, "s6-supervise": true, "supervise": true, "circusd": true}

// startedAsService reports whether ev's process is a direct child of a
// service manager (by its program, its command name, or the script an
// interpreter runs: supervisord is python's) that has no exec of its own
// before this one.
func startedAsService(ev *parser.Event) bool {
	p := ev.Proc
	if p == nil || p.Parent == nil || len(p.Execs) > 1 {
		return false
	}
	par := p.Parent
	if !par.UID.Set || par.UID.N != 0 {
		// a manager runs as root: a process that only calls itself
		// supervisord (a renamed interpreter the web account started)
		// manages nothing
		return false
	}
	if serviceManagers[path.Base(par.Exe)] || serviceManagers[par.Comm] {
		// (comm: a manager started before the log is known by the name
		// its records carry, supervisord's being python's exe)
		return true
	}
	for i, a := range par.Args {
		if i > 1 {
			break
		}
		if serviceManagers[path.Base(a)] {
			return true
		}
	}
	return false
}
