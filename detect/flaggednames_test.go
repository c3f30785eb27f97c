package detect

import (
	"path"
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// TestFlaggedMayHold: the base-name check never says no for a name that,
// read against a directory and cleaned, is a flagged file.
func TestFlaggedMayHold(t *testing.T) {
	var w flaggedWrites
	for _, p := range []string{"/var/www/html/up/x.php", "/etc/cron.d/job", "/tmp/a"} {
		w.add(writeKey{"h", p}, flaggedWrite{rule: "r"})
	}
	for _, tt := range []struct {
		cwd, name string
	}{
		{"/", "/var/www/html/up/x.php"},
		{"/var/www/html", "up/x.php"},
		{"/var/www/html/up", "./x.php"},
		{"/", "/etc/cron.d/job/"},
		{"/", "/etc//cron.d/./job"},
		{"/tmp", "a/."},
		{"/tmp/a/b", ".."},
		{"/tmp/a/b", "../"},
		{"/", "/tmp/x/../a"},
	} {
		name := tt.name
		if !path.IsAbs(name) {
			name = path.Join(tt.cwd, name)
		}
		if _, ok := w.m[writeKey{"h", path.Clean(name)}]; !ok {
			t.Fatalf("%q in %q: not a flagged file, the case tests nothing", tt.name, tt.cwd)
		}
		if !w.mayHold(tt.name) {
			t.Errorf("%q in %q is flagged, mayHold says no", tt.name, tt.cwd)
		}
	}
	if w.mayHold("/usr/bin/x.php2") || w.mayHold("job.d") {
		t.Error("mayHold says yes for base names no entry has")
	}
	// an entry forgotten no longer counts
	w.forget(&parser.Event{Kind: parser.KindFileWrite, Host: "h", Path: "/tmp/a", Success: true})
	if _, ok := w.m[writeKey{"h", "/tmp/a"}]; ok || w.mayHold("/tmp/a") {
		t.Error("/tmp/a forgotten, mayHold still says yes")
	}
}
