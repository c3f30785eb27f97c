package auditd

import "testing"

func TestLineTime(t *testing.T) {
	tests := []struct {
		line string
		node string
		t    int64
		ok   bool
	}{
		{`type=SYSCALL msg=audit(1795642485.446:11109): arch=c000003e`, "", 1795642485446000000, true},
		{`node=web01 type=EXECVE msg=audit(1795642485.4:7): argc=1`, "web01", 1795642485400000000, true},
		{`Nov 25 20:15:00 web01 audispd: type=SYSCALL msg=audit(1795642485.000:1): x`, "", 1795642485000000000, true},
		{`type=SYSCALL msg=audit(99999999999999999.000:1):`, "", 0, false},
		{`GET / HTTP/1.1`, "", 0, false},
	}
	for _, tt := range tests {
		node, ts, ok := LineTime([]byte(tt.line))
		if node != tt.node || ts != tt.t || ok != tt.ok {
			t.Errorf("%q: %q %d %v", tt.line, node, ts, ok)
		}
	}
}
