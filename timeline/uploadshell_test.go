package timeline

import (
	"strings"
	"testing"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// TestServedUploadIsWebShell (shop-avatar): a customer's profile picture
// is stored twice under one name; the upload form unlinks the old one and
// renames the new one into place in the same request. Requests to the
// picture's path with a path-info after it (/c1.gif/.php) then run a
// shell with a high command: the second picture, the one in place then,
// is the web shell (stage 2, at the command's severity); the first
// stays the upload it was; and the unlink the form did before storing the
// new picture is a replacement, not the removal of a planted file.
func TestServedUploadIsWebShell(t *testing.T) {
	s := newSim(t, Options{})
	s.webServer()
	const pic = "/var/www/html/uploads/avatars/c1.gif"
	s.http(10, "POST", "/account/avatar.php", 200, "203.0.113.9", "curl/8.0")
	first := s.find(s.write(10.2, worker1, parser.KindRename, pic), detect.StageInitialAccess, detect.SeverityLow, "webroot file upload")
	s.http(20, "POST", "/account/avatar.php", 200, "203.0.113.9", "curl/8.0")
	gone := s.find(s.write(20.2, worker2, parser.KindUnlink, pic), detect.StageExfiltrationImpact, detect.SeverityMedium, "own file removed")
	second := s.find(s.write(20.21, worker2, parser.KindRename, pic), detect.StageInitialAccess, detect.SeverityLow, "webroot file upload")
	s.http(30, "POST", "/uploads/avatars/c1.gif/.php", 200, "203.0.113.9", "curl/8.0")
	mail := s.exec(30.3, shellOf(500, worker1, "/var/www/html/uploads/avatars"), "/bin/sh", "-c", "/usr/sbin/sendmail -t -i")
	s.find(s.exec(30.31, child(501, who{pid: 500, ppid: 101, uid: 33}), "/bin/sh", "-c", "id; uname -a"), detect.StageSuspiciousSpawn, detect.SeverityHigh, "web server exploitation")
	_ = mail
	r := s.build()
	var got1, got2 *detect.Finding
	for _, f := range r.Findings {
		switch {
		case f.Event == gone.Event:
			t.Errorf("the replaced picture's unlink is still a finding: %s", f.Reason)
		case f.Event == first.Event:
			got1 = f
		case f.Event == second.Event:
			got2 = f
		}
	}
	if got1 == nil || got1.Stage != detect.StageInitialAccess {
		t.Errorf("first picture: %+v, want it left on stage 1", got1)
	}
	if got2 == nil || got2.Stage != detect.StageWebshellUpload || got2.Severity != detect.SeverityHigh || !strings.Contains(got2.Reason, "path-info") {
		t.Fatalf("second picture: %+v, want stage 2 high, by its path-info", got2)
	}
}
