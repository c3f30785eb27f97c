package main

import (
	"fmt"
	"strings"
	"testing"
)

// TestAdversarialRecordTextInAccessLog: an attacker who can only send
// requests wrote audit records into the access log's user agents (with
// "x " or "x: " before them). The log was sniffed as an audit log: the
// forged root execs of `nc -e /bin/sh` became findings and the attacker's
// real request, POST /uploads/shell.php, was a malformed line. Now the log
// is an access log of 61 requests and nothing is found in it.
func TestAdversarialRecordTextInAccessLog(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 20; i++ {
		sep := []string{" ", ": "}[i%2]
		for _, rec := range []string{
			fmt.Sprintf(`type=SYSCALL msg=audit(%d.000:%d): arch=c000003e syscall=59 success=yes exit=0 ppid=1 pid=%d auid=1000 uid=0 gid=0 euid=0 tty=pts0 ses=3 comm="nc" exe="/usr/bin/nc" key="exec"`, 1795641375+i, 1000+i, 5000+i),
			fmt.Sprintf(`type=EXECVE msg=audit(%d.000:%d): argc=3 a0="nc" a1="-e" a2="/bin/sh"`, 1795641375+i, 1000+i),
			fmt.Sprintf(`type=EOE msg=audit(%d.000:%d): `, 1795641375+i, 1000+i),
		} {
			fmt.Fprintf(&b, "10.0.0.5 - - [25/Nov/2026:20:16:%02d +0000] \"GET /index.html HTTP/1.1\" 200 512 \"-\" \"x%s%s\"\n", i, sep, rec)
		}
	}
	b.WriteString("10.0.0.66 - - [25/Nov/2026:20:17:00 +0000] \"POST /uploads/shell.php?cmd=id HTTP/1.1\" 200 12 \"-\" \"curl/8\"\n")
	doc, stderr, _ := scanHostile(t, b.String())
	if len(doc.Findings) != 0 {
		t.Errorf("%d findings from record text in user agents, want 0", len(doc.Findings))
	}
	if len(doc.Inputs) != 1 || doc.Inputs[0].Records != 61 || doc.Inputs[0].Malformed != 0 {
		t.Errorf("inputs %+v, want one of 61 records, none malformed\n%s", doc.Inputs, stderr)
	}
}
