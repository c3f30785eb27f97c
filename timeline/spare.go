package timeline

import (
	"fmt"
	"sort"

	"github.com/auditchain/auditchain/detect"
)

// A chain's first web shell is how it got in (stage 2). A script its own
// commands write into a web root after that — a copy of the shell into
// another application, a second backdoor page — is a spare kept for
// later: persistence (T1505.003 is a persistence technique), placed on
// stage 5 (tomcat-manager: the JSP the WAR brought, copied by cp into the
// stock application, survives the WAR's undeploy). The server's own
// writes (an upload, a deployment) stay where they are, as does the first
// script a chain's command writes when the chain had no web shell before
// (command injection dropping its first backdoor, cgi-backdoor).

// spareShells returns the chain's findings with its later command-written
// web-root scripts replaced by copies placed on stage 5, recorded in repl.
func (l *linker) spareShells(fs []*detect.Finding, repl map[*detect.Finding]*detect.Finding) []*detect.Finding {
	var uploads []int
	for i, f := range fs {
		if f.Stage == detect.StageWebshellUpload && f.Event != nil && procOf(f) != nil {
			uploads = append(uploads, i)
		}
	}
	if len(uploads) < 2 {
		return fs
	}
	sort.SliceStable(uploads, func(a, b int) bool { return fs[uploads[a]].Time.Before(fs[uploads[b]].Time) })
	first := fs[uploads[0]]
	var out []*detect.Finding
	for _, i := range uploads[1:] {
		f := fs[i]
		p := procOf(f)
		if !f.Time.After(first.Time) || l.o.isWebServer(p) || p == procOf(first) {
			continue
		}
		if out == nil {
			out = append([]*detect.Finding(nil), fs...)
		}
		d := *f
		d.Stage = detect.StagePersistence
		d.Reason = fmt.Sprintf("%s; placed as persistence: the chain already had its web shell (%s at %s), and a script its own command writes into a web root after that is a spare backdoor (T1505.003)",
			f.Reason, first.Event.Path, when(first.Time))
		repl[f] = &d
		out[i] = &d
	}
	if out == nil {
		return fs
	}
	return out
}
