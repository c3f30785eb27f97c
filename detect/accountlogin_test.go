package detect

import (
	"path"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/auditchain/auditchain/parser"
)

func TestChangedAccounts(t *testing.T) {
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"usermod", "-s", "/bin/bash", "backup"}, []string{"backup"}},
		{[]string{"/usr/sbin/useradd", "-m", "-o", "-u", "0", "sysupd"}, []string{"sysupd"}},
		{[]string{"usermod", "-l", "svc2", "svc"}, []string{"svc", "svc2"}},
		{[]string{"gpasswd", "-a", "www-data", "sudo"}, []string{"www-data"}},
		{[]string{"passwd", "root"}, []string{"root"}},
		{[]string{"passwd", "-S"}, nil},
		{[]string{"chpasswd"}, nil},
		{[]string{"usermod", "-s", "/bin/bash", "Not A Name"}, nil},
		{[]string{"useradd", "ws01$"}, []string{"ws01$"}},
		{[]string{"passwd", "$"}, nil},
	} {
		got := changedAccounts(c.args)
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("%q: %q, want %q", c.args, got, c.want)
		}
	}
}

// TestLoginIntoChangedAccount: a login into an account the intrusion gave
// a shell is the persistence used, reported once per login on its first
// command, tied to the change by the account's name; an administrator's
// own change marks nothing, and a login into another account is no one's.
func TestLoginIntoChangedAccount(t *testing.T) {
	for _, c := range []struct {
		name     string
		byWeb    bool   // the change runs below the web server's shell
		loginAs  string // the account that logs in
		loginUID uint32
		want     bool
	}{
		{"the changed account logs in", true, "backup", 34, true},
		{"another account logs in", true, "alice", 1000, false},
		{"the admin changed it herself", false, "backup", 34, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			parent := 201 // the php-fpm worker's shell
			if !c.byWeb {
				s.exec(300, 1, 0, "root", "/root", "/usr/sbin/sshd", "sshd: alice [priv]")
				parent = 300
			}
			change := s.exec(202, parent, 0, "root", "/", "/usr/sbin/usermod", "usermod", "-s", "/bin/bash", "backup")
			if !c.byWeb {
				change.AUID = parser.NewID(1000)
			}
			e.Observe(change, s.tree)
			s.exec(400, 1, 0, "root", "/", "/usr/sbin/sshd", "sshd: "+c.loginAs+" [priv]")
			login := func(pid, ppid int, args ...string) []*Finding {
				ev := s.exec(pid, ppid, c.loginUID, c.loginAs, "/var/backups", "/usr/bin/bash", args...)
				ev.AUID, ev.SES = parser.NewID(c.loginUID), parser.NewID(500)
				return e.Observe(ev, s.tree)
			}
			f := findingOf(login(401, 400, "bash", "-c", "id; w -h"), RuleLoginChangedAccount)
			if (f != nil) != c.want {
				t.Fatalf("login-changed-account %v, want %v", f != nil, c.want)
			}
			if f == nil {
				return
			}
			if f.Stage != StagePersistence || len(f.Related) == 0 || f.Related[0] != change || !strings.Contains(f.Reason, "inferred") {
				t.Errorf("stage %v, related %v, reason %q: want persistence, tied to the usermod, inferred", f.Stage, f.Related, f.Reason)
			}
			if again := findingOf(login(402, 401, "ls", "-la"), RuleLoginChangedAccount); again != nil {
				t.Error("the login's second command reported again")
			}
		})
	}
}

// TestKeysAccount: the account whose authorized_keys a write changes is
// the .ssh folder's owner when the PATH record says, else read from the
// home folder's name.
func TestKeysAccount(t *testing.T) {
	owned := func(p string, uid uint32) *parser.Event {
		return &parser.Event{Kind: parser.KindFileWrite, Path: p,
			Paths: []parser.PathRecord{{Name: path.Dir(p), Nametype: "PARENT", OUID: parser.NewID(uid)}, {Name: p, Nametype: "CREATE"}}}
	}
	for _, c := range []struct {
		ev   *parser.Event
		want string
	}{
		{owned("/var/backups/.ssh/authorized_keys", 34), "uid 34"},
		{&parser.Event{Kind: parser.KindFileWrite, Path: "/home/alice/.ssh/authorized_keys2"}, "alice"},
		{&parser.Event{Kind: parser.KindRename, Path: "/root/.ssh/authorized_keys", OldPath: "/root/.ssh/tmp.rdb"}, "root"},
		{&parser.Event{Kind: parser.KindFileWrite, Path: "/home/alice/.ssh/known_hosts"}, ""},
		{&parser.Event{Kind: parser.KindFileWrite, Path: "/srv/app/authorized_keys"}, ""},
	} {
		if got := keysAccount(c.ev); got != c.want {
			t.Errorf("%s: %q, want %q", c.ev.Path, got, c.want)
		}
	}
}

// FuzzChangedAccounts: any argv (NUL-separated words) gives only names of
// an account's shape, each once, and never panics; chmod's readiness
// checks on the same words never panic either.
func FuzzChangedAccounts(f *testing.F) {
	for _, s := range []string{"usermod\x00-s\x00/bin/bash\x00backup", "gpasswd\x00-a", "useradd\x00-l", "chmod\x00-R\x00u+x\x00a", "chmod\x00--\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		args := strings.Split(s, "\x00")
		got := changedAccounts(args)
		for i, n := range got {
			if !accountName(n) || slices.Contains(got[:i], n) {
				t.Fatalf("%q: %q", args, got)
			}
		}
		_ = recursiveChmod(args)
		_ = runnableFiles(args, "/tmp")
	})
}

// TestChangedAccountsBoundSaid: past the bound the oldest changed
// accounts are let go, and the report's notes say how many.
func TestChangedAccountsBoundSaid(t *testing.T) {
	e, s := webShellScene(t)
	for i := 0; i < maxChangedAccounts+3; i++ {
		e.Observe(s.exec(1000+i, 201, 0, "root", "/", "/usr/sbin/useradd", "useradd", "u"+strconv.Itoa(i)), s.tree)
	}
	notes := strings.Join(e.Dropped(), "\n")
	if !strings.Contains(notes, "3 accounts the intrusion changed were forgotten") {
		t.Errorf("notes %q: want the 3 accounts let go said", notes)
	}
}

// TestKeysWrittenByAToldService: a root service that writes an account's
// authorized_keys is no act of the intrusion by its ancestry; when a
// command of the intrusion named the folder and the file moments before
// (Redis's CONFIG SET dir and dbfilename), the write is the intrusion's
// change of that account, and a login of it is reported; the same write
// with no such command marks nothing.
func TestKeysWrittenByAToldService(t *testing.T) {
	for _, named := range []bool{true, false} {
		e, s := webShellScene(t)
		if named {
			cmd := "redis-cli CONFIG SET dir /home/alice/.ssh; redis-cli CONFIG SET dbfilename authorized_keys2; redis-cli SAVE"
			if fs := e.Observe(s.exec(202, 201, 33, "www-data", "/var/www/html", "/usr/bin/dash", "sh", "-c", cmd), s.tree); len(fs) == 0 {
				t.Fatal("the web shell's redis-cli command is no finding")
			}
		}
		s.exec(500, 1, 0, "root", "/var/lib/redis", "/usr/bin/redis-server", "redis-server", "127.0.0.1:6379")
		w := s.file(parser.KindRename, 500, 1, 0, "/usr/bin/redis-server", "/home/alice/.ssh/authorized_keys2", true)
		w.OldPath = "/home/alice/.ssh/temp-500.rdb"
		e.Observe(w, s.tree)
		s.exec(600, 1, 0, "root", "/", "/usr/sbin/sshd", "sshd: alice [priv]")
		login := s.exec(601, 600, 2002, "alice", "/home/alice", "/usr/bin/bash", "bash", "-c", "id; hostname")
		login.AUID, login.SES = parser.NewID(2002), parser.NewID(700)
		f := findingOf(e.Observe(login, s.tree), RuleLoginChangedAccount)
		if (f != nil) != named {
			t.Errorf("named by the intrusion %v: login-changed-account %v", named, f != nil)
		}
		if f != nil && !strings.Contains(f.Reason, "which named the folder and the file") {
			t.Errorf("reason %q: want the command that named the file", f.Reason)
		}
	}
}
