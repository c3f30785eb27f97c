package timeline

import (
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// TestMayRunCode: a static file served with success runs no code, unless
// the application is named as serving it or the log gives it a duration
// no file takes to send (a card PDF rendered by a forked worker).
func TestMayRunCode(t *testing.T) {
	for _, c := range []struct {
		name string
		r    parser.HTTPRequest
		want bool
	}{
		{"a stylesheet", parser.HTTPRequest{Method: "GET", Path: "/board.css", Status: 200, Duration: 900 * time.Microsecond, HasDuration: true}, false},
		{"a PDF the app rendered in 320 ms", parser.HTTPRequest{Method: "GET", Path: "/route/104/card.pdf", Status: 200, Duration: 320 * time.Millisecond, HasDuration: true}, true},
		{"a PDF with no duration in the log", parser.HTTPRequest{Method: "GET", Path: "/route/104/card.pdf", Status: 200}, false},
		{"a page", parser.HTTPRequest{Method: "GET", Path: "/route/104", Status: 200}, true},
		{"a POST to a static-looking path", parser.HTTPRequest{Method: "POST", Path: "/upload.json", Status: 200}, true},
		{"a worker named by the app's log", parser.HTTPRequest{Method: "GET", Path: "/x.png", Status: 200, WorkerPID: 4950}, true},
	} {
		if got := mayRunCode(&c.r); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
