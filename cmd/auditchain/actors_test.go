package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestActorQuoted: a finding on a file act quotes the exec record of the
// command that did it, read back from the input after the scan, line for
// line as the log holds it (webshell-classic: cat's read of /etc/shadow,
// denied); from standard input nothing can be read again, and the report
// says so instead of quoting less in silence.
func TestActorQuoted(t *testing.T) {
	const capture = "../../testdata/lab/webshell-classic/audit.log.gz"
	code, out, stderr := runCLI(t, "", "scan", "--format", "json", "--fail-on", "none", capture)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	raw := gunzip(t, capture)
	lines := map[string]bool{}
	for _, l := range strings.Split(string(raw), "\n") {
		lines[l] = true
	}
	var doc struct {
		Findings []struct {
			ID       string `json:"id"`
			Kind     string `json:"kind"`
			Summary  string `json:"summary"`
			Evidence []struct {
				Role, Kind, Raw string
				PID             int `json:"pid"`
			} `json:"evidence"`
			Process struct {
				PID int `json:"pid"`
			} `json:"process"`
		} `json:"findings"`
		Coverage struct {
			Notes []string `json:"notes"`
		} `json:"coverage"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	quoted := false
	for _, fd := range doc.Findings {
		if !strings.Contains(fd.Summary, "read /etc/shadow") {
			continue
		}
		for _, e := range fd.Evidence {
			if e.Role != "related" || e.Kind != "exec" || e.PID != fd.Process.PID {
				continue
			}
			quoted = true
			if !strings.Contains(e.Raw, `type=EXECVE`) || !strings.Contains(e.Raw, `a0="cat"`) {
				t.Errorf("%s: the exec quoted is not cat's: %q", fd.ID, e.Raw)
			}
			for _, l := range strings.Split(e.Raw, "\n") {
				if !lines[l] {
					t.Errorf("%s: quoted line not in the log: %q", fd.ID, l)
				}
			}
		}
	}
	if !quoted {
		t.Fatal("the read of /etc/shadow quotes no exec record of its process")
	}

	b, err := os.ReadFile(capture)
	if err != nil {
		t.Fatal(err)
	}
	code, out, stderr = runCLI(t, string(b), "scan", "--format", "json", "--fail-on", "none", "-")
	if code != 0 {
		t.Fatalf("stdin: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "were not quoted: their inputs cannot be read again") || !strings.Contains(out, "were not quoted: their inputs cannot be read again") {
		t.Errorf("stdin: no note of the exec records left unquoted:\n%s", stderr)
	}
}

// TestCitedRecordsQuoted: a record a finding cites keeps its text in the
// report even when the scan let it go (shipnotes-import: the accept and
// the LOGIN of the web server's own ssh login, kept compact for linking,
// were cited by position with an empty text).
func TestCitedRecordsQuoted(t *testing.T) {
	code, out, stderr := runCLI(t, "", "scan", "--format", "json", "--fail-on", "none", "../../testdata/lab/shipnotes-import/")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Findings []struct {
			ID       string `json:"id"`
			Evidence []struct {
				Kind, Raw string
				Serial    uint64 `json:"serial"`
			} `json:"evidence"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	logins := 0
	for _, f := range doc.Findings {
		for _, e := range f.Evidence {
			if e.Raw == "" {
				t.Errorf("%s cites %s record %d without its text", f.ID, e.Kind, e.Serial)
			}
			if e.Kind == "login" && strings.HasPrefix(e.Raw, "type=LOGIN ") {
				logins++
			}
		}
	}
	if logins == 0 {
		t.Error("no finding quotes the LOGIN record of the server's ssh login")
	}
}
