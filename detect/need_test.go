package detect

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// TestNeedImplied: rules' needs are what their conditions say, and the
// ones whose comparisons imply nothing of one field have none.
func TestNeedImplied(t *testing.T) {
	tests := []struct {
		rule string
		want []string // nil: no need
	}{
		{`sel: {Image|endswith: [/rm, /shred]}
condition: sel`, []string{"/rm", "/shred"}},
		// an OR of parts on one field: their literals together
		{`a: {Image|endswith: /dd, User: root}
b: {Image|endswith: /shred}
condition: a or b`, []string{"/dd", "/shred"}},
		// or, when more selective, one of each part's on their fields
		{`a: {Image|endswith: /dd, CommandLine|contains: of=/dev/}
b: {Image|endswith: /shred}
condition: a or b`, []string{"/shred", "of=/dev/"}},
		// an AND: the more selective part
		{`a: {CommandLine|contains: /var/log/audit}
b: {Image|endswith: /rm}
condition: a and b`, []string{"/var/log/audit"}},
		{`a: {CommandLine|re: '(?i)secret\s+key'}
condition: a`, []string{"ecret"}},
		// a NOT, presence or an unlisted field imply nothing
		{`a: {Image|endswith: /rm}
condition: not a`, nil},
		{`a: {Image|endswith: /rm}
b: {User: root}
condition: a or b`, nil},
		// parts on different fields: one of each part's
		{`a: {Image|startswith: /tmp/}
b: {CommandLine|contains: /dev/shm/}
condition: a or b`, []string{"/dev/shm/", "/tmp/"}},
		{`a: {CommandLine|exists: true}
condition: a`, nil},
		{`a: {CommandLine|contains|all: [-x, /tmp/foo]}
condition: a`, []string{"/tmp/foo"}},
	}
	for _, tt := range tests {
		doc := "title: t\nid: t\nlogsource: {product: linux, category: process_creation}\ndetection:\n" + indent(tt.rule) + "\nlevel: high\n"
		var ft fieldTable
		rs := parseRuleFile("t.yml", []byte(doc), &ft)
		if len(rs) != 1 || rs[0].det == nil {
			t.Fatalf("%q: not compiled: %v", tt.rule, rs[0].Problems)
		}
		n := rs[0].det.need
		var got []string
		for _, c := range n {
			got = append(got, c.lits...)
		}
		slices.Sort(got)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("%q: need %q, want %q", tt.rule, got, tt.want)
		}
	}
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}

// withoutNeeds is the engine with every rule's need taken away: the
// reference the needs must not change.
func withoutNeeds(t testing.TB) *Engine {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range e.Rules() {
		if r.det != nil {
			r.det.need, r.det.also = nil, nil
		}
	}
	return e
}

// TestNeedLab: on every lab capture the findings are the same with and
// without the needs.
func TestNeedLab(t *testing.T) {
	if testing.Short() {
		t.Skip("parses every capture")
	}
	for _, dir := range labCaptures(t) {
		evs, tree := labEvents(t, dir)
		with, err := New(Options{})
		if err != nil {
			t.Fatal(err)
		}
		a, err := reportJSON(runLab(t, with, evs, tree))
		if err != nil {
			t.Fatal(err)
		}
		b, err := reportJSON(runLab(t, withoutNeeds(t), evs, tree))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s: findings differ with the rules' needs:\n%s\nwithout:\n%s", dir, a, b)
		}
	}
}

// FuzzNeed: an exec (under a parent exec) that a built-in rule's
// condition matches always meets the rule's need.
func FuzzNeed(f *testing.F) {
	for _, s := range [][4]string{
		{"/usr/sbin/nginx", "nginx: worker process", "/usr/bin/rm", "rm -rf /var/www/html"},
		{"/bin/sh", "sh -c x", "/usr/bin/xmrig", "xmrig -o stratum+tcp://pool:3333 --donate-level=1"},
		{"/usr/sbin/php-fpm8.2", "php-fpm: pool www", "/bin/sh", "sh -c cat /etc/passwd | grep -i PASSWORD"},
		{"/bin/bash", "bash", "/usr/bin/dd", "dd if=/dev/zero of=/var/lib/mysql/ibdata1"},
		{"/usr/sbin/apache2", "apache2 -k start", "/usr/bin/python3", "python3 /var/www/uploads/x.TXT"},
		{"/bin/bash", "bash -i", "/usr/bin/truncate", "truncate -s0 /var/log/audit/audit.log"},
	} {
		f.Add(s[0], s[1], s[2], s[3])
	}
	e, err := New(Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, pexe, pcmd, exe, cmd string) {
		s := newSynth()
		s.exec(100, 1, 33, "www-data", "/var/www", pexe, strings.Fields(pcmd)...)
		ev := s.exec(200, 100, 33, "www-data", "/var/www", exe, strings.Fields(cmd)...)
		c := &e.ctx
		c.reset(ev, s.tree, len(e.ft.refs))
		for _, r := range e.byKind.of(ev.Kind) {
			n := r.det.need
			if n == nil || !r.cat.applies(ev) {
				continue
			}
			c.cat = r.cat
			if r.det.cond.eval(c) && !metAll(n, r.det.also, c) {
				t.Fatalf("rule %s matches %q (parent %q) but its need %v is not met", r.ID, cmd, pcmd, n)
			}
		}
	})
}

// BenchmarkNeeds runs the built-in rules over the lab's events with the
// rules' needs and without them (withoutNeeds): what skipping rules before
// their conditions saves, in one binary. SetBytes counts the events'
// record text, so MB/s compares with the parse benchmarks.
func BenchmarkNeeds(b *testing.B) {
	evs, tree := labEvents(b, labCapture(b))
	var size int64
	for _, ev := range evs {
		for _, x := range ev.Evidence {
			size += int64(len(x.Raw))
		}
	}
	for _, bc := range []struct {
		name string
		eng  func() *Engine
	}{
		{"with", func() *Engine {
			e, err := New(Options{})
			if err != nil {
				b.Fatal(err)
			}
			return e
		}},
		{"without", func() *Engine { return withoutNeeds(b) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			e := bc.eng() // one engine for all rounds, as BenchmarkObserve
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				for _, ev := range evs {
					e.Observe(ev, tree)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(evs)), "ns/event")
		})
	}
}

// TestNeedAlso: an AND of two parts on one field implies both parts'
// literals: the rule keeps the more selective as its need and the other as
// a further need (also), and an event must hold one literal of each.
func TestNeedAlso(t *testing.T) {
	doc := "title: t\nid: t\nlogsource: {product: linux, category: process_creation}\ndetection:\n" + indent(`opts:
  CommandLine|contains: ['-o ', '-u ']
  CommandLine|re: '\s--(donate-level|cpu-priority)[= ]'
scheme:
  CommandLine|contains: 'stratum+tcp://'
condition: opts or scheme`) + "\nlevel: high\n"
	var ft fieldTable
	rs := parseRuleFile("t.yml", []byte(doc), &ft)
	if len(rs) != 1 || rs[0].det == nil {
		t.Fatalf("not compiled: %v", rs[0].Problems)
	}
	var got []string
	for _, n := range append([]need{rs[0].det.need}, rs[0].det.also...) {
		var lits []string
		for _, c := range n {
			lits = append(lits, c.lits...)
		}
		slices.Sort(lits)
		got = append(got, strings.Join(lits, "|"))
	}
	want := []string{"--cpu-priority |--cpu-priority=|--donate-level |--donate-level=|stratum+tcp://", "-o |-u |stratum+tcp://"}
	if !slices.Equal(got, want) {
		t.Errorf("needs %q, want %q", got, want)
	}
}

// TestNeedFileTarget: a file rule's places are a need on the event's own
// path, and a presence test or the web context beside them adds nothing.
func TestNeedFileTarget(t *testing.T) {
	doc := "title: t\nid: t\nlogsource: {product: linux, category: file_event}\ndetection:\n" + indent(`cron:
  TargetFilename|startswith: [/etc/cron, /var/spool/cron/]
keys:
  TargetFilename|endswith: /.ssh/authorized_keys
web:
  WebServerImage|exists: true
condition: (cron or keys) and web`) + "\nlevel: high\n"
	var ft fieldTable
	rs := parseRuleFile("t.yml", []byte(doc), &ft)
	if len(rs) != 1 || rs[0].det == nil {
		t.Fatalf("not compiled: %v", rs[0].Problems)
	}
	var got []string
	for _, c := range rs[0].det.need {
		got = append(got, c.ref.name+":"+strings.Join(c.lits, "|"))
	}
	want := []string{"TargetFilename:/.ssh/authorized_keys|/etc/cron|/var/spool/cron/"}
	if !slices.Equal(got, want) {
		t.Errorf("need %q, want %q", got, want)
	}
}
