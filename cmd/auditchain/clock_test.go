package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestClockSkewWarning: an access log whose clock runs 20 s behind the
// audit clock loses request → process links (they become ambiguous) and
// says so with the flag that fixes it; with --clock-skew the links come
// back and the warning goes.
func TestClockSkewWarning(t *testing.T) {
	src, err := os.Open(filepath.Join(classic, "access.log"))
	if err != nil {
		t.Fatal("lab capture missing")
	}
	defer src.Close()
	stamp := regexp.MustCompile(`\[(\d\d/\w\w\w/\d{4}:\d\d:\d\d:\d\d) \+0000\]`)
	var b strings.Builder
	sc := bufio.NewScanner(src)
	for sc.Scan() {
		l := sc.Text()
		if m := stamp.FindStringSubmatch(l); m != nil {
			tm, err := time.Parse("02/Jan/2006:15:04:05", m[1])
			if err != nil {
				t.Fatal(err)
			}
			l = strings.Replace(l, m[1], tm.Add(-20*time.Second).Format("02/Jan/2006:15:04:05"), 1)
		}
		b.WriteString(l + "\n")
	}
	skewed := filepath.Join(t.TempDir(), "access.log")
	if err := os.WriteFile(skewed, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	audit := filepath.Join(classic, "audit.log.gz")
	requests := func(args ...string) (int, string) {
		code, out, stderr := runCLI(t, "", append([]string{"scan", "--format", "json", "--fail-on", "none"}, args...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var doc struct {
			Chains []struct {
				Requests []struct {
					LinkBasis string `json:"link_basis"`
				} `json:"requests"`
			} `json:"chains"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Chains) == 0 {
			t.Fatalf("report: %v", err)
		}
		named := 0 // links that name their request; an ambiguous one names none
		for _, r := range doc.Chains[0].Requests {
			if r.LinkBasis != "ambiguous" {
				named++
			}
		}
		return named, stderr
	}
	right, _ := requests(audit, filepath.Join(classic, "access.log"))
	n, stderr := requests(audit, skewed)
	if !strings.Contains(stderr, "--clock-skew access-log=2") || n >= right {
		t.Fatalf("skewed log: %d request links (aligned: %d), stderr %q", n, right, stderr)
	}
	// A partial correction: the advice is the whole shift to give, not
	// what is left after the one already applied.
	if _, stderr := requests("--clock-skew", "access-log=5s", audit, skewed); !strings.Contains(stderr, "--clock-skew access-log=2") ||
		!strings.Contains(stderr, "already shifted by 5s") {
		t.Errorf("with a partial --clock-skew the advice is not absolute: %q", stderr)
	}
	n, stderr = requests("--clock-skew", "access-log=20s", audit, skewed)
	if strings.Contains(stderr, "warning") || n != right {
		t.Errorf("with --clock-skew: %d request links (aligned: %d), stderr %q", n, right, stderr)
	}
}
