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
// the ancestry — runs as a web account (their account searches, below).
// The last is a stand-in for the first two, so it is not taken for a
// process of a login session: such a process acts for the web server only
// by ancestry or channel. An intruder's processes below the web server
// keep their context (no login uid, or the ancestry says it). Two logins
// stay suspect and are judged by the account as before: a login into the
// web account itself (auid = the account: an ssh login, or a cron job's
// pam session) once the log shows the intrusion writing as that account
// (a web shell, a key, a job — a re-entry with what it planted), and a
// login that switched to an account whose shell startup file the
// intrusion wrote (`sudo su - svc-orders` runs the planted ~/.profile:
// what it starts is the plant's).

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

// loginSession reports whether ev's process runs in a login session,
// whether that login is of the account it runs as (own), and that
// account (the event's, else its process's).
func loginSession(ev *parser.Event) (own, login bool, uid parser.ID) {
	auid, uid := ev.AUID, ev.UID
	if p := ev.Proc; p != nil {
		if !auid.Set {
			auid = p.AUID
		}
		if !uid.Set {
			uid = p.UID
		}
	}
	if !auid.Set || !uid.Set || auid.N == parser.Unset {
		return false, false, uid
	}
	return auid.N == uid.N, true, uid
}

// webByAccountOnly reports whether a match of a rule with an account
// search (accountSearches) rests on the account alone for a process of a
// login session (above, with its two exceptions): no web server above it
// or channel around it, and the condition, asked again with those
// searches false, no longer holds. Then the match is not taken. A web
// server started from a login (node run by deploy in his ssh session)
// passes its login uid to every worker; its children still match by
// their parent's image, which the second asking keeps.
func (c *evalCtx) webByAccountOnly(r *Rule) bool {
	if !r.accountContext {
		return false
	}
	if in := c.info(); in.webSelf || in.web != nil || in.channel != nil {
		return false // the ancestry or a channel says it acts for the web server
	}
	if !c.eng.state.loginNotSuspect(c.ev) {
		return false
	}
	c.noAccount = true
	held := r.det.cond.eval(c)
	c.noAccount = false
	return !held
}

// loginNotSuspect reports whether ev's process runs in a login session
// that is not suspect (above): a person's, whose account, even a web
// account, does not make it act for the web server.
func (s *state) loginNotSuspect(ev *parser.Event) bool {
	own, login, uid := loginSession(ev)
	if !login {
		return false
	}
	if own && s.flagged.anyAs(ev.Host, uid) {
		return false // the log shows the intrusion acting as this account: its logins are suspect
	}
	// a login that ran the account's startup file the intrusion wrote
	return !s.flagged.loginHookAs(ev.Host, uid)
}

// countAs keeps the counts by account of an entry added (d 1) or gone
// (d -1).
func (w *flaggedWrites) countAs(k writeKey, fw flaggedWrite, d int) {
	if !fw.uid.Set || fw.rule == RuleServerOwnFileBelow {
		// a server's own start script or program is run by what starts
		// the server, not by the account's logins: its change makes the
		// next start the plant's (planted-file-run), not the account's
		// cron job (ledger-receipt's backup, running every minute since
		// before the intrusion)
		return
	}
	hu := hostUID{k.host, fw.uid.N}
	if w.as == nil {
		w.as, w.loginHooks = map[hostUID]int{}, map[hostUID]int{}
	}
	if w.as[hu] += d; w.as[hu] <= 0 {
		delete(w.as, hu)
	}
	if shellStartupFile(k.path) {
		if w.loginHooks[hu] += d; w.loginHooks[hu] <= 0 {
			delete(w.loginHooks, hu)
		}
	}
}

// loginHookAs reports whether a flagged write (an intrusion's) changed a
// shell startup file as uid: the account's own login files, which every
// login that switches to the account runs.
func (w *flaggedWrites) loginHookAs(host string, uid parser.ID) bool {
	return uid.Set && w.loginHooks[hostUID{host, uid.N}] > 0
}

// anyAs reports whether a flagged write (an intrusion's) was made as uid.
func (w *flaggedWrites) anyAs(host string, uid parser.ID) bool {
	return uid.Set && w.as[hostUID{host, uid.N}] > 0
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
