package detect

import (
	"path"
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
}
