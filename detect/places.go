package detect

import (
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/auditchain/auditchain/internal/lazydfa"
)

// A persistence place is a file or folder the system later runs code or
// grants access from by itself: a job, unit, boot or login script, key,
// account, preload list, hook, or a server's own configuration. The
// persistence rules (persistence_file_write*.yml) judge the writes of
// such files; the command lines that name them are placed on stage 5;
// the files they name are watched for the plant firing; the report lists
// them for clean-up. All four read this one table, so a place added here
// is known everywhere (TestPersistencePlacesMatchRules keeps the rules'
// YAML, which users read and may copy, equal to it).
type persistPlaceKind struct {
	mechanism string   // the rules' search that names it: "cron_path"
	prefixes  []string // a path that starts so …
	contains  []string // … or has this inside …
	suffixes  []string // … or ends so …
	// … or is a file of one of these ends (inSuffixes) right inside a
	// folder of one of these names (inFolders): a Python site folder's
	// .pth files run, the same name elsewhere (a model's weights) does not
	inFolders  []string
	inSuffixes []string
	except     []string // but not below these (a spool's non-job folders)
	// exceptSuffixes: nor a name of these ends (git's .sample hooks)
	exceptSuffixes []string
	// exceptCerts: a certificate or key renewed into the folder runs
	// nothing (a server's TLS files live beside its configuration)
	exceptCerts bool
}

// persistPlaceKinds: the order matters where prefixes overlap (at's spool
// lies under crontab's).
var persistPlaceKinds = []persistPlaceKind{
	{mechanism: "at_path", prefixes: []string{"/var/spool/at/", "/var/spool/cron/atjobs/"}},
	// atspool holds a running at job's output, not a job
	{mechanism: "cron_path", prefixes: []string{"/etc/cron", "/var/spool/cron/", "/var/spool/anacron/", "/etc/anacrontab"},
		except: []string{"/var/spool/cron/atspool/"}},
	{mechanism: "systemd_path",
		prefixes: []string{"/etc/systemd/system/", "/etc/systemd/user/", "/lib/systemd/system/", "/usr/lib/systemd/system/", "/usr/lib/systemd/user/",
			"/lib/systemd/system-generators/", "/usr/lib/systemd/system-generators/", "/etc/systemd/system-generators/"},
		contains: []string{"/.config/systemd/user/"}},
	{mechanism: "init_path", prefixes: []string{"/etc/init.d/", "/etc/rc.local"}},
	// (bash_completion.d and .bash_aliases are sourced by every
	// interactive bash, as its profile is)
	{mechanism: "profile_path", prefixes: []string{"/etc/profile", "/etc/bash.bashrc", "/etc/zsh/", "/etc/bash_completion.d/"},
		suffixes: []string{"/.bashrc", "/.bash_profile", "/.bash_login", "/.bash_logout", "/.profile", "/.zshrc", "/.zprofile", "/.zlogin", "/.bash_aliases"}},
	// the preload list, and the loader's search path (ld.so.conf and its
	// folder): a library of the same name found first is loaded instead
	{mechanism: "preload_path", prefixes: []string{"/etc/ld.so.preload", "/etc/ld.so.conf"}},
	{mechanism: "account_path", prefixes: []string{"/etc/sudoers", "/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow"}},
	{mechanism: "keys_path", contains: []string{"/.ssh/authorized_keys"}},
	{mechanism: "autostart_path", prefixes: []string{"/etc/xdg/autostart/"}, contains: []string{"/.config/autostart/"}},
	// git runs a hook, and the commands its configuration names
	// (core.fsmonitor, core.pager, an alias), at the next git command
	// (a hook named .sample is git's example: git never runs it)
	{mechanism: "hook_path", contains: []string{"/.git/hooks/"}, prefixes: []string{"/etc/gitconfig"}, suffixes: []string{"/.git/config", "/.gitconfig"},
		exceptSuffixes: []string{".sample"}},
	{mechanism: "service_start_path", prefixes: []string{"/etc/default/"},
		suffixes: []string{"/bin/setenv.sh", "/bin/catalina.sh", "/bin/startup.sh", "/apache2/envvars", "/etc/environment"}},
	{mechanism: "login_script_path", prefixes: []string{"/etc/update-motd.d/", "/etc/ssh/sshrc"}, suffixes: []string{"/.ssh/rc"}},
	{mechanism: "auth_module_path", prefixes: []string{"/etc/pam.d/", "/etc/pam.conf", "/lib/security/", "/lib64/security/", "/usr/lib/security/", "/usr/lib64/security/",
		"/lib/x86_64-linux-gnu/security/", "/usr/lib/x86_64-linux-gnu/security/", "/lib/aarch64-linux-gnu/security/", "/usr/lib/aarch64-linux-gnu/security/"}},
	{mechanism: "sshd_config_path", prefixes: []string{"/etc/ssh/sshd_config"}},
	// the ssh client's settings: a Match exec, ProxyCommand or LocalCommand
	// runs at each connection (cuspid-labelfmt: root's backup job's ssh)
	{mechanism: "ssh_client_config_path", prefixes: []string{"/etc/ssh/ssh_config"}, suffixes: []string{"/.ssh/config"}},
	{mechanism: "job_hook_path", prefixes: []string{"/etc/logrotate.d/", "/etc/logrotate.conf"}},
	{mechanism: "package_hook_path", prefixes: []string{"/etc/apt/apt.conf.d/", "/etc/yum/pluginconf.d/", "/etc/dnf/plugins/", "/etc/dpkg/dpkg.cfg.d/"}},
	{mechanism: "udev_path", prefixes: []string{"/etc/udev/rules.d/", "/lib/udev/rules.d/", "/usr/lib/udev/rules.d/"}},
	// a process manager's program sections: supervisord starts each
	// [program:x] command by itself, as the account it names, and again
	// when it dies
	{mechanism: "process_manager_path", prefixes: []string{"/etc/supervisor/conf.d/", "/etc/supervisor/supervisord.conf", "/etc/supervisord.conf", "/etc/supervisord.d/"}},
	// incron runs a table's command when a file event happens (a write
	// into a folder): a trigger, like udev's
	{mechanism: "file_trigger_path", prefixes: []string{"/etc/incron.d/", "/var/spool/incron/"}},
	{mechanism: "module_path", prefixes: []string{"/etc/modules-load.d/", "/etc/modprobe.d/", "/etc/modules"}},
	{mechanism: "network_hook_path", prefixes: []string{"/etc/network/if-up.d/", "/etc/network/if-pre-up.d/", "/etc/NetworkManager/dispatcher.d/", "/etc/dhcp/dhclient-exit-hooks.d/"}},
	{mechanism: "server_config_path", exceptCerts: true,
		prefixes: []string{"/etc/nginx/", "/etc/apache2/", "/etc/httpd/", "/etc/lighttpd/", "/etc/caddy/",
			"/etc/php/", "/etc/php.ini", "/etc/php.d/", "/etc/php-fpm.conf", "/etc/php-fpm.d/", "/usr/local/etc/php/"}},
	// an interpreter's start-up hooks: Python runs the import lines of
	// every .pth file right inside its site folders, and sitecustomize or
	// usercustomize, each time it starts (T1546.018), whatever script it
	// was started for: root's cron job in a virtualenv runs what the
	// venv's site-packages hold
	// Ruby's rubygems loads its defaults/operating_system.rb at every
	// start (Debian ships one for the vendor paths), and a Perl built with
	// usesitecustomize runs sitecustomize.pl before any script
	{mechanism: "startup_hook_path", suffixes: []string{"/sitecustomize.py", "/usercustomize.py", "/rubygems/defaults/operating_system.rb", "/sitecustomize.pl"},
		inFolders: []string{"site-packages", "dist-packages"}, inSuffixes: []string{".pth"}},
	// per-directory server configuration in a site's own folders: the
	// web-root rule (webroot_config_backdoor.yml) judges their writes
	{mechanism: "site_config", suffixes: []string{"/.user.ini", "/.htaccess"}},
}

// certSuffixes are the names of certificates and keys.
var certSuffixes = []string{".crt", ".pem", ".key", ".csr", ".der", ".p12"}

// persistPlaceOf returns the mechanism of the persistence place a path is
// in, or "". A folder of the table itself (/etc/cron.d) is no place: a
// file below it is.
func persistPlaceOf(p string) string {
	if p == "" || p[0] != '/' {
		return ""
	}
	for _, k := range persistPlaceKinds {
		if k.has(p) {
			if k.exceptCerts && hasAnySuffix(p, certSuffixes) {
				return ""
			}
			return k.mechanism
		}
	}
	return ""
}

func (k *persistPlaceKind) has(p string) bool {
	for _, d := range k.except {
		if strings.HasPrefix(p, d) {
			return false
		}
	}
	if hasAnySuffix(p, k.exceptSuffixes) {
		return false
	}
	for _, d := range k.prefixes {
		if strings.HasPrefix(p, d) && (!strings.HasSuffix(d, "/") || len(p) > len(d)) {
			return true
		}
	}
	for _, c := range k.contains {
		if i := strings.Index(p, c); i >= 0 && (!strings.HasSuffix(c, "/") || len(p) > i+len(c)) {
			return true
		}
	}
	if hasAnySuffix(p, k.suffixes) {
		return true
	}
	if len(k.inFolders) > 0 && hasAnySuffix(p, k.inSuffixes) {
		return slices.Contains(k.inFolders, path.Base(path.Dir(p)))
	}
	return false
}

func hasAnySuffix(s string, suffixes []string) bool {
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}

// PersistencePlace reports whether a path is a file in a persistence
// place: one the system runs code or grants access from by itself. A
// path in a home folder may be written "~/.bashrc".
func PersistencePlace(p string) bool { return persistPlaceOf(homePath(p)) != "" }

// homePath makes "~/x" and "~user/x" absolute (in a home folder that is
// no real one: the table knows home files by their ends) and cleans p.
func homePath(p string) string {
	if strings.HasPrefix(p, "~") {
		p = "/home/" + p
	}
	return path.Clean(p)
}

// persistWriterRE: what writes the file a path word after it names — a
// redirection, a copying or editing tool, or chmod making it runnable.
var persistWriterRE = lazydfa.MustCompile(`>|\btee\b|\bcp\b|\bmv\b|\binstall\b|\bln\b|\bsed\s+-i|\bchmod\s+(\S*\+\S*x|[0-7]?[0-7]?[1357][0-7]{0,2})\s`)

// namesPersistPlace reports whether a command text writes a persistence
// place: the word a redirection names, the destination of a copying tool
// (its last word), or any file word of tee, sed -i and chmod, up to the
// end of that simple command. A relative name ("uploads/.htaccess", a bare
// ".bashrc") is known by its end, as "~/.bashrc" is.
//
// The text is cut into words once and each word is judged at most once:
// a command of many writers in one simple command (`a > b a > b …`, an
// attacker's padding) reads in time linear in its length, where cutting
// the rest of the command again for each writer was quadratic.
func namesPersistPlace(cmd string) bool {
	ms := persistWriterRE.FindAllStringIndex(cmd, -1)
	if len(ms) == 0 {
		return false
	}
	ws, seps := commandWords(cmd)
	judged := make([]int8, len(ws)) // 0 not yet, 1 a place, -1 not
	// end[s]: the index past the last word of simple command s
	end := make([]int, 0, 8)
	for i, w := range ws {
		for len(end) <= w.seg {
			end = append(end, i)
		}
		end[w.seg] = i + 1
	}
	place := func(i int) bool {
		if judged[i] == 0 {
			judged[i] = -1
			w := strings.TrimRight(cmd[ws[i].from:ws[i].to], ".,")
			if w != "" && w[0] != '/' && w[0] != '~' {
				w = "~/" + w // relative to the shell's folder: known by its end
			}
			if w != "" && persistPlaceOf(homePath(w)) != "" {
				judged[i] = 1
			}
		}
		return judged[i] == 1
	}
	allDone := -1 // the words before this index were all judged by an earlier writer of their command
	for _, m := range ms {
		// the words after the writer, up to the end of its simple command
		first := sort.Search(len(ws), func(i int) bool { return ws[i].from >= m[1] })
		if first >= len(ws) || ws[first].seg != sort.SearchInts(seps, m[1]) {
			continue // nothing after it in its simple command
		}
		last := end[ws[first].seg]
		switch w := strings.TrimSpace(cmd[m[0]:m[1]]); {
		case w == ">":
			if place(first) {
				return true
			}
		case w == "cp" || w == "mv" || w == "install" || w == "ln":
			if place(last - 1) {
				return true
			}
		default:
			for i := max(first, allDone); i < last; i++ {
				if place(i) {
					return true
				}
			}
			allDone = max(allDone, last)
		}
	}
	return false
}

// commandWord is one word of a command text: its bytes, and the number of
// the simple command (between ;, | and &) it is in.
type commandWord struct{ from, to, seg int }

// commandWords cuts a command text into the words namesPersistPlace
// judges, in one pass, and returns them with the offsets of the
// separators (;, |, &): the simple command an offset is in is the number
// of separators before it.
func commandWords(cmd string) ([]commandWord, []int) {
	var out []commandWord
	var seps []int
	seg, from := 0, -1
	for i := 0; i <= len(cmd); i++ {
		c := byte(';')
		if i < len(cmd) {
			c = cmd[i]
		}
		sep := c == ';' || c == '|' || c == '&'
		delim := sep || c == ' ' || c == '\t' || c == '\n' || c == '\'' || c == '"' || c == '<' || c == '>' || c == '(' || c == ')' || c == '='
		if delim {
			if from >= 0 {
				out = append(out, commandWord{from, i, seg})
				from = -1
			}
			if sep {
				seg++
				if i < len(cmd) {
					seps = append(seps, i)
				}
			}
			continue
		}
		if from < 0 {
			from = i
		}
	}
	return out, seps
}
