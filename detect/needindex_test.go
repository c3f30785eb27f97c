package detect

import (
	"strings"
	"testing"
)

// FuzzLitTable: a table's scan finds exactly the literals a value holds
// (strings.Contains), short ones and long ones sharing their first bytes.
func FuzzLitTable(f *testing.F) {
	f.Add("/usr/bin/\n/usr/bin/curl\n/us\n/curl\n-o \nbin", "/usr/bin/curl -o x /usr/bin")
	f.Add("aaaa\naaa\naa\naaaaa", "aaaaaa")
	f.Add("sh\npython\nperl\n.txt", "sh /tmp/a.txt")
	f.Fuzz(func(t *testing.T, lits, v string) {
		tab := &litTable{ids: map[string]int{}, starts: map[uint16][]int{}}
		for _, l := range strings.Split(lits, "\n") {
			if len(l) >= minLiteral {
				tab.id(l)
			}
		}
		tab.freeze()
		found := make([]uint64, (len(tab.lits)+63)/64)
		tab.scan(v, found)
		for id, l := range tab.lits {
			got := found[id/64]&(1<<(id%64)) != 0
			if want := strings.Contains(v, l); got != want {
				t.Fatalf("literal %q in %q: scan says %v", l, v, got)
			}
		}
	})
}

// BenchmarkLitScan scans a busy web server's routine exec values with the
// built-in rules' literal tables of the fields they are scanned for.
func BenchmarkLitScan(b *testing.B) {
	e, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	tables := map[string]*litTable{}
	for _, r := range e.rules {
		if r.det == nil {
			continue
		}
		for _, c := range r.det.need {
			if c.tab != nil {
				tables[c.ref.name] = c.tab
			}
		}
	}
	values := map[string][]string{
		"Image":       {"/usr/bin/php-fpm8.2", "/usr/sbin/nginx", "/usr/bin/dash", "/usr/bin/uptime", "/usr/lib/postgresql/15/bin/postgres", "/usr/bin/python3.11"},
		"CommandLine": {"sh -c date -u +%y-%m-%dt%h:%m:%sz", "/usr/bin/python3 /opt/app/manage.py runjobs --settings=app.settings.prod", "uptime", "/usr/sbin/logrotate /etc/logrotate.conf", "curl -fss -o /dev/null http://127.0.0.1:8080/health"},
	}
	for _, field := range []string{"Image", "CommandLine"} {
		t, vs := tables[field], values[field]
		if t == nil {
			b.Fatalf("no table for %s", field)
		}
		n := 0
		for _, v := range vs {
			n += len(v)
		}
		found := make([]uint64, (len(t.lits)+63)/64)
		b.Run(field, func(b *testing.B) {
			b.SetBytes(int64(n))
			for b.Loop() {
				for _, v := range vs {
					t.scan(v, found)
				}
			}
		})
	}
}
