package report

import (
	"fmt"
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// TestRemoteLogins: one entry per remote session, with the accept that
// carried it; loopback and filtered-out sessions stay out; past MaxLogins
// the rest are counted, never silently dropped.
func TestRemoteLogins(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 21, 34, 53, 0, time.UTC)
	listener := &parser.Process{}
	child := &parser.Process{Parent: listener}
	login := func(host, ip string, ses uint32, at time.Time) *parser.Event {
		return &parser.Event{Kind: parser.KindSession, Time: at, Host: host, Peer: parser.Addr{Family: "inet", IP: ip},
			AUID: parser.ID{N: 2003, Set: true}, SES: parser.ID{N: ses, Set: true}, Account: "deploy", PID: 2330, Proc: child,
			Evidence: []parser.Evidence{{Pos: parser.Pos{File: "db.log", Line: int(ses)}, Raw: fmt.Sprintf("type=USER_START ses=%d", ses)}}}
	}
	acc := &parser.Event{Kind: parser.KindAccept, Time: t0.Add(-200 * time.Millisecond), Host: "db01", Proc: listener,
		Peer: parser.Addr{Family: "inet", IP: "10.0.0.11", Port: 55818}, Evidence: []parser.Evidence{{Pos: parser.Pos{File: "db.log", Line: 1}}}}
	logins := []*parser.Event{
		login("db01", "10.0.0.11", 58, t0),
		login("db01", "10.0.0.11", 58, t0.Add(time.Second)), // the same session again
		login("db01", "127.0.0.1", 59, t0),                  // local
		login("db02", "10.0.0.11", 60, t0),                  // --host db01 leaves it out
	}
	got, dropped := remoteLogins(logins, []*parser.Event{acc}, &Filter{Host: "db01"})
	if len(got) != 1 || dropped != 0 {
		t.Fatalf("%d logins (%d dropped), want 1: %+v", len(got), dropped, got)
	}
	if l := got[0]; !l.Accepted || l.Port != 55818 || l.Session != 58 || len(l.Evidence) != 2 || l.Evidence[0].Line != 1 {
		t.Errorf("login %+v: want session 58 with its accept (port 55818) first in the evidence", l)
	}
	many := make([]*parser.Event, 0, MaxLogins+5)
	for i := range MaxLogins + 5 {
		many = append(many, login("db01", "10.0.0.11", uint32(1000+i), t0))
	}
	got, dropped = remoteLogins(many, nil, nil)
	if len(got) != MaxLogins || dropped != 5 {
		t.Errorf("%d listed, %d dropped: want %d and 5", len(got), dropped, MaxLogins)
	}
}
