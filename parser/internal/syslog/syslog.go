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
