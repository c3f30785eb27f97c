package parser

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTreeResolve: links inside an image resolve as in a chroot of it;
// inside a plain folder a link that leaves it is refused.
func TestTreeResolve(t *testing.T) {
	dir := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "etc"), 0o755))
	must(os.MkdirAll(filepath.Join(dir, "data/audit"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "etc/passwd.real"), nil, 0o644))
	must(os.WriteFile(filepath.Join(dir, "data/audit/audit.log"), nil, 0o644))
	must(os.Symlink("/etc/passwd.real", filepath.Join(dir, "etc/passwd")))
	must(os.Symlink("../../../../../../etc/passwd.real", filepath.Join(dir, "etc/up")))
	must(os.Symlink("/data/audit", filepath.Join(dir, "etc/logs")))
	must(os.Symlink("passwd.real", filepath.Join(dir, "etc/rel")))
	must(os.Symlink("a", filepath.Join(dir, "etc/b")))
	must(os.Symlink("b", filepath.Join(dir, "etc/a")))
	must(os.Symlink("nowhere", filepath.Join(dir, "etc/dangling")))

	tests := []struct {
		path         string
		chroot, open string // want: resolved path, or "error: <substring>"
	}{
		{"etc/passwd", "etc/passwd.real", "error: leads out"},
		{"etc/up", "etc/passwd.real", "error: leads out"},
		{"etc/logs/audit.log", "data/audit/audit.log", "error: leads out"},
		{"etc/rel", "etc/passwd.real", "etc/passwd.real"},
		{"etc/a", "error: loop", "error: loop"},
		{"etc/dangling", "error: no such", "error: no such"},
		{"../../etc/rel", "etc/passwd.real", "error: leads out"},
		{".", ".", "."},
	}
	for _, chroot := range []bool{true, false} {
		tr, err := openTree(dir, chroot)
		must(err)
		for _, tt := range tests {
			want := tt.open
			if chroot {
				want = tt.chroot
			}
			got, err := tr.resolve(tt.path)
			if err != nil {
				got = "error: " + err.Error()
			}
			if got != want && !(strings.HasPrefix(want, "error: ") && strings.Contains(got, strings.TrimPrefix(want, "error: "))) {
				t.Errorf("chroot=%v resolve(%q) = %q, want %q", chroot, tt.path, got, want)
			}
		}
	}
}

// TestResolveNothingSilent: every entry of a folder is an input or a
// skipped path with a reason; a file reached twice is read once.
func TestResolveNothingSilent(t *testing.T) {
	dir := t.TempDir()
	log, err := os.ReadFile("testdata/auditd/raw_format.log")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"a.log", "sub/b.log", "sub/deeper/c.log"} {
		p := filepath.Join(dir, n)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, log, 0o644)
	}
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("\x01\x02\x03\x04binary"), 0o644)
	os.Symlink("a.log", filepath.Join(dir, "same.log"))  // the same file again
	os.Symlink("sub", filepath.Join(dir, "sublink"))     // a folder: not followed
	os.Symlink("/etc/hostname", filepath.Join(dir, "x")) // leaves the folder
	ins, skipped := Resolve([]string{dir, filepath.Join(dir, "a.log")}, nil)
	var got []string
	for _, in := range ins {
		got = append(got, strings.TrimPrefix(in.Path, dir+"/"))
	}
	if strings.Join(got, " ") != "a.log sub/b.log sub/deeper/c.log" {
		t.Errorf("inputs %v", got)
	}
	reasons := map[string]string{}
	for _, s := range skipped {
		reasons[strings.TrimPrefix(s.Path, dir+"/")] = s.Reason
	}
	for n, want := range map[string]string{"notes.txt": "binary", "sublink": "folder", "x": "out of the folder"} {
		if !strings.Contains(reasons[n], want) {
			t.Errorf("%s: reason %q, want %q", n, reasons[n], want)
		}
	}
	if len(skipped) != 3 {
		t.Errorf("skipped %v", skipped)
	}
}

// TestIsBinary: a NUL run in text is not binary; an executable is.
func TestIsBinary(t *testing.T) {
	exe, err := os.ReadFile("/proc/self/exe")
	if err != nil {
		t.Skip(err)
	}
	if len(exe) > sniffBytes {
		exe = exe[:sniffBytes]
	}
	var noNUL []byte
	for _, c := range exe {
		if c != 0 {
			noNUL = append(noNUL, c)
		}
	}
	for _, tt := range []struct {
		name string
		head []byte
		want bool
	}{
		{"text", []byte("GET / HTTP/1.1\t200\r\n"), false},
		{"escapes in text", []byte(strings.Repeat("user agent \x1b[31m red\n", 20)), false},
		{"executable", noNUL, true},
	} {
		if got := isBinary(tt.head); got != tt.want {
			t.Errorf("%s: isBinary = %v", tt.name, got)
		}
	}
	if !errors.Is(linkError(errLinkLoop), errLinkLoop) {
		t.Error("linkError lost the loop")
	}
}
