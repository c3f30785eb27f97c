package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// classicAuditText returns the classic capture's audit log, decompressed,
// cut in two at an event boundary.
func classicAuditHalves(t *testing.T) (first, second []byte) {
	t.Helper()
	data := gunzip(t, filepath.Join(classic, "audit.log.gz"))
	lines := bytes.SplitAfter(data, []byte("\n"))
	cut := len(lines) / 2
	key := func(l []byte) string {
		_, r, _ := bytes.Cut(l, []byte("audit("))
		k, _, _ := bytes.Cut(r, []byte(")"))
		return string(k)
	}
	for key(lines[cut]) == key(lines[cut-1]) {
		cut++
	}
	return bytes.Join(lines[:cut], nil), bytes.Join(lines[cut:], nil)
}

// scanOrderJSON runs scan --format json and returns the document, stderr and exit code.
func scanOrderJSON(t *testing.T, args ...string) (map[string]any, string, int) {
	t.Helper()
	done := make(chan struct{})
	var code int
	var stdout, stderr string
	go func() {
		defer close(done)
		code, stdout, stderr = runCLI(t, "", append([]string{"scan", "--format", "json", "--reproducible", "--fail-on", "none"}, args...)...)
	}()
	select {
	case <-done:
	case <-time.After(bound(60 * time.Second)):
		t.Fatalf("scan did not finish in %v", bound(60*time.Second))
	}
	var doc map[string]any
	if code == 0 {
		if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
			t.Fatalf("json: %v", err)
		}
	}
	return doc, stderr, code
}

func findingCount(doc map[string]any) int {
	fs, _ := doc["findings"].([]any)
	return len(fs)
}

// TestAdversarialOrderRotatedHalves: rotated halves in the wrong order, in
// one file or as separate files, give the findings of the right order, and
// the report says the input was out of order.
func TestAdversarialOrderRotatedHalves(t *testing.T) {
	first, second := classicAuditHalves(t)
	dir := t.TempDir()
	write := func(name string, parts ...[]byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, bytes.Join(parts, nil), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	access := filepath.Join(classic, "access.log")
	want, _, _ := scanOrderJSON(t, write("right.log", first, second), access)
	if findingCount(want) == 0 {
		t.Fatal("no findings in the right order")
	}
	tests := []struct {
		name  string
		paths []string
		note  bool
	}{
		{"one file, halves swapped", []string{write("swapped.log", second, first)}, true},
		{"two files, newer named first", []string{write("audit.log.0", second), write("audit.log.1", first)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, stderr, code := scanOrderJSON(t, append(tt.paths, access)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if findingCount(got) != findingCount(want) {
				t.Errorf("%d findings, want %d as in the right order", findingCount(got), findingCount(want))
			}
			if tt.note != strings.Contains(stderr, "out of time order") {
				t.Errorf("stderr %q: want a note on the order: %v", stderr, tt.note)
			}
			ins, _ := got["inputs"].([]any)
			reordered := false
			for _, in := range ins {
				m := in.(map[string]any)
				if m["reordered"] == true && m["order_note"] != "" {
					reordered = true
				}
			}
			if reordered != tt.note {
				t.Errorf("inputs reordered %v, want %v", reordered, tt.note)
			}
		})
	}
}

// TestAdversarialOrderFutureOutlier: one access-log line dated years ahead
// does not move --since 1h off every record; the outlier is reported and
// the window applied is stated.
func TestAdversarialOrderFutureOutlier(t *testing.T) {
	acc, err := os.ReadFile(filepath.Join(classic, "access.log"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(acc)), "\n")
	last := lines[len(lines)-1]
	i, j := strings.Index(last, "["), strings.Index(last, "]")
	future := last[:i] + "[25/Nov/2031:21:35:00 +0000" + last[j:]
	p := filepath.Join(t.TempDir(), "access.log")
	if err := os.WriteFile(p, []byte(string(acc)+future+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	doc, stderr, code := scanOrderJSON(t, "--since", "1h", filepath.Join(classic, "audit.log.gz"), p)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if findingCount(doc) == 0 {
		t.Error("--since 1h found nothing: the future line moved the window")
	}
	if !strings.Contains(stderr, "access.log:"+strconv.Itoa(len(lines)+1)+": a record dated 2031-11-25") {
		t.Errorf("stderr does not name the outlier: %q", stderr)
	}
	f, _ := doc["filter"].(map[string]any)
	if f == nil || f["since"] == nil || f["reference"] != "the newest audit record" || len(f["outliers"].([]any)) != 1 {
		t.Errorf("filter %v: want the window, its reference and the outlier", f)
	}
	_, text, _ := runCLI(t, "", "scan", "--reproducible", "--fail-on", "none", "--since", "1h", filepath.Join(classic, "audit.log.gz"), p)
	if !strings.Contains(text, "Window:") || !strings.Contains(text, "counted back from the newest audit record") {
		t.Errorf("text header states no window:\n%s", head(text, 20))
	}
}

// TestAdversarialOrderFiltersMatchingNothing: a filter that matches nothing
// says so with the values that exist; typos in flags are usage errors.
func TestAdversarialOrderFiltersMatchingNothing(t *testing.T) {
	audit := filepath.Join(classic, "audit.log.gz")
	access := filepath.Join(classic, "access.log")
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr []string
	}{
		{"--host typo", []string{"scan", "--node-name", "web02", "--host", "web01", audit}, 0, []string{`--host "web01" matches no host`, "hosts: web02"}},
		{"--container typo", []string{"scan", "--container", "deadbeef", audit}, 0, []string{`--container "deadbeef" matches no container`, "containers:"}},
		{"--since outside the logs", []string{"scan", "--since", "2030-01-01T00:00:00Z", audit}, 0, []string{"holds no record", "the logs cover 2026-12-03T14:12"}},
		{"--clock-skew typo", []string{"scan", "--clock-skew", "acess-log=3.1s", audit, access}, 2, []string{`"acess-log" is neither a format nor an input path`, "access-log", access}},
		{"--clock-skew format not read", []string{"scan", "--clock-skew", "falco=1s", audit, access}, 2, []string{`"falco": no input has this format`}},
		{"--max-processes negative", []string{"scan", "--max-processes", "-5", audit}, 2, []string{"--max-processes -5"}},
		{"--fail-on bogus", []string{"scan", "--fail-on", "bogus", audit}, 2, []string{"critical or none"}},
		{"tree --pid not found", []string{"tree", "--pid", "999999", audit}, 2, []string{"no process with pid 999999"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := tt.args
			if args[0] == "scan" && !strings.Contains(strings.Join(args, " "), "--fail-on") {
				args = append([]string{"scan", "--fail-on", "none"}, args[1:]...)
			}
			code, stdout, stderr := runCLI(t, "", args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, stderr)
			}
			for _, w := range tt.stderr {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q: %q", w, stderr)
				}
			}
			if tt.code == 0 && args[0] == "scan" && !strings.Contains(stdout, "Filter:") {
				t.Errorf("the report does not say the filter matched nothing:\n%s", head(stdout, 20))
			}
		})
	}
}

// TestAdversarialOrderTreeTZ: another time zone does not move the PID column.
func TestAdversarialOrderTreeTZ(t *testing.T) {
	col := func(tz string) []int {
		_, out, stderr := runCLI(t, "", "tree", "--tz", tz, filepath.Join(classic, "audit.log.gz"))
		var cols []int
		for _, l := range strings.Split(head(out, 6), "\n") {
			if l == "" {
				continue
			}
			f := strings.Fields(l)
			if len(f) < 3 {
				t.Fatalf("line %q (stderr %q)", l, stderr)
			}
			// the PID field ends at the same rune column on every line
			k := strings.Index(l, " "+f[1]+" ") + 1 + len(f[1])
			if f[0] == "FIRST" {
				k = strings.Index(l, "PID") + 3
			}
			cols = append(cols, len([]rune(l[:k])))
		}
		return cols
	}
	for _, tz := range []string{"UTC", "America/New_York", "Europe/London"} {
		cs := col(tz)
		for _, c := range cs {
			if c != cs[0] {
				t.Errorf("--tz %s: PID column ends at %v", tz, cs)
				break
			}
		}
	}
}

func head(s string, n int) string {
	ls := strings.SplitN(s, "\n", n+1)
	if len(ls) > n {
		ls = ls[:n]
	}
	return strings.Join(ls, "\n")
}
