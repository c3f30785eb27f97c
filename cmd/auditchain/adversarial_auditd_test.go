package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Hostile auditd logs through the whole CLI: an attacker who controlled the
// host wrote them. Each test asserts no crash and no hang, the event after
// the hostile one analysed (its tampering finding reported), and what was
// cut or damaged reported with file:line on stderr and in the report.

// tamperExec is an event after the hostile one: rm of the audit log, which
// the log-tampering-command rule reports.
const tamperExec = `type=SYSCALL msg=audit(1795637800.000:900): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=1 ppid=500 pid=501 auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=1 comm="rm" exe="/usr/bin/rm" key="exec"
type=EXECVE msg=audit(1795637800.000:900): argc=3 a0="rm" a1="-f" a2="/var/log/audit/audit.log"
type=PROCTITLE msg=audit(1795637800.000:900): proctitle=726D
`

// execHeader is the SYSCALL record of an execve with serial 100.
const execHeader = `type=SYSCALL msg=audit(1795637716.966:100): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=1 ppid=10 pid=11 auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=1 comm="rm" exe="/usr/bin/rm" key="exec"
`

const hdr100 = "msg=audit(1795637716.966:100):"

// scanHostile writes log to a file, scans it with a deadline and returns
// the hostileReport, stderr and the file's path.
func scanHostile(t *testing.T, log string) (doc hostileReport, stderr, path string) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "audit.log")
	if err := os.WriteFile(path, []byte(log), 0o600); err != nil {
		t.Fatal(err)
	}
	type result struct {
		code           int
		stdout, stderr string
	}
	done := make(chan result, 1)
	go func() {
		code, stdout, stderr := runCLI(t, "", "scan", "--format", "json", "--reproducible", "--fail-on", "none", path)
		done <- result{code, stdout, stderr}
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(bound(30 * time.Second)):
		t.Fatalf("scan did not finish in %v", bound(30*time.Second))
	}
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("report: %v", err)
	}
	return doc, r.stderr, path
}

// hostileReport is the part of the JSON report these tests read.
type hostileReport struct {
	Inputs []struct {
		Records   int `json:"records"`
		Malformed int `json:"malformed"`
		Errors    []struct {
			File    string `json:"file"`
			Line    int    `json:"line"`
			Message string `json:"message"`
		} `json:"errors"`
	} `json:"inputs"`
	Findings []struct {
		RuleID    string    `json:"rule_id"`
		Time      time.Time `json:"time"`
		Tampering bool      `json:"tampering"`
	} `json:"findings"`
}

// tampering counts the log-tampering-command findings at sec.
func (d hostileReport) tampering(sec int64) int {
	n := 0
	for _, f := range d.Findings {
		if f.RuleID == "log-tampering-command" && f.Time.Unix() == sec {
			n++
		}
	}
	return n
}

// wantReported checks that the problem at path:line saying what reached
// both stderr and the report.
func wantReported(t *testing.T, doc hostileReport, stderr, path string, line int, what string) {
	t.Helper()
	at := fmt.Sprintf("%s:%d: ", path, line)
	if !strings.Contains(stderr, at) || !strings.Contains(stderr, what) {
		t.Errorf("stderr does not report %q at %s:\n%s", what, at, stderr)
	}
	for _, in := range doc.Inputs {
		for _, e := range in.Errors {
			if e.Line == line && strings.Contains(e.Message, what) {
				return
			}
		}
	}
	t.Errorf("report does not list %q at line %d: %+v", what, line, doc.Inputs)
}

// TestAdversarialEventRecords: 70 000 records with one (time:serial) key.
// The event keeps its first 65 536 records; the rest are cut and reported.
func TestAdversarialEventRecords(t *testing.T) {
	log := execHeader + strings.Repeat("type=PATH "+hdr100+" item=0 name=\"/x\" nametype=NORMAL\n", 69999) +
		"type=PROCTITLE " + hdr100 + " proctitle=726D\n" + tamperExec
	doc, stderr, path := scanHostile(t, log)
	wantReported(t, doc, stderr, path, 65537, "more than 65536 records")
	if got := doc.Inputs[0].Malformed; got != 70001-65536 {
		t.Errorf("malformed = %d, want the %d cut records", got, 70001-65536)
	}
	if doc.tampering(1795637800) != 1 {
		t.Errorf("the event after the cut one was not analysed: %+v", doc.Findings)
	}
}

// TestAdversarialExecArgs: an execve with 70 000 arguments, legal for the
// kernel, whose last one names the audit log. Every argument is kept, so the
// tampering is found.
func TestAdversarialExecArgs(t *testing.T) {
	var b strings.Builder
	b.WriteString(execHeader)
	rec := "type=EXECVE " + hdr100 + " argc=70001 a0=\"rm\""
	for i := 1; i <= 70000; i++ {
		f := fmt.Sprintf(" a%d=\"-f\"", i)
		if i == 70000 {
			f = fmt.Sprintf(" a%d=\"/var/log/audit/audit.log\"", i)
		}
		if len(rec)+len(f) > 7500 {
			b.WriteString(rec + "\n")
			rec = "type=EXECVE " + hdr100
		}
		rec += f
	}
	b.WriteString(rec + "\ntype=PROCTITLE " + hdr100 + " proctitle=726D\n")
	doc, stderr, _ := scanHostile(t, b.String())
	if doc.tampering(1795637716) != 1 {
		t.Errorf("the 70 000th argument was lost with its finding: %+v\n%s", doc.Findings, stderr)
	}
	if doc.Inputs[0].Malformed != 0 {
		t.Errorf("malformed = %d: %s", doc.Inputs[0].Malformed, stderr)
	}
}

// TestAdversarialSplitArgParts: one argument in 200 000 aN[i] parts (2.7 MB).
// It is decoded in linear time, cut at 4 096 parts and reported.
func TestAdversarialSplitArgParts(t *testing.T) {
	var b strings.Builder
	b.WriteString(execHeader)
	b.WriteString("type=EXECVE " + hdr100 + " argc=2 a0=\"rm\" a1_len=400000\n")
	for i := 0; i < 200000; i++ {
		fmt.Fprintf(&b, "type=EXECVE %s a1[%d]=41\n", hdr100, i)
	}
	b.WriteString("type=PROCTITLE " + hdr100 + " proctitle=726D\n" + tamperExec)
	doc, stderr, path := scanHostile(t, b.String())
	wantReported(t, doc, stderr, path, 4099, "more than 4096 parts")
	if doc.tampering(1795637800) != 1 {
		t.Errorf("the event after the split argument was not analysed: %+v", doc.Findings)
	}
}

// TestAdversarialUnknownRecordType: a record type the tool does not know
// inside an exec event must not make the exec vanish.
func TestAdversarialUnknownRecordType(t *testing.T) {
	for _, typ := range []string{"FUTURE_THING", "1399", "AVC"} {
		t.Run(typ, func(t *testing.T) {
			log := execHeader + "type=" + typ + " " + hdr100 + " res=0 foo=bar\n" +
				"type=EXECVE " + hdr100 + " argc=3 a0=\"rm\" a1=\"-f\" a2=\"/var/log/audit/audit.log\"\n" +
				"type=PROCTITLE " + hdr100 + " proctitle=726D\n"
			doc, stderr, _ := scanHostile(t, log)
			if doc.tampering(1795637716) != 1 {
				t.Errorf("the exec vanished: %+v\n%s", doc.Findings, stderr)
			}
		})
	}
}

// TestAdversarialInvalidValues: a pid of 22 digits, a negative pid and a
// second uid= (injected text) are counted as malformed and reported; the
// first uid is kept.
func TestAdversarialInvalidValues(t *testing.T) {
	log := strings.Replace(execHeader, "pid=11", "pid=1234567890123456789012", 1) +
		strings.NewReplacer(":100)", ":101)", "pid=11", "pid=-7").Replace(execHeader) +
		strings.NewReplacer(":100)", ":102)", "uid=0 gid=0", "uid=33 gid=33 uid=0").Replace(execHeader) +
		tamperExec
	doc, stderr, path := scanHostile(t, log)
	wantReported(t, doc, stderr, path, 1, `pid="1234567890123456789012"`)
	wantReported(t, doc, stderr, path, 2, `pid="-7"`)
	wantReported(t, doc, stderr, path, 3, "duplicate uid")
	if got := doc.Inputs[0].Malformed; got != 3 {
		t.Errorf("malformed = %d, want 3", got)
	}
	if doc.tampering(1795637800) != 1 {
		t.Errorf("the rest of the log was not analysed: %+v", doc.Findings)
	}
}

// TestEventLimitFlags: the per-event bounds have flags; a lower one cuts
// and reports as the default does, and a value outside the range is a
// usage error.
func TestEventLimitFlags(t *testing.T) {
	var b strings.Builder
	b.WriteString(execHeader + "type=EXECVE " + hdr100 + " argc=40 a0=\"rm\"")
	for i := 1; i < 40; i++ {
		fmt.Fprintf(&b, " a%d=\"-f\"", i)
	}
	b.WriteString("\ntype=PROCTITLE " + hdr100 + " proctitle=726D\n")
	path := filepath.Join(t.TempDir(), "audit.log")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, stderr := runCLI(t, "", "scan", "--format", "json", "--fail-on", "none", "--max-exec-args", "16", path)
	if !strings.Contains(stderr, "more than 16 arguments") || !strings.Contains(stderr, path+":2:") {
		t.Errorf("--max-exec-args 16 on 40 arguments: nothing reported\n%s", stderr)
	}
	for _, bad := range [][]string{{"--max-exec-args", "3"}, {"--max-event-records", "x"}, {"--max-event-bytes", "2GiB"}} {
		if code, _, _ := runCLI(t, "", append([]string{"scan", "--fail-on", "none"}, append(bad, path)...)...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", bad, code, exitUsage)
		}
	}
}
