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
// argument is a file written in web context (state.noteWrite), a file
// run from a temporary folder in web context (ranFiles: a write the audit
// rules did not watch still shows when the file runs), or a folder
// holding one. Deleting one's own dropped tools and staging files is
// anti-forensics (T1070.004), not destruction of the victim's data
// (issue 14). Relative paths are taken from cwd.
func (s *state) removesOwnFiles(host, cwd, image string, args []string) bool {
	if !removers[path.Base(image)] || len(args) < 2 || len(s.written) == 0 && len(s.ran.m) == 0 {
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
		if p := path.Clean(a); !s.wroteUnder(host, p) && !s.ran.under(host, p) {
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

// ranFiles are files in temporary folders that ran in web context: a
// program or a script given to a shell or an interpreter. The chain
// brought them, whether or not the audit rules watched their writing. A
// web root's scripts are left out: a CGI server runs the site's own
// scripts on every request, and removing those is not removing one's own. At most maxWritten are kept, the oldest
// forgotten first.
type ranFiles struct {
	m     map[writeKey]struct{}
	order []writeKey
}

// note remembers the staged file an exec in web context runs: its image,
// or the script its shell or interpreter is given.
func (r *ranFiles) note(host, exe string, args []string) {
	f := exe
	if (isShell(exe) || isInterpreter(exe)) && len(args) >= 2 && path.IsAbs(args[1]) {
		f = args[1]
	}
	if !staged(f) {
		return
	}
	k := writeKey{host, path.Clean(f)}
	if _, ok := r.m[k]; ok {
		return
	}
	if r.m == nil {
		r.m = map[writeKey]struct{}{}
	}
	if len(r.order) >= maxWritten {
		delete(r.m, r.order[0])
		r.order = r.order[1:]
	}
	k.path = strings.Clone(k.path)
	k.host = strings.Clone(k.host)
	r.m[k] = struct{}{}
	r.order = append(r.order, k)
}

// under reports whether p, or a file under the folder p, ran.
func (r *ranFiles) under(host, p string) bool {
	if _, ok := r.m[writeKey{host, p}]; ok {
		return true
	}
	if p == "/" || len(r.m) == 0 {
		return false
	}
	dir := p + "/"
	for k := range r.m {
		if k.host == host && strings.HasPrefix(k.path, dir) {
			return true
		}
	}
	return false
}

// ranDirs are the temporary folders a file run from is the chain's own.
var ranDirs = append(append([]string(nil), tempDirs...), "/run/shm/")

// Staged reports whether a path lies in a temporary or memory-backed
// folder, where dropped tools sit (the report's IOCs ask it too).
func Staged(p string) bool { return staged(p) }

// staged reports whether a path lies in a temporary folder.
func staged(p string) bool {
	for _, d := range ranDirs {
		if strings.HasPrefix(p, d) {
			return true
		}
	}
	return false
}
