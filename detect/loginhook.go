package detect

import (
	"path"
	"strings"

	"github.com/auditchain/auditchain/parser"
)

// A login hook — a file a login shell sources before its first command:
// /etc/profile and /etc/profile.d/*, bash.bashrc, zsh's files, or an
// account's own ~/.profile, ~/.bashrc … (places.go: profile_path) — is
// never executed either: the shell reads it and runs its lines itself, so
// what it starts is only seen as the login shell's child, among the
// commands the person then types (tidegauge-plot: a root task the
// intrusion ran copied a hook into /etc/profile.d; the admin's next ssh
// login started `setsid -f sh -c 'while c=$(mosquitto_sub …)…'`, a task
// loop that outlived the session).
//
// The firing is inferred as an interpreter's start-up hook's is
// (startuphook.go): a login shell that reads a hook the intrusion wrote,
// started after that write, starts within hookWindow of its own start a
// program that no login shell on the host started before the write. What
// a person types is mostly ordinary tools, so only programs that start
// or carry other work are taken: a shell, an interpreter, a socket relay,
// a fetcher, or a detacher (setsid, nohup) whose command outlives the
// login. A hook written by no web server's intrusion (an administrator's
// own profile edit, flagged at medium) fires nothing.

// loginHooksKey is the key under which the children of a host's login
// shells are remembered (startupHooks.kids): every login shell on the
// host, whatever its account, reads the system-wide hooks.
func loginHooksKey(host string) string { return host + "\x00login" }

// loginHookRoot returns what names the readers of a login hook: "login"
// for a system-wide file, "login:HOME" for an account's own.
func loginHookRoot(p string) (string, bool) {
	if persistPlaceOf(p) != "profile_path" {
		return "", false
	}
	if strings.HasPrefix(p, "/etc/") {
		return "login", true
	}
	return "login:" + path.Dir(p), true
}

// LoginHook reports whether a file is a login hook (above), which a login
// shell sources, rather than an interpreter's start-up hook.
func LoginHook(p string) bool {
	_, ok := loginHookRoot(p)
	return ok
}

// loginShell reports whether an exec is a login shell: a shell started as
// "-bash" (sshd, login, su -) or with -l / --login.
func loginShell(x parser.Exec) bool {
	if !isShell(x.Exe) || len(x.Args) == 0 {
		return false
	}
	if strings.HasPrefix(x.Args[0], "-") {
		return true
	}
	for _, a := range x.Args[1:] {
		if a == "--login" || len(a) > 1 && a[0] == '-' && a[1] != '-' && strings.ContainsRune(a, 'l') && !strings.ContainsRune(a, 'c') {
			return true
		}
		if !strings.HasPrefix(a, "-") {
			break // the script or command: the options are over
		}
	}
	return false
}

// readsLogin reports whether a login shell run as user reads the hooks
// named by root.
func readsLogin(root, user string) bool {
	if root == "login" {
		return true
	}
	if user == "" {
		return false
	}
	home := "/home/" + user
	if user == "root" {
		home = "/root"
	}
	return root == "login:"+home
}

// hookPayload reports whether a program started by a login shell can be
// a hook's payload (above): not an ordinary tool a person types.
func hookPayload(exe string) bool {
	name := path.Base(exe)
	return isChannelImage(exe) || detachers[name] || fetchers[name]
}

// readAtLogin reports whether a login shell reads a hook itself rather
// than through another startup file sourcing it.
func readAtLogin(p string) bool {
	switch path.Base(p) {
	case ".bashrc", ".bash_aliases", ".zshrc", "bash.bashrc":
		return false
	}
	return true
}
