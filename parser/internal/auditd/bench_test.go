package auditd

import (
	"os"
	"testing"

	"github.com/elastic/go-libaudit/v2/auparse"
)

var benchLines = []string{
	`type=SYSCALL msg=audit(1795641375.966:3001): arch=c000003e syscall=42 success=no exit=-111 a0=3 a1=55ac232cfee0 a2=10 a3=7f2c35eeaac0 items=0 ppid=867 pid=876 auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 comm="bash" exe="/usr/bin/bash" key="network_connect_4"`,
	`type=EXECVE msg=audit(1795641375.954:2996): argc=6 a0="/bin/echo" a1="acfx1795641375" a2=68656C6C6F20776F726C64 a3=636166C3A9 a4=1B5B33316D726564 a5="it's"`,
	`type=PATH msg=audit(1795641375.954:2996): item=0 name="/bin/echo" inode=247141 dev=fe:00 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0`,
}

// BenchmarkFieldsScan is our field scanner over hot-path records; compare
// with BenchmarkFieldsAuparseData, go-libaudit's regexp-based Data().
func BenchmarkFieldsScan(b *testing.B) {
	lp := newLineParser()
	b.ReportAllocs()
	for b.Loop() {
		for _, l := range benchLines {
			h, _ := lp.parse([]byte(l))
			scanFields(l[h.Body:h.Enriched], func(field) bool { return true })
		}
	}
}

// BenchmarkFieldsAuparseData is the rival of BenchmarkFieldsScan.
func BenchmarkFieldsAuparseData(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, l := range benchLines {
			m, err := auparse.ParseLogLine(l)
			if err != nil {
				b.Fatal(err)
			}
			m.Data()
		}
	}
}

// BenchmarkNormalize is normalization alone, on one goroutine, over the
// events of the lab's busy innocent day (reassembled once, beforehand):
// the parser's largest stage, measured without the pipeline around it.
func BenchmarkNormalize(b *testing.B) {
	// under 1 MB since its re-capture with request truth: not gzipped
	f, err := os.Open("../../../testdata/lab/benign-day/audit.log")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	in := testInput("benign-day")
	a := newAssembler(in, f, 0, Limits{})
	var raws []*rawEvent
	size := 0
	for {
		raw, err := a.next()
		if err != nil {
			break
		}
		raws = append(raws, raw)
		size += len(raw.buf)
	}
	n := newNormalizer(&Options{})
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, raw := range raws {
			n.normalize(in, raw)
		}
	}
}
