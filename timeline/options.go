package timeline

import (
	"path"
	"strings"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// Options configure a Builder. The zero Options are usable: every zero
// field takes the default documented beside it.
type Options struct {
	// AuditRules is the evidence's audit.rules (--audit-rules FILE). When
	// set, it says what was audited; else the log's own CONFIG_CHANGE
	// add_rule records do, as far as their keys tell.
	AuditRules string
	// AccessLogSkew is the --clock-skew shift already applied to access
	// logs: the clock check measures shifted times, and its advice must be
	// the whole shift to give, not what is left.
	AccessLogSkew time.Duration
	// WebRoots are directories served by the web server; files written
	// there are web-shell candidates. Default: /var/www, /srv/www, /srv/http,
	// the nginx, apache, lampp and tomcat defaults, /app/public.
	WebRoots []string
	// WebServers are process base names of web and application servers; a
	// trailing "*" makes a prefix ("php-fpm*"). Default: detect.IsWebServer,
	// the classifier the rules use (names, titles, interpreters running a
	// server).
	WebServers []string
	// Servers are the servers the rules engine learned from the log's
	// bind, accept and connect records (detect.Engine.Servers); with no
	// WebServers, a process is a web server when it is in this set or
	// named like one. Nil: by name only.
	Servers *detect.ServerSet
	// Gap bounds the time-based links: two web-shell command roots of the
	// same server and account, or two findings in one container, are one
	// intrusion only when no more than Gap apart. Default 15 minutes.
	Gap time.Duration
	// RequestWindow is how far apart an access-log request and the exec or
	// file write it caused may be. Access logs stamp a request when it
	// completes, to the second, so the window is applied before the logged
	// second and one second after it. Default 2 seconds.
	RequestWindow time.Duration
	// SilenceGap is the longest silence between consecutive records of one
	// host and input that is not reported as a possible sign of tampering.
	// Default 30 minutes.
	SilenceGap time.Duration
	// SerialGap is how many consecutive audit serials may be absent from
	// one host's records in one input before the gap is reported. Events
	// excluded by never-rules consume serials too (the lab's capture shows
	// runs of ~400 for one excluded client), so the default is 1000.
	SerialGap uint64
	// SSHPorts are the ports an ssh client connects to. Default 22.
	SSHPorts []int
	// Disabled are ids of CorrelationRules not to run (the scan's
	// --disable-rule: ids the rules engine does not know are passed here).
	Disabled []string
	// MaxKept caps each list of events the Builder keeps (requests,
	// connects, file writes) so that a huge input keeps bounded memory.
	// Default 1<<20.
	MaxKept int
	// MaxRepeats bounds the events of one act (program, command, file,
	// address) a list keeps (repeats.go): 0 is DefaultLinkRepeats,
	// negative no bound.
	MaxRepeats int
	// MaxLinkEvents bounds the events the lists bounded by MaxRepeats keep
	// together (repeats.go): 0 is DefaultLinkEvents, negative no bound.
	MaxLinkEvents int
	// PackKept keeps the lists' events packed while the log is read and
	// unpacks them when Build starts (keptlists.go). It relies on the
	// retention contract of parser.Event: an event a finding or any other
	// consumer keeps whole is retained with KeepText during Observe (the
	// detection engine does), and only the Builder keeps the others, so
	// a new *Event in their place changes nobody's pointers. A caller
	// that makes findings on events without retaining them (tests that
	// build findings by hand) leaves it off; the lists then hold the
	// events as fed, readable at any time.
	PackKept bool
	// NoRequests says that no input can carry an access-log request (every
	// input is an audit log). Only request matching reads the accepts of
	// php-fpm workers and of every connection (reqworker.go, reqconn.go),
	// so with no request to come they are not kept: on a long audit log
	// they were the largest table that grew with its length (up to 2 M
	// accepts, 16 bytes each and their keys). Should a request come all
	// the same, the accepts are kept from then on and the coverage says
	// that those before it were not (acceptsOff).
	NoRequests bool
}

// servletDeployDirs are the deployment folders of servlet containers:
// Tomcat's and Jetty's webapps/, WildFly's standalone/deployments/,
// GlassFish's autodeploy/.
var servletDeployDirs = []string{"/webapps/", "/standalone/deployments/", "/autodeploy/"}

// defaultWebRoots are the usual served directories of Linux web servers.
var defaultWebRoots = []string{
	"/var/www", "/srv/www", "/srv/http", "/usr/share/nginx/html", "/usr/local/apache2/htdocs",
	"/opt/lampp/htdocs", "/var/lib/tomcat*/webapps", "/usr/local/tomcat/webapps", "/app/public",
}

func (o Options) withDefaults() Options {
	if len(o.WebRoots) == 0 {
		o.WebRoots = defaultWebRoots
	}
	if o.Gap <= 0 {
		o.Gap = 15 * time.Minute
	}
	if o.RequestWindow <= 0 {
		o.RequestWindow = 2 * time.Second
	}
	if o.SilenceGap <= 0 {
		o.SilenceGap = 30 * time.Minute
	}
	if o.SerialGap == 0 {
		o.SerialGap = 1000
	}
	if len(o.SSHPorts) == 0 {
		o.SSHPorts = []int{22}
	}
	if o.MaxKept <= 0 {
		o.MaxKept = 1 << 20
	}
	return o
}

// nameMatch matches a base name against a pattern list with trailing "*"
// (prefix) and one inner "*" ("php*-fpm": prefix and suffix).
func nameMatch(name string, pats []string) bool {
	if name == "" {
		return false
	}
	for _, p := range pats {
		pre, suf, star := strings.Cut(p, "*")
		if !star {
			if name == p {
				return true
			}
			continue
		}
		if len(name) >= len(pre)+len(suf) && strings.HasPrefix(name, pre) && strings.HasSuffix(name, suf) {
			return true
		}
	}
	return false
}

// isWebServer reports whether p is a web-server process by its image name
// or its comm.
func (o *Options) isWebServer(p *parser.Process) bool {
	if p == nil {
		return false
	}
	if len(o.WebServers) == 0 {
		return o.Servers.IsServer(p) // the rules' own classifier, learned servers included
	}
	// comm too: an interpreter-hosted server (python running gunicorn)
	// often names itself there
	return nameMatch(p.Name(), o.WebServers) || nameMatch(p.Comm, o.WebServers)
}

// serverShape is what isWebServer reads of p, to ask it later without p
// (isWebServerShape); p must not be nil.
func (o *Options) serverShape(p *parser.Process) detect.ServerShape {
	if len(o.WebServers) == 0 {
		return detect.ShapeOf(p)
	}
	return detect.ServerShape{Key: p.Key, Named: nameMatch(p.Name(), o.WebServers) || nameMatch(p.Comm, o.WebServers)}
}

// isWebServerShape is isWebServer of the process sh was taken of.
func (o *Options) isWebServerShape(sh detect.ServerShape) bool {
	if len(o.WebServers) == 0 {
		return o.Servers.IsServerShape(sh)
	}
	return sh.Named
}

// inWebRoot reports whether file p lies under a web root. Patterns may hold
// a "*" inside one path element (/var/lib/tomcat*/webapps).
func (o *Options) inWebRoot(p string) bool {
	if !strings.HasPrefix(p, "/") {
		return false
	}
	p = path.Clean(p)
	// a servlet container's deployment folders are served wherever it is
	// installed (as in the rules' web_root, detect/rules/webroot_*.yml)
	for _, d := range servletDeployDirs {
		if strings.Contains(p, d) {
			return true
		}
	}
	for _, r := range o.WebRoots {
		if !strings.Contains(r, "*") {
			if within(p, r) {
				return true
			}
			continue
		}
		// match element by element up to the pattern's length
		re := strings.Split(strings.Trim(r, "/"), "/")
		pe := strings.Split(strings.Trim(p, "/"), "/")
		if len(pe) < len(re) {
			continue
		}
		ok := true
		for i := range re {
			if m, _ := path.Match(re[i], pe[i]); !m {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// serviceNames are daemons whose children start a unit of work of their
// own (a session, a cron job, a container process): a chain's process
// ancestry stops below them so that two jobs of one daemon are not one
// intrusion because they share it.
var serviceNames = []string{
	"systemd", "init", "sshd", "dropbear", "cron", "crond", "atd", "anacron", "containerd-shim*", "conmon",
	"runc", "crun", "containerd", "dockerd", "supervisord", "s6-supervise", "runsv", "tini", "dumb-init",
	"kthreadd", "systemd-*", "agetty", "login", "xinetd", "inetd",
}

// isService reports whether p is a daemon whose children are separate
// units of work (see serviceNames) or a web server.
func (o *Options) isService(p *parser.Process) bool {
	if p == nil {
		return false
	}
	if p.Key.PID == 1 || p.Key.PID == 2 {
		return true
	}
	return nameMatch(p.Name(), serviceNames) || o.isWebServer(p)
}

func isCron(p *parser.Process) bool {
	return p != nil && nameMatch(p.Name(), []string{"cron", "crond", "anacron", "atd"})
}

func isSSHD(p *parser.Process) bool {
	return p != nil && nameMatch(p.Name(), []string{"sshd", "dropbear"})
}

// scriptExt are extensions a web server may execute.
var scriptExt = map[string]bool{
	".php": true, ".php3": true, ".php4": true, ".php5": true, ".php7": true, ".phtml": true, ".phar": true,
	".pht": true, ".jsp": true, ".jspx": true, ".asp": true, ".aspx": true, ".ashx": true, ".cgi": true,
	".pl": true, ".py": true, ".rb": true, ".sh": true, ".cfm": true, ".shtml": true, ".war": true,
	".rpy": true, // Twisted Web's resource scripts: Python the server runs in its own process
}

// isScript reports whether a file runs code when the site serves it: a
// script by its extension, a server-side template (the languages' own
// template files, detect/rules/webroot_script_write.yml lists the same),
// or any page of a templates folder (Jinja2 and Django name theirs .html).
func isScript(p string) bool {
	ext := strings.ToLower(path.Ext(p))
	if scriptExt[ext] || templateExt[ext] {
		return true
	}
	return strings.Contains(p, "/templates/") && (ext == ".html" || ext == ".htm" || ext == ".xml" || ext == ".txt")
}

// templateExt are server-side templates that run the language they are
// written for.
var templateExt = map[string]bool{
	".erb": true, ".rhtml": true, ".haml": true, ".slim": true, ".ejs": true, ".pug": true, ".jade": true,
	".twig": true, ".jinja": true, ".jinja2": true, ".j2": true, ".vm": true, ".ftl": true, ".ep": true, ".tt": true,
	".cshtml": true, ".mako": true, ".tmpl": true, ".gohtml": true,
}

// staticExt are request paths that never run code on the server.
var staticExt = map[string]bool{
	".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".ico": true, ".css": true, ".js": true,
	".svg": true, ".woff": true, ".woff2": true, ".ttf": true, ".map": true, ".webp": true, ".mp4": true,
	".txt": true, ".html": true, ".htm": true, ".pdf": true, ".xml": true, ".json": true,
}
