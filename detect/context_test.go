package detect

import (
	"strconv"
	"strings"
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// TestCtxText: the text the context builds in its buffer equals what the
// strings package gives, and stays intact while more is built for the
// same event (the buffer grows under it).
func TestCtxText(t *testing.T) {
	cases := []struct {
		args []string
	}{
		{nil},
		{[]string{""}},
		{[]string{"id"}},
		{[]string{"sh", "-c", "ID=1 Echo $HOME"}},
		{[]string{"java", "-Dfoo=BAR", strings.Repeat("X", 5000)}},
		{[]string{"printf", "ÄÖÜ İstanbul \u212a"}}, // Unicode: ToLower's own mapping
		{[]string{"", "", ""}},
	}
	var c evalCtx
	c.reset(&parser.Event{}, nil, 0)
	type built struct{ got, want string }
	var all []built
	for _, tc := range cases {
		cmd := strings.Join(tc.args, " ")
		all = append(all,
			built{c.join(tc.args), cmd},
			built{c.lower(cmd), strings.ToLower(cmd)},
			built{c.uitoa(uint64(len(cmd)) * 1e6), strconv.Itoa(len(cmd) * 1e6)},
		)
	}
	for i, b := range all {
		if b.got != b.want {
			t.Errorf("%d: built %q, want %q", i, b.got, b.want)
		}
	}
}

// TestHoldsField: one scan answers as the two Contains it replaces.
func TestHoldsField(t *testing.T) {
	cases := []struct{ raw, name string }{
		{"type=CONFIG_CHANGE op=add_rule key=x", "op"},
		{"type=CONFIG_CHANGE audit_enabled=0", "enabled"},
		{"type=EXECVE argc=1 a1[0]=41", "a1"},
		{"type=EXECVE argc=1 a1_len=5", "a1"},
		{"aaa=1", "aa"}, // overlapping occurrences
		{"xaa aa", "aa"},
		{"op", "op"},
		{"", "op"},
	}
	for _, tc := range cases {
		want := strings.Contains(tc.raw, tc.name+"=") || strings.Contains(tc.raw, tc.name+"[")
		if got := holdsField(tc.raw, tc.name); got != want {
			t.Errorf("holdsField(%q, %q) = %v, want %v", tc.raw, tc.name, got, want)
		}
	}
}

// TestImageIndex: the per-name bit sets say what each rule's image map
// says.
func TestImageIndex(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"", "sh", "crontab", "curl", "wget", "nc", "base64", "no-such-tool"}
	for _, r := range e.rules {
		if r.det == nil || r.det.images == nil {
			continue
		}
		for n := range r.det.images {
			names = append(names, n)
		}
	}
	for _, r := range e.rules {
		if r.det == nil || r.det.images == nil {
			continue
		}
		for _, n := range names {
			if got, want := hasBit(e.byImage[n], r.det.imageBit), r.det.images[n]; got != want {
				t.Errorf("rule %s, image %q: bit %v, map %v", r.ID, n, got, want)
			}
		}
	}
}

// TestIsWebServerLazy: joining the arguments for interpreters only gives
// the classifier's answer on the full command line.
func TestIsWebServerLazy(t *testing.T) {
	cases := []*parser.Process{
		{Exe: "/usr/sbin/nginx"},
		{Exe: "/usr/bin/python3.11", Args: []string{"python3", "-m", "gunicorn", "app:app"}},
		{Exe: "/usr/bin/python3.11", Args: []string{"python3", "manage.py", "runserver"}},
		{Exe: "/usr/bin/python3.11", Args: []string{"python3", "manage.py", "migrate"}},
		{Exe: "/usr/bin/python3.11", Comm: "gunicorn: worke"},
		{Exe: "/usr/bin/node", Args: []string{"node", "next", "start"}},
		{Exe: "/usr/bin/java", Args: []string{"java", "-jar", "jenkins.war"}},
		{Exe: "/usr/bin/bash", Args: []string{"bash", "-c", "gunicorn"}},
		{Comm: "php-fpm8.2"},
		{Exe: "/"},
		{},
	}
	for _, p := range cases {
		if got, want := isWebServer(p), webServerImage(p.Exe, p.Comm, p.CommandLine()); got != want {
			t.Errorf("%s %q %q: %v, want %v", p.Exe, p.Comm, p.Args, got, want)
		}
	}
}
