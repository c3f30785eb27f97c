package detect

import (
	"path"
	"strings"
)

// removers are the tools that delete files; RemovesOwnFiles looks at their
// arguments.
var removers = map[string]bool{"rm": true, "unlink": true, "shred": true, "srm": true, "wipe": true}

// removesOwnFiles reports whether an exec deletes only files the attacker's
// side wrote earlier: rm, unlink, shred, srm or wipe whose every path
// argument is a file written in web context (state.noteWrite) or a folder
// holding one. Deleting one's own dropped tools and staging files is
// anti-forensics (T1070.004), not destruction of the victim's data
// (issue 14). Relative paths are taken from cwd.
func (s *state) removesOwnFiles(host, cwd, image string, args []string) bool {
	if !removers[path.Base(image)] || len(args) < 2 || len(s.written) == 0 {
		return false
	}
	n := 0
	for _, a := range args[1:] {
		if a == "" || strings.HasPrefix(a, "-") {
			continue
		}
		if !path.IsAbs(a) {
			if cwd == "" {
				return false
			}
			a = path.Join(cwd, a)
		}
		if !s.wroteUnder(host, path.Clean(a)) {
			return false
		}
		n++
	}
	return n > 0
}

// wroteUnder reports whether p, or a file under the folder p, was written
// in web context. The table is bounded (maxWritten), and this runs only
// for a remover's arguments.
func (s *state) wroteUnder(host, p string) bool {
	if _, ok := s.written[writeKey{host, p}]; ok {
		return true
	}
	if p == "/" {
		return false // "everything" is never only one's own
	}
	dir := p + "/"
	for k := range s.written {
		if k.host == host && strings.HasPrefix(k.path, dir) {
			return true
		}
	}
	return false
}
