package parser

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recycleLog is three auditd events: an exec, a connect and an open.
const recycleLog = `type=SYSCALL msg=audit(1700000000.100:1): arch=c000003e syscall=59 success=yes exit=0 a0=0 a1=0 a2=0 a3=0 items=1 ppid=1 pid=100 auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=1 comm="sh" exe="/bin/sh" key=(null)
type=EXECVE msg=audit(1700000000.100:1): argc=1 a0="sh"
type=SYSCALL msg=audit(1700000000.200:2): arch=c000003e syscall=42 success=yes exit=0 a0=3 a1=0 a2=10 a3=0 items=0 ppid=1 pid=100 auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=1 comm="sh" exe="/bin/sh" key=(null)
type=SOCKADDR msg=audit(1700000000.200:2): saddr=02000050C0A800010000000000000000
type=SYSCALL msg=audit(1700000000.300:3): arch=c000003e syscall=2 success=yes exit=3 a0=0 a1=241 a2=1b6 a3=0 items=1 ppid=1 pid=100 auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=1 comm="sh" exe="/bin/sh" key=(null)
type=PATH msg=audit(1700000000.300:3): item=0 name="/tmp/x" inode=1 dev=08:01 mode=0100644 ouid=0 ogid=0 rdev=00:00 nametype=CREATE
`

// TestRecycle checks the retention contract (parser/internal/event): an
// event a consumer retained is never recycled and keeps its fields and
// text; one nobody retained is poisoned in poison mode, and its memory
// reused otherwise; the counts say what was retained.
func TestRecycle(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "audit.log")
	if err := os.WriteFile(file, []byte(recycleLog), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, poison := range []bool{false, true} {
		inputs, _ := Resolve([]string{file}, nil)
		r := NewReader(inputs, Options{PoisonRecycled: poison, Workers: 1})
		var kept, dropped *Event
		var keptCopy Event
		for {
			ev, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			switch ev.Kind {
			case KindExec:
				ev.Retain(KeepText)
				kept, keptCopy = ev, *ev
			case KindConnect:
				dropped = ev
			}
			r.Recycle(ev)
			r.Recycle(ev) // twice is harmless
		}
		r.Close()
		if kept == nil || dropped == nil {
			t.Fatalf("poison=%v: events not read (exec %v, connect %v)", poison, kept, dropped)
		}
		if kept.Kind != KindExec || kept.Exe != keptCopy.Exe || kept.Proc == nil || kept.Evidence[0].Raw == "" {
			t.Errorf("poison=%v: a retained event changed: %+v", poison, kept)
		}
		if poison && (dropped.Kind == KindConnect || dropped.Proc != nil || !strings.Contains(dropped.Exe, "recycled") ||
			!strings.Contains(dropped.Evidence[0].Raw, "recycled") || !strings.Contains(dropped.Peer.IP, "recycled")) {
			t.Errorf("an event recycled in poison mode was not poisoned: %+v", dropped)
		}
		st := r.Stats().Retained
		if st.Events != 1 || st.TextEvents != 1 || st.TextBytes != int64(len(keptCopy.Evidence[0].Raw)) {
			t.Errorf("poison=%v: retention %+v, want 1 event with its %d bytes of text", poison, st, len(keptCopy.Evidence[0].Raw))
		}
	}
}
