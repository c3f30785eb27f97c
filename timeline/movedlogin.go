package timeline

import (
	"fmt"
	"slices"

	"github.com/auditchain/auditchain/detect"
)

// A login into an account the intrusion changed is the way back in it
// set up (persistence used, detect/accountlogin.go) when it comes from
// elsewhere. When the log shows the session opened by an ssh client of
// the same chain — the intrusion writing a key into deploy's
// authorized_keys and logging in as deploy at once (stillroom-savedview)
// — it is the intrusion moving to that account: lateral movement, the
// same act as its client's ssh (observed: the client's connect matched
// the daemon's accept and the session, linkSSH).

// movedLogins returns the chain's findings with the logins into a changed
// account that a client of the chain opened placed on stage 6, recorded
// in repl.
func (l *linker) movedLogins(fs []*detect.Finding, repl map[*detect.Finding]*detect.Finding) []*detect.Finding {
	if len(l.sshOpened) == 0 {
		return fs
	}
	var out []*detect.Finding
	for i, f := range fs {
		p := procOf(f)
		if !slices.Contains(f.RuleIDs, detect.RuleLoginChangedAccount) || p == nil || !p.AUID.Set || !p.SES.Set ||
			f.Stage == detect.StageLateralMovement {
			continue
		}
		// the client's unit of work and the session are one chain by
		// linkSSH's join: the client is this chain's
		client, ok := l.sshOpened[sessKey{p.Key.Host, p.AUID.N, p.SES.N}]
		if !ok {
			continue
		}
		if out == nil {
			out = slices.Clone(fs)
		}
		d := *f
		d.Stage = detect.StageLateralMovement
		d.Attack = append(slices.Clone(d.Attack), "T1021.004")
		d.Reason = fmt.Sprintf("%s; placed as lateral movement: the session was opened by %s of this chain (its connect matched the daemon's accept), so the intrusion moved into the account it changed, not someone coming back through it",
			f.Reason, label(client))
		repl[f] = &d
		out[i] = &d
	}
	if out == nil {
		return fs
	}
	return out
}
