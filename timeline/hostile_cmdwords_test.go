package timeline

import (
	"strings"
	"testing"
)

// cmdWordCases: values at the start, the end and the middle of a line,
// joined to words by hyphens, paths and options, repeated, and with no
// word at all.
var cmdWordCases = []struct{ s, v string }{
	{"sh -c id", "id"}, {"sh -c id; uname", "id"}, {"side", "id"}, {"id", "id"},
	{"marathon-route.jpg", "marathon"}, {"budget-2027.pdf", "budget-2027"},
	{"convert a-id-b id", "id"}, {"x-id", "id"}, {"id-x", "id"}, {"-id-", "id"},
	{"application/json", "json"}, {"order-77.json x", "json"}, {"format json", "json"},
	{"cat /etc/passwd", "/etc/passwd"}, {"cat /etc/passwd2", "/etc/passwd"}, {"a;id;b", ";id;"},
	{"ls ../../x", "../"}, {"sh -c uname -a 2>&1", "uname -a"}, {"idid id", "id"},
	{"__id id_", "id"}, {"reviews-1.4.2.tgz", "1.4.2"}, {"x 1.4.2.tgz", "1.4"},
	{"a ;;id", ";id"}, {"", "id"}, {"id", ""},
}

// TestCmdWordsAgree: the word index answers as the direct reading does,
// on the cases and on them padded past the length that turns it on.
func TestCmdWordsAgree(t *testing.T) {
	check := func(s, v string) {
		t.Helper()
		w := newCmdWords(s)
		for _, hyph := range []bool{false, true} {
			if got, want := w.containsWord(v, hyph), containsWord(s, v, hyph); got != want {
				t.Errorf("containsWord(%.60q, %q, %v): index %v, direct %v", s, v, hyph, got, want)
			}
		}
		if got, want := w.standsAlone(v), standsAlone(s, v); got != want {
			t.Errorf("standsAlone(%.60q, %q): index %v, direct %v", s, v, got, want)
		}
	}
	pad := strings.Repeat("qz-id x.json a/id ", 400)
	for _, c := range cmdWordCases {
		if c.v == "" {
			continue // no parameter is empty (queryValues keeps 2 bytes and more)
		}
		check(c.s, c.v)
		check(pad+c.s, c.v)
		check(c.s+" "+pad, c.v)
	}
}

// TestHostileManyRequestsLongLine: many requests beside a long command
// line: the value carried is found whatever the padding around it, and
// a value of punctuation alone names no command.
func TestHostileManyRequestsLongLine(t *testing.T) {
	pad := strings.Repeat("qz1 wx-2 id-x ", 80000) // 1.1 MB
	line := newCmdWords(pad + "; cat /etc/passwd; " + pad)
	for i := 0; i < 20000; i++ {
		if got := carriedIn([]string{"x" + strings.Repeat("y", i%50), "cat /etc/passwd"}, line); got != "cat /etc/passwd" {
			t.Fatalf("request %d: carried %q", i, got)
		}
	}
	if got := carriedIn([]string{";;", "../"}, newCmdWords("sh -c ;; ../")); got != "" {
		t.Errorf("punctuation carried: %q", got)
	}
}

func FuzzCmdWords(f *testing.F) {
	for _, c := range cmdWordCases {
		f.Add(c.s, c.v)
	}
	f.Fuzz(func(t *testing.T, s, v string) {
		if v == "" {
			return
		}
		defer func(n int) { indexWordsFrom = n }(indexWordsFrom)
		indexWordsFrom = 0
		w := newCmdWords(s)
		for _, hyph := range []bool{false, true} {
			if got, want := w.containsWord(v, hyph), containsWord(s, v, hyph); got != want {
				t.Fatalf("containsWord(%q, %q, %v): index %v, direct %v", s, v, hyph, got, want)
			}
		}
		if got, want := w.standsAlone(v), standsAlone(s, v); got != want {
			t.Fatalf("standsAlone(%q, %q): index %v, direct %v", s, v, got, want)
		}
	})
}
