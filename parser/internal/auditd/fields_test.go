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

// refDecodeHex is decodeHex as it was, digit by digit with fromHex.
func refDecodeHex(s string) ([]byte, bool) {
	if len(s)%2 != 0 {
		return nil, false
	}
	out := make([]byte, len(s)/2)
	for i := range out {
		hi, ok1 := fromHex(s[2*i])
		lo, ok2 := fromHex(s[2*i+1])
		if !ok1 || !ok2 {
			return nil, false
		}
		out[i] = hi<<4 | lo
	}
	return out, true
}

// FuzzDecodeHex: the table-driven decodeHex and validString agree with
// the digit-by-digit decoding on any text.
func FuzzDecodeHex(f *testing.F) {
	f.Add("2F62696E2F7368")
	f.Add("2f62696e2F73")
	f.Add("2G")
	f.Add("abc")
	f.Add("\x00\xff")
	f.Fuzz(func(t *testing.T, s string) {
		want, ok := refDecodeHex(s)
		got, err := decodeHex(s)
		if (err == nil) != ok || string(got) != string(want) {
			t.Fatalf("decodeHex(%q) = %x, %v; digit by digit %x, %v", s, got, err, want, ok)
		}
		if v := validString(field{Key: "proctitle", Value: s}); v != (ok || absent(s)) {
			t.Fatalf("validString(%q) = %v, decodes %v", s, v, ok)
		}
	})
}
