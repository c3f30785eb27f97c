package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// nodeLog writes the lines of src behind node=host into dir/name.
func nodeLog(t *testing.T, dir, name, host, src string) string {
	t.Helper()
	var b strings.Builder
	for _, l := range strings.SplitAfter(src, "\n") {
		if strings.TrimSpace(l) != "" {
			b.WriteString("node=" + host + " " + l)
		}
	}
	return writeTestFile(t, dir, name, b.String())
}

// scanJobs scans logs with --jobs jobs in format and returns the report
// without its command line (the one place --jobs shows).
func scanJobs(t *testing.T, format string, jobs string, logs ...string) string {
	t.Helper()
	args := append([]string{"scan", "--format", format, "--reproducible", "--fail-on", "none", "--jobs", jobs}, logs...)
	code, out, stderr := runCLI(t, "", args...)
	if code != 0 {
		t.Fatalf("scan --jobs %s: exit %d: %s", jobs, code, stderr)
	}
	if format == "json" {
		var doc map[string]any
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		if doc["command_line"] == nil || doc["findings"] == nil {
			t.Fatalf("the report lacks a command line or findings")
		}
		delete(doc, "command_line")
		b, _ := json.MarshalIndent(doc, "", " ")
		return string(b)
	}
	var keep []string
	for _, l := range strings.Split(out, "\n") {
		if !strings.Contains(l, "--jobs") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// TestScanHostsSameReport: the lab's two hosts (the classic attack with its
// ssh from web01 to db01 moved to a second host, as TestMergeGolden makes
// them) and a third host (the benign day), their records behind node=, are
// split into host partitions read side by side; the report is the one of
// reading them as one stream, in every format that lists everything.
func TestScanHostsSameReport(t *testing.T) {
	dir := t.TempDir()
	web, db := crossHostLogs(t, dir, true)
	read := func(p string) string {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	logs := []string{
		nodeLog(t, dir, "web01.node.log", webHost, read(web)),
		nodeLog(t, dir, "db01.node.log", dbHost, read(db)),
		nodeLog(t, dir, "day.node.log", "day01", read("../../testdata/lab/benign-day/audit.log")),
	}
	ins, _ := parser.Resolve(logs, nil)
	parts := hostPartitions(ins, "")
	if len(parts) != 3 {
		t.Fatalf("want 3 host partitions, got %d", len(parts))
	}
	for _, format := range []string{"json", "text"} {
		one := scanJobs(t, format, "1", logs...)
		for _, jobs := range []string{"2", "3"} {
			if got := scanJobs(t, format, jobs, logs...); got != one {
				t.Errorf("%s, --jobs %s: the report differs from one stream's", format, jobs)
			}
		}
	}
	// a host's records without node=, named by --node-name
	bare := writeTestFile(t, dir, "db01.bare.log", read(db))
	one := scanJobs(t, "json", "1", "--node-name", dbHost, logs[0], bare)
	if got := scanJobs(t, "json", "2", "--node-name", dbHost, logs[0], bare); got != one {
		t.Error("--node-name: the report differs from one stream's")
	}
}

// TestScanHostsFallBack: a file whose head names one host but that gathers
// another after it is found out while read; the scan reads everything again
// as one stream and gives its report.
func TestScanHostsFallBack(t *testing.T) {
	dir := t.TempDir()
	web, _ := crossHostLogs(t, dir, true)
	wb, _ := os.ReadFile(web)
	a := nodeLog(t, dir, "a.log", webHost, string(wb))
	lines := strings.SplitAfter(string(wb), "\n")
	day, err := os.ReadFile("../../testdata/lab/benign-day/audit.log")
	if err != nil {
		t.Fatal(err)
	}
	gathered := nodeLog(t, dir, "gathered.log", dbHost, string(day))
	f, err := os.OpenFile(gathered, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lines[:200] { // a third host, after the head
		if strings.TrimSpace(l) != "" {
			f.WriteString("node=other " + l)
		}
	}
	f.Close()
	ins, _ := parser.Resolve([]string{a, gathered}, nil)
	if len(hostPartitions(ins, "")) != 2 {
		t.Fatal("the heads should name two hosts")
	}
	if one, got := scanJobs(t, "json", "1", a, gathered), scanJobs(t, "json", "2", a, gathered); got != one {
		t.Error("a file gathering hosts: the report differs from one stream's")
	}
}

// TestScanHostsRotated: two hosts whose rotated logs cover the same hours
// (the benign day, halved, behind node=web01 and node=web02) are read host
// by host, each host's logs oldest first, and split into two partitions
// that give the one stream's report.
func TestScanHostsRotated(t *testing.T) {
	dir := t.TempDir()
	day, err := os.ReadFile("../../testdata/lab/benign-day/audit.log")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(day), "\n")
	half := len(lines) / 2
	var logs []string
	for _, h := range []string{"web01", "web02"} {
		logs = append(logs, nodeLog(t, dir, h+".log.1", h, strings.Join(lines[:half], "")),
			nodeLog(t, dir, h+".log", h, strings.Join(lines[half:], "")))
	}
	ins, _ := parser.Resolve([]string{dir}, nil)
	var got []string
	for _, in := range ins {
		got = append(got, filepath.Base(in.Path))
	}
	if want := []string{"web01.log.1", "web01.log", "web02.log.1", "web02.log"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("reading order %v, want %v", got, want)
	}
	if p := hostPartitions(ins, ""); len(p) != 2 {
		t.Fatalf("want 2 host partitions, got %d", len(p))
	}
	if one, two := scanJobs(t, "json", "1", dir), scanJobs(t, "json", "2", dir); one != two {
		t.Error("the report differs from one stream's")
	}
}

// TestHostPartitions: which inputs are split, and how.
func TestHostPartitions(t *testing.T) {
	dir := t.TempDir()
	// records of increasing times: the inputs are read in that order
	rec := func(sec int) string {
		return fmt.Sprintf("type=DAEMON_START msg=audit(17963071%02d.574:1): op=start ver=3.0.9 format=enriched kernel=6.1.0 auid=4294967295 pid=1 uid=0 ses=4294967295 res=success\n", sec)
	}
	a1 := writeTestFile(t, dir, "1.log", "node=a "+rec(1))
	b := writeTestFile(t, dir, "3.log", "node=b "+rec(2))
	a2 := writeTestFile(t, dir, "2.log", "node=a "+rec(3))
	bare := writeTestFile(t, dir, "4.log", rec(4))
	access := writeTestFile(t, dir, "access.log", `127.0.0.1 - - [03/Dec/2026:14:05:23 +0000] "GET / HTTP/1.1" 200 1 "-" "curl"`+"\n")
	hosts := func(ps []hostPart) [][]string {
		var out [][]string
		for _, p := range ps {
			h := []string{p.host}
			for _, in := range p.inputs {
				h = append(h, filepath.Base(in.Path))
			}
			out = append(out, h)
		}
		return out
	}
	for _, c := range []struct {
		paths []string
		def   string
		want  [][]string
	}{
		{[]string{a1, b}, "", [][]string{{"a", "1.log"}, {"b", "3.log"}}},
		{[]string{b, a1}, "", [][]string{{"a", "1.log"}, {"b", "3.log"}}}, // read oldest first
		{[]string{a1, bare}, "c", [][]string{{"a", "1.log"}, {"c", "4.log"}}},
		{[]string{a1, bare}, "a", nil}, // one host
		// a host's inputs are read together (parser's order), the
		// oldest host first
		{[]string{a1, b, a2}, "", [][]string{{"a", "1.log", "2.log"}, {"b", "3.log"}}},
		{[]string{a1, b, access}, "", nil},                                                        // an access log: no host
		{[]string{a1, a2}, "", nil},                                                               // one host
		{[]string{b, writeTestFile(t, dir, "5.log", "node=a "+rec(5)+"node=b "+rec(6))}, "", nil}, // a head of two hosts
	} {
		ins, _ := parser.Resolve(c.paths, nil)
		if got := hosts(hostPartitions(ins, c.def)); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%v (--node-name %q): got %v, want %v", c.paths, c.def, got, c.want)
		}
	}
}
