package timeline

import (
	"testing"

	"github.com/auditchain/auditchain/detect"
)

// TestEvidenceLinksAsLinkedAgain: the evidence-only components a linker
// keeps while it links (evidenceLinks) are those of its findings linked
// again by an evidence-only linker, which corroboration ran before. A
// time-only rule added to link without timeOnly would break this.
func TestEvidenceLinksAsLinkedAgain(t *testing.T) {
	scenes := map[string]*sim{}
	for _, withHTTP := range []bool{false, true} {
		name := "web shell"
		if withHTTP {
			name += ", with its requests"
		}
		sc := newWebShellScene(t, withHTTP)
		// a second intrusion in another folder: the root-gap rule joins
		// the shells of one folder by time alone
		sh := shellOf(260, worker1, "/var/www/html/uploads")
		sc.s.find(sc.s.exec(57, sh, "sh", "-c", "uname -a"), detect.StageCommandExecution, detect.SeverityHigh, "Web Server Exploitation")
		scenes[name] = sc.s
	}
	s, _, _, _ := droppedScene(t, 50)
	scenes["dropped files"] = s
	for name, s := range scenes {
		s.b.unpackLists()
		l := newLinker(s.b, s.tree, s.findings, causality{})
		l.link()
		if l.ev == nil {
			t.Fatalf("%s: no evidence-only components kept", name)
		}
		again := newLinker(s.b, s.tree, s.findings, causality{})
		again.evidenceOnly = true
		again.link()
		fwd, back := map[int]int{}, map[int]int{}
		timeJoined := false
		for i := range s.findings {
			x, y := l.ev.find(l.ids[findingKey(i)]), again.find(again.id(findingKey(i)))
			if v, ok := fwd[x]; ok && v != y {
				t.Errorf("%s: finding %d: kept components join what linking again keeps apart", name, i)
			}
			if v, ok := back[y]; ok && v != x {
				t.Errorf("%s: finding %d: linking again joins what the kept components keep apart", name, i)
			}
			fwd[x], back[y] = y, x
			for j := range i {
				if l.find(l.ids[findingKey(i)]) == l.find(l.ids[findingKey(j)]) && l.ev.find(l.ids[findingKey(i)]) != l.ev.find(l.ids[findingKey(j)]) {
					timeJoined = true
				}
			}
		}
		t.Logf("%s: %d findings, %d evidence-only components, some joined by time alone: %v", name, len(s.findings), len(fwd), timeJoined)
	}
}
