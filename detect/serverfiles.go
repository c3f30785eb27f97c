package detect

import (
	"path"
	"strings"

	"github.com/auditchain/auditchain/parser"
)

// A server's own files are what it runs and how it is told to run: the
// program folder its executable sits in (unless a system folder shared by
// everything: /usr/bin), and the files its command line names (`ledgerd
// -config /srv/ledger/conf/ledger.json`, `node /srv/orders/orderd.js`,
// `perl /srv/press/press.pl`; for a server started before the log, the
// title its syscall records show). The server writing one of them — through a
// path traversal in an upload, or a shell acting for it (`sed -i` of its
// start script) — changes what it runs at its next request or its next
// start: a plant in the application itself that no web-root or
// persistence-place list names, whatever the stack. What a server writes
// by design is not among them: its pid file, socket, lock and logs, and
// anything under the runtime, log and temporary folders.
//
// ServerOwnFile tells the rules: "self" when the server's own process
// wrote it, "below" when a process acting for the server did, "" when
// the file is none of the server's.

// serverOwnFile classifies a file event's path against the server the
// writing process is or acts for.
func serverOwnFile(ev *parser.Event, in *procInfo) string {
	if ev == nil || ev.Path == "" || ev.Proc == nil {
		return ""
	}
	srv, how := ev.Proc, "self"
	if !in.webSelf {
		if in.web == nil {
			return ""
		}
		srv, how = in.web, "below"
	}
	p := path.Clean(ev.Path)
	if !path.IsAbs(p) || serverRuntimeFile(p) {
		return ""
	}
	if exe := srv.Exe; path.IsAbs(exe) && !systemProgramDir(path.Dir(exe)) && path.Dir(p) == path.Dir(exe) {
		return how
	}
	args := srv.Args
	if len(args) == 0 {
		args = srv.Title // started before the log: its syscalls' PROCTITLE
	}
	for _, a := range args {
		if i := strings.IndexByte(a, '='); i >= 0 && strings.HasPrefix(a, "-") {
			a = a[i+1:] // --config=/path
		}
		if path.IsAbs(a) && path.Clean(a) == p {
			return how
		}
	}
	return ""
}

// systemProgramDir reports whether a folder holds programs the whole
// system shares: a web server installed there (/usr/sbin/nginx) says
// nothing of which files in it are its own.
func systemProgramDir(d string) bool {
	switch d {
	case "/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin":
		return true
	}
	for _, s := range []string{"/usr/lib/", "/usr/libexec/", "/usr/share/", "/lib/", "/snap/", "/nix/store/"} {
		if strings.HasPrefix(d+"/", s) {
			return true
		}
	}
	return false
}

// serverRuntimeFile reports whether a path is one a server writes by
// design: runtime state, logs, temporary files.
func serverRuntimeFile(p string) bool {
	for _, d := range []string{"/run/", "/var/run/", "/var/log/", "/tmp/", "/var/tmp/", "/dev/", "/proc/", "/var/lib/php/sessions/"} {
		if strings.HasPrefix(p, d) {
			return true
		}
	}
	switch path.Ext(p) {
	case ".pid", ".log", ".sock", ".lock":
		return true
	}
	return false
}
