package detect

import (
	"path"
	"slices"
	"strings"

	"github.com/auditchain/auditchain/parser"
)

// A file the web side wrote, run as code by another account, is the web
// account's code running with that account's rights — whatever its name.
// The landing rules judge a write by its name (a .php, a .rb in a served
// tree), because a write alone says nothing else; a run says the rest.
// hivelog-rpcsend: the web shell unpacked a tarball of extensionless
// files into the app's cache folder, and the unicorn master, root,
// re-read the config it had changed and ran `/bin/sh …/.ht/g`; no rule had
// flagged g's write, so root's run was judged a server's child and what g
// started under init (the agent, its tasks) as root's own.

// RuleWrittenForWeb names, in place of a rule, a file written in web
// context (state.noteWrite: by a web server's descendant, as a web
// account, or in a channel) that no rule flagged, found again when it runs.
const RuleWrittenForWeb = "written-for-web"

// plantedRan returns the plant an exec runs: a file whose write a rule
// flagged (flaggedWrites.ran) or, failing that, a file written in web
// context run as code by another account than its writer — the program
// itself or the script or archive its runner loads (loadedCode).
func (s *state) plantedRan(ev *parser.Event) (flaggedWrite, bool) {
	_, fw, ok := s.plantedFile(ev)
	return fw, ok
}

// plantedFile is plantedRan with the planted file's name ("" for a hook's
// or a configured command's firing, which runs no planted file by name).
func (s *state) plantedFile(ev *parser.Event) (string, flaggedWrite, bool) {
	if file, fw, ok := s.flagged.ranFile(ev); ok {
		return file, fw, true
	}
	if len(s.written) == 0 || ev.Kind != parser.KindExec || ev.Failed() || !ev.UID.Set {
		return "", flaggedWrite{}, false
	}
	for _, name := range append([]string{ev.Exe}, loadedCode(ev.Args)...) {
		if name == "" {
			continue
		}
		if name = absIn(name, ev.Cwd); name == "" {
			continue
		}
		w, ok := s.written[writeKey{ev.Host, name}]
		if !ok || !w.uid.Set || w.uid.N == ev.UID.N || w.at.After(ev.Time) {
			continue
		}
		return name, flaggedWrite{rule: RuleWrittenForWeb, uid: w.uid, web: w.web, at: w.at, whole: w.created}, true
	}
	return "", flaggedWrite{}, false
}

// droppedReason says, for a run of a file no record shows written (a
// dropped-by-command file), which file runs, which act named it, and that
// the tie is inferred: read from that act's argv, and, when the exec's
// own argv does not name the file (python -m pkg.mod), resolved against
// its working folder.
func droppedReason(s *state, ev *parser.Event) string {
	file, fw, ok := s.plantedFile(ev)
	if !ok || file == "" || fw.named == "" {
		return ""
	}
	how := ""
	if ev.Exe != file && !slices.ContainsFunc(ev.Args, func(a string) bool { return strings.Contains(a, path.Base(file)) }) {
		how = ", found from its working folder " + ev.Cwd
	}
	return "; inferred: it runs " + file + how + ", " + fw.named + " at " + fw.at.UTC().Format("15:04:05") + " (no record shows the write)"
}

// escalationRules are the plants planted-file-run's escalation selection
// reads: the web side's files, not persistence places.
var escalationRules = map[string]bool{"webroot-script-modified": true, "webroot-script-write": true, "webroot-file-upload": true, RuleDroppedByCommand: true, RuleWrittenForWeb: true}

// maxEscalations bounds the (file, account) pairs remembered as escalated.
const maxEscalations = 1024

type escalation struct {
	file writeKey
	uid  uint32
}

// escalates reports whether an exec is the first run, by an account other
// than its writer's, of a file the web side wrote (the escalation
// selection's plant): the privilege gained. Later runs of it by that
// account (root's cron each minute, the admin's next reload) are the
// access kept, persistence. kiln-photourl: supervisord (root) running the
// program file the web account wrote is the escalation, its run at the
// admin's reload the persistence firing.
func (s *state) escalates(ev *parser.Event) bool {
	if !ev.UID.Set || ev.Kind != parser.KindExec {
		return false
	}
	file, fw, ok := s.plantedFile(ev)
	if !ok || file == "" || !escalationRules[fw.rule] || !fw.byOther(ev) {
		return false
	}
	k := escalation{writeKey{ev.Host, file}, ev.UID.N}
	if _, seen := s.escalated[k]; seen {
		return false
	}
	if s.escalated == nil || len(s.escalated) >= maxEscalations {
		s.escalated = map[escalation]struct{}{}
	}
	k.file.path = strings.Clone(k.file.path)
	s.escalated[k] = struct{}{}
	return true
}
