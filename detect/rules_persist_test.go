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
