package detect

import (
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/auditchain/auditchain/parser"
)

// An account the intrusion changed (given a login shell, a password, a
// group, created) is a way back in, and a login into it is that way used:
// the persistence working, seen in the log as a session of the account
// itself (its login uid, from sshd, su or cron's pam session). The change
// is an act of the intrusion (a finding for the web server or in its
// channel: usermod -s /bin/bash backup from the implant, shop-bulkedit);
// the login is tied to it by the account's name alone, which no one but
// whoever set its shell or key would use so soon — an inference the
// finding says it is. An administrator's own usermod over ssh is no act
// of the intrusion and marks nothing.

// RuleLoginChangedAccount is the rule of a login into an account the
// intrusion changed (rules/login_changed_account.yml).
const RuleLoginChangedAccount = "login-changed-account"

// maxChangedAccounts bounds the accounts remembered as changed, and the
// sessions reported (the oldest go first).
const maxChangedAccounts = 1024

type accountKey struct{ host, name string }

type sessionKey struct {
	host string
	ses  uint32
}

// accountChange is the intrusion's act that changed an account.
type accountChange struct {
	ev   *parser.Event
	proc string
}

// accountName is what account tools take for a user name.
var accountName = regexp.MustCompile(`^[a-z_][a-z0-9_.-]*\$?$`)

// changedAccounts returns the accounts an account tool's argv changes:
// its last word (useradd, adduser, usermod, passwd, chsh, chage), the new
// name of usermod -l, the user gpasswd -a/-d adds or removes. chpasswd
// and newusers read theirs from stdin: none.
func changedAccounts(args []string) []string {
	if len(args) < 2 {
		return nil
	}
	var out []string
	add := func(n string) {
		if accountName.MatchString(n) && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	switch path.Base(args[0]) {
	case "gpasswd":
		for i := 1; i+1 < len(args); i++ {
			if a := args[i]; a == "-a" || a == "--add" || a == "-d" || a == "--delete" {
				add(args[i+1])
			}
		}
	case "useradd", "adduser", "usermod", "passwd", "chsh", "chage":
		if last := args[len(args)-1]; !strings.HasPrefix(last, "-") {
			add(last)
		}
		for i := 1; i+1 < len(args); i++ {
			if args[i] == "-l" || args[i] == "--login" {
				add(args[i+1])
			}
		}
	}
	return out
}

// noteAccountChange remembers the accounts an intrusion's account
// finding changed (medium or more, for the web server or in its channel).
func (s *state) noteAccountChange(f *Finding, intruder bool) {
	if f == nil || !intruder || f.Severity < SeverityMedium || f.Event == nil || f.Event.Kind != parser.KindExec ||
		f.Event.Failed() || !slices.Contains(f.RuleIDs, "account-manipulation") {
		return
	}
	for _, n := range changedAccounts(f.Event.Args) {
		s.changedAccts.put(accountKey{f.Event.Host, n}, accountChange{f.Event, procLabel(f.Process)}, maxChangedAccounts)
	}
}

// loginIntoChanged returns the change of the account ev's process runs
// as, when that process is in a login of that account itself (its login
// uid), begun after the change, in a session not reported yet.
func (s *state) loginIntoChanged(c *evalCtx) (accountChange, bool) {
	ev := c.ev
	if s.changedAccts.m == nil || ev.Kind != parser.KindExec || ev.Failed() {
		return accountChange{}, false
	}
	own, login, _ := loginSession(ev)
	if !own || !login || !ev.SES.Set || ev.SES.N == parser.Unset {
		return accountChange{}, false
	}
	ch, ok := s.changedAccts.get(accountKey{ev.Host, c.user()})
	if !ok || !ch.ev.Time.Before(ev.Time) {
		return accountChange{}, false
	}
	if _, done := s.loginsReported.get(sessionKey{ev.Host, ev.SES.N}); done {
		return accountChange{}, false
	}
	return ch, true
}

// noteLoginReported marks a login's session as reported: one finding per
// login, on its first command.
func (s *state) noteLoginReported(f *Finding) {
	if f == nil || f.Event == nil || !f.Event.SES.Set || !slices.Contains(f.RuleIDs, RuleLoginChangedAccount) {
		return
	}
	s.loginsReported.put(sessionKey{f.Event.Host, f.Event.SES.N}, struct{}{}, maxChangedAccounts)
}

// loginReason says which act changed the account and that the tie is the
// account's name.
func loginReason(ch accountChange, user string) string {
	return "; inferred: " + user + " was changed by the intrusion's " + ch.proc + " at " +
		ch.ev.Time.UTC().Format("15:04:05") + " (" + strings.Join(ch.ev.Args, " ") + "), and this is a login of " +
		user + " itself after it: tied by the account's name, not by a process"
}
