package detect

import (
	"path"

	"github.com/auditchain/auditchain/parser"
)

// Removing what one brought is cleanup: an intruder undeploys the web
// shell's application, deletes the dropped tool, empties the staging
// folder. Deleting files is what applications do all day (caches,
// sessions, compiled templates), so the evidence is not the deletion but
// what was deleted: a file whose writing was itself a finding of these
// rules (a script written into the web root, an upload, a persistence
// file) and that the deleting process did not write as its routine. The
// FlaggedWrite field says so for a file event; own-file-removed reports it
// (anti-forensics, T1070.004, on the chain's last stage). At most
// maxFlagged files are remembered, the oldest forgotten first (counted in
// Engine.Dropped).

// maxFlagged bounds the files remembered as written by a finding.
const maxFlagged = 4096

// flaggedWriteRules are the rules whose finding on a file write makes the
// file the chain's.
var flaggedWriteRules = map[string]bool{
	"webroot-script-write": true, "webroot-file-upload": true, "webroot-script-modified": true,
	"webroot-config-backdoor": true, "web-persistence-file-write": true, "persistence-file-write": true,
}

type flaggedWrites struct {
	m       map[writeKey]string // file → the rule that flagged its write
	order   []writeKey
	dropped int
}

// note remembers the file of a finding on a write.
func (w *flaggedWrites) note(f *Finding) {
	ev := f.Event
	if ev == nil || ev.Path == "" || ev.Failed() || ev.Kind != parser.KindFileWrite && ev.Kind != parser.KindRename {
		return
	}
	rule := ""
	for _, id := range f.RuleIDs {
		if flaggedWriteRules[id] {
			rule = id
			break
		}
	}
	if rule == "" {
		return
	}
	k := writeKey{ev.Host, path.Clean(ev.Path)}
	if _, ok := w.m[k]; ok {
		return
	}
	if w.m == nil {
		w.m = map[writeKey]string{}
	}
	if len(w.order) >= maxFlagged {
		delete(w.m, w.order[0])
		w.order = w.order[1:]
		w.dropped++
	}
	w.m[k] = rule
	w.order = append(w.order, k)
}

// of returns the rule that flagged the write of the file an unlink
// removes, or "".
func (w *flaggedWrites) of(ev *parser.Event) string {
	if len(w.m) == 0 || ev.Kind != parser.KindUnlink || ev.Path == "" {
		return ""
	}
	return w.m[writeKey{ev.Host, path.Clean(ev.Path)}]
}

// ran returns the rule that flagged the write of the file an exec runs —
// the program, or the script a shebang or an interpreter's first operand
// names (its PATH records, relative names read against the exec's cwd) —
// or "". The plant running is the evidence that it works: a persistence
// file firing, a dropped script executed.
func (w *flaggedWrites) ran(ev *parser.Event) string {
	if len(w.m) == 0 || ev.Kind != parser.KindExec || ev.Failed() {
		return ""
	}
	look := func(name string) string {
		if name == "" {
			return ""
		}
		if !path.IsAbs(name) {
			if !path.IsAbs(ev.Cwd) {
				return ""
			}
			name = path.Join(ev.Cwd, name)
		}
		return w.m[writeKey{ev.Host, path.Clean(name)}]
	}
	if r := look(ev.Exe); r != "" {
		return r
	}
	if len(ev.Args) > 1 && isScriptRunner(ev.Args[0]) {
		if r := look(scriptOperand(ev.Args[1:])); r != "" {
			return r
		}
	}
	for _, p := range ev.Paths {
		if p.Nametype == "NORMAL" || p.Nametype == "" {
			if r := look(p.Name); r != "" {
				return r
			}
		}
	}
	return ""
}
