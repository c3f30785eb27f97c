package detect

import "github.com/auditchain/auditchain/parser"

// A person's login is not the web server. The kernel's login uid (auid)
// is set once, when a login begins (sshd, the console, cron's pam
// session), and every process of that session keeps it, whatever account
// it switches to; a daemon started at boot, and so every web server
// worker and everything an intruder starts through one, has none. An
// administrator who types `sudo -u www-data tee …/.user.ini` in an ssh
// session acts as the web account, but the act is hers: her login uid
// says so, and nothing in its ancestry leads to a web server.
//
// The built-in rules take a process as acting for the web server when it
// descends from one, runs in a channel one opened, or — for logs without
// the ancestry — runs as a web account (their web_context selection).
// The last is a stand-in for the first two, so it is not taken for a
// process of another person's login: such a process acts for the web
// server only by ancestry or channel. An intruder's processes below the
// web server keep their context (no login uid, or the ancestry says it);
// a login into the web account itself (auid = the account) is still
// judged by the account, since it may be a re-entry with a planted key.

// accountSearches are the searches of the built-in rules that say the
// process acts for (or is) the web server, the account standing in for
// the ancestry: web_context, the headline rule's web_account, and the
// web-root rules' web_writer.
var accountSearches = []string{"web_context", "web_account", "web_writer"}

// hasAccountSearch reports whether a compiled rule has one of them.
func hasAccountSearch(c *compiled) bool {
	for _, n := range accountSearches {
		if _, ok := c.searches[n]; ok {
			return true
		}
	}
	return false
}

// loginOfAnother reports whether ev's process runs in the login session
// of an account other than the one it runs as.
func loginOfAnother(ev *parser.Event) bool {
	auid, uid := ev.AUID, ev.UID
	if p := ev.Proc; p != nil {
		if !auid.Set {
			auid = p.AUID
		}
		if !uid.Set {
			uid = p.UID
		}
	}
	return auid.Set && uid.Set && auid.N != parser.Unset && auid.N != uid.N
}

// webByAccountOnly reports whether a match of a rule with a web_context
// search (accountSearches) would rest on the account alone for a process of another
// person's login (above): then it is not taken.
func (c *evalCtx) webByAccountOnly(r *Rule) bool {
	if !r.accountContext || !loginOfAnother(c.ev) {
		return false
	}
	in := c.info()
	return !in.webSelf && in.web == nil && in.channel == nil
}
