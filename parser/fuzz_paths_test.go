package parser

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzResolveNames: evidence files and folders with any name are read
// literally, once, and reading never recurses on the name: a name that
// exists is the file, a pattern's match is never a pattern again.
func FuzzResolveNames(f *testing.F) {
	for _, s := range []string{"x*y.log", "audit[1].log", "[", "a\\b", "*", "?*?", "evil\x1b[2J", "-", "{a,b}", "[!a]", "\xff\xfe"} {
		f.Add(s)
	}
	rec := []byte("type=DAEMON_START msg=audit(1764105375.000:1): op=start ver=3.1.2 format=enriched kernel=6.8.0 auid=4294967295 pid=1 uid=0 ses=4294967295 res=success\n")
	f.Fuzz(func(t *testing.T, name string) {
		if name == "" || name == "." || name == ".." || strings.ContainsAny(name, "/\x00") || len(name) > 200 {
			return // not a file name on Linux
		}
		dir := t.TempDir()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, rec, 0o644); err != nil {
			return
		}
		if err := os.WriteFile(filepath.Join(dir, "other.log"), rec, 0o644); err != nil {
			t.Fatal(err)
		}
		if name == "other.log" {
			return
		}
		ins, skipped := Resolve([]string{p}, nil)
		if len(ins) != 1 || ins[0].Path != p || len(skipped) != 0 {
			t.Fatalf("literal %q: inputs %d, skipped %v", p, len(ins), skipped)
		}
		ins, skipped = Resolve([]string{dir}, nil)
		if len(ins) != 2 || len(skipped) != 0 {
			t.Fatalf("folder: inputs %d, skipped %v", len(ins), skipped)
		}
		// a folder with that name, matched by a pattern
		sub := filepath.Join(dir, "d", name)
		if err := os.MkdirAll(sub, 0o755); err != nil {
			return
		}
		if err := os.WriteFile(filepath.Join(sub, name), rec, 0o644); err != nil {
			return
		}
		ins, skipped = Resolve([]string{filepath.Join(dir, "d", "*")}, nil)
		if len(ins) != 1 || len(skipped) != 0 {
			t.Fatalf("pattern: inputs %d, skipped %v", len(ins), skipped)
		}
	})
}
