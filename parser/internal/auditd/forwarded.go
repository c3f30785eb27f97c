package auditd

import (
	"bytes"

	"github.com/auditchain/auditchain/parser/internal/syslog"
)

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
// message begins: after a syslog header and tag's ": ", a kernel time
// "[ 12.345678]" and the kernel's "audit: " (or, in an RFC 5424 line,
// after its structured data "-").
//
// Anything else before the record is another program's text: a web
// server's access line whose user agent ends in `x: type=SYSCALL
// msg=audit(…) … exe="/usr/bin/nc"` made, when such lines opened the
// file, the whole access log an audit log of forged execs, its real
// requests "malformed". So the text before the first ": " must be a
// syslog header (time and host, or neither) and one tag word, and a
// prefix without ": " must be empty (a <PRI> at most): words before a
// record without a tag are another program's message.
// Known limit: a local user can still choose the tag itself (`logger -t
// audispd …`); a syslog file is only as trustworthy as its senders.

// forwardedPrefixOK reports whether a record found after prefix (the
// line's text before its node= or type=) begins the syslog message.
func forwardedPrefixOK(prefix []byte) bool {
	if i := bytes.Index(prefix, []byte(": ")); i >= 0 {
		if !syslog.Header(prefix[:i], true) {
			return false
		}
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
		return len(f) == 7 && bytes.Equal(f[6], []byte("-"))
	}
	return syslog.Header(prefix, false)
}

// RecordLine reports whether line holds an audit record where a reader
// takes one: at its start, behind node=, or as the whole message of a
// syslog line. The sniffer uses it so that an input whose lines only
// carry record text inside other text (an access log's user agent) is
// not read as an audit log.
func RecordLine(line []byte) bool {
	i := indexToken(line, tokNode)
	if j := indexToken(line, tokType); j >= 0 && (i < 0 || j < i) {
		i = j
	}
	if i < 0 {
		return false
	}
	if i > 0 && !forwardedPrefixOK(line[:i]) {
		return false
	}
	rest := line[i:]
	if bytes.HasPrefix(rest, tokNode) {
		sp := bytes.IndexByte(rest, ' ')
		if sp < 0 {
			return false
		}
		rest = rest[sp+1:]
	}
	if !bytes.HasPrefix(rest, tokType) {
		return false
	}
	sp := bytes.IndexByte(rest, ' ')
	if sp < 0 {
		return false
	}
	rest = rest[sp+1:]
	return bytes.HasPrefix(rest, []byte("msg=audit(")) || bytes.HasPrefix(rest, tokAudit)
}
