package auditd

import (
	"errors"
	"testing"
)

func TestScanFields(t *testing.T) {
	var got []field
	scanFields(`a=1 b="two words" msg='op=x res=success' word c= d=(null)`, func(f field) bool {
		got = append(got, f)
		return true
	})
	want := []field{{"a", "1", 0}, {"b", "two words", '"'}, {"msg", "op=x res=success", '\''}, {"c", "", 0}, {"d", "(null)", 0}}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("field %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestSockaddr(t *testing.T) {
	tests := []struct {
		name, hex, want string
		wantErr         error
	}{
		{"inet", "020011517F0000010000000000000000", "127.0.0.1:4433", nil},
		{"inet6 loopback", "0A001F90000000000000000000000000000000000000000100000000", "[::1]:8080", nil},
		{"inet6 v4-mapped", "0A001F90" + "00000000" + "00000000000000000000FFFF7F000001" + "00000000", "127.0.0.1:8080", nil},
		{"unix", "01002F72756E2F6E7363642F736F636B657400", "/run/nscd/socket", nil},
		{"abstract unix", "0100006162630000", "@abc", nil},
		{"netlink", "100000000000000000000000", "netlink", nil},
		{"odd hex", "0200115", "", ErrField},
		{"short inet", "0200", "", ErrField},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := parseSockaddr(tt.hex)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err == nil && a.String() != tt.want {
				t.Errorf("got %q, want %q", a.String(), tt.want)
			}
		})
	}
}
