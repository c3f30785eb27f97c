package detect

import (
	"path"
	"strings"

	"github.com/auditchain/auditchain/parser"
)

// A CGI host (fcgiwrap, a server's mod_cgi) runs each request in a program
// of its own: `python3 /srv/app/cgi-bin/scan.cgi` is the application
// handling one request, as a pre-fork worker is, not something the server
// was tricked into starting. What that program connects to — its queue,
// its database, a partner's API — is the application's own traffic
// (hollybox-sync: the staff's scan page pushing jobs to Redis was twelve
// high "reverse shell" findings). A reverse shell is a shell, inline code
// or a relay, or a script the intrusion wrote or changed: a site script
// written by the web account during the log, or flagged by a finding, is
// never taken as the application.

// cgiHost reports whether a server runs CGI programs: the CGI wrapper,
// and the servers with a CGI module. An application server that runs its
// code in process (php-fpm, gunicorn, a JVM, node) is not one: a script
// it starts is the application shelling out, which an intruder does too.
func cgiHost(p *parser.Process) bool {
	switch n := path.Base(p.Exe); {
	case n == "fcgiwrap" || n == "lighttpd" || n == "thttpd" || n == "mini_httpd" || n == "uhttpd" || n == "busybox":
		return true
	case strings.HasPrefix(n, "apache2") || strings.HasPrefix(n, "httpd"):
		return true
	}
	return false
}

// cgiProgram reports whether p runs one of the site's scripts for its web
// server: an interpreter whose script operand is an absolute path in a
// served directory, started by a CGI host, and not written in web
// context or flagged during the log.
func (s *state) cgiProgram(host string, p *parser.Process) bool {
	x, ok := lastExec(p)
	if !ok || p.Parent == nil || !cgiHost(p.Parent) || !s.isWebServer(p.Parent) || len(x.Args) < 2 || !isScriptRunner(x.Exe) {
		return false
	}
	script := scriptOperand(x.Args[1:])
	if !path.IsAbs(script) {
		return false
	}
	script = path.Clean(script)
	if !s.served.contains(host, script) || s.writtenBy(host, script) != "" {
		return false
	}
	if _, flagged := s.flagged.m[writeKey{host, script}]; flagged {
		return false
	}
	return true
}
