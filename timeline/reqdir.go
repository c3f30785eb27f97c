package timeline

import (
	"fmt"
	"path"
	"strings"
)

// Rule 3b, the script's directory. PHP runs a script from the script's
// own directory: every SAPI but the command line changes the working
// directory to it before the first line runs (php_execute_script), so a
// command a page starts inherits that directory as its cwd, which the
// audit log records with the exec. When a request in flight names a PHP
// script in a folder below the web root (/admin/diag.php) and the child's
// cwd ends with that folder (/srv/deskline/www/admin), the requests in
// flight whose named script lies in another folder could have run it only
// by changing into exactly that folder first: they are no candidates.
//
// Only the coincidence is ruled out, never a rewrite or a script that
// moved: a request that names no script (/blog/2024/hello, routed by
// a front controller anywhere) stays a candidate, and nothing is ruled out
// when no request's folder fits (a console page that chdir()s into its
// database folder, kb-sqlconsole; an alias that maps /pma/ elsewhere). A
// script at the top of the web root fits every cwd by its folder "/", so
// it never rules another out. Measured on the lab's 28 captures: of every
// PHP child whose request the ground truth knows, the cwd ended with the
// folder of its request's script in all but one page's, which changes
// into its database folder (kb-sqlconsole's SQL console).

// scriptDir is the folder of the PHP script a request's URL path names
// ("/admin" for /admin/diag.php and /admin/diag.php/x, the folder itself
// for /admin/, whose index script runs there), and whether it names one.
func scriptDir(u string) (string, bool) {
	if u == "" || u[0] != '/' {
		return "", false
	}
	if strings.HasSuffix(u, "/") {
		return path.Clean(u), true
	}
	u = path.Clean(u)
	for i := 0; i < len(u); {
		j := strings.IndexByte(u[i+1:], '/')
		end := len(u)
		if j >= 0 {
			end = i + 1 + j
		}
		if phpScript(u[i+1 : end]) {
			return path.Dir(u[:end]), true
		}
		i = end
	}
	return "", false
}

// phpScript reports whether a URL path segment is a PHP script's name.
func phpScript(seg string) bool {
	e := strings.ToLower(path.Ext(seg))
	return e == ".php" || e == ".phtml" || len(e) == 5 && strings.HasPrefix(e, ".php") && e[4] >= '3' && e[4] <= '8'
}

// inFolder reports whether cwd is dir, or a folder named dir below some
// root: /srv/www/admin is in /admin, /srv/wwwadmin is not.
func inFolder(cwd, dir string) bool {
	return dir != "/" && strings.HasSuffix(path.Clean(cwd), dir)
}

// phpWorker reports whether a worker runs PHP in its own process, which
// is what changes the directory (php-fpm's pool, php-cgi, Apache's
// mod_php).
func phpWorker(name string) bool {
	return namedAs(name, []string{"php-fpm", "php-cgi", "php", "apache2", "httpd"})
}

// scriptDirNarrow applies rule 3b to m's requests in flight.
func (b *Builder) scriptDirNarrow(m *rootMatch, infos []reqInfo) {
	if len(m.inFlight) < 2 || m.root.Parent == nil || !phpWorker(m.root.Parent.Name()) {
		return
	}
	cwd := rootCwd(m.root)
	if cwd == "" || cwd[0] != '/' {
		return
	}
	fits := ""
	for _, i := range m.inFlight {
		if d, ok := scriptDir(infos[i].ev.HTTP.Path); ok && inFolder(cwd, d) {
			fits = d
			break
		}
	}
	if fits == "" {
		return
	}
	dropped := m.drop(func(i int) bool {
		d, ok := scriptDir(infos[i].ev.HTTP.Path)
		return ok && !inFolder(cwd, d)
	})
	if dropped > 0 {
		m.workerNote += fmt.Sprintf("; %s in another folder than %s, which the process's working directory %s is (PHP runs a script from its own folder)",
			othersInFlight(dropped, "names a script", "name scripts"), fits, cwd)
	}
}

// drop removes from m's requests in flight those out rules out, and
// returns how many it removed.
func (m *rootMatch) drop(out func(i int) bool) int {
	kept, n := m.inFlight[:0], 0
	for _, i := range m.inFlight {
		if out(i) {
			n++
			continue
		}
		kept = append(kept, i)
	}
	m.inFlight = kept
	return n
}

// othersInFlight words n other requests in flight with a verb phrase for
// one and for many: "1 other request in flight was".
func othersInFlight(n int, one, many string) string {
	if n == 1 {
		return "1 other request in flight " + one
	}
	return fmt.Sprintf("%d other requests in flight %s", n, many)
}
