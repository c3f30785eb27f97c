package detect

import "testing"

func TestArchiveToStdout(t *testing.T) {
	for _, c := range []struct {
		cmd  string
		want bool
	}{
		{"tar -czf - -C / srv/docket/conf etc/shadow 2>/dev/null", true},
		{"tar czf - /etc | base64 -w0", true},
		{"cd /srv && zip -qr - data", true},
		{"find /home -name '*.key' | cpio -o", true},
		{"tar -czf /tmp/.a.tgz /etc", false},        // a file: staging
		{"tar -czf - /etc > /dev/shm/a.tgz", false}, // redirected into a file
		{"tar -tzf upload.tgz", false},              // a listing
		{"tar -xzf - -C /srv/app", false},           // unpacking
	} {
		if got := archiveToStdout(c.cmd); got != c.want {
			t.Errorf("archiveToStdout(%q) = %v, want %v", c.cmd, got, c.want)
		}
	}
}
