package parser

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestForgedUserMessages: user-space records as this machine's kernel and
// auditd 3.x wrote them (testdata/adversarial/forged-records, made with
// `auditctl -m` and a netlink sender, both root). The sender's text is
// copied unescaped into msg='…': a quote of its own closed the message
// early, and the fields after it (auid=0, exe=sshd, hostname, addr,
// terminal, key) became the record's, an unset auid turning into root;
// auditd's own name for the forged auid followed. Read by the kernel's
// layout now: the record keeps the kernel's pid/uid/auid/ses, libaudit's
// trailing exe/addr/terminal/res, no key, and no record is split off.
func TestForgedUserMessages(t *testing.T) {
	b, err := os.ReadFile("../testdata/adversarial/forged-records/audit.log")
	if err != nil {
		t.Fatal(err)
	}
	evs, in := readString(t, string(b))
	if len(evs) != 4 || in.Records != 4 {
		t.Fatalf("%d events of %d records, want 4 of 4", len(evs), in.Records)
	}
	byPID := map[int][]*Event{}
	for _, e := range evs {
		byPID[e.PID] = append(byPID[e.PID], e)
		if e.AUID.Set {
			t.Errorf("pid %d: auid %d, want unset (the kernel's)", e.PID, e.AUID.N)
		}
		if e.AUser != "" {
			t.Errorf("pid %d: auid named %q: the kernel's auid is unset", e.PID, e.AUser)
		}
		if e.Key != "" {
			t.Errorf("pid %d: key %q from the message's text", e.PID, e.Key)
		}
		if e.Kind == KindExec || e.Syscall != "" {
			t.Errorf("pid %d: read as a syscall (%v %q)", e.PID, e.Kind, e.Syscall)
		}
	}
	for _, pid := range []int{9927, 9931} { // auditctl -m
		for _, e := range byPID[pid] {
			if e.Exe != "/usr/sbin/auditctl" || e.Peer.IP != "" || e.TTY != "" || !e.Success {
				t.Errorf("pid %d: exe %q peer %q tty %q success %v, want auditctl's own", pid, e.Exe, e.Peer.IP, e.TTY, e.Success)
			}
		}
	}
	if in.Malformed == 0 || !strings.Contains(fmt.Sprint(in.Errors), "duplicate exe") {
		t.Errorf("the repeated fields are not reported: %d, %v", in.Malformed, in.Errors)
	}
}
