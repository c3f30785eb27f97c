package detect

import (
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// TestContainerExecRule: a shell run into a container through docker exec
// or kubectl exec is a stage-6 finding; the runtime's own lifecycle
// events are not.
func TestContainerExecRule(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	ins, skipped := parser.Resolve([]string{"../parser/testdata/dockerevents/webshell_exec.jsonl", "../parser/testdata/k8saudit/webshell.json"}, nil)
	if len(skipped) > 0 {
		t.Fatalf("skipped %v", skipped)
	}
	r := parser.NewReader(ins, parser.Options{})
	var got []*Finding
	r.All(func(ev *parser.Event) {
		for _, f := range e.Observe(ev, r.Tree()) {
			if f.RuleID == "container-exec" {
				got = append(got, f)
			}
		}
	})
	if len(got) < 2 {
		t.Fatalf("got %d container-exec findings, want the docker exec_start and the kubectl exec", len(got))
	}
	for _, f := range got {
		if f.Stage != StageLateralMovement || f.Severity != SeverityHigh {
			t.Errorf("%s: stage %v severity %v", f.Event.Op, f.Stage, f.Severity)
		}
		if a := f.Event.Args; len(a) == 0 || a[0] != "sh" {
			t.Errorf("%s: args %q", f.Event.Op, a)
		}
	}
}
