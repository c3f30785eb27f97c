package parser

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// The packages beneath parser depend one way: parser (the façade) on the
// rooms, the format families on the shared packages, the shared packages
// on the leaf only, the leaf on none of ours. The process tree is no
// format: it knows the leaf alone. A format family that imports another
// family, a room that imports parser or the tree, or a package beneath
// parser that this table does not place fails here, for the code and for
// its in-package tests (a test outside the package, package x_test, may
// read through parser).
func TestLayoutOneWay(t *testing.T) {
	const mod = "github.com/auditchain/auditchain/"
	const in = "parser/internal/"
	leaf := []string{in + "event"}
	shared := append([]string{in + "jsonrec", in + "syslog"}, leaf...)
	// what each package beneath parser may import of ours
	allowed := map[string][]string{
		in + "event":    nil,
		in + "jsonrec":  leaf,
		in + "syslog":   nil,
		in + "proctree": leaf,
		// the format families
		in + "auditd":    shared,
		in + "accesslog": shared,
		in + "container": shared,
		in + "envelope":  shared,
		in + "sensor":    shared,
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	out, err := exec.Command(goBin, "list", "-f", `{{.ImportPath}} {{join .Imports " "}} {{join .TestImports " "}}`, "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		pkg, imports := strings.TrimPrefix(f[0], mod), f[1:]
		if !strings.HasPrefix(pkg, in) {
			continue // parser itself may import any of them
		}
		ok, known := allowed[pkg]
		if !known {
			t.Errorf("%s is not placed in TestLayoutOneWay's table: say what it may import", pkg)
			continue
		}
		seen[pkg] = true
		for _, imp := range imports {
			imp, ours := strings.CutPrefix(imp, mod)
			if ours && imp != pkg && !slices.Contains(ok, imp) {
				t.Errorf("%s imports %s; it may import only %v of ours", pkg, imp, ok)
			}
		}
	}
	for pkg := range allowed {
		if !seen[pkg] {
			t.Errorf("%s is in the table but go list did not find it", pkg)
		}
	}
}
