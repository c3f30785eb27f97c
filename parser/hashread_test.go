package parser

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHashedOnceChangedBetweenReads: a plain auditd file is hashed by a read
// of its own, its first (hashread.go), and only counted by the reads after
// it, so a file that grows or shrinks between them is reported, not
// silently analysed as other bytes than the hash covers.
func TestHashedOnceChangedBetweenReads(t *testing.T) {
	pieces := labAuditPieces(t, 2)
	whole := bytes.Join(pieces, nil)
	tests := []struct {
		name   string
		second []byte // what the opens after the first return
		want   string // in the input's errors; "" for none
	}{
		{"unchanged", whole, ""},
		{"grew", append(bytes.Clone(whole), pieces[1]...), "changed while it was read"},
		{"shrank", pieces[0], "changed while it was read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "audit.log")
			if err := os.WriteFile(p, whole, 0o600); err != nil {
				t.Fatal(err)
			}
			ins, skipped := Resolve([]string{p}, nil)
			if len(skipped) > 0 || len(ins) != 1 {
				t.Fatalf("inputs %v, skipped %v", ins, skipped)
			}
			opens := 0
			ins[0].open = func() (io.ReadCloser, error) {
				opens++
				if opens == 1 {
					return io.NopCloser(bytes.NewReader(whole)), nil
				}
				return io.NopCloser(bytes.NewReader(tt.second)), nil
			}
			r := NewReader(ins, Options{})
			if err := r.All(func(*Event) {}); err != nil {
				t.Fatal(err)
			}
			r.Close()
			in := ins[0]
			if opens < 2 || !in.hashedApart || in.Bytes != int64(len(whole)) {
				t.Fatalf("opened %d times, hashed apart %v, %d bytes", opens, in.hashedApart, in.Bytes)
			}
			var msgs []string
			for _, e := range in.Errors.List {
				msgs = append(msgs, e.Error())
			}
			got := strings.Join(msgs, "\n")
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Errorf("errors %q, want %q", got, tt.want)
			}
		})
	}
}
