package detect

import (
	"slices"
	"testing"
)

func TestBackgrounded(t *testing.T) {
	for _, c := range []struct {
		cmd  string
		want [][]string
	}{
		{"nohup sh /var/tmp/.kbc/b.sh r > /dev/null 2>&1 &", [][]string{{"nohup", "sh", "/var/tmp/.kbc/b.sh", "r"}}},
		{"cd /tmp && (timeout 20 python3 -m http.server 8899 --bind 127.0.0.1 &)", [][]string{{"timeout", "20", "python3", "-m", "http.server", "8899", "--bind", "127.0.0.1"}}},
		{"setsid -f sh -c 'while :; do sleep 1; done' >/dev/null 2>&1 &", [][]string{{"setsid", "-f", "sh", "-c", "while :; do sleep 1; done"}}},
		{"a && b || c; d 2>&1 | e", nil},
		{"x &>/dev/null", nil},
		{"one & two &", [][]string{{"one"}, {"two"}}},
	} {
		got := backgrounded(c.cmd)
		if !slices.EqualFunc(got, c.want, slices.Equal[[]string]) {
			t.Errorf("backgrounded(%q) = %q, want %q", c.cmd, got, c.want)
		}
	}
}
