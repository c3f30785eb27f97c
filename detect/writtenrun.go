package detect

import (
	"path"

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
	if fw, ok := s.flagged.ran(ev); ok {
		return fw, true
	}
	if len(s.written) == 0 || ev.Kind != parser.KindExec || ev.Failed() || !ev.UID.Set {
		return flaggedWrite{}, false
	}
	look := func(name string) (flaggedWrite, bool) {
		if name == "" {
			return flaggedWrite{}, false
		}
		if !path.IsAbs(name) {
			if !path.IsAbs(ev.Cwd) {
				return flaggedWrite{}, false
			}
			name = path.Join(ev.Cwd, name)
		}
		w, ok := s.written[writeKey{ev.Host, path.Clean(name)}]
		if !ok || !w.uid.Set || w.uid.N == ev.UID.N || w.at.After(ev.Time) {
			return flaggedWrite{}, false
		}
		return flaggedWrite{rule: RuleWrittenForWeb, uid: w.uid, web: w.web, at: w.at}, true
	}
	if fw, ok := look(ev.Exe); ok {
		return fw, true
	}
	for _, f := range loadedCode(ev.Args) {
		if fw, ok := look(f); ok {
			return fw, true
		}
	}
	return flaggedWrite{}, false
}
