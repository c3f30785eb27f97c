package lazydfa

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// cases are expressions and texts where a DFA is easy to get wrong: the
// empty-width assertions at either end and between runes, case folding,
// multi-line anchors, non-ASCII and invalid UTF-8, counted repetitions.
var cases = []struct{ re, text string }{
	{`^abc$`, "abc"}, {`^abc$`, "xabc"}, {`^abc$`, "abc\n"},
	{`(?m)^abc$`, "x\nabc\ny"}, {`(?m)^abc$`, "xabc\n"},
	{`\bfoo\b`, "a foo b"}, {`\bfoo\b`, "afoo"}, {`\bfoo\b`, "foo"}, {`\Bfoo`, "afoo"}, {`\Bfoo`, "foo"},
	{`(?i)CURL\s`, "x curl y"}, {`(?i)ſ`, "s"}, {`(?i)k`, "\u212a"},
	{`é+x`, "ééx"}, {`.x`, "\xffx"}, {`\x{fffd}`, "\xff"}, {`[^a]`, "\xff"},
	{`a{3,5}b`, "aaab"}, {`a{3,5}b`, "aab"}, {`(?s).b`, "\nb"}, {`.b`, "\nb"},
	{`$`, ""}, {`^`, ""}, {`\b`, ""}, {`\B`, ""}, {`x*`, ""}, {`a|^$`, ""},
	{`(^|[\s;|&(])(while|until|for)\s`, strings.Repeat("x ", 1000) + "; for i"},
	{`[0-9a-f]{24,63}\.`, strings.Repeat("ab", 20) + "."},
	{`\b(https?|ftp)://`, "xhttp://"}, {`\b(https?|ftp)://`, " http://"},
}

func TestMatchStringAgrees(t *testing.T) {
	for _, c := range cases {
		re := regexp.MustCompile(c.re)
		m := New(re)
		if got, want := m.MatchString(c.text), re.MatchString(c.text); got != want {
			t.Errorf("%q on %q: DFA %v, regexp %v", c.re, c.text, got, want)
		}
		sameFinds(t, re, m, c.text)
	}
}

// TestCacheReset: a text that builds more states than a cache holds is
// matched right across the clear (a counted repetition of a class is a
// new state per count and start).
func TestCacheReset(t *testing.T) {
	defer func(s, w int) { maxStates, maxWideMem = s, w }(maxStates, maxWideMem)
	maxStates, maxWideMem = 8, 4
	re := regexp.MustCompile(`[a-z]{1,20}[0-9]{1,20}!|é{3}`)
	var b strings.Builder
	for i := 0; i < 3000; i++ {
		b.WriteString("ab1")
	}
	for _, text := range []string{b.String(), b.String() + "!", "x" + b.String()[:5000] + "2!", "éaé1éé!ééé", "éaé1éé!éé"} {
		if got, want := New(re).MatchString(text), re.MatchString(text); got != want {
			t.Errorf("len %d: DFA %v, regexp %v", len(text), got, want)
		}
		sameFinds(t, re, New(re), text)
	}
}

func FuzzMatchString(f *testing.F) {
	for _, c := range cases {
		f.Add(c.re, c.text)
	}
	f.Fuzz(func(t *testing.T, expr, text string) {
		if len(expr) > 200 || len(text) > 4096 {
			return
		}
		re, err := regexp.Compile(expr)
		if err != nil {
			return
		}
		m := New(re)
		got := m.MatchString(text)
		if want := re.MatchString(text); got != want {
			t.Fatalf("%q on %q: DFA %v, regexp %v", expr, text, got, want)
		}
		// the cache built by the first text serves the second run
		if again := m.MatchString(text); again != got {
			t.Fatalf("%q on %q: second run %v, first %v", expr, text, again, got)
		}
		sameFinds(t, re, m, text)
	})
}

// sameFinds fails t unless m's FindAll… and Split give regexp's answers.
func sameFinds(t *testing.T, re *regexp.Regexp, m *Matcher, text string) {
	t.Helper()
	for _, n := range []int{-1, 0, 1, 3} {
		if got, want := m.FindAllStringSubmatchIndex(text, n), re.FindAllStringSubmatchIndex(text, n); !reflect.DeepEqual(got, want) {
			t.Fatalf("%q on %q, n=%d: FindAllStringSubmatchIndex %v, regexp %v", re, text, n, got, want)
		}
		if got, want := m.FindAllString(text, n), re.FindAllString(text, n); !reflect.DeepEqual(got, want) {
			t.Fatalf("%q on %q, n=%d: FindAllString %q, regexp %q", re, text, n, got, want)
		}
		if got, want := m.Split(text, n), re.Split(text, n); !reflect.DeepEqual(got, want) {
			t.Fatalf("%q on %q, n=%d: Split %q, regexp %q", re, text, n, got, want)
		}
	}
}

// TestConcurrent: one Matcher used from many goroutines at once (each
// takes its own cache from the pool) gives regexp's answers; run with
// -race.
func TestConcurrent(t *testing.T) {
	re := regexp.MustCompile(`(^|[\s;|&(/])(curl|wget)\s[^;|&]*(https?://)?([0-9]{1,3}\.){3}[0-9]{1,3}`)
	m := New(re)
	texts := []string{strings.Repeat("x ", 5000) + "curl -s 10.1.2.3", "wget http://a", strings.Repeat("é;", 3000) + " wget 1.2.3.4"}
	done := make(chan bool)
	for g := 0; g < 8; g++ {
		go func() {
			defer func() { done <- true }()
			for i := 0; i < 20; i++ {
				for _, s := range texts {
					if m.MatchString(s) != re.MatchString(s) || !reflect.DeepEqual(m.FindAllStringIndex(s, -1), re.FindAllStringIndex(s, -1)) {
						t.Errorf("goroutine answer differs on %.40q", s)
						return
					}
				}
			}
		}()
	}
	for g := 0; g < 8; g++ {
		<-done
	}
}
