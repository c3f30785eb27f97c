package parser

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHostileLongFirstLine: a first line longer than the sniffer's 64 KiB
// head was cut, failed every sniffer, and the whole file was skipped as
// "not a log format this tool reads". A container that prints 16 KiB of
// control bytes first (json-file writes each as "\u0001": a 96 KiB line),
// or a first request with a long URL, hid every later line. The head now
// grows (up to 4 MiB) until it holds whole lines; files and standard
// input alike.
func TestHostileLongFirstLine(t *testing.T) {
	access := func(i int, url string) string {
		return fmt.Sprintf(`6.6.6.6 - - [25/Nov/2026:20:16:%02d +0000] "GET %s HTTP/1.1" 200 5 "-" "curl"`, i, url)
	}
	docker := func(log string, i int) string {
		b, _ := json.Marshal(map[string]string{"log": log, "stream": "stdout", "time": fmt.Sprintf("2026-11-25T20:16:%02d.000000000Z", i)})
		return string(b)
	}
	shell := `/uploads/shell.php?cmd=id`
	for _, c := range []struct {
		name, path string
		lines      []string
		format     Format
		http       int
	}{
		{"access log, 200 KiB URL first", "access.log",
			[]string{access(0, "/"+strings.Repeat("a", 200<<10)), access(1, shell), access(2, shell)}, FormatAccessLog, 3},
		{"json-file, 16 KiB of control bytes first", "var/lib/docker/containers/abc/abc-json.log",
			[]string{docker(strings.Repeat("\x01", 16<<10), 0), docker(access(1, shell)+"\n", 1), docker(access(2, shell)+"\n", 2)}, FormatDockerJSON, 2},
	} {
		text := strings.Join(c.lines, "\n") + "\n"
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), c.path)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			ins, skipped := Resolve([]string{p}, nil)
			if len(skipped) > 0 || len(ins) != 1 {
				t.Fatalf("skipped: %v", skipped)
			}
			if ins[0].Format != c.format {
				t.Fatalf("format %q, want %q", ins[0].Format, c.format)
			}
			evs, _ := readString(t, text) // standard input
			n := 0
			for _, e := range evs {
				if e.Kind == KindHTTP {
					n++
				}
			}
			if n != c.http {
				t.Errorf("stdin: %d requests, want %d", n, c.http)
			}
		})
	}
}
