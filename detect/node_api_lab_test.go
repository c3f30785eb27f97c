package detect

import (
	"path"
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// TestNodeAPIFamilies: the node-api capture (testdata/lab/node-api, a
// Node.js API behind nginx run by svc-orders: a name, language and
// account in no list) — each technique family of issue 15 that it shows
// is found on its stage, cited by the audit serial of the step. Before the
// server was learned from the log, none of these was found.
func TestNodeAPIFamilies(t *testing.T) {
	const dir = "../testdata/lab/node-api"
	if auditLog(dir) == "" {
		t.Skip("no node-api capture")
	}
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	evs, tree := labEvents(t, dir)
	fs := runLab(t, e, evs, tree)
	cites := map[uint64][]*Finding{}
	for _, f := range fs {
		for _, ev := range append([]*parser.Event{f.Event}, f.Related...) {
			s := ev.FirstEvidence().Serial
			cites[s] = append(cites[s], f)
		}
	}
	tests := []struct {
		family string
		serial uint64 // the step's evidence (ground-truth.json)
		stage  Stage
		rule   string // "" any rule
	}{
		{"command-injection probe: a quote that breaks the app's command", 2792, StageInitialAccess, ""},
		{"command-injection probe in a JSON field (app command's shape + echo)", 2815, StageInitialAccess, ""},
		{"recon through the injected shell", 2822, StageCommandExecution, ""},
		{"shell-less recon: node execs id itself", 2949, StageCommandExecution, ""},
		{"shell-less read of the app's secrets file", 3008, StageSuspiciousSpawn, "web-server-exploitation"},
		{"port scan: bash /dev/tcp loop over ports", 3025, StageLateralMovement, ""},
		{"port scan: a connect of the loop", 3027, StageLateralMovement, ""},
		{"port scan: shell-less nc -z", 3076, StageLateralMovement, "web-server-exploitation"},
		{"profile edited with echo >>", 3099, StagePersistence, ""},
		{"profile edited with sed -i (rename)", 3115, StagePersistence, ""},
		{"openssl s_client channel: its connect", 3205, StageCommandAndControl, ""},
		{"command in the TLS shell (pipeline partner of openssl)", 3269, StageCommandAndControl, ""},
		{"DNS-label exfiltration", 3299, StageExfiltrationImpact, "exfil-dns-query"},
		{"nc -N < file: a raw socket fed with a file", 3345, StageExfiltrationImpact, ""},
		{"own staged files deleted in the channel (T1070.004)", 3366, StageExfiltrationImpact, "indicator-removal-channel"},
		{"app log edited in place (sed -i /var/log/…)", 3367, StageExfiltrationImpact, "indicator-removal-channel"},
	}
	for _, tt := range tests {
		var got []string
		ok := false
		for _, f := range cites[tt.serial] {
			got = append(got, f.RuleID+"@"+f.Stage.String())
			if f.Stage == tt.stage && (tt.rule == "" || f.RuleID == tt.rule) {
				ok = true
			}
		}
		if !ok {
			t.Errorf("%s: serial %d: want a finding%s on stage %s, got %v", tt.family, tt.serial, ruleSuffix(tt.rule), tt.stage, got)
		}
	}
	// anti-forensics is not destruction
	for _, s := range []uint64{3366, 3367} {
		for _, f := range cites[s] {
			if f.RuleID == "data-destruction" {
				t.Errorf("serial %d: cleanup of own files reported as data destruction", s)
			}
		}
	}
	// the server and its account were learned from the log
	var node *Server
	for _, sv := range e.Servers().Servers() {
		if path.Base(sv.Image) == "node" {
			sv := sv
			node = &sv
		}
	}
	if node == nil || node.How != ServerByUpstream || node.Port != 3100 || path.Base(node.Front) != "nginx" || node.Evidence.Line == 0 {
		t.Fatalf("node not learned as nginx's upstream on port 3100: %+v", node)
	}
	if !e.Servers().IsWebAccount(node.Key.Host, "svc-orders", node.UID) {
		t.Error("svc-orders is not a web account once node is learned")
	}
}

func ruleSuffix(r string) string {
	if r == "" {
		return ""
	}
	return " of " + r
}
