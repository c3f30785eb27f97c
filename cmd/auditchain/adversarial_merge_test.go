package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestAdversarialMergeReports: reports are inputs too, and one may come
// from a compromised host or a broken copy. Hostile text in a valid
// report (host names, login addresses and accounts with terminal escapes)
// reaches the terminal escaped; a truncated report, a FIFO and JSON
// nested past any report's depth are refused with the file's name,
// without a hang or a crash.
func TestAdversarialMergeReports(t *testing.T) {
	dir := t.TempDir()
	web, db := crossHostReports(t, dir, true)
	raw, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	hostile := strings.NewReplacer(`"db01"`, `"db01\u001b[2J\u001b]0;pwned\u0007"`, `"deploy"`, `"deploy\u001b[31m"`).Replace(string(raw))
	write := func(name, s string) string { return writeTestFile(t, dir, name, s) }
	evil := write("evil.json", hostile)
	truncated := write("truncated.json", string(raw[:len(raw)/2]))
	deep := write("deep.json", `{"schema":"auditchain.report/v1","x":`+strings.Repeat("[", 200000)+strings.Repeat("]", 200000)+`}`)
	fifo := filepath.Join(dir, "fifo.json")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFO here:", err)
	}

	code, out, stderr := runCLIWithin(t, 30*time.Second, strings.NewReader(""), "merge", "--fail-on", "none", "--reproducible",
		"--host-addr", webHost+"="+webAddr, web, evil)
	if code != 0 {
		t.Fatalf("a valid report with hostile text was refused: exit %d: %s", code, stderr)
	}
	if strings.ContainsAny(out, "\x1b\x07") {
		t.Error("an escape sequence from a report reached the terminal")
	}
	if !strings.Contains(out, "CROSS-HOST LINKS") || !strings.Contains(out, "pwned") {
		t.Error("the merged case lacks its header or the hostile host's name (escaped)")
	}

	for _, tc := range []struct {
		name, path, want string
	}{
		{"truncated", truncated, "truncated.json: not a JSON report"},
		{"nested past any report", deep, "deep.json: not a JSON report"},
		{"a FIFO", fifo, "fifo.json: not a regular file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLIWithin(t, 30*time.Second, strings.NewReader(""), "merge", "--fail-on", "none", web, tc.path)
			if code != exitUsage || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q: want exit 2 and %q", code, stderr, tc.want)
			}
		})
	}
}

// TestAdversarialDiffReports: diff reads the same untrusted reports as
// merge and now under the same rules. It opened its arguments blocking
// and read them whole: a FIFO waited for ever, and a 24 GB report took
// 24 GB of memory before the kernel killed it. A report past 1 GiB (here a
// sparse file) is refused with its size, a FIFO or a folder with its type,
// each with the file's name and exit 2.
func TestAdversarialDiffReports(t *testing.T) {
	dir := t.TempDir()
	web, _ := crossHostReports(t, dir, true)
	raw, err := os.ReadFile(web)
	if err != nil {
		t.Fatal(err)
	}
	truncated := writeTestFile(t, dir, "truncated.json", string(raw[:len(raw)/2]))
	big := filepath.Join(dir, "big.json")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(maxReportBytes + 1); err != nil {
		t.Skip("no sparse file here:", err)
	}
	f.Close()
	fifo := filepath.Join(dir, "fifo.json")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFO here:", err)
	}
	for _, tc := range []struct {
		name, path, want string
	}{
		{"truncated", truncated, "truncated.json"},
		{"past 1 GiB", big, "big.json: 1073741825 bytes, more than the 1073741824 a report may have"},
		{"a FIFO", fifo, "fifo.json: not a regular file"},
		{"a folder", dir, "not a regular file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLIWithin(t, 30*time.Second, strings.NewReader(""), "diff", web, tc.path)
			if code != exitUsage || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q: want exit 2 and %q", code, stderr, tc.want)
			}
		})
	}
	if code, _, stderr := runCLIWithin(t, 30*time.Second, strings.NewReader(""), "diff", web, web); code != 0 {
		t.Errorf("a report against itself: exit %d: %s", code, stderr)
	}
}
