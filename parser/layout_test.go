package parser

import (
	"os/exec"
	"strings"
	"testing"
)

// The packages beneath parser depend one way: parser (the façade) on the
// format families, the families on the shared packages, the shared packages
// on the leaf only, the leaf on none of ours. A format family that imports
// another family, or anything that imports parser from below, fails here.
func TestLayoutOneWay(t *testing.T) {
	const mod = "github.com/auditchain/auditchain/"
	const in = mod + "parser/internal/"
	// what each layer beneath parser may import of ours
	shared := map[string][]string{
		in + "event":   nil,
		in + "jsonrec": {in + "event"},
		in + "syslog":  nil,
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	out, err := exec.Command(goBin, "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	families := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		pkg, imports := f[0], f[1:]
		if !strings.HasPrefix(pkg, in) {
			continue // parser itself may import any of them
		}
		allowed, isShared := shared[pkg]
		if !isShared {
			families++
			for s := range shared {
				allowed = append(allowed, s)
			}
		}
		for _, imp := range imports {
			if !strings.HasPrefix(imp, mod) {
				continue
			}
			ok := false
			for _, a := range allowed {
				ok = ok || imp == a
			}
			if !ok {
				t.Errorf("%s imports %s: beneath parser, a family imports only the shared packages (event, jsonrec, syslog), and those only the leaf", strings.TrimPrefix(pkg, mod), strings.TrimPrefix(imp, mod))
			}
		}
	}
	if families == 0 {
		t.Error("no format family packages found under parser/internal")
	}
}
