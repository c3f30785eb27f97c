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
// message begins: after a syslog header and tag's ": ", a kernel time
// "[ 12.345678]" and the kernel's "audit: " (or, in an RFC 5424 line,
// after its structured data "-").
//
// Anything else before the record is another program's text: a web
// server's access line whose user agent ends in `x: type=SYSCALL
// msg=audit(…) … exe="/usr/bin/nc"` made, when such lines opened the
// file, the whole access log an audit log of forged execs, its real
// requests "malformed". So the text before the first ": " must be a
// syslog header (RFC 3164 or 3339 time and host, or neither) and one tag
// word, and a prefix without ": " must be empty or such a header alone.
// Known limit: a local user can still choose the tag itself (`logger -t
// audispd …`); a syslog file is only as trustworthy as its senders.

// forwardedPrefixOK reports whether a record found after prefix (the
// line's text before its node= or type=) begins the syslog message.
func forwardedPrefixOK(prefix []byte) bool {
	if i := bytes.Index(prefix, []byte(": ")); i >= 0 {
		if !syslogHead(prefix[:i], true) {
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
	return syslogHead(prefix, false)
}

// syslogHead reports whether b is a syslog line's header: an optional
// <PRI>, a time (RFC 3164 "Nov 25 20:16:08" or RFC 3339 "2026-11-25T…")
// and a host, or neither, followed (when tagged) by one tag word such as
// "audisp-syslog", "audispd[812]" or "kernel".
func syslogHead(b []byte, tagged bool) bool {
	f := bytes.Fields(b)
	if len(f) > 0 && f[0][0] == '<' {
		i := bytes.IndexByte(f[0], '>')
		if i < 0 {
			return false
		}
		f[0] = f[0][i+1:]
		if len(f[0]) == 0 {
			f = f[1:]
		}
	}
	if tagged {
		if len(f) == 0 || !tagWord(f[len(f)-1]) {
			return false
		}
		f = f[:len(f)-1]
	}
	switch len(f) {
	case 0:
		return true
	case 2, 1: // RFC 3339 time and host (or the time alone)
		return len(f[0]) >= 10 && f[0][4] == '-' && f[0][7] == '-' && isDigits(f[0][:4])
	case 4, 3: // RFC 3164: "Nov 25 20:16:08 host" (or no host)
		return len(f[0]) == 3 && isDigits(f[1]) && bytes.Count(f[2], []byte(":")) == 2
	}
	return false
}

// tagWord is a syslog tag: a program name, optionally with its pid in
// brackets. Quotes, '=' and the like are no part of one.
func tagWord(b []byte) bool {
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			c == '-', c == '_', c == '.', c == '/', c == '@':
		case c == '[' && i > 0:
			return len(b) > i+2 && b[len(b)-1] == ']' && isDigits(b[i+1:len(b)-1])
		default:
			return false
		}
	}
	return len(b) > 0
}

func isDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
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
