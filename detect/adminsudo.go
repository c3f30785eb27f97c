package detect

import "path"

// adminSudo reports whether the act in c is an administrator's: run
// through sudo in a person's login (the kernel's audit login id is set —
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
	for _, a := range c.ancestors() {
		if path.Base(procExe(a)) == "sudo" {
			return true
		}
	}
	return false
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
