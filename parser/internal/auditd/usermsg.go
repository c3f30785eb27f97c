package auditd

import "strings"

// User-space records (USER_*, LOGIN, CRED_*, AVC from user space, and the
// plain USER that `auditctl -m TEXT` sends) are written by the kernel as
//
//	pid=… uid=… auid=… ses=… [subj=…] msg='TEXT'
//
// where TEXT is the sender's, copied unescaped: libaudit's
// audit_log_user_message writes "%s exe=… hostname=… addr=… terminal=…
// res=…" with the caller's text first. TEXT may hold a quote, and fields
// of its own: `auditctl -m "x' auid=0 exe=\"/usr/sbin/sshd\" addr=6.6.6.6"`
// closed msg='…' early, so that the forged auid (the kernel's was unset),
// exe, address and terminal became the record's. Read by the kernel's
// layout instead: the message runs from the first msg=' to the record's
// last quote; pid, uid, auid and ses come from before it only; and of the
// fields libaudit appends after the caller's text (exe, comm, hostname,
// addr, terminal, res) the last copy is the library's and wins.

// userMessage splits body into the part before msg=', the message, and
// what follows its closing quote (the record's last '), when body has a
// user-space message.
func userMessage(body string) (head, msg, tail string, ok bool) {
	i := strings.Index(body, "msg='")
	if i < 0 || (i > 0 && body[i-1] != ' ') {
		return "", "", "", false
	}
	start := i + len("msg='")
	end := strings.LastIndexByte(body, '\'')
	if end < start {
		return "", "", "", false
	}
	return body[:i], body[start:end], body[end+1:], true
}

// trailerField reports the fields libaudit appends after the caller's text.
func trailerField(key string) bool {
	switch key {
	case "exe", "comm", "hostname", "addr", "terminal", "res":
		return true
	}
	return false
}

// userFields calls fn for the message's fields: first the last copy of
// each field libaudit appends (its own), then every field in order, so
// that an earlier copy of one of those (the sender's text) is a repeat:
// reported, not read.
func userFields(msg string, fn func(field) bool) {
	var fs []field
	scanFields(msg, func(f field) bool {
		fs = append(fs, f)
		return true
	})
	last := map[string]int{}
	for i, f := range fs {
		if trailerField(f.Key) {
			last[f.Key] = i
		}
	}
	done := make([]bool, len(fs))
	for i := len(fs) - 1; i >= 0; i-- {
		if trailerField(fs[i].Key) && last[fs[i].Key] == i {
			done[i] = true
		}
	}
	// The library's fields, in their own order.
	for i, f := range fs {
		if done[i] {
			fn(f)
		}
	}
	for i, f := range fs {
		if !done[i] {
			fn(f)
		}
	}
}
