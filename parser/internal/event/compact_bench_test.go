package event

import (
	"runtime"
	"strconv"
	"testing"
)

// keptExec is an exec event as normalize makes it: its fields are views
// of its record text, its argv and PATH records slices of their own.
func keptExec(serial int) *Event {
	raw := "type=SYSCALL msg=audit(1700000000.000:" + strconv.Itoa(serial) + "): arch=c000003e syscall=59 success=yes exit=0 ppid=200 pid=" +
		strconv.Itoa(1000+serial) + " uid=33 comm=\"sh\" exe=\"/usr/bin/dash\" key=\"webexec\"\n" +
		"type=EXECVE msg=audit(1700000000.000:" + strconv.Itoa(serial) + "): argc=3 a0=\"sh\" a1=\"-c\" a2=\"date -u +%Y-%m-%dT%H:%M:%SZ\"\n" +
		"type=CWD msg=audit(1700000000.000:" + strconv.Itoa(serial) + "): cwd=\"/var/www/html\"\n" +
		"type=PATH msg=audit(1700000000.000:" + strconv.Itoa(serial) + "): item=0 name=\"/bin/sh\" inode=1234 dev=fd:01 mode=0100755 ouid=0 nametype=NORMAL\n" +
		"type=PATH msg=audit(1700000000.000:" + strconv.Itoa(serial) + "): item=1 name=\"/lib64/ld-linux-x86-64.so.2\" inode=99 dev=fd:01 mode=0100755 ouid=0 nametype=NORMAL"
	at := func(s string) string {
		for i := 0; i+len(s) <= len(raw); i++ {
			if raw[i:i+len(s)] == s {
				return raw[i : i+len(s)]
			}
		}
		panic(s)
	}
	return &Event{Kind: KindExec, Syscall: at("59"), Key: at("webexec"), Comm: at("sh"), Exe: at("/usr/bin/dash"), Cwd: at("/var/www/html"),
		Args: []string{at("sh"), at("-c"), at("date -u +%Y-%m-%dT%H:%M:%SZ")},
		Paths: []PathRecord{
			{Name: at("/bin/sh"), Nametype: at("NORMAL"), Dev: at("fd:01"), Inode: 1234, Mode: 0o100755, OUID: ID{0, true}},
			{Name: at("/lib64/ld-linux-x86-64.so.2"), Nametype: at("NORMAL"), Dev: at("fd:01"), Inode: 99, Mode: 0o100755, OUID: ID{0, true}},
		},
		Evidence: []Evidence{{Raw: raw}}}
}

// BenchmarkCompactKept compacts the events of one act kept for linking
// (the linking lists keep up to 1 000 of each) with a shared table, and
// reports the heap they keep afterwards per event (kept-B/event): the
// number that grows a long log's live heap.
func BenchmarkCompactKept(b *testing.B) {
	const n = 1000
	b.ReportAllocs()
	var kept float64
	for range b.N {
		b.StopTimer()
		evs := make([]*Event, n)
		for i := range evs {
			evs[i] = keptExec(i)
		}
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		b.StartTimer()
		var s Strings
		for _, e := range evs {
			CompactShared(e, &s)
		}
		b.StopTimer()
		runtime.GC()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		// what the events hold now, against what they held with their
		// texts: negative is memory given back
		kept += float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / n
		runtime.KeepAlive(evs)
		runtime.KeepAlive(&s)
		b.StartTimer()
	}
	b.ReportMetric(kept/float64(b.N), "heapdelta-B/event")
}
