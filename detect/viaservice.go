package detect

import (
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// Code run through a local service. An intruder holding a database's
// credentials (read from the site's configuration) has the database
// server run commands for it: PostgreSQL's COPY … FROM PROGRAM, a MySQL
// UDF, a Redis module — the command runs as the service's account, below
// the service's own process, and nothing in its ancestry leads back to the
// web server. What ties it to the intrusion is the order of events: the
// intrusion's client (a psql or mysql its shell runs) connects, the
// service accepts that connection within milliseconds, and moments later
// a process of the service's account, under the service or under a fork
// the log never shows, runs a command. Such a process is adopted for the
// intrusion's web server (inferred, said by its placement reason), and its
// commands are lateral movement: the intruder acting as another account
// (T1210). Only the intrusion's clients count (a process below a web
// server or in its channel, not the server itself: the application's own
// database calls are no intrusion), and only a service that is not the
// web server, running as an account of its own: not root (whose daemons
// run everything), not the account the client acts for.

// RuleServiceCommand is the rule whose finding is a command a service ran
// for the intrusion's client; its Related events are the client's connect
// and the service's accept, by which the timeline joins it to the
// client's chain.
const RuleServiceCommand = "service-command-for-intrusion"

const (
	svcAcceptAfter = 100 * time.Millisecond // connect → the service's accept
	svcRunWithin   = 10 * time.Second       // accept → the command it runs
	maxSvcConns    = 64
	maxSvcAccepts  = 256
)

// svcConn is a connect by the intrusion's client; ev is retained (and its
// process pinned) while the entry lasts.
type svcConn struct {
	host string
	at   time.Time
	web  *parser.Process
	ev   *parser.Event
}

// svcAccept is a service's accept of such a connection; conn and acc are
// retained for the entry, and again for each command adopted through it,
// whose finding cites them.
type svcAccept struct {
	host      string
	at        time.Time
	web       *parser.Process
	srv       *parser.Process
	conn, acc *parser.Event
	// debug: the debugger flag srv's command line declares (debugport.go):
	// acc is the event that showed it, not an accept; strict: only srv's
	// own descendants are adopted (a root debuggee)
	debug  string
	strict bool
}

// release takes back the pins an entry's retains took.
func (a svcAccept) release() {
	a.conn.Proc.Unpin()
	a.acc.Proc.Unpin()
}

// retain takes one more pin of each of an entry's events.
func (a svcAccept) retain() {
	a.conn.Retain(parser.KeepText)
	a.acc.Retain(parser.KeepText)
}

// noteSvcConnect remembers a connect by the intrusion's client.
func (s *state) noteSvcConnect(ev *parser.Event, in *procInfo) {
	if ev.Failed() || !inet(ev.Peer) || in.webSelf || (in.web == nil && in.channel == nil) {
		return
	}
	web := in.web
	if web == nil && in.channel.opener != nil {
		web = in.channel.opener
	}
	if len(s.svcConns) >= maxSvcConns {
		s.svcConns[0].ev.Proc.Unpin() // the Retain below, when it was made
		s.svcConns = s.svcConns[1:]
	}
	// a finding of the command the service runs for it cites the connect
	ev.Retain(parser.KeepText)
	s.svcConns = append(s.svcConns, svcConn{ev.Host, ev.Time, web, ev})
}

// noteSvcAccept remembers a service accepting, just after, a connection
// the intrusion's client made.
func (s *state) noteSvcAccept(ev *parser.Event, in *procInfo) {
	p := ev.Proc
	// a service of its own account: root's daemons (sshd, cron) serve
	// everyone and run everything; a database runs as its own account,
	// which runs nothing else
	if len(s.svcConns) == 0 || p == nil || ev.Failed() || !inet(ev.Peer) || !ev.UID.Set || ev.UID.N == 0 ||
		in.web != nil || in.channel != nil || s.servers.IsWebAccount(ev.Host, p.User, p.UID) {
		return
	}
	// a server known only by its accepts (servers.go), of an account no
	// front server hands requests to, is a service like any other to a
	// client of another account: a monitoring agent running the
	// intruder's commands as its own account (shop-returns' Zabbix
	// agent) is not the site; a server by name or a front server's
	// upstream is, and its children are the site's requests
	listenerOnly := false
	if s.isWebServer(p) {
		if !s.servers.ListenerOnly(p) {
			return
		}
		listenerOnly = true
	}
	k := hostUID{ev.Host, ev.UID.N}
	if s.svcLast == nil || len(s.svcLast) >= maxSvcAccepts {
		s.svcLast = map[hostUID]time.Time{}
	}
	s.svcLast[k] = ev.Time
	for i := len(s.svcConns) - 1; i >= 0; i-- {
		c := s.svcConns[i]
		if d := ev.Time.Sub(c.at); c.host != ev.Host || d < 0 || d > svcAcceptAfter {
			continue
		}
		if listenerOnly && (c.web == nil || !c.web.UID.Set || c.web.UID.N == ev.UID.N) {
			continue
		}
		if len(s.svcAccepts) >= maxSvcAccepts {
			for _, a := range s.svcAccepts {
				a.release()
			}
			clear(s.svcAccepts)
		}
		if old, ok := s.svcAccepts[k]; ok {
			old.release()
		}
		a := svcAccept{host: ev.Host, at: ev.Time, web: c.web, srv: p, conn: c.ev, acc: ev}
		a.retain()
		s.svcAccepts[k] = a
		return
	}
}

// adoptViaService adopts an exec the service runs just after accepting the
// intrusion's connection.
func (s *state) adoptViaService(ev *parser.Event) {
	p := ev.Proc
	if len(s.svcAccepts) == 0 || ev.Kind != parser.KindExec || p == nil || !ev.UID.Set || s.adopted[p] != nil {
		return
	}
	a, ok := s.svcAccepts[hostUID{ev.Host, ev.UID.N}]
	if !ok || a.web == nil {
		return
	}
	if d := ev.Time.Sub(a.at); d < 0 || d > svcRunWithin {
		return
	}
	// the service took another client's connection since (a monitoring
	// server's next poll): what it runs now may be for that one, and
	// the order of events no longer says whose it is
	if last, ok := s.svcLast[hostUID{ev.Host, ev.UID.N}]; ok && last.After(a.at) && !last.After(ev.Time) {
		return
	}
	// a command the service's account ran before on its own (a bridge
	// that publishes every reading, a database's archive command) is its
	// routine, however close to the client's connection it falls
	if s.svcRoutine.has(ev) {
		return
	}
	// under the service, or under a fork of it the log never shows (a
	// database backend forks per connection and never execs)
	par := p.Parent
	underService := false
	for q, n := par, 0; q != nil && n < 4; q, n = q.Parent, n+1 {
		if q == a.srv {
			underService = true
			break
		}
	}
	if !underService && (a.strict || par != nil && !par.Placeholder) {
		return
	}
	s.adoptFor(p, a.web)
	s.markAdopted(p, adoptForClient)
	if s.viaSvc == nil || len(s.viaSvc) >= maxSvcAccepts {
		for _, v := range s.viaSvc {
			v.release()
		}
		s.viaSvc = map[*parser.Process]svcAccept{}
	}
	if old, ok := s.viaSvc[p]; ok {
		old.release()
	}
	a.retain()
	s.viaSvc[p] = a
}

// viaServiceReason returns, for an exec a service ran for the intrusion's
// client, the connect and accept it was adopted through and the sentence
// that says so (acc nil for a debugger's port: debugport.go); ok is false
// for any other event.
func (s *state) viaServiceReason(ev *parser.Event) (conn, acc *parser.Event, why string, ok bool) {
	a, found := s.viaSvc[ev.Proc]
	if !found || ev.Kind != parser.KindExec {
		return nil, nil, "", false
	}
	if a.debug != "" {
		// the record that shows the flag is named, not cited: it is one
		// of the debuggee's own acts (its first connect, say), which the
		// finding would otherwise present as part of the intrusion
		at := a.acc.FirstEvidence().Pos
		why = fmt.Sprintf("; inferred from the order of events and the port, as no record ties a command to a connection: pid %d (%s) connected to %s at %s, the debugger port pid %d (%s) declares in its command line (%s, as its record at %s:%d shows), and this command ran under it %s as its account",
			a.conn.PID, path.Base(a.conn.Exe), a.conn.Peer.String(), a.conn.Time.UTC().Format("15:04:05.000"),
			a.srv.Key.PID, path.Base(a.srv.Exe), a.debug, at.File, at.Line, Later(ev.Time.Sub(a.conn.Time)))
		return a.conn, nil, why, true
	}
	why = fmt.Sprintf("; inferred from the order of events, as no record ties a command to a connection: pid %d (%s) connected to %s at %s, pid %d (%s) accepted a connection %s, and this command ran %s as the service's account",
		a.conn.PID, path.Base(a.conn.Exe), a.conn.Peer.String(), a.conn.Time.UTC().Format("15:04:05.000"),
		a.acc.PID, path.Base(a.acc.Exe), Later(a.acc.Time.Sub(a.conn.Time)), Later(ev.Time.Sub(a.acc.Time)))
	return a.conn, a.acc, why, true
}

// Later says how long after something else an event came, to the
// millisecond: "within a millisecond" below one (audit times have
// millisecond resolution), "64ms later" above.
func Later(d time.Duration) string {
	if d < time.Millisecond {
		return "within a millisecond"
	}
	return d.Round(time.Millisecond).String() + " later"
}

// svcRoutine remembers, per service account (not root, not a web
// account), the commands its processes ran that were not adopted for an
// intrusion's client: the service's own work. A command is its program
// and, for a shell's -c string, the string's first word: a database whose
// archive command runs `sh -c cp …` keeps `sh -c id; …` apart.
type svcRoutine struct {
	m map[hostUID]map[svcCmd]bool
}

// svcCmd is a command as svcRoutine keeps it: the program, and a shell's
// first word.
type svcCmd struct{ exe, word string }

const (
	maxSvcRoutineAccounts = 256
	maxSvcRoutineCommands = 64 // per account: past it, its new commands are not remembered
)

// svcCommand returns ev's command; its strings are views of the event's
// (no copy on the per-exec path: svcRoutine.note clones what it keeps).
func svcCommand(ev *parser.Event) svcCmd {
	c := svcCmd{exe: ev.Exe}
	if len(ev.Args) > 2 && ev.Args[1] == "-c" && isShell(ev.Exe) {
		// the first word only: a command line may be megabytes long
		w := strings.TrimLeft(ev.Args[2], " \t\n")
		if i := strings.IndexAny(w, " \t\n"); i >= 0 {
			w = w[:i]
		}
		c.word = strings.TrimRight(w, ";&|")
	}
	return c
}

// note remembers an exec of a service account that no intrusion's client
// asked for.
func (r *svcRoutine) note(ev *parser.Event, adopted bool) {
	if adopted || !ev.UID.Set || ev.UID.N == 0 || ev.Failed() {
		return
	}
	k := hostUID{ev.Host, ev.UID.N}
	cmds := r.m[k]
	if cmds == nil {
		if r.m == nil {
			r.m = map[hostUID]map[svcCmd]bool{}
		}
		if len(r.m) >= maxSvcRoutineAccounts {
			return
		}
		cmds = map[svcCmd]bool{}
		r.m[k] = cmds
	}
	if c := svcCommand(ev); !cmds[c] && len(cmds) < maxSvcRoutineCommands {
		// kept past the event: not views of its record text (a view of a
		// shell string would keep the whole string)
		cmds[svcCmd{strings.Clone(c.exe), strings.Clone(c.word)}] = true
	}
}

// has reports whether ev's account ran ev's command on its own before.
func (r *svcRoutine) has(ev *parser.Event) bool {
	if !ev.UID.Set {
		return false
	}
	return r.m[hostUID{ev.Host, ev.UID.N}][svcCommand(ev)]
}
