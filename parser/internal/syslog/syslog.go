// Package syslog reads the header of a syslog-forwarded line, which several
// input families share (auditd and Sysmon forwarded by rsyslog).
package syslog

import "bytes"

// Host takes the host out of a syslog prefix: "Nov 25 20:15:22 HOST
// prog[pid]: " (RFC 3164) or "2026-11-25T20:15:22Z HOST prog: " (RFC 3339 /
// 5424 without the priority).
func Host(prefix []byte) []byte {
	f := bytes.Fields(prefix)
	if len(f) > 0 && f[0][0] == '<' { // <PRI>1 TIMESTAMP HOST … (RFC 5424)
		if i := bytes.IndexByte(f[0], '>'); i >= 0 {
			f[0] = f[0][i+1:]
			if len(f[0]) == 1 && len(f) > 1 { // the version "1"
				f = f[1:]
			} else if len(f[0]) == 0 {
				f = f[1:]
			}
		}
	}
	switch {
	case len(f) >= 4 && len(f[0]) == 3 && bytes.IndexByte(f[2], ':') > 0:
		return f[3]
	case len(f) >= 2 && len(f[0]) >= 10 && f[0][4] == '-':
		return f[1]
	}
	return nil
}

// MessageAt reports whether a record found after prefix (the line's text
// before it) is the whole message of a syslog line: prefix is empty, a
// header and tag ending in ": ", or an RFC 5424 header with "-" as its
// structured data. Text before a record that is
// none of these is another program's message, whose words an attacker
// may have chosen (an access line's user agent, an ssh user name).
func MessageAt(prefix []byte) bool {
	if i := bytes.Index(prefix, []byte(": ")); i >= 0 {
		return Header(prefix[:i], true) && len(bytes.TrimSpace(prefix[i+2:])) == 0
	}
	f := bytes.Fields(prefix)
	if len(f) > 0 && len(f[0]) > 1 && f[0][0] == '<' && bytes.IndexByte(f[0], '>') > 0 {
		// RFC 5424: <PRI>VER TS HOST APP PROCID MSGID SD MSG; with "-" as
		// the structured data the message is after the 7th field.
		return len(f) == 7 && bytes.Equal(f[6], []byte("-"))
	}
	return Header(prefix, false)
}

// Header reports whether b is a syslog line's header: an optional <PRI>,
// then up to five words of time, zone and host ("Nov 25 20:16:08 web1",
// "2026-11-25T20:16:08Z web1", "Tue 2026-11-25 20:16:08 UTC web1"), or
// none, followed by one tag word such as "audisp-syslog", "audispd[812]"
// or "kernel". Untagged, only an empty header (nothing but a <PRI>) is
// one. Those words hold letters, digits and
// ":.+-_/" only: quotes, brackets and '=' are another program's text, such
// as an access line's request and user agent.
func Header(b []byte, tagged bool) bool {
	f := bytes.Fields(b)
	if len(f) > 0 && f[0][0] == '<' {
		i := bytes.IndexByte(f[0], '>')
		if i < 0 || !isDigits(f[0][1:i]) {
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
	if !tagged && len(f) > 0 {
		// No forwarder writes a time and host without a tag; words
		// before a record without one are another program's message.
		return false
	}
	if len(f) > 5 {
		return false
	}
	for _, w := range f {
		for _, c := range w {
			switch {
			case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
				c == ':', c == '.', c == '+', c == '-', c == '_', c == '/':
			default:
				return false
			}
		}
	}
	return true
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
