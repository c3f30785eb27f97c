package accesslog

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser/internal/event"
	"github.com/google/go-cmp/cmp"
)

// The samples follow the line core/logging.c (uwsgi_logit_simple) writes
// when no --log-format is given, as the uWSGI docs show it
// (https://uwsgi-docs.readthedocs.io/en/latest/LogFormat.html lists what
// each part is: %(ctime) "ctime of the start of the request", %(msecs)).
func TestParseUWSGI(t *testing.T) {
	tests := []struct {
		name     string
		line     string
		want     event.HTTPRequest
		wantUser string
		wantTime string
		wantErr  string
	}{
		{
			name:     "default line: start time, msecs forward",
			line:     `[pid: 1234|app: 0|req: 1/1] 127.0.0.1 () {34 vars in 402 bytes} [Sat Dec  5 03:12:02 2026] GET /notes/search?q=x => generated 12 bytes in 3 msecs (HTTP/1.1 200) 2 headers in 79 bytes (1 switches on core 0)`,
			want:     event.HTTPRequest{Client: "127.0.0.1", Method: "GET", Path: "/notes/search", Query: "q=x", Proto: "HTTP/1.1", Status: 200, Bytes: 12, Duration: 3 * time.Millisecond, HasDuration: true, ReceiveTime: true},
			wantTime: "2026-12-05T03:12:02Z",
		},
		{
			name:     "two-digit day, user, --log-micros, sendfile",
			line:     `[pid: 77|app: -1|req: -1/15] 203.0.113.50 (admin) {40 vars in 741 bytes} [Sat Dec 12 23:59:59 2026] POST /upload => generated 2566 bytes in 45123 micros via sendfile() (HTTP/1.0 201) 7 headers in 241 bytes (2 switches on core 1)`,
			want:     event.HTTPRequest{Client: "203.0.113.50", Method: "POST", Path: "/upload", Proto: "HTTP/1.0", Status: 201, Bytes: 2566, Duration: 45123 * time.Microsecond, HasDuration: true, ReceiveTime: true},
			wantUser: "admin",
			wantTime: "2026-12-12T23:59:59Z",
		},
		{
			name:     "vhost prefix; the client's URI holds the tail's marker and spaces",
			line:     `notes.example.test [pid: 9|app: 0|req: 3/3] ::1 () {30 vars in 300 bytes} [Sat Dec  5 03:12:02 2026] GET /a b => generated 1 bytes in 9 msecs (HTTP/1.1 404) => generated 5 bytes in 2 msecs (HTTP/1.1 200) 2 headers in 79 bytes (1 switches on core 0)`,
			want:     event.HTTPRequest{VHost: "notes.example.test", Client: "::1", Method: "GET", Path: "/a b => generated 1 bytes in 9 msecs (HTTP/1.1 404)", Proto: "HTTP/1.1", Status: 200, Bytes: 5, Duration: 2 * time.Millisecond, HasDuration: true, ReceiveTime: true},
			wantTime: "2026-12-05T03:12:02Z",
		},
		{
			name:     "memory report prefix",
			line:     `{address space usage: 123 bytes/0MB} {rss usage: 45 bytes/0MB} [pid: 9|app: 0|req: 3/3] 10.0.0.1 () {30 vars in 300 bytes} [Sat Dec  5 03:12:02 2026] GET / => generated 5 bytes in 0 msecs (HTTP/1.1 200) 2 headers in 79 bytes (1 switches on core 0)`,
			want:     event.HTTPRequest{Client: "10.0.0.1", Method: "GET", Path: "/", Proto: "HTTP/1.1", Status: 200, Bytes: 5, HasDuration: true, ReceiveTime: true},
			wantTime: "2026-12-05T03:12:02Z",
		},
		{
			name:     "--log-date prefix (the logger's time, not the request's)",
			line:     `Sat Dec  5 03:12:09 2026 - [pid: 9|app: 0|req: 3/3] 10.0.0.1 () {30 vars in 300 bytes} [Sat Dec  5 03:12:02 2026] GET / => generated 5 bytes in 7012 msecs (HTTP/1.1 200) 2 headers in 79 bytes (1 switches on core 0)`,
			want:     event.HTTPRequest{Client: "10.0.0.1", Method: "GET", Path: "/", Proto: "HTTP/1.1", Status: 200, Bytes: 5, Duration: 7012 * time.Millisecond, HasDuration: true, ReceiveTime: true},
			wantTime: "2026-12-05T03:12:02Z",
		},
		{
			name:     "uWSGI's short form of a line over 4 KiB",
			line:     `[pid: 9|app: 0|req: 3/3] 0.0.0.0 () {30 vars in 9000 bytes} [Sat Dec  5 03:12:02 2026] - - => generated 0 bytes in 1 msecs (- 414) 0 headers in 0 bytes (0 switches on core 0)`,
			want:     event.HTTPRequest{Client: "0.0.0.0", Status: 414, Duration: time.Millisecond, HasDuration: true, ReceiveTime: true},
			wantTime: "2026-12-05T03:12:02Z",
		},
		{
			name:     "a combined line whose request holds the markers stays combined",
			line:     `10.0.0.1 - - [05/Dec/2026:03:12:02 +0000] "GET /[pid: 1|req: => generated  HTTP/1.1" 404 0 "-" "ua"`,
			want:     event.HTTPRequest{Client: "10.0.0.1", Method: "GET", Path: "/[pid: 1|req: => generated", Proto: "HTTP/1.1", Status: 404, UserAgent: "ua"},
			wantTime: "2026-12-05T03:12:02Z",
		},
		{name: "bad time", line: `[pid: 1|app: 0|req: 1/1] 1.2.3.4 () {1 vars in 2 bytes} [Sat Dec 32 03:12:02 2026] GET / => generated 1 bytes in 1 msecs (HTTP/1.1 200) 1 headers in 1 bytes (1 switches on core 0)`, wantErr: "time"},
		{name: "unknown tail", line: `[pid: 1|app: 0|req: 1/1] 1.2.3.4 () {1 vars in 2 bytes} [Sat Dec  5 03:12:02 2026] GET / => generated lots`, wantErr: "tail"},
		{
			name:     "huge duration not believed but line kept",
			line:     `[pid: 1|app: 0|req: 1/1] 1.2.3.4 () {1 vars in 2 bytes} [Sat Dec  5 03:12:02 2026] GET / => generated 1 bytes in 9999999999999999999 msecs (HTTP/1.1 200) 1 headers in 1 bytes (1 switches on core 0)`,
			want:     event.HTTPRequest{Client: "1.2.3.4", Method: "GET", Path: "/", Proto: "HTTP/1.1", Status: 200, Bytes: 1, ReceiveTime: true},
			wantTime: "2026-12-05T03:12:02Z",
		},
		{name: "no vars block", line: `[pid: 1|app: 0|req: 1/1] 1.2.3.4 () [Sat Dec  5 03:12:02 2026] GET / => generated 1 bytes in 1 msecs (HTTP/1.1 200)`, wantErr: "vars"},
		{name: "uWSGI's own message", line: `[pid: 1|app: 0|req: 1/1] => generated nothing`, wantErr: "uWSGI"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse([]byte(tt.line))
			if tt.wantErr != "" {
				if !errors.Is(err, event.ErrFormat) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want ErrFormat naming %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, r.Req); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
			if r.User != tt.wantUser {
				t.Errorf("user = %q, want %q", r.User, tt.wantUser)
			}
			if want := utc(tt.wantTime); !r.Time.Equal(want) || r.Time.Location() != time.UTC {
				t.Errorf("time = %v, want %v", r.Time, want)
			}
		})
	}
}

// TestDurationUnits: a duration field that names its unit is read in it;
// "rt=12ms" is 12 ms, never 12 s (and was ignored before).
func TestDurationUnits(t *testing.T) {
	const head = `127.0.0.1 - - [05/Dec/2026:03:12:02 +0000] "GET / HTTP/1.1" 200 5 "-" "ua" `
	tests := []struct {
		tail string
		want time.Duration
		ok   bool
	}{
		{"rt=12ms", 12 * time.Millisecond, true},
		{"rt=0.012", 12 * time.Millisecond, true},
		{"request_time=350us", 350 * time.Microsecond, true},
		{"duration=1.5s", 1500 * time.Millisecond, true},
		{"duration_ms=12", 12 * time.Millisecond, true},
		{"rt=-12ms", 0, false},
		{"rt=12parsecs", 0, false},
		{"rt=48h", 0, false}, // beyond the bound
		{"size=12ms", 0, false},
	}
	for _, tt := range tests {
		r, err := Parse([]byte(head + tt.tail))
		if err != nil {
			t.Fatalf("%s: %v", tt.tail, err)
		}
		if r.Req.HasDuration != tt.ok || r.Req.Duration != tt.want {
			t.Errorf("%s: duration %v (has %v), want %v (has %v)", tt.tail, r.Req.Duration, r.Req.HasDuration, tt.want, tt.ok)
		}
	}
	r, err := Parse([]byte(`{"time_local":"05/Dec/2026:03:12:02 +0000","request":"GET / HTTP/1.1","status":200,"duration":"12ms"}`))
	if err != nil || !r.Req.HasDuration || r.Req.Duration != 12*time.Millisecond {
		t.Errorf("JSON \"12ms\": %v %+v", err, r.Req)
	}
}

func TestSniffUWSGI(t *testing.T) {
	line := `[pid: 1234|app: 0|req: 1/1] 127.0.0.1 () {34 vars in 402 bytes} [Sat Dec  5 03:12:02 2026] GET / => generated 12 bytes in 3 msecs (HTTP/1.1 200) 2 headers in 79 bytes (1 switches on core 0)`
	if !Sniff([]byte(line)) {
		t.Error("a uWSGI request line is not sniffed")
	}
	for _, l := range []string{
		`*** Starting uWSGI 2.0.28 (64bit) on [Sat Dec  5 03:10:00 2026] ***`,
		`spawned uWSGI worker 1 (pid: 1235, cores: 1)`,
	} {
		if Sniff([]byte(l)) {
			t.Errorf("sniffed as an access line: %s", l)
		}
	}
}
