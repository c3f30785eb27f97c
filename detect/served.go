package detect

import (
	"path"
	"slices"
	"strings"

	"github.com/auditchain/auditchain/parser"
)

// Web roots are not only /var/www: a reports portal serves /srv/reports/www,
// an app /opt/shop/public. The log shows which directories a server serves
// without any list: a CGI or PHP server runs each request's program in the
// script's own directory (php-cgi and php-fpm chdir there; mod_cgi starts
// the CGI program in it), so the working directory of a process a
// recognised web server starts is a served directory. servedDirs learns
// them per host, and a file below one is in a served tree (the rules'
// ServedPath field) as surely as one below /var/www.
//
// Directories that hold no site are never learned (/, system folders, temp
// folders: a server whose children run in / would make every file served);
// the set is bounded (maxServedDirs) and stops learning when full, so a
// hostile log can make it neither large nor slow: a lookup walks at most
// maxServedDepth ancestors of the path.
const (
	maxServedDirs  = 4096
	maxServedDepth = 24
)

type hostDir struct{ host, dir string }

type servedDirs map[hostDir]struct{}

// notServed are directories (and the trees below them) that hold system
// files, not sites.
var notServed = []string{"/proc", "/sys", "/dev", "/run", "/tmp", "/var/tmp", "/etc", "/usr/bin", "/usr/sbin", "/bin", "/sbin", "/usr/lib", "/lib", "/boot", "/root"}

// learn notes the working directory of a process a web server started.
func (s servedDirs) learn(host, cwd string) {
	if len(s) >= maxServedDirs || !path.IsAbs(cwd) {
		return
	}
	cwd = path.Clean(cwd)
	if strings.Count(cwd, "/") < 2 { // "/", "/srv": too broad to be one site
		return
	}
	for _, d := range notServed {
		if cwd == d || strings.HasPrefix(cwd, d+"/") {
			return
		}
	}
	s[hostDir{host, cwd}] = struct{}{}
}

// contains reports whether p is in or below a served directory of host.
func (s servedDirs) contains(host, p string) bool {
	if len(s) == 0 || !path.IsAbs(p) {
		return false
	}
	d := path.Dir(path.Clean(p))
	for i := 0; i < maxServedDepth && d != "/" && d != "."; i++ {
		if _, ok := s[hostDir{host, d}]; ok {
			return true
		}
		d = path.Dir(d)
	}
	return false
}

// noteServed learns from an exec whose parent is a web server.
func (s *state) noteServed(ev *parser.Event) {
	p := ev.Proc
	if p == nil || p.Parent == nil || ev.Cwd == "" || !s.isWebServer(p.Parent) || s.isWebServer(p) && p.Parent.Exe == p.Exe {
		// (a server's own worker forked from its master runs where the
		// master does: that says nothing of the site)
		return
	}
	s.served.learn(ev.Host, ev.Cwd)
	// the server's own command line names its code: an application
	// server started from anywhere (its cwd says nothing) still runs the
	// tree it was given (uvicorn --app-dir, starman's app.psgi)
	if srv := p.Parent; len(s.servedFrom) < maxServedDirs && !s.servedFrom[srv.Key] {
		args := srv.Title
		if len(args) == 0 {
			args = srv.Args
		}
		if len(args) == 0 {
			return // not known yet: read at a later child
		}
		if s.servedFrom == nil {
			s.servedFrom = map[parser.ProcKey]bool{}
		}
		s.servedFrom[srv.Key] = true
		for _, d := range codeDirs(args) {
			s.served.learn(ev.Host, d)
		}
	}
}

// codeOptions name an application server's code folder.
// (not uWSGI's --home: a virtualenv, whose start-up hooks are
// persistence, startuphook.go)
var codeOptions = []string{"--app-dir", "--chdir", "--root", "--docroot", "--document-root", "--pythonpath", "--base-dir", "--basedir", "--directory"}

// codeExts are the application files a server is started on.
var codeExts = []string{".py", ".psgi", ".pl", ".rb", ".ru", ".js", ".mjs", ".php", ".lua", ".jar", ".war"}

// codeDirs returns the folders a server's command line names as its code:
// the value of an option of codeOptions, and the folder of an
// application file it was started on (python3 /srv/app/main.py, starman
// /srv/app/app.psgi). Only absolute paths: a relative one is relative to
// a cwd the log may not show.
func codeDirs(args []string) []string {
	var out []string
	for i := 1; i < len(args) && len(out) < 4; i++ {
		a := args[i]
		if name, v, ok := strings.Cut(a, "="); ok && slices.Contains(codeOptions, name) {
			a = v
		} else if slices.Contains(codeOptions, a) && i+1 < len(args) {
			i++
			a = args[i]
		} else if strings.HasPrefix(a, "-") || !slices.ContainsFunc(codeExts, func(e string) bool { return strings.HasSuffix(a, e) }) {
			continue
		} else {
			a = path.Dir(a)
		}
		if path.IsAbs(a) {
			out = append(out, path.Clean(a))
		}
	}
	return out
}

// webRootKey reports whether an audit rule's key names a web-root watch,
// as best-practice rule sets name their keys after what they watch
// (webroot_write, www, htdocs, webshell). A key is the rule author's word,
// not the kernel's: it says what the author watched, as the coverage notes
// read it too (timeline/rules.go).
func webRootKey(key string) bool {
	if key == "" {
		return false
	}
	k := strings.ToLower(key)
	return strings.Contains(k, "webroot") || strings.Contains(k, "web_root") || strings.Contains(k, "www") ||
		strings.Contains(k, "htdocs") || strings.Contains(k, "webshell") || k == "web"
}
