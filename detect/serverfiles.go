package detect

import (
	"path"
	"slices"
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

// A server's code is also what it loads from where it runs: an application
// server starts in its application's folder (Passenger, gunicorn --chdir,
// `node app.js` run from the app) and imports its modules from the tree
// below. A module of the server's own language written there by the
// server or a process acting for it is code the server will run — a route
// file, a plugin, a widget — whatever the folder is called, even where no
// web-root list or watch names it (cragboard-prefmerge: a widget written
// as widgets/grade-sync.js below the Node.js app's folder, mounted on a
// route at its next start; .js is not a script anywhere else, as a site's
// own pages serve .js to browsers). Static folders are not code: a file
// below one named for served assets is the browser's.

// serverModuleExts are the module extensions of each runtime, by the
// server's program name.
func serverModuleExts(prog string) []string {
	switch {
	case prog == "node" || prog == "nodejs" || prog == "bun" || prog == "deno":
		return []string{".js", ".mjs", ".cjs"}
	case strings.HasPrefix(prog, "python"), prog == "uwsgi", prog == "uwsgi-core", prog == "gunicorn":
		return []string{".py", ".pth"}
	case strings.HasPrefix(prog, "ruby"), prog == "puma", prog == "unicorn", prog == "thin":
		return []string{".rb"}
	case prog == "perl" || prog == "starman" || prog == "hypnotoad":
		return []string{".pm", ".pl"}
	case prog == "java":
		return []string{".class", ".jar"}
	}
	return nil
}

// staticDirs are folder names that hold what a site serves as files, not
// its code.
var staticDirs = map[string]bool{"public": true, "static": true, "assets": true, "uploads": true, "media": true,
	"dist": true, "build": true, "www": true, "htdocs": true, "html": true, "images": true, "img": true, "css": true}

// NotCodeDir reports whether a folder's name says it holds what an
// application keeps aside, not code it loads: temporary and cached files,
// logs (a copy of the server's config set aside in tmp/cache is no module
// of it: hivelog-rpcsend).
func NotCodeDir(name string) bool {
	switch name {
	case "tmp", "temp", "cache", ".cache", "log", "logs", "run", "backup", "backups":
		return true
	}
	return false
}

// serverCode reports whether a file event's path is a module of the
// language of the server the writing process is or acts for, below that
// server's working directory and outside its static folders.
func serverCode(ev *parser.Event, in *procInfo) bool {
	if ev == nil || ev.Path == "" || ev.Proc == nil || in == nil {
		return false
	}
	srv := ev.Proc
	if !in.webSelf {
		if in.web == nil {
			return false
		}
		srv = in.web
	}
	root := path.Clean(srv.Cwd)
	p := path.Clean(ev.Path)
	if !path.IsAbs(root) || !path.IsAbs(p) || strings.Count(root, "/") < 2 || !strings.HasPrefix(p, root+"/") || serverRuntimeFile(p) {
		return false
	}
	for _, d := range notServed {
		if root == d || strings.HasPrefix(root, d+"/") {
			return false
		}
	}
	exts := serverModuleExts(path.Base(procImage(srv)))
	if exts == nil || !slices.Contains(exts, path.Ext(p)) {
		return false
	}
	for _, seg := range strings.Split(path.Dir(p[len(root)+1:]), "/") {
		if staticDirs[seg] || NotCodeDir(seg) {
			return false
		}
	}
	return true
}
