package timeline

import (
	"time"

	"github.com/auditchain/auditchain/parser"
)

// A program can replace itself at once with another: Java starts every
// child through jspawnhelper, which execs the real command in the same pid
// (Runtime.exec, ProcessBuilder); env, nohup, nice, setsid and a shell's
// `exec` do the same. The first exec of such a process is the launcher,
// with the same argv for every request ("jspawnhelper 11:12:13"): taken as
// the process's command it made every child of a Tomcat one routine
// template (a web shell's id and cat /etc/passwd demoted as routine) and
// one route-history signature (72 wrong request links on tomcat-manager).
// So a process's command is the exec it settled on: the last of the execs
// that follow its first one within launchWindow. The launcher's own argv
// is its machinery, not the request's: a parameter is looked for in the
// command's (jspawnhelper's file descriptor numbers equalled a thumbnail
// width on the held-out Tomcat day).

// launchWindow is how soon after a process's first exec a later exec is
// taken as the launcher replacing itself; a launcher does so within
// microseconds, a wrapper script within a fraction of a second.
const launchWindow = time.Second

// commandExec returns the exec p settled on at its start (see above).
func commandExec(p *parser.Process) (parser.Exec, bool) {
	var first, last parser.Exec
	found := false
	for _, e := range p.Execs {
		if e.Inherited {
			continue
		}
		if !found {
			first, last, found = e, e, true
			continue
		}
		if e.Time.Sub(first.Time) > launchWindow {
			break
		}
		last = e
	}
	return last, found
}

// isCommandExec reports whether ex is the exec its process settled on, or
// the process's exec history is not known.
func isCommandExec(ex *parser.Event) bool {
	if ex.Proc == nil {
		return true
	}
	c, ok := commandExec(ex.Proc)
	return !ok || c.Serial == ex.Serial && c.Time.Equal(ex.Time)
}
