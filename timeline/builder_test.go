package timeline

import (
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// Observe says which events it kept, and a kept request keeps its text
// through Compact (a chain's report quotes it) while a kept file write
// lets it go.
func TestObserveKept(t *testing.T) {
	b, err := NewBuilder(Options{})
	if err != nil {
		t.Fatal(err)
	}
	raw := func() []parser.Evidence { return []parser.Evidence{{Raw: "type=… msg=audit(1.000:1): …"}} }
	tests := []struct {
		name     string
		ev       *parser.Event
		kept     bool
		keepText bool
	}{
		{"file write", &parser.Event{Kind: parser.KindFileWrite, Success: true, Path: "/tmp/x", Evidence: raw()}, true, false},
		{"failed file write", &parser.Event{Kind: parser.KindFileWrite, Exit: -13, Path: "/tmp/x", Evidence: raw()}, false, false},
		{"inet connect", &parser.Event{Kind: parser.KindConnect, Success: true, Peer: parser.Addr{Family: "inet", IP: "127.0.0.1", Port: 4444}, Evidence: raw()}, true, false},
		{"unix connect", &parser.Event{Kind: parser.KindConnect, Success: true, Peer: parser.Addr{Family: "unix", Path: "/run/x"}, Evidence: raw()}, false, false},
		{"request that may run code", &parser.Event{Kind: parser.KindHTTP, Source: "access-log", HTTP: &parser.HTTPRequest{Method: "POST", Path: "/upload.php", Status: 200}, Evidence: raw()}, true, true},
		{"static file", &parser.Event{Kind: parser.KindHTTP, Source: "access-log", HTTP: &parser.HTTPRequest{Method: "GET", Path: "/logo.png", Status: 200}, Evidence: raw()}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := b.Observe(tt.ev); got != tt.kept {
				t.Fatalf("kept = %t, want %t", got, tt.kept)
			}
			if !tt.kept {
				return
			}
			tt.ev.Compact()
			if got := tt.ev.Evidence[0].Raw != ""; got != tt.keepText {
				t.Errorf("text kept = %t, want %t", got, tt.keepText)
			}
		})
	}
}
