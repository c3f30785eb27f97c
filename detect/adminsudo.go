package detect

import "path"

// adminSudo reports whether the act in c is an administrator's: run
// through sudo in a person's login, not a scheduled job's (the kernel's
// audit login id is set —
// it survives sudo and su — and names no web-service account), with no
// web server among the ancestors and no channel or session of the
// intruder around it. sudo checked the person's rights and logged the
// command; what the act touches is then administration, recorded because
// stolen administrator credentials do the same — a login the intruder's
// ssh opened is a session (sshsession.go) and never counts here.
func adminSudo(c *evalCtx) bool {
	if !personLogin(c) {
		return false
	}
	sudo := false
	for _, a := range c.ancestors() {
		switch path.Base(procExe(a)) {
		case "sudo":
			sudo = true
		case "cron", "crond", "atd", "anacron":
			// cron opens a login session for the job's owner too (the
			// audit login id is set), but no one is at it: a scheduled
			// job's sudo is the job's, not an administrator at work
			// (shop-avatar: the CI's build script, poisoned, ran a root
			// shell through deploy's sudo rule for openssl)
			return false
		}
	}
	return sudo
}

// personLogin reports whether the act in c runs in a person's login: the
// audit login id is set and names no web-service account, no web server
// is among the ancestors and no channel or session of the intruder is
// around it.
func personLogin(c *evalCtx) bool {
	if c.eng == nil || !c.ev.AUID.Set {
		return false
	}
	in := c.info()
	if in.web != nil || in.channel != nil || in.webSelf {
		return false
	}
	return !c.eng.state.servers.IsWebAccount(c.ev.Host, c.ev.AUser, c.ev.AUID)
}
