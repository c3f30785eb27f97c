package parser

import (
	"fmt"
	"strings"
	"testing"
)

// TestHostsBound: the tree lists every host up to MaxHosts (65 536 was a
// silent cap), and counts the processes on hosts past it.
func TestHostsBound(t *testing.T) {
	for _, c := range []struct {
		name         string
		hosts, max   int
		wantListed   int
		wantUnlisted int
	}{
		{"past the old silent cap", 70_000, 0, 70_000, 0},
		{"at the bound", 5, 5, 5, 0},
		{"past the bound", 8, 5, 5, 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			var b strings.Builder
			for i := 0; i < c.hosts; i++ {
				fmt.Fprintf(&b, "node=h%d type=SYSCALL msg=audit(1773483631.000:%d): arch=c000003e syscall=59 success=yes exit=0 ppid=0 pid=100 uid=0 comm=\"x\" exe=\"/bin/x\"\n", i, i+1)
			}
			ins, skipped := Resolve([]string{"-"}, strings.NewReader(b.String()))
			if len(ins) != 1 {
				t.Fatalf("skipped %v", skipped)
			}
			r := NewReader(ins, Options{Limits: Limits{MaxHosts: c.max}})
			defer r.Close()
			if err := r.All(func(*Event) {}); err != nil {
				t.Fatal(err)
			}
			max, unlisted := r.Tree().HostsCut()
			if got := len(r.Tree().Hosts()); got != c.wantListed || unlisted != c.wantUnlisted {
				t.Errorf("%d hosts listed, %d processes unlisted; want %d, %d", got, unlisted, c.wantListed, c.wantUnlisted)
			}
			if c.max > 0 && max != c.max {
				t.Errorf("HostsCut max %d, want %d", max, c.max)
			}
		})
	}
}
