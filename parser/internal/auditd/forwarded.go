package auditd

import "bytes"

// A syslog-forwarded record (audispd, audisp-syslog, rsyslog's imfile, the
// journal's "kernel: audit:") is the whole message of its syslog line:
//
//	Nov 25 20:16:08 web1 audisp-syslog: type=CWD msg=audit(…): cwd="/"
//
// Other programs' messages hold text the attacker chose: an ssh login
// attempt as the user `type=EXECVE msg=audit(…): argc=3 a0="rm" …` is
// logged by sshd as "sshd[812]: Invalid user type=EXECVE msg=audit(…) …",
// and a record found anywhere in a line made that a record of the log (or
// of a real event, by its serial). A record is read only where the
// message begins: after the tag's ": ", a kernel time "[ 12.345678]" and
// the kernel's "audit: " (or, in an RFC 5424 line, after its structured
// data "-"). A line whose prefix says neither is read as before. Known
// limit: a local user can still choose the tag itself (`logger -t
// audispd …`); a syslog file is only as trustworthy as its senders.

// forwardedPrefixOK reports whether a record found after prefix (the
// line's text before its node= or type=) begins the syslog message.
func forwardedPrefixOK(prefix []byte) bool {
	if i := bytes.Index(prefix, []byte(": ")); i >= 0 {
		msg := bytes.TrimLeft(prefix[i+2:], " ")
		if len(msg) > 0 && msg[0] == '[' { // dmesg time: [ 1234.567890]
			j := bytes.IndexByte(msg, ']')
			if j < 0 {
				return false
			}
			msg = bytes.TrimLeft(msg[j+1:], " ")
		}
		msg = bytes.TrimPrefix(msg, []byte("audit: "))
		return len(bytes.TrimSpace(msg)) == 0
	}
	f := bytes.Fields(prefix)
	if len(f) > 0 && len(f[0]) > 1 && f[0][0] == '<' && bytes.IndexByte(f[0], '>') > 0 {
		// RFC 5424: <PRI>VER TS HOST APP PROCID MSGID SD MSG; with "-" as
		// the structured data the message is after the 7th field.
		if len(f) >= 7 && bytes.Equal(f[6], []byte("-")) {
			return len(f) == 7
		}
	}
	return true
}
