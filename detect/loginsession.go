package detect

import (
	"path"

	"github.com/auditchain/auditchain/parser"
)

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

// webByAccountOnly reports whether a match of a rule with an account
// search (accountSearches) rests on the account alone for a process of
// another person's login (above): no web server above it or channel
// around it, and the condition, asked again with those searches false,
// no longer holds. Then the match is not taken. A web
// server started from a login (node run by deploy in his ssh session)
// passes its login uid to every worker; its children still match by
// their parent's image, which the second asking keeps.
func (c *evalCtx) webByAccountOnly(r *Rule) bool {
	if !r.accountContext || !loginOfAnother(c.ev) {
		return false
	}
	if in := c.info(); in.webSelf || in.web != nil || in.channel != nil {
		return false // the ancestry or a channel says it acts for the web server
	}
	if c.eng.state.flagged.loginHookAs(c.ev.Host, c.ev.UID) {
		return false // her login ran the account's startup file the intrusion wrote
	}
	c.noAccount = true
	held := r.det.cond.eval(c)
	c.noAccount = false
	return !held
}

// loginHookAs reports whether a flagged write (an intrusion's) changed a
// shell startup file as uid: the account's own login files, which every
// login that switches to the account runs.
func (w *flaggedWrites) loginHookAs(host string, uid parser.ID) bool {
	if len(w.m) == 0 || !uid.Set {
		return false
	}
	for k, fw := range w.m {
		if k.host == host && fw.uid == uid && shellStartupFile(k.path) {
			return true
		}
	}
	return false
}

// shellStartupFile reports whether a path is a shell's per-account
// startup file (~/.profile, ~/.bashrc …).
func shellStartupFile(p string) bool {
	switch path.Base(p) {
	case ".profile", ".bashrc", ".bash_profile", ".bash_login", ".zshrc", ".zprofile", ".zlogin", ".bash_aliases":
		return true
	}
	return false
}
