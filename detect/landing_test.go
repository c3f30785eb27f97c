package detect

import "testing"

// TestTriesLanded: a marker echoed, then only a look at the script that
// just landed or its folder, is the plant tried; any other act in the
// same command is use.
func TestTriesLanded(t *testing.T) {
	const landed = "/srv/app/lib/middleware/10_etag_cache.rb"
	for _, c := range []struct {
		cmd  string
		want bool
	}{
		{"echo etag-ok; ls -la /srv/app/lib/middleware", true},
		{"echo ok && cat /srv/app/lib/middleware/10_etag_cache.rb", true},
		{"echo ok; ls -la /srv/app/lib/middleware/", true},
		{"echo ok", false}, // wholeProbe's, not this one's
		{"echo ok; ls -la /etc", false},
		{"echo ok; ls -la", false},
		{"echo ok; id", false},
		{"echo ok; cat /srv/app/lib/middleware/10_etag_cache.rb | sh", false},
		{"echo ok; cat /srv/app/config/settings.yml", false},
		{"id; ls -la /srv/app/lib/middleware", false},
	} {
		if got := triesLanded(c.cmd, landed); got != c.want {
			t.Errorf("triesLanded(%q) = %v, want %v", c.cmd, got, c.want)
		}
	}
}
