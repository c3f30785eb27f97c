package main

import (
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestAdversarialFindingFlood: a log with more findings than the bounds
// (--max-repeats for one act, --max-findings-per-rule for one
// rule) keeps the first ones with their evidence, counts the rest, and
// says how many, of which rule, from where to where, on stderr and in the
// report's coverage notes; 0 keeps all. A long archive of a host attacked
// again and again is such a log: without the bounds its findings were the
// memory that grew with it. The capture's web server runs `sh -c date …`
// again and again: one act, many findings.
func TestAdversarialFindingFlood(t *testing.T) {
	const rule = "web-server-shell-spawn"
	type report struct {
		Coverage struct {
			Notes []string `json:"notes"`
		} `json:"coverage"`
		Findings []struct {
			RuleID  string `json:"rule_id"`
			Process *struct {
				Args []string `json:"args"`
			} `json:"process"`
		} `json:"findings"`
	}
	scan := func(bounds ...string) (report, string) {
		t.Helper()
		args := append([]string{"scan", "--reproducible", "--format", "json", "--fail-on", "none"}, bounds...)
		code, out, stderr := runCLIWithin(t, 60*time.Second, nil, append(args, classicLog)...)
		if code != exitOK {
			t.Fatalf("%v: exit %d; stderr:\n%s", bounds, code, stderr)
		}
		var r report
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		return r, stderr
	}
	// count returns the findings of rule, and of those the ones of the
	// capture's repeated act
	count := func(r report) (all, date int) {
		for _, f := range r.Findings {
			if f.RuleID == rule {
				all++
				if f.Process != nil && len(f.Process.Args) == 3 && strings.HasPrefix(f.Process.Args[2], "date -u") {
					date++
				}
			}
		}
		return all, date
	}
	full, stderr := scan("--max-repeats", "0", "--max-findings-per-rule", "0")
	total, dates := count(full)
	if dates <= 5 || strings.Contains(stderr, "further findings") {
		t.Fatalf("unbounded scan: %d repeats of sh -c date (want > 5), stderr:\n%s", dates, stderr)
	}
	if d, _ := scan(); len(d.Findings) != len(full.Findings) {
		t.Errorf("the default bounds cut the lab capture: %d findings, want %d", len(d.Findings), len(full.Findings))
	}
	for _, tc := range []struct {
		bounds   []string
		wantKept int
		why      string // of the note
		cut      int
	}{
		{[]string{"--max-repeats", "5"}, total - (dates - 5),
			`\d+ repeated an act listed 5 times already \(1 acts; the most repeated: "sh -c date -u \+%Y-%m-%dT%H:%M:%SZ" by "/usr/bin/dash" on "/bin/sh", \d+ more times\)`, dates - 5},
		{[]string{"--max-repeats", "0", "--max-findings-per-rule", "5"}, 5,
			`\d+ came past the bound of 5 findings per rule and host`, total - 5},
	} {
		cut, stderr := scan(tc.bounds...)
		if n, _ := count(cut); n != tc.wantKept {
			t.Errorf("%v: %d findings of %s kept, want %d", tc.bounds, n, rule, tc.wantKept)
		}
		note := regexp.MustCompile(`detection: rule ` + rule + `: ` + strconv.Itoa(tc.cut) + ` further findings were counted, not kept: ` + tc.why +
			`; the first at \S+audit\.log\.gz:\d+, the last at \S+audit\.log\.gz:\d+`)
		if !note.MatchString(stderr) {
			t.Errorf("%v: stderr lacks %s; stderr:\n%s", tc.bounds, note, stderr)
		}
		found := false
		for _, n := range cut.Coverage.Notes {
			found = found || note.MatchString(n)
		}
		if !found {
			t.Errorf("%v: the report's coverage notes lack %s: %q", tc.bounds, note, cut.Coverage.Notes)
		}
	}
	for _, flag := range []string{"--max-repeats", "--max-findings-per-rule"} {
		if code, _, stderr := runCLI(t, "", "scan", flag, "-1", classicLog); code != exitUsage || !strings.Contains(stderr, flag+" -1") {
			t.Errorf("%s -1: exit %d, stderr:\n%s", flag, code, stderr)
		}
	}
}

// TestAdversarialLinkFlood: the events kept for linking chains (execs
// under a web server, file writes, connects, sshd accepts, login records)
// are bounded per act by
// --max-link-repeats like the findings: past it the repeats are counted,
// and stderr and the report's coverage notes say how many of which list,
// the act repeated most and where the first and last were. The lab capture
// stays whole under the default.
func TestAdversarialLinkFlood(t *testing.T) {
	notes := func(args ...string) ([]string, string) {
		t.Helper()
		args = append([]string{"scan", "--reproducible", "--format", "json", "--fail-on", "none"}, args...)
		code, out, stderr := runCLIWithin(t, 60*time.Second, nil, append(args, classicLog)...)
		if code != exitOK {
			t.Fatalf("%v: exit %d; stderr:\n%s", args, code, stderr)
		}
		var r struct {
			Coverage struct {
				Notes []string `json:"notes"`
			} `json:"coverage"`
		}
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		return r.Coverage.Notes, stderr
	}
	if _, stderr := notes(); strings.Contains(stderr, "linking:") {
		t.Errorf("the default bound cut the lab capture:\n%s", stderr)
	}
	rep, stderr := notes("--max-link-repeats", "2")
	note := regexp.MustCompile(`linking: \d+ execs under a web server were counted, not kept for linking: each repeated an act kept 2 times already \(\d+ acts; the most repeated: exec by "/usr/bin/dash" "sh -c date -u \+%Y-%m-%dT%H:%M:%SZ" on "/bin/sh", \d+ more times\); the first at \S+audit\.log\.gz:\d+, serial \d+, the last at \S+audit\.log\.gz:\d+, serial \d+`)
	if !note.MatchString(stderr) {
		t.Errorf("stderr lacks %s:\n%s", note, stderr)
	}
	found := false
	for _, n := range rep {
		found = found || note.MatchString(n)
	}
	if !found {
		t.Errorf("the report's coverage notes lack %s: %q", note, rep)
	}
	// every cron job writes a LOGIN: the login records of one account
	// from one address are one act too (4 of root's in the capture)
	login := regexp.MustCompile(`linking: 2 login records were counted, not kept for linking: each repeated an act kept 2 times already \(1 acts; the most repeated: login by "/usr/sbin/cron" "LOGIN of root auid 0", 2 more times\); the first at \S+audit\.log\.gz:\d+, serial \d+, the last at \S+audit\.log\.gz:\d+, serial \d+`)
	if !login.MatchString(stderr) || !slices.ContainsFunc(rep, login.MatchString) {
		t.Errorf("stderr and the coverage notes must say %s; stderr:\n%s", login, stderr)
	}
	if code, _, stderr := runCLI(t, "", "scan", "--max-link-repeats", "-1", classicLog); code != exitUsage || !strings.Contains(stderr, "--max-link-repeats -1") {
		t.Errorf("--max-link-repeats -1: exit %d, stderr:\n%s", code, stderr)
	}
	// --max-link-events: the lists together; past it the bound per act is
	// lowered, and both places say so
	rep, stderr = notes("--max-link-events", "8")
	lowered := regexp.MustCompile(`linking: the lists of events kept for linking reached their bound of 8 events together, so the bound per act was lowered from 1000 to \d+: the events of an act past its first \d+ were let go and are counted above \(--max-link-events raises the bound\)`)
	if !lowered.MatchString(stderr) || !slices.ContainsFunc(rep, lowered.MatchString) {
		t.Errorf("stderr and the coverage notes must say %s; stderr:\n%s", lowered, stderr)
	}
	if code, _, stderr := runCLI(t, "", "scan", "--max-link-events", "-1", classicLog); code != exitUsage || !strings.Contains(stderr, "--max-link-events -1") {
		t.Errorf("--max-link-events -1: exit %d, stderr:\n%s", code, stderr)
	}
}
