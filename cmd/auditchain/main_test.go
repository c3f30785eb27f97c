package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/auditchain/auditchain/internal/golden"
	"github.com/auditchain/auditchain/internal/groundtruth"
)

var update = flag.Bool("update", false, "rewrite .golden files")

// classic is the lab's web-shell capture.
const classic = "../../testdata/lab/webshell-classic"

// reverseShellPID reads from the capture's ground truth the pid of the
// process that connected to 127.0.0.1:4444 in the reverse-shell step.
func reverseShellPID(t *testing.T) string {
	gt, err := groundtruth.Load(filepath.Join(classic, "ground-truth.json"))
	if err != nil {
		t.Fatal("lab capture missing")
	}
	for _, s := range gt.Steps {
		for _, e := range s.Evidence {
			for _, h := range e.Hits {
				if strings.HasPrefix(h.Summary, "connect pid=") && strings.Contains(h.Summary, "sockaddr=127.0.0.1:4444") {
					return strings.Fields(strings.TrimPrefix(h.Summary, "connect pid="))[0]
				}
			}
		}
	}
	t.Fatal("no connect to 127.0.0.1:4444 in the ground truth")
	return ""
}

func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// runCLIWithin runs the CLI and fails the test when it does not return
// within d: a hang (open() on a FIFO) must fail, not stall the suite.
func runCLIWithin(t *testing.T, d time.Duration, stdin io.Reader, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	d = bound(d)
	type result struct {
		code     int
		out, err string
	}
	done := make(chan result, 1)
	go func() {
		var out, errb bytes.Buffer
		c := run(args, stdin, &out, &errb)
		done <- result{c, out.String(), errb.String()}
	}()
	select {
	case r := <-done:
		return r.code, r.out, r.err
	case <-time.After(d):
		t.Fatalf("auditchain %s: no answer after %v (hang)", strings.Join(args, " "), d)
	}
	return
}

// gunzip returns the content of a gzipped test file.
func gunzip(t *testing.T, p string) []byte {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatalf("test data missing: %v", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestExitCodes(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		code    int
		wantErr string
	}{
		{"no arguments", nil, exitUsage, ""},
		{"help", []string{"--help"}, exitOK, ""},
		{"command help", []string{"tree", "--help"}, exitOK, ""},
		{"unknown command", []string{"frobnicate"}, exitUsage, `unknown command "frobnicate"`},
		{"unknown flag", []string{"tree", "--frob"}, exitUsage, "unknown flag: --frob"},
		{"missing file", []string{"tree", "/no/such/audit.log"}, exitUsage, "/no/such/audit.log: no such file or folder"},
		{"no input at all", []string{"tree"}, exitUsage, "no input"},
		{"bad format", []string{"tree", "--format", "xml", classic}, exitUsage, `--format "xml"`},
		{"bad since", []string{"tree", "--since", "yesterday", classic}, exitUsage, "--since"},
		{"version", []string{"version"}, exitOK, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, "", tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, stderr)
			}
			if !strings.Contains(stderr, tt.wantErr) {
				t.Errorf("stderr %q does not say %q", stderr, tt.wantErr)
			}
		})
	}
}

func TestHelpTeaches(t *testing.T) {
	for _, cmd := range []string{"tree", "scan"} {
		_, out, _ := runCLI(t, "", cmd, "--help")
		for _, want := range []string{"Usage: auditchain " + cmd, "Examples:", "Input:", "--since"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s --help lacks %q", cmd, want)
			}
		}
	}
}

// TestTreeReverseShell is the foundation's acceptance check: the process
// that connected to 127.0.0.1:4444 with its inherited image and exec,
// its ancestry back to the php-fpm worker and master, and its descendants
// (the ssh of the lateral movement among them), as text and as JSON.
func TestTreeReverseShell(t *testing.T) {
	pid := reverseShellPID(t)
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			code, out, stderr := runCLI(t, "", "tree", "--pid", pid, "--format", format, filepath.Join(classic, "audit.log.gz"))
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			for _, want := range []string{"/dev/tcp/127.0.0.1/4444", "php-fpm8.2", "bash -i", "deploy@127.0.0.1", "127.0.0.1:4444"} {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q", want)
				}
			}
			if format == "json" {
				var doc struct {
					Schema string `json:"schema"`
				}
				if err := json.Unmarshal([]byte(out), &doc); err != nil || doc.Schema != "auditchain.tree/v1" {
					t.Fatalf("not a tree document: %v %q", err, doc.Schema)
				}
			}
			golden.Check(t, "testdata/tree-reverse-shell."+format+".golden", []byte(out), *update)
		})
	}
}

// TestTreeStdin reads a log from standard input.
func TestTreeStdin(t *testing.T) {
	log, err := os.ReadFile("../../parser/testdata/auditd/real_execve_forms.log")
	if err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, string(log), "tree", "--stats", "-")
	if code != 0 || !strings.Contains(out, "events     9") {
		t.Fatalf("exit %d, out %q, err %q", code, out, stderr)
	}
}

// TestTreeNoEscapes: argv holds an ESC sequence; the terminal never sees it.
func TestTreeNoEscapes(t *testing.T) {
	code, out, _ := runCLI(t, "", "tree", "../../parser/testdata/auditd/real_execve_forms.log")
	if code != 0 {
		t.Fatal(code)
	}
	if strings.Contains(out, "\x1b") {
		t.Fatal("an escape sequence reached the output")
	}
	if !strings.Contains(out, `\x1b[31mred`) {
		t.Errorf("the escaped argument is not shown: %s", out)
	}
}

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"256MiB", 256 << 20, true}, {"2GiB", 2 << 30, true}, {"512MB", 512e6, true},
		{"1G", 1 << 30, true}, {"0", 0, true}, {"1024", 1024, true},
		{"12x", 0, false}, {"-1MiB", 0, false}, {"", 0, false},
	}
	for _, tt := range tests {
		got, err := parseSize(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseSize(%q) = %d, %v", tt.in, got, err)
		}
	}
}

// bound is a test's deadline for a run that must not hang, stretched by
// the race detector's slowdown.
func bound(d time.Duration) time.Duration { return d * raceSlowdown }
