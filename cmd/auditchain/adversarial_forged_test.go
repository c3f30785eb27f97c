package main

import (
	"strings"
	"testing"
)

// TestAdversarialSyslogInjection: a syslog file carrying forwarded audit
// records also carries other programs' messages, with text an attacker
// chose: an ssh login attempt as the user `type=SYSCALL msg=audit(…) …`
// is logged by sshd as "Invalid user type=SYSCALL …". Such text is not a
// record (it made a log-tampering finding out of nothing, or joined a
// real event by its serial); the line is reported, and the forwarded
// records are read.
func TestAdversarialSyslogInjection(t *testing.T) {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimSpace(tamperExec), "\n") {
		// the real records of a later event, forwarded as audisp-syslog does
		b.WriteString("Dec  3 14:13:20 web1 audisp-syslog: " + strings.Replace(l, ":900)", ":901)", 1) + "\n")
	}
	for _, l := range strings.Split(strings.TrimSpace(tamperExec), "\n") {
		b.WriteString("Dec  3 14:13:21 web1 sshd[812]: Invalid user " + l + " from 203.0.113.7 port 4022\n")
	}
	b.WriteString("Dec  3 14:13:22 web1 sshd[812]: Connection closed by invalid user x 203.0.113.7 port 4022 [preauth]\n")
	doc, stderr, _ := scanHostile(t, b.String())
	if n := doc.tampering(1795637800); n != 1 {
		t.Errorf("%d log-tampering findings, want 1 (the forwarded event only)", n)
	}
	if !strings.Contains(stderr, "inside another program's syslog message") {
		t.Errorf("the sshd line is not reported:\n%s", stderr)
	}
}
