package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// forkChain writes an audit log of a chain of n shells, each the child of
// the one before (pid 1000+i, ppid 999+i).
func forkChain(t *testing.T, n int) string {
	t.Helper()
	var b bytes.Buffer
	for i := range n {
		ts := fmt.Sprintf("%d.%03d:%d", 1700000000+i/1000, i%1000, 100+i)
		fmt.Fprintf(&b, "type=SYSCALL msg=audit(%s): arch=c000003e syscall=59 success=yes exit=0 a0=0 a1=0 a2=0 a3=0 items=1 ppid=%d pid=%d auid=1000 uid=1000 gid=1000 euid=1000 suid=1000 fsuid=1000 egid=1000 sgid=1000 fsgid=1000 tty=pts0 ses=1 comm=\"sh\" exe=\"/bin/sh\" key=\"exec\"\n", ts, 999+i, 1000+i)
		fmt.Fprintf(&b, "type=EXECVE msg=audit(%s): argc=2 a0=\"sh\" a1=\"-c\"\n", ts)
	}
	p := filepath.Join(t.TempDir(), "audit.log")
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

var treePIDCol = regexp.MustCompile(`^\S+\s+(\d+)\s`)

// A 10 000-deep fork chain: every process drawn (the cuts say how many
// continue and where), --pid finds the deepest, all in linear time.
func TestAdversarialDeepForkChain(t *testing.T) {
	const n = 10_000
	log := forkChain(t, n)
	code, out, stderr := runCLIWithin(t, 20*time.Second, nil, "tree", log)
	if code != exitOK {
		t.Fatalf("tree: exit %d: %s", code, stderr)
	}
	drawn := map[int]bool{}
	for _, l := range strings.Split(out, "\n") {
		if m := treePIDCol.FindStringSubmatch(l); m != nil {
			pid, _ := strconv.Atoi(m[1])
			drawn[pid] = true
		}
	}
	if len(drawn) != n+1 { // the chain and its unknown first parent
		t.Errorf("tree drew %d processes, want %d", len(drawn), n+1)
	}
	if !strings.Contains(out, "processes below, deeper than") || !strings.Contains(out, "┄ continued:") {
		t.Error("the cuts of a deep tree are not noted")
	}
	deep := 1000 + n - 1
	code, out, stderr = runCLIWithin(t, 20*time.Second, nil, "tree", "--pid", strconv.Itoa(deep), log)
	if code != exitOK || strings.Contains(stderr, "no process") || !strings.Contains(out, "◀") {
		t.Fatalf("tree --pid %d: exit %d, stderr %q, focus drawn %t", deep, code, stderr, strings.Contains(out, "◀"))
	}
	code, out, stderr = runCLIWithin(t, 20*time.Second, nil, "tree", "--format", "json", log)
	if code != exitOK {
		t.Fatalf("tree --format json: exit %d: %s", code, stderr)
	}
	var doc struct {
		Processes []json.RawMessage `json:"processes"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil { // Go's reader refuses nesting past 10 000
		t.Fatalf("tree JSON unreadable: %v", err)
	}
	if len(doc.Processes) < 2 {
		t.Errorf("JSON roots: %d, want the chain in pieces", len(doc.Processes))
	}
	if code, _, stderr = runCLIWithin(t, 20*time.Second, nil, "scan", "--format", "json", "-o", filepath.Join(t.TempDir(), "r.json"), log); code > exitFindings {
		t.Fatalf("scan: exit %d: %s", code, stderr)
	}
}

// treeJSON is the part of auditchain.tree/v1 these tests read.
type treeJSON struct {
	PID      int        `json:"pid"`
	PPID     int        `json:"ppid"`
	UID      *uint32    `json:"uid"`
	Exe      string     `json:"exe"`
	Reparent bool       `json:"reparented"`
	Execs    []struct{} `json:"execs"`
	Children []treeJSON `json:"children"`
}

func walkTreeJSON(ps []treeJSON, parent *treeJSON, f func(p, parent *treeJSON)) {
	for i := range ps {
		f(&ps[i], parent)
		walkTreeJSON(ps[i].Children, &ps[i], f)
	}
}

// A web shell's pid comes back a day later as a root daemon under init
// with no exit record between: a new process, not the web shell
// "re-parented" to root with its root child drawn under php-fpm.
func TestAdversarialReusedPIDRoot(t *testing.T) {
	log := "../../testdata/adversarial/reused-pid-root/audit.log"
	code, out, stderr := runCLIWithin(t, 10*time.Second, nil, "tree", "--format", "json", log)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Processes []treeJSON `json:"processes"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	var shells []*treeJSON
	walkTreeJSON(doc.Processes, nil, func(p, parent *treeJSON) {
		if p.PID == 4242 {
			shells = append(shells, p)
		}
		if p.PID == 4243 && (parent == nil || parent.UID == nil || *parent.UID != 0) {
			t.Errorf("the root child 4243 is drawn under %+v", parent)
		}
	})
	if len(shells) != 2 {
		t.Fatalf("pid 4242: %d processes, want the web shell and the daemon", len(shells))
	}
	for _, p := range shells {
		if p.Reparent || p.UID == nil || len(p.Execs) != 1 {
			t.Errorf("pid 4242: reparented %t uid %v execs %d: two processes merged", p.Reparent, p.UID, len(p.Execs))
		}
	}
	if *shells[0].UID != 33 || *shells[1].UID != 0 {
		t.Errorf("uids %d then %d, want 33 then 0", *shells[0].UID, *shells[1].UID)
	}
}

// repeatCapture writes n copies of a gzipped audit log, each moved on by
// 120 s and 5 000 serials with pids as they were: a long archive in which
// the host rebooted and the same pids came back (as
// /work/shared/bench/repeat-capture.sh does).
func repeatCapture(t *testing.T, gz string, n int) string {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(string(gunzip(t, gz)), "\n"), "\n")
	stamp := regexp.MustCompile(`audit\((\d+)\.(\d+):(\d+)\)`)
	var b bytes.Buffer
	for i := range n {
		for _, l := range lines {
			if m := stamp.FindStringSubmatchIndex(l); m != nil {
				sec, _ := strconv.ParseInt(l[m[2]:m[3]], 10, 64)
				ser, _ := strconv.ParseInt(l[m[6]:m[7]], 10, 64)
				l = l[:m[0]] + fmt.Sprintf("audit(%d.%s:%d)", sec+int64(i)*120, l[m[4]:m[5]], ser+int64(i)*5000) + l[m[1]:]
			}
			b.WriteString(l)
			b.WriteByte('\n')
		}
	}
	p := filepath.Join(t.TempDir(), "audit.log")
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Copies of a capture are other boots: never merged into one process that
// collects every copy's execs.
func TestAdversarialRepeatedCapture(t *testing.T) {
	const copies = 6
	gz := "../../testdata/lab/webshell-classic/audit.log.gz"
	processes := func(log string) int {
		code, out, stderr := runCLIWithin(t, 30*time.Second, nil, "tree", "--stats", log)
		if code != exitOK {
			t.Fatalf("tree --stats: exit %d: %s", code, stderr)
		}
		m := regexp.MustCompile(`(?m)^processes\s+(\d+)$`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("no process count in %q", out)
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	one, many := processes(repeatCapture(t, gz, 1)), processes(repeatCapture(t, gz, copies))
	// Each copy begins with a record of the new auditd made before its
	// DAEMON_START: logged before the boot shows, it goes to the earlier
	// boot's auditd (a limit of the rule: at most one process per boot).
	if many > copies*one || many < copies*one-(copies-1) {
		t.Errorf("%d copies: %d processes, want %d × %d less at most one per boot", copies, many, copies, one)
	}
	// and no process of the whole history ran execs more than one copy apart
	code, out, stderr := runCLIWithin(t, 30*time.Second, nil, "tree", "--format", "json", repeatCapture(t, gz, 3))
	if code != exitOK {
		t.Fatalf("tree: exit %d: %s", code, stderr)
	}
	var doc struct {
		Processes []treeExecs `json:"processes"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	merged := 0
	var walk func([]treeExecs)
	walk = func(ps []treeExecs) {
		for _, p := range ps {
			if len(p.Execs) > 1 {
				a, _ := time.Parse(time.RFC3339Nano, p.Execs[0].Time)
				b, _ := time.Parse(time.RFC3339Nano, p.Execs[len(p.Execs)-1].Time)
				if merged++; b.Sub(a) >= 120*time.Second && merged <= 3 {
					t.Errorf("pid %d has execs from %s to %s: copies merged", p.PID, a, b)
				} else if b.Sub(a) < 120*time.Second {
					merged--
				}
			}
			walk(p.Children)
		}
	}
	walk(doc.Processes)
	if merged > 0 {
		t.Errorf("%d processes hold execs of several copies", merged)
	}
}

type treeExecs struct {
	PID   int `json:"pid"`
	Execs []struct {
		Time string `json:"time"`
	} `json:"execs"`
	Children []treeExecs `json:"children"`
}
