package detect

import (
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// An account the intrusion changed (given a login shell, a password, a
// group, created) is a way back in, and a login into it is that way used:
// the persistence working, seen in the log as a session of the account
// itself (its login uid, from sshd, su or cron's pam session). The change
// is an act of the intrusion (a finding for the web server or in its
// channel: usermod -s /bin/bash backup from the implant, shop-bulkedit);
// the login is tied to it by the account alone (its owner may log in as
// well, so the tie is an inference, and the finding says so). An
// administrator's own usermod over ssh is no act of the intrusion and
// marks nothing.

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

// accountName reports whether s is what account tools take for a user
// name: [a-z_][a-z0-9_.-]*, a trailing $ allowed (a machine account).
func accountName(s string) bool {
	s = strings.TrimSuffix(s, "$")
	if s == "" || !(s[0] >= 'a' && s[0] <= 'z' || s[0] == '_') {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

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
		if accountName(n) && !slices.Contains(out, n) {
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

// noteAccountChange remembers the accounts an intrusion's finding
// changed (medium or more, for the web server or in its channel): an
// account tool's (account-manipulation), or a write of an account's
// authorized_keys (a key of the intruder's: the way in by ssh), the
// account named by the owner of the .ssh folder the key went into (its
// PATH record's ouid) or, without it, by the home folder's name.
func (s *state) noteAccountChange(f *Finding, intruder bool) {
	if f == nil || f.Severity < SeverityMedium || f.Event == nil || f.Event.Failed() {
		return
	}
	ev := f.Event
	if intruder && ev.Kind == parser.KindExec {
		s.noteIntrusionCommand(ev)
	}
	switch {
	case !intruder && ev.Kind == parser.KindExec:
	case ev.Kind == parser.KindExec && slices.Contains(f.RuleIDs, "account-manipulation"):
		for _, n := range changedAccounts(ev.Args) {
			s.noteChanged(accountKey{ev.Host, n}, accountChange{ev, procLabel(f.Process)})
		}
	case ev.Kind == parser.KindFileWrite || ev.Kind == parser.KindRename:
		n := keysAccount(ev)
		if n == "" {
			return
		}
		who := procLabel(f.Process)
		if !intruder {
			// a service told where to write by the intrusion (root's
			// Redis after CONFIG SET dir …/.ssh and dbfilename
			// authorized_keys2, shop-cartcache): its command named both
			// the folder and the file, moments before
			by, ok := s.namedByIntrusion(ev)
			if !ok {
				return
			}
			who += ", on the command of " + by + ", which named the folder and the file"
		}
		s.noteChanged(accountKey{ev.Host, n}, accountChange{ev, who})
	}
}

// intrusionCmd is the text of a command the intrusion ran.
type intrusionCmd struct {
	host, text, proc string
	at               time.Time
}

const (
	maxIntrusionCmds = 64              // the latest commands kept
	namedWithin      = 2 * time.Minute // a service's write that long after the command
	maxIntrusionText = 4096            // bytes of a command's text kept
)

// noteIntrusionCommand keeps the text of an act of the intrusion (a
// command run for the web server or in its channel, medium or more) that
// names an authorized_keys file: the only name namedByIntrusion asks for,
// so the web server's every other command costs one scan of its argv.
func (s *state) noteIntrusionCommand(ev *parser.Event) {
	if !slices.ContainsFunc(ev.Args, func(a string) bool { return strings.Contains(a, "authorized_keys") }) {
		return
	}
	text := strings.Join(ev.Args, " ")
	if len(text) > maxIntrusionText {
		text = text[:maxIntrusionText]
	}
	c := intrusionCmd{ev.Host, strings.Clone(text), procLabel(ev.Proc), ev.Time}
	if len(s.intrusionCmds) < maxIntrusionCmds {
		s.intrusionCmds = append(s.intrusionCmds, c)
		return
	}
	copy(s.intrusionCmds, s.intrusionCmds[1:])
	s.intrusionCmds[len(s.intrusionCmds)-1] = c
}

// namedByIntrusion returns the process of a recent command of the
// intrusion whose text names both the folder and the name of the file ev
// writes.
func (s *state) namedByIntrusion(ev *parser.Event) (string, bool) {
	dir, base := path.Dir(ev.Path), path.Base(ev.Path)
	for i := len(s.intrusionCmds) - 1; i >= 0; i-- {
		c := s.intrusionCmds[i]
		if c.host != ev.Host || c.at.After(ev.Time) || ev.Time.Sub(c.at) > namedWithin {
			continue
		}
		if strings.Contains(c.text, dir) && strings.Contains(c.text, base) {
			return c.proc, true
		}
	}
	return "", false
}

// noteChanged remembers one changed account, counting what the bound lets
// go (Engine.Dropped says so).
func (s *state) noteChanged(k accountKey, ch accountChange) {
	if s.changedAccts.put(k, ch, maxChangedAccounts) {
		s.changedDropped++
	}
}

// keysAccount is the account whose authorized_keys file ev writes: "uid
// N" for the owner of the .ssh folder it is in, else root for /root and
// NAME for /home/NAME; "" when ev writes no such file.
func keysAccount(ev *parser.Event) string {
	p := ev.Path // a rename's new name
	if !strings.HasPrefix(path.Base(p), "authorized_keys") || path.Base(path.Dir(p)) != ".ssh" {
		return ""
	}
	dir := path.Dir(p)
	for _, r := range ev.Paths {
		if r.Nametype == "PARENT" && path.Clean(r.Name) == dir && r.OUID.Set && r.OUID.N != parser.Unset {
			return "uid " + strconv.FormatUint(uint64(r.OUID.N), 10)
		}
	}
	home := path.Dir(dir)
	switch {
	case home == "/root":
		return "root"
	case path.Dir(home) == "/home":
		return path.Base(home)
	}
	return ""
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
	if !ok && ev.UID.Set {
		ch, ok = s.changedAccts.get(accountKey{ev.Host, "uid " + strconv.FormatUint(uint64(ev.UID.N), 10)})
	}
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

// AccountChangeText says what an account change was: the account tool's
// command line, or the authorized_keys file written.
func AccountChangeText(ev *parser.Event) string {
	if ev.Kind != parser.KindExec {
		return "its authorized keys written: " + ev.Path
	}
	return strings.Join(ev.Args, " ")
}

// loginReason says which act changed the account and that the tie is the
// account's name.
func loginReason(ch accountChange, user string) string {
	return "; inferred: " + user + " was changed by the intrusion's " + ch.proc + " at " +
		ch.ev.Time.UTC().Format("15:04:05") + " (" + AccountChangeText(ch.ev) + "), and this is a login of " +
		user + " itself after it: tied by the account, not by a process"
}
