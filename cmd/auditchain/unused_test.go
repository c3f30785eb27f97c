package main

import (
	"strings"
	"testing"
)

// TestUnusedLanded: a file that lands — a script written into the web root,
// a download — keeps its severity when the log shows it used (the classic
// web shell, requested by its URL; webshell-variant's /tmp/.sysd, run after
// it is fetched) and drops one level when nothing ever uses it
// (benign-busy's compiled templates, included and never requested; its
// cron job's JSON feed).
func TestUnusedLanded(t *testing.T) {
	for _, c := range []struct {
		dir, rule, text, want string
	}{
		{"webshell-classic", "webroot-script-write", "/var/www/html/uploads/avatar.php", "high"},
		// (low: the template cache and the thumbnails also recur across
		// the whole log from before its first suspicious act: routine)
		{"benign-busy", "webroot-script-write", "/var/www/html/cache/tpl/", "low"},
		{"webshell-variant", "ingress-tool-download", "/tmp/.sysd", "high"},
		// (low: its cron job's crontab predates the log, and nothing
		// flagged follows it: routine, timeline/routinejob.go; medium
		// before, as a download nothing used)
		{"benign-busy", "ingress-tool-download", "/var/www/html/data/rates.json", "low"},
		{"benign-busy", "web-server-exploitation", "wget -q -O /var/www/html/data/rates.json", "low"}, // the cron shell that is only that download
		// a maintenance button detaching the app's own indexer, which the
		// server ran 32 times before (timeline/ownjob.go)
		{"benign-apache", "web-server-exploitation", "nohup /usr/local/bin/kbindex rebuild", "medium"},
		// the reverse shell detached through the backdoor keeps its severity
		{"apache-eval", "web-server-reverse-shell", "setsid php -r", "critical"},
		// the CI's redeploy rewrote eleven JSPs in one second; the admin
		// page among them had not been requested before it, the others
		// had: one deployment (timeline/unused.go deploymentBatches)
		{"benign-tomcat", "webroot-script-write", "/webapps/stock/admin/cache.jsp", "medium"},
		// benign-news: a maintenance page detaches a script of the site
		// that the log never shows written (the web root is watched)
		{"benign-news", "web-server-exploitation", "nohup php /var/www/news/bin/reindex.php", "medium"},
		// a thumbnail made from a tempnam() file: a temp path shows
		// nothing by itself, and nothing in its chain shows intent
		{"benign-news", "web-server-exploitation", "convert '/tmp/", "low"},
		// the plugin update's unzip, and the scripts it unpacked, which
		// the site then served: the unpack's own output is no intent
		{"benign-news", "web-server-exploitation", "unzip -o -q", "medium"},
		{"benign-news", "webroot-script-write", "/var/www/news/plugins/newsletter-box/box.php", "medium"},
		// a web shell's own WAR (two JSPs, nothing served before) is no
		// deployment of the site
		{"tomcat-manager", "webroot-script-write", "/webapps/docs-api/view.jsp", "high"},
	} {
		var rep struct {
			Findings []struct {
				RuleID   string `json:"rule_id"`
				Severity string `json:"severity"`
				Summary  string `json:"summary"`
				Process  struct {
					Args []string `json:"args"`
				} `json:"process"`
			} `json:"findings"`
		}
		scanInto(t, &rep, "../../testdata/lab/"+c.dir+"/")
		n := 0
		for _, f := range rep.Findings {
			if f.RuleID != c.rule || !strings.Contains(f.Summary+" "+strings.Join(f.Process.Args, " "), c.text) {
				continue
			}
			n++
			if f.Severity != c.want {
				t.Errorf("%s: %s %s is %s, want %s", c.dir, c.rule, c.text, f.Severity, c.want)
			}
		}
		if n == 0 {
			t.Errorf("%s: no %s finding on %s", c.dir, c.rule, c.text)
		}
	}
}
