package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRootImage: --root finds the audit logs, container logs and the
// image's own passwd (names come from it, never from this machine).
func TestRootImage(t *testing.T) {
	root := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	src, err := os.ReadFile("../../parser/testdata/auditd/raw_format.log")
	must(err)
	must(os.MkdirAll(filepath.Join(root, "var/log/audit"), 0o755))
	must(os.MkdirAll(filepath.Join(root, "etc"), 0o755))
	must(os.WriteFile(filepath.Join(root, "var/log/audit/audit.log"), src, 0o644))
	// uid 0 is named differently in the image than on any analyst's machine
	must(os.WriteFile(filepath.Join(root, "etc/passwd"), []byte("evidence-root:x:0:0:root:/root:/bin/bash\n"), 0o644))
	id := strings.Repeat("ab", 32)
	cdir := filepath.Join(root, "var/lib/docker/containers", id)
	must(os.MkdirAll(cdir, 0o755))
	must(os.WriteFile(filepath.Join(cdir, id+"-json.log"), []byte(`{"log":"127.0.0.1 - - [25/Nov/2026:21:16:15 +0000] \"GET / HTTP/1.1\" 200 612 \"-\" \"curl/8\"\n","stream":"stdout","time":"2026-11-25T21:16:15.5Z"}`+"\n"), 0o644))
	must(os.WriteFile(filepath.Join(cdir, "config.v2.json"), []byte(`{"Name":"/shop","Config":{"Image":"shop:1"}}`), 0o644))
	must(os.WriteFile(filepath.Join(cdir, "hostconfig.json"), []byte(`{}`), 0o644))

	code, out, stderr := runCLI(t, "", "tree", "--root", root)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, "evidence-") {
		t.Errorf("uid 0 not named from the image's passwd:\n%s", out)
	}
	if strings.Contains(stderr, "hostconfig.json") || strings.Contains(stderr, "config.v2.json") {
		t.Errorf("container configuration reported as an unreadable log: %s", stderr)
	}
	code, out, stderr = runCLI(t, "", "tree", "--stats", "--root", root)
	if code != 0 || !strings.Contains(out, "inputs     2") {
		t.Errorf("exit %d, want 2 inputs (audit log + container log): %s %s", code, out, stderr)
	}
}
