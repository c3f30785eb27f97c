package report

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestShorten(t *testing.T) {
	long := strings.Repeat("B", 4000)
	for _, c := range []struct {
		in   string
		n    int
		want []string // substrings that must stay
	}{
		{"sh -c id", 160, []string{"sh -c id"}},
		{": " + long + "; curl http://127.0.0.1/a.sh | sh", 160, []string{": BBBB", "; curl http://127.0.0.1/a.sh | sh"}},
		{"echo " + strings.Repeat("QUJD", 100) + " | base64 -d | sh", 80, []string{"echo QUJD", "| base64 -d | sh"}},
		{strings.Repeat("a ", 200) + "cat /etc/shadow", 60, []string{"a a", "cat /etc/shadow"}},
		{strings.Repeat("é", 300), 20, nil},
	} {
		got := shorten(c.in, c.n)
		if utf8.RuneCountInString(got) > c.n {
			t.Errorf("shorten(%.30q, %d) = %d runes: %q", c.in, c.n, utf8.RuneCountInString(got), got)
		}
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("shorten(%.30q, %d) = %q: lost %q", c.in, c.n, got, w)
			}
		}
	}
}

func TestEscapeInvalid(t *testing.T) {
	for in, want := range map[string]string{
		"ok":                       "ok",
		"bad\xff\xfebytes":         `bad\xff\xfebytes`,
		"\xed\xa0\x80":             `\xed\xa0\x80`, // a surrogate encoded as UTF-8
		"é\xc3":                    `é\xc3`,
		"\u202e kept for sanitize": "\u202e kept for sanitize",
	} {
		if got := escapeInvalid(in); got != want {
			t.Errorf("escapeInvalid(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzShorten(f *testing.F) {
	f.Add(": BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB; curl x | sh", 40)
	f.Add("a\xffb \u202e", 3)
	f.Fuzz(func(t *testing.T, s string, n int) {
		n = n % 400
		got := shorten(s, n)
		if n > 0 && utf8.RuneCountInString(s) > n && utf8.RuneCountInString(got) > n {
			t.Fatalf("shorten(%q, %d) = %q: too long", s, n, got)
		}
		if e := escapeInvalid(s); !utf8.ValidString(e) {
			t.Fatalf("escapeInvalid(%q) = %q: not UTF-8", s, e)
		}
	})
}

// TestShellJoinQuotesMarks: an argument that is not plain ASCII words is
// quoted, so that argv cannot draw the report's own marks on a process.
func TestShellJoinQuotesMarks(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want string
	}{
		{[]string{"sleep", "◀", "F0001"}, "sleep '◀' F0001"},
		{[]string{"ls", "-la", "/var/www/html", "a=b,c:d@e%f+g"}, "ls -la /var/www/html a=b,c:d@e%f+g"},
		{[]string{"echo", "└─", "*", "x[1]"}, "echo '└─' '*' 'x[1]'"},
		{[]string{"cat", "/etc/pаsswd"}, "cat '/etc/pаsswd'"}, // a Cyrillic а
	} {
		if got := shellJoin(c.in); got != c.want {
			t.Errorf("shellJoin(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
