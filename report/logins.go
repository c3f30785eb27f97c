package report

import (
	"fmt"
	"sort"
	"time"

	"github.com/auditchain/auditchain/parser"
	"github.com/auditchain/auditchain/timeline"
)

// MaxLogins bounds the remote logins a report lists; the rest are counted
// (Document.LoginsDropped). A jump host sees thousands of sessions a day,
// and the list is context for `auditchain merge`, not a login audit.
const MaxLogins = 10000

// acceptBefore is how long before a login the sshd accept that carried
// it may lie: authentication, PAM and the session setup.
const acceptBefore = 30 * time.Second

// DocLogin is one remote login session: an sshd login or session start
// from another address, with the accept that carried it when the log has
// one. `auditchain merge` matches it with an ssh client on another host.
type DocLogin struct {
	Time    time.Time `json:"time"`
	Host    string    `json:"host"`
	Account string    `json:"account,omitempty"` // acct= of the login, else the auid's name
	AUID    uint32    `json:"auid"`
	Session uint32    `json:"session"`
	// Address is the client's address as the login record gives it
	// (addr=); Port its source port, from the accept, 0 when unknown.
	Address string `json:"address"`
	Port    int    `json:"port,omitempty"`
	// Accepted is set when the accept by sshd that carried the login is
	// in the log: the connection itself, not only the login's word.
	Accepted   bool          `json:"accepted,omitempty"`
	AcceptTime time.Time     `json:"accept_time,omitzero"`
	PID        int           `json:"pid"` // the sshd process that logged the session
	Evidence   []DocEvidence `json:"evidence"`
}

// addLogins lists the Case's remote logins in d; past MaxLogins a
// coverage note says how many were left out.
func addLogins(d *Document, c *Case) {
	d.Logins, d.LoginsDropped = remoteLogins(c.Logins, c.Accepts, c.Filter)
	if d.LoginsDropped > 0 {
		d.Coverage.Notes = append(d.Coverage.Notes, fmt.Sprintf("%d remote logins not listed in logins (the first %d are): a cross-host merge cannot match them", d.LoginsDropped, MaxLogins))
	}
}

// remoteLogins lists one entry per remote session (host, auid, session):
// its first record with a client address, the accept that carried it
// (sshd's accept, by the logging process or its parent or grandparent,
// at most acceptBefore earlier). Loopback addresses are local sessions
// and stay out, and so does what the filter f leaves out. Sorted by time, host, session; at most MaxLogins.
func remoteLogins(logins, accepts []*parser.Event, f *Filter) ([]DocLogin, int) {
	type sess struct {
		host      string
		auid, ses uint32
	}
	seen := map[sess]bool{}
	var out []DocLogin
	for _, g := range logins {
		if g == nil || g.Peer.IP == "" || !g.SES.Set || !g.AUID.Set {
			continue
		}
		if !timeline.RemoteAddress(g.Peer.IP) {
			continue // only these keep their text (timeline.Builder.Observe)
		}
		if f != nil && (f.Host != "" && g.Host != f.Host || !f.Since.IsZero() && g.Time.Before(f.Since) || !f.Until.IsZero() && g.Time.After(f.Until)) {
			continue // --host, --since and --until apply as to the findings
		}
		k := sess{g.Host, g.AUID.N, g.SES.N}
		if seen[k] {
			continue
		}
		seen[k] = true
		acct := g.Account
		if acct == "" {
			acct = g.AUser
		}
		l := DocLogin{
			Time: utc(g.Time), Host: valid(g.Host), Account: valid(acct), AUID: g.AUID.N, Session: g.SES.N,
			Address: valid(g.Peer.IP), PID: g.PID,
		}
		if acc := acceptOf(g, accepts); acc != nil { // in time order: the accept, then the login
			l.Accepted, l.AcceptTime, l.Port = true, utc(acc.Time), acc.Peer.Port
			l.Evidence = loginEvidence(l.Evidence, acc)
		}
		l.Evidence = loginEvidence(l.Evidence, g)
		out = append(out, l)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if !a.Time.Equal(b.Time) {
			return a.Time.Before(b.Time)
		}
		if a.Host != b.Host {
			return a.Host < b.Host
		}
		return a.Session < b.Session
	})
	dropped := 0
	if len(out) > MaxLogins {
		dropped = len(out) - MaxLogins
		out = out[:MaxLogins]
	}
	return out, dropped
}

// acceptOf finds the sshd accept from the login's address that carried
// it: the nearest earlier one by the process that logged the session or
// one of its two parents (the listener forks a child per connection,
// which may re-exec).
func acceptOf(g *parser.Event, accepts []*parser.Event) *parser.Event {
	if g.Proc == nil {
		return nil
	}
	var best *parser.Event
	for _, a := range accepts {
		if a == nil || a.Host != g.Host || a.Peer.IP != g.Peer.IP || a.Proc == nil {
			continue
		}
		if a.Time.After(g.Time) || g.Time.Sub(a.Time) > acceptBefore {
			continue
		}
		p := g.Proc
		if p != a.Proc && p.Parent != a.Proc && (p.Parent == nil || p.Parent.Parent != a.Proc) {
			continue
		}
		if best == nil || a.Time.After(best.Time) {
			best = a
		}
	}
	return best
}

// loginEvidence appends the records of ev, as they stand in the file.
func loginEvidence(out []DocEvidence, ev *parser.Event) []DocEvidence {
	for _, e := range ev.Evidence {
		raw, rawHex := lossless(e.Raw)
		out = append(out, DocEvidence{File: valid(e.Pos.File), Line: e.Pos.Line, Serial: e.Serial,
			Raw: raw, RawHex: rawHex, Offset: e.Pos.Offset, Role: "related", Time: utc(ev.Time),
			Kind: ev.Kind.String(), PID: ev.PID})
	}
	return out
}
