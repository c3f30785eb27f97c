package detect

import (
	"slices"
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// TestPersistencePlaces: the places Linux runs code or grants access from
// later (ATT&CK's persistence families), written by the web account or by
// an administrator, with the technique of the place that matched; a
// certificate renewed into the server's folder runs nothing.
func TestPersistencePlaces(t *testing.T) {
	for _, c := range []struct {
		file      string
		web       bool
		rule      string // "" = none
		technique string
	}{
		{"/etc/update-motd.d/99-sys", true, "web-persistence-file-write", "T1037"},
		{"/root/.ssh/rc", true, "web-persistence-file-write", "T1037"},
		{"/etc/pam.d/common-auth", true, "web-persistence-file-write", "T1556.003"},
		{"/lib/x86_64-linux-gnu/security/pam_unix2.so", true, "web-persistence-file-write", "T1556.003"},
		{"/etc/php/8.2/fpm/conf.d/99-prepend.ini", true, "web-persistence-file-write", "T1505"},
		{"/etc/nginx/sites-enabled/shop", true, "web-persistence-file-write", "T1505"},
		{"/var/spool/cron/atjobs/a0001", true, "web-persistence-file-write", "T1053.002"},
		{"/etc/logrotate.d/shop", true, "web-persistence-file-write", "T1053"},
		{"/lib/systemd/system-generators/netcfg", true, "web-persistence-file-write", "T1543.002"},
		{"/etc/udev/rules.d/75-net.rules", true, "web-persistence-file-write", "T1546.017"},
		{"/etc/supervisor/conf.d/php-worker.conf", true, "web-persistence-file-write", "T1543"},
		{"/var/spool/incron/www-data", true, "web-persistence-file-write", "T1546"},
		{"/etc/supervisord.conf", false, "persistence-file-write", "T1543"},
		{"/etc/nginx/ssl/shop.crt", true, "", ""},
		{"/etc/update-motd.d/99-sys", false, "persistence-file-write", "T1037"},
		{"/etc/php/8.2/fpm/php.ini", false, "persistence-file-write", "T1505"},
		{"/etc/nginx/ssl/shop.key", false, "", ""},
		{"/var/www/html/index.php", false, "", ""},
	} {
		t.Run(c.file, func(t *testing.T) {
			e, s := webShellScene(t)
			pid, ppid, uid, exe := 202, 201, uint32(33), "/usr/bin/dash"
			if !c.web {
				s.exec(300, 1, 0, "root", "/root", "/usr/sbin/sshd", "sshd: alice [priv]")
				s.exec(301, 300, 0, "root", "/root", "/usr/bin/bash", "-bash")
				pid, ppid, uid, exe = 302, 301, 0, "/usr/bin/vim.basic"
			}
			fs := e.Observe(s.file(parser.KindFileWrite, pid, ppid, uid, exe, c.file, true), s.tree)
			var got *Finding
			for _, f := range fs {
				if slices.Contains(f.RuleIDs, "web-persistence-file-write") || slices.Contains(f.RuleIDs, "persistence-file-write") {
					got = f
				}
			}
			switch {
			case c.rule == "" && got != nil:
				t.Fatalf("%s fired (%v)", got.RuleID, got.Attack)
			case c.rule == "":
			case got == nil:
				t.Fatalf("no persistence finding; got %v", ids(fs))
			case got.RuleID != c.rule:
				t.Errorf("rule %s, want %s", got.RuleID, c.rule)
			case !slices.Equal(got.Attack, []string{c.technique}):
				t.Errorf("ATT&CK %v, want [%s]", got.Attack, c.technique)
			}
		})
	}
}

// TestDefacementOverwritesAPage: a web shell's bash writing over the
// site's index.html is defacement; an index.html made new (an upload in
// its own new folder, benign-cuspid's dentist's 3D viewer) replaces
// nothing a visitor saw.
func TestDefacementOverwritesAPage(t *testing.T) {
	for _, c := range []struct {
		nametype string
		want     bool
	}{
		{"NORMAL", true},
		{"CREATE", false},
	} {
		e, s := webShellScene(t)
		s.exec(210, 201, 33, "www-data", "/var/www", "/usr/bin/bash", "bash", "-c", "echo owned > /var/www/html/index.html")
		ev := s.file(parser.KindFileWrite, 210, 201, 33, "/usr/bin/bash", "/var/www/html/index.html", true)
		ev.Paths = []parser.PathRecord{{Name: "/var/www/html/", Nametype: "PARENT"}, {Name: "/var/www/html/index.html", Nametype: c.nametype}}
		if got := findingOf(e.Observe(ev, s.tree), "webroot-defacement") != nil; got != c.want {
			t.Errorf("index.html written as %s: defacement %v, want %v", c.nametype, got, c.want)
		}
	}
}

// TestSSHClientConfigIsPersistence: the ssh client runs its settings'
// Match exec, ProxyCommand and LocalCommand at each connection, so the
// intrusion writing root's ~/.ssh/config is persistence (T1546).
func TestSSHClientConfigIsPersistence(t *testing.T) {
	for _, p := range []string{"/root/.ssh/config", "/etc/ssh/ssh_config", "/etc/ssh/ssh_config.d/10-x.conf"} {
		e, s := webShellScene(t)
		s.exec(210, 201, 0, "root", "/", "/usr/bin/dash", "sh", "-c", "printf x >> "+p)
		f := findingOf(e.Observe(s.file(parser.KindFileWrite, 210, 201, 0, "/usr/bin/dash", p, true), s.tree), "web-persistence-file-write")
		if f == nil || f.Stage != StagePersistence || !slices.Contains(f.Attack, "T1546") {
			t.Errorf("%s written by the web shell's root: %v, want web-persistence-file-write, T1546", p, f)
		}
	}
	if !PersistencePlace("/root/.ssh/config") || PersistencePlace("/root/.ssh/known_hosts") {
		t.Error("the places table: ~/.ssh/config is a place, known_hosts is not")
	}
}

// TestPasswdStatusIsNoChange: passwd given another user changes, locks
// or expires that account's password; passwd -S only prints its state
// (benign-shop-promo: the admin checking alice's and deploy's accounts).
func TestPasswdStatusIsNoChange(t *testing.T) {
	for _, c := range []struct {
		args []string
		want bool
	}{
		{[]string{"passwd", "alice"}, true},
		{[]string{"passwd", "-l", "alice"}, true},
		{[]string{"passwd", "-S", "alice"}, false},
		{[]string{"passwd", "--status", "deploy"}, false},
		{[]string{"passwd", "-aS"}, false},
		{[]string{"usermod", "-L", "alice"}, true},
	} {
		got := findingOf(execAs(t, 0, "/root", "/usr/bin/"+c.args[0], c.args...), "account-manipulation") != nil
		if got != c.want {
			t.Errorf("%q: account-manipulation %v, want %v", c.args, got, c.want)
		}
	}
}

// TestDefacementWithoutPathRecords: a sensor's export has no PATH
// records, so whether the page was there is not told: the page's name in
// the web root stands alone, as before the existence test.
func TestDefacementWithoutPathRecords(t *testing.T) {
	e, s := webShellScene(t)
	s.exec(210, 201, 33, "www-data", "/var/www", "/usr/bin/bash", "bash", "-c", "echo owned > /var/www/html/index.html")
	ev := s.file(parser.KindFileWrite, 210, 201, 33, "/usr/bin/bash", "/var/www/html/index.html", true)
	if findingOf(e.Observe(ev, s.tree), "webroot-defacement") == nil {
		t.Error("index.html written with no PATH records: no defacement, want it")
	}
}
