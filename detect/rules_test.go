package detect

import (
	"io/fs"
	"strings"
	"testing"
)

// noTechnique names the rules that claim a tactic only, and why: no
// ATT&CK technique is what they see, and a near one would be a wrong claim.
var noTechnique = map[string]string{
	"implant-watchdog":      "a loop of the intrusion's that starts its implant again: persistence, but no technique of ATT&CK's",
	"mail-from-channel":     "what was mailed is not in the log: exfiltration (T1048.003) or phishing from the host (T1534) cannot be told apart",
	"terminal-session-keys": "keystrokes typed into a local tmux or screen session: ATT&CK's session hijacking (T1563) is of remote services, so the tactic (lateral movement) is the claim",
}

// TestBuiltinRules is the gate that keeps a bad rule from shipping: every
// embedded file parses, every rule runs with no disabled problem, ids are
// unique, and each rule says where it sits on the chain.
func TestBuiltinRules(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	files, _ := fs.Glob(builtinRules, "rules/*.yml")
	if len(e.Rules()) < len(files) {
		t.Fatalf("%d rules from %d files", len(e.Rules()), len(files))
	}
	for _, p := range e.Problems() {
		t.Errorf("built-in rule problem: %s", p)
	}
	for _, r := range e.Rules() {
		if !r.Runnable {
			t.Errorf("%s: not runnable", r.ID)
		}
		if len(r.Attack) == 0 && noTechnique[r.ID] == "" {
			t.Errorf("%s: no ATT&CK technique tag", r.ID)
		}
		if !r.Tampering && !r.Stage.Valid() {
			t.Errorf("%s: no stage (auditchain.stage)", r.ID)
		}
		if !strings.HasPrefix(r.File, "builtin:rules/") || r.Title == "" || r.Description == "" {
			t.Errorf("%s: file %q title %q, description missing?", r.ID, r.File, r.Title)
		}
	}
	if v := e.Version(); !strings.HasPrefix(v, "sha256:") || len(v) != 23 {
		t.Errorf("Version() = %q", v)
	}
	e2, _ := New(Options{})
	if e.Version() != e2.Version() {
		t.Error("Version differs between two loads of the same rules")
	}
	e3, err := New(Options{Disabled: []string{"web-server-shell-spawn"}})
	if err != nil {
		t.Fatal(err)
	}
	if e3.Version() == e.Version() {
		t.Error("Version ignores disabled rules")
	}
	if _, err := New(Options{Disabled: []string{"no-such-rule"}}); err == nil {
		t.Error("disabling an unknown rule id succeeded")
	}
}

// TestWebServerClassifierMatchesRule keeps detect/webserver.go (state and
// placement) and the headline rule's YAML lists (what analysts read) in step.
func TestWebServerClassifierMatchesRule(t *testing.T) {
	parents := []struct{ exe, cmd string }{
		{"/usr/sbin/nginx", "nginx: worker process"},
		{"/usr/sbin/apache2", "/usr/sbin/apache2 -k start"},
		{"/usr/sbin/httpd", "/usr/sbin/httpd -DFOREGROUND"},
		{"/usr/sbin/php-fpm8.2", "php-fpm: pool www"},
		{"/usr/sbin/php-fpm7.4", "php-fpm: pool www"},
		{"/usr/bin/caddy", "caddy run"},
		{"/usr/sbin/lighttpd", "lighttpd -D"},
		{"/usr/local/openresty/nginx/sbin/openresty", "openresty"},
		{"/usr/bin/uwsgi", "uwsgi --ini app.ini"},
		{"/usr/local/bin/gunicorn", "gunicorn app:app"},
		{"/usr/bin/php-cgi", "php-cgi"},
		{"/var/www/cgi-bin/test.cgi", "test.cgi"},
		{"/usr/sbin/varnishd", "varnishd"},
		{"/usr/bin/ruby3.1", "puma 6.0 (tcp://0.0.0.0:3000)"},
		{"/usr/bin/python3.11", "python3 -m flask run"},
		{"/usr/bin/python3", "python3 /srv/app/manage.py runserver"},
		{"/usr/bin/perl", "/usr/bin/perl /usr/bin/plackup app.psgi"},
		{"/usr/bin/node", "node /srv/app/server.js"},
		{"/usr/bin/java", "java -classpath bootstrap.jar org.apache.catalina.startup.Bootstrap start"},
		{"/usr/bin/java", "java -jar /usr/share/jenkins/jenkins.war"},
		{"/usr/bin/java", "java -cp app.jar org.springframework.boot.loader.JarLauncher"},
		// not web servers
		// a server's binary in its check mode serves nothing
		{"/usr/sbin/varnishd", "varnishd -C -f /etc/varnish/default.vcl"},
		{"/usr/sbin/nginx", "/usr/sbin/nginx -t -q"},
		{"/usr/sbin/apache2", "/usr/sbin/apache2 -t"},
		{"/usr/sbin/php-fpm8.2", "php-fpm8.2 -tt"},
		{"/usr/bin/caddy", "caddy validate --config /etc/caddy/Caddyfile"},
		{"/usr/sbin/cron", "/usr/sbin/cron -f"},
		{"/usr/sbin/sshd", "sshd: alice"},
		{"/usr/bin/python3", "python3 backup.py"},
		{"/usr/bin/java", "java -jar tool.jar"},
		{"/usr/bin/bash", "bash"},
	}
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range parents {
		s := newSynth()
		pid := 100 + i*10
		s.exec(pid, 1, 1000, "app", "/", p.exe, strings.Fields(p.cmd)...)
		ev := s.exec(pid+1, pid, 1000, "app", "/", "/usr/bin/dash", "sh", "-c", "id")
		got := has(e.Observe(ev, s.tree), "web-server-exploitation") != nil
		want := webServerImage(p.exe, "", p.cmd)
		if got != want {
			t.Errorf("parent %s %q: headline rule %v, webserver.go %v", p.exe, p.cmd, got, want)
		}
	}
}
