package timeline

import (
	"fmt"
	"path"
	"strings"

	"github.com/auditchain/auditchain/parser"
)

// A key planted in an account's authorized_keys is there to log in with.
// The audit log records the session an ssh login opens (auid and ses of
// sshd's LOGIN/USER_START) but not which key it used, so linkPlantedKeys
// joins, as inferred, the finding that wrote an account's authorized_keys
// and the ssh sessions of that account opened after the write — only when
// the account had opened none before it in the log: an account someone
// logs into all day is not tied to every later session of it. The account
// is the writer's own (a web account adding its key to its home) or the
// one whose home the path names (/home/NAME/.ssh, /root/.ssh).
func (l *linker) linkPlantedKeys() {
	if len(l.b.logins) == 0 {
		return
	}
	first := map[string]*parser.Event{} // host + account → its first session in the log
	var order []*parser.Event
	for _, g := range l.b.logins {
		acct := sessionAccount(g)
		if acct == "" {
			continue
		}
		k := g.Host + "\x00" + acct
		if f, ok := first[k]; !ok || g.Time.Before(f.Time) {
			first[k] = g
		}
		order = append(order, g)
	}
	for i, f := range l.findings {
		ev := f.Event
		if ev == nil || ev.Failed() || ev.Kind != parser.KindFileWrite && ev.Kind != parser.KindRename {
			continue
		}
		if b := path.Base(ev.Path); b != "authorized_keys" && b != "authorized_keys2" {
			continue
		}
		for _, acct := range keyAccounts(ev) {
			fs := first[ev.Host+"\x00"+acct]
			if fs == nil || !fs.Time.After(ev.Time) {
				continue // no session of it, or one before the key: not new
			}
			seen := map[sessKey]bool{}
			for _, g := range order {
				if g.Host != ev.Host || sessionAccount(g) != acct || !g.Time.After(ev.Time) {
					continue
				}
				k := sessKey{g.Host, g.AUID.N, g.SES.N}
				if seen[k] {
					continue
				}
				seen[k] = true
				l.union(findingKey(i), k, g.Time, fmt.Sprintf(
					"key (inferred): ssh session %d of %s opened at %s, after %s was written at %s, and %s had no session before it in these logs: the planted key is the likeliest way in (the log does not name the key a login used)",
					g.SES.N, acct, when(g.Time), ev.Path, when(ev.Time), acct))
			}
		}
	}
}

// sessionAccount is the account a login event opened a session for.
func sessionAccount(g *parser.Event) string {
	if g.AUser != "" {
		return g.AUser
	}
	return g.Account
}

// keyAccounts are the accounts an authorized_keys write can let in: the
// writer's own, and the one whose home the path names.
func keyAccounts(ev *parser.Event) []string {
	var out []string
	if ev.User != "" {
		out = append(out, ev.User)
	}
	p := path.Clean(ev.Path)
	switch {
	case strings.HasPrefix(p, "/root/"):
		out = append(out, "root")
	case strings.HasPrefix(p, "/home/"):
		if name, _, ok := strings.Cut(strings.TrimPrefix(p, "/home/"), "/"); ok && name != ev.User {
			out = append(out, name)
		}
	}
	return out
}
