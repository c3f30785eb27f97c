package timeline

import (
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// A process learned as the upstream of a front server (its accepts follow
// the front server's requests) serves the site in the image it ends in.
// The images it ran before that, in the same process, are how its launcher
// started it: an application server's process manager sets the account's
// environment up with a login shell and execs on into the server
// (Passenger's spawn: PassengerAgent spawn-env-setupper → bash -lc 'exec
// "$@"' → PassengerAgent → sh -c 'exec nodejs …' → node, as the app's
// account, with a temp directory in every command line). No request ran
// them, and the server ran nothing yet: the request-serving image came
// after. Judged as a shell of the web account with a temp path they read
// as exploitation (cragboard: one high per app process the core spawned,
// every restart of the app). A finding on such an exec drops to low with
// the reason; what the images started stays judged as it was.
//
// Only an upstream qualifies, started by a root process other than init
// as an account of its own (a process manager dropping to the app's
// account), and only findings that judge a command's text as the web
// side's (web-server-exploitation, web-server-shell-spawn). An upstream
// can be the intrusion's own: shop-search's attacker daemonized `sh -c
// 'echo $$ > …; exec php -S 127.0.0.1:8000'`, which the KB's SSRF then
// reached through Apache — its parent is init, and what it ran stays
// judged. A start script the intrusion changed stays "planted persistence
// fired" (ledger-receipt: `sh ledgerd-run` exec'd into the upstream).

// demoteServerLaunch replaces the findings on a learned upstream's own
// execs before its serving image with demoted copies.
func (b *Builder) demoteServerLaunch(all, chainable []*detect.Finding) []*detect.Finding {
	servers := b.opts.Servers
	if servers == nil {
		return chainable
	}
	repl := map[*detect.Finding]*detect.Finding{}
	for _, f := range chainable {
		p := f.Process
		if f.Severity <= detect.SeverityLow || f.Event == nil || f.Event.Kind != parser.KindExec || p == nil || f.Event.Proc != p ||
			!slices.Contains(launchJudged, f.RuleID) || !managed(p) {
			continue
		}
		sv, ok := servers.Learned(p.Key)
		if !ok || sv.How != detect.ServerByUpstream {
			continue
		}
		last, ok := lastOwnExec(p)
		if !ok || !f.Event.Time.Before(last.Time) || last.Exe != sv.Image {
			continue
		}
		d := *f
		d.Severity = detect.SeverityLow
		d.Reason = strings.TrimSpace(f.Reason + "; demoted (inferred): an image pid " + strconv.Itoa(p.Key.PID) +
			" ran before it became " + path.Base(sv.Image) + ", the upstream " + path.Base(sv.Front) +
			" hands requests to (" + sv.Describe() + "): its launcher starting the application server, not a command a request ran")
		repl[f] = &d
	}
	return replaced(all, chainable, repl)
}

// launchJudged are the rules whose findings on a launch are demoted: the
// ones that judge a command's text as the web side's.
var launchJudged = []string{"web-server-exploitation", "web-server-shell-spawn"}

// managed reports whether p was started by a root process manager as an
// account of its own: a parent that runs as root and is not init (nor a
// pid the log never showed), and p not root.
func managed(p *parser.Process) bool {
	par := p.Parent
	return par != nil && !par.Placeholder && par.Key.PID > 1 && par.UID.Set && par.UID.N == 0 && p.UID.Set && p.UID.N != 0
}

// lastOwnExec returns the last image p exec'd itself.
func lastOwnExec(p *parser.Process) (parser.Exec, bool) {
	for i := len(p.Execs) - 1; i >= 0; i-- {
		if !p.Execs[i].Inherited {
			return p.Execs[i], true
		}
	}
	return parser.Exec{}, false
}
