package accesslog

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser/internal/event"
	"github.com/google/go-cmp/cmp"
)

// The samples follow Caddy's documented entry
// (https://caddyserver.com/docs/logging) and encoder options
// (https://caddyserver.com/docs/caddyfile/directives/log: time_format,
// duration_format), with the fields modules/caddyhttp/server.go logRequest
// writes; times are moved to the lab's days.
func TestParseCaddy(t *testing.T) {
	const docEntry = `{"level":"info","ts":1646861401.5241024,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"127.0.0.1","remote_port":"41342","client_ip":"127.0.0.1","proto":"HTTP/2.0","method":"GET","host":"localhost","uri":"/","headers":{"User-Agent":["curl/7.82.0"],"Accept":["*/*"],"Accept-Encoding":["gzip, deflate, br"]},"tls":{"resumed":false,"version":772,"cipher_suite":4865,"proto":"h2","server_name":"example.com"}},"bytes_read":0,"user_id":"","duration":0.000929675,"size":10900,"status":200,"resp_headers":{"Server":["Caddy"],"Content-Encoding":["gzip"],"Content-Type":["text/html; charset=utf-8"],"Vary":["Accept-Encoding"]}}`
	tests := []struct {
		name     string
		line     string
		want     event.HTTPRequest
		wantUser string
		wantTime string
		wantErr  string // a word of the error; "" for none
	}{
		{
			name:     "the documented entry",
			line:     docEntry,
			want:     event.HTTPRequest{Client: "127.0.0.1", ClientPort: 41342, Method: "GET", Path: "/", Proto: "HTTP/2.0", Status: 200, Bytes: 10900, UserAgent: "curl/7.82.0", VHost: "localhost", Duration: 929675 * time.Nanosecond, HasDuration: true, EndBy: "Caddy ts"},
			wantTime: "2022-03-09T21:30:01.5241024Z",
		},
		{
			name:     "a named logger, query, referer, basic-auth user, proxied client",
			line:     `{"level":"info","ts":1796440322.812345,"logger":"http.log.access.log0","msg":"handled request","request":{"remote_ip":"10.0.0.2","remote_port":"50412","client_ip":"203.0.113.50","proto":"HTTP/1.1","method":"POST","host":"notes.example.test","uri":"/upload.php?dir=../x&y=1","headers":{"Referer":["https://notes.example.test/"],"User-Agent":["python-requests/2.32.3","second"],"Authorization":[]}},"bytes_read":412,"user_id":"admin","duration":1.250000001,"size":54,"status":201,"resp_headers":{}}`,
			want:     event.HTTPRequest{Client: "203.0.113.50", Method: "POST", Path: "/upload.php", Query: "dir=../x&y=1", Proto: "HTTP/1.1", Status: 201, Bytes: 54, Referer: "https://notes.example.test/", UserAgent: "python-requests/2.32.3", VHost: "notes.example.test", Duration: 1250000001 * time.Nanosecond, HasDuration: true, EndBy: "Caddy ts"},
			wantUser: "admin",
			wantTime: "2026-12-05T03:12:02.812345Z",
		},
		{
			name:     "older Caddy without client_ip; level error for a 502",
			line:     `{"level":"error","ts":1796440322.5,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"127.0.0.1","remote_port":"1","proto":"HTTP/1.1","method":"GET","host":"h","uri":"/api","headers":{}},"user_id":"","duration":0.002,"size":0,"status":502,"resp_headers":{}}`,
			want:     event.HTTPRequest{Client: "127.0.0.1", ClientPort: 1, Method: "GET", Path: "/api", Proto: "HTTP/1.1", Status: 502, VHost: "h", Duration: 2 * time.Millisecond, HasDuration: true, EndBy: "Caddy ts"},
			wantTime: "2026-12-05T03:12:02.5Z",
		},
		{
			name:     "duration_format nano: an integer",
			line:     `{"ts":1796440322.25,"logger":"http.log.access","msg":"handled request","request":{"method":"GET","uri":"/"},"duration":929675,"status":200}`,
			want:     event.HTTPRequest{Method: "GET", Path: "/", Status: 200, Duration: 929675 * time.Nanosecond, HasDuration: true, EndBy: "Caddy ts"},
			wantTime: "2026-12-05T03:12:02.25Z",
		},
		{
			name:     "duration_format string",
			line:     `{"ts":1796440322.25,"msg":"handled request","request":{"method":"GET","uri":"/"},"duration":"6.31ms","status":200}`,
			want:     event.HTTPRequest{Method: "GET", Path: "/", Status: 200, Duration: 6310 * time.Microsecond, HasDuration: true, EndBy: "Caddy ts"},
			wantTime: "2026-12-05T03:12:02.25Z",
		},
		{
			name:     "time_format unix_milli_float",
			line:     `{"ts":1796440322812.345,"msg":"handled request","request":{"method":"GET","uri":"/"},"status":200}`,
			want:     event.HTTPRequest{Method: "GET", Path: "/", Status: 200, EndBy: "Caddy ts"},
			wantTime: "2026-12-05T03:12:02.812345Z",
		},
		{
			name:     "time_format unix_nano",
			line:     `{"ts":1796440322812345678,"msg":"handled request","request":{"method":"GET","uri":"/"},"status":200}`,
			want:     event.HTTPRequest{Method: "GET", Path: "/", Status: 200, EndBy: "Caddy ts"},
			wantTime: "2026-12-05T03:12:02.812345678Z",
		},
		{
			name:     "time_format iso8601",
			line:     `{"ts":"2026-12-05T04:12:02.812+0100","msg":"handled request","request":{"method":"GET","uri":"/"},"status":200}`,
			want:     event.HTTPRequest{Method: "GET", Path: "/", Status: 200, EndBy: "Caddy ts"},
			wantTime: "2026-12-05T03:12:02.812Z",
		},
		{
			name:     "time_format wall: whole seconds, UTC",
			line:     `{"ts":"2026/12/05 03:12:02","msg":"handled request","request":{"method":"GET","uri":"/"},"status":200}`,
			want:     event.HTTPRequest{Method: "GET", Path: "/", Status: 200},
			wantTime: "2026-12-05T03:12:02Z",
		},
		{
			name:     "time_format common_log",
			line:     `{"ts":"05/Dec/2026:03:12:02 +0000","msg":"handled request","request":{"method":"GET","uri":"/"},"status":200}`,
			want:     event.HTTPRequest{Method: "GET", Path: "/", Status: 200},
			wantTime: "2026-12-05T03:12:02Z",
		},
		{
			name:     "status 0: the client left before a response",
			line:     `{"ts":1796440322.5,"logger":"http.log.access","msg":"handled request","request":{"method":"GET","uri":"/slow"},"duration":30.000001,"size":0,"status":0}`,
			want:     event.HTTPRequest{Method: "GET", Path: "/slow", Duration: 30000001 * time.Microsecond, HasDuration: true, EndBy: "Caddy ts"},
			wantTime: "2026-12-05T03:12:02.5Z",
		},
		{
			name:     "an absurd duration is not believed",
			line:     `{"ts":1796440322.5,"msg":"handled request","request":{"method":"GET","uri":"/"},"duration":1e300,"status":200}`,
			want:     event.HTTPRequest{Method: "GET", Path: "/", Status: 200, EndBy: "Caddy ts"},
			wantTime: "2026-12-05T03:12:02.5Z",
		},
		{
			name:     "wrong types in optional fields are dropped",
			line:     `{"ts":1796440322.5,"msg":"handled request","request":{"remote_ip":7,"method":["GET"],"uri":{"a":1},"headers":"x","host":null},"user_id":false,"size":"big","status":"200"}`,
			want:     event.HTTPRequest{Status: 200, EndBy: "Caddy ts"},
			wantTime: "2026-12-05T03:12:02.5Z",
		},
		{name: "the error logger's record of the same request", line: `{"level":"error","ts":1796440322.5,"logger":"http.log.error.log0","msg":"dial tcp: refused","request":{"method":"GET","uri":"/"},"duration":0.001,"status":502,"err_id":"x"}`, wantErr: "http.log.error"},
		{name: "negative ts", line: `{"ts":-1796440322.5,"request":{"method":"GET","uri":"/"},"status":200}`, wantErr: "ts"},
		{name: "NaN ts", line: `{"ts":"NaN","request":{"method":"GET","uri":"/"},"status":200}`, wantErr: "ts"},
		{name: "ts an object", line: `{"ts":{"s":1},"request":{"method":"GET","uri":"/"},"status":200}`, wantErr: "ts"},
		{name: "ts beyond any time", line: `{"ts":1e30,"request":{"method":"GET","uri":"/"},"status":200}`, wantErr: "ts"},
		{name: "negative duration", line: `{"ts":1796440322.5,"request":{"method":"GET","uri":"/"},"duration":-0.5,"status":200}`, wantErr: "duration"},
		{name: "duration NaN", line: `{"ts":1796440322.5,"request":{"method":"GET","uri":"/"},"duration":"NaN","status":200}`, wantErr: "duration"},
		{name: "status an object", line: `{"ts":1796440322.5,"request":{"method":"GET","uri":"/"},"status":{"code":200}}`, wantErr: "status"},
		{name: "status out of range", line: `{"ts":1796440322.5,"request":{"method":"GET","uri":"/"},"status":1000}`, wantErr: "status"},
		{name: "no status", line: `{"ts":1796440322.5,"request":{"method":"GET","uri":"/"}}`, wantErr: "status"},
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
				t.Errorf("time = %v, want %v", r.Time.Format(time.RFC3339Nano), want.Format(time.RFC3339Nano))
			}
		})
	}
}

func TestSniffCaddy(t *testing.T) {
	access := `{"level":"info","ts":1796440322.5,"logger":"http.log.access.log0","msg":"handled request","request":{"remote_ip":"127.0.0.1","method":"GET","uri":"/"},"duration":0.001,"size":1,"status":200}`
	if !Sniff([]byte(access)) {
		t.Error("a Caddy access record is not sniffed")
	}
	for _, l := range []string{
		// Caddy's own log lines: no request, or the error logger's
		`{"level":"info","ts":1796440300.1,"logger":"tls","msg":"finished cleaning storage units"}`,
		`{"level":"error","ts":1796440322.5,"logger":"http.log.error","msg":"x","request":{"method":"GET","uri":"/"},"duration":0.001,"status":502}`,
	} {
		if Sniff([]byte(l)) {
			t.Errorf("sniffed as an access line: %s", l)
		}
	}
}

// TestParseCaddyConsole: `format console` writes zap's console entry, the
// fields as JSON after the tab-separated time, level, logger and message
// (https://caddyserver.com/docs/caddyfile/directives/log, "console";
// wall_milli times, ANSI-coloured levels by default).
func TestParseCaddyConsole(t *testing.T) {
	line := "2026/12/05 03:12:02.812\t\x1b[34mINFO\x1b[0m\thttp.log.access.log0\thandled request\t" +
		`{"request": {"remote_ip": "127.0.0.1", "remote_port": "41342", "client_ip": "127.0.0.1", "proto": "HTTP/1.1", "method": "GET", "host": "localhost", "uri": "/a?b=c", "headers": {"User-Agent": ["curl/8.5.0"]}}, "bytes_read": 0, "user_id": "", "duration": 0.000929675, "size": 10900, "status": 200, "resp_headers": {"Server": ["Caddy"]}}`
	r, err := Parse([]byte(line))
	if err != nil {
		t.Fatal(err)
	}
	want := event.HTTPRequest{Client: "127.0.0.1", ClientPort: 41342, Method: "GET", Path: "/a", Query: "b=c", Proto: "HTTP/1.1", Status: 200, Bytes: 10900, UserAgent: "curl/8.5.0", VHost: "localhost", Duration: 929675 * time.Nanosecond, HasDuration: true, EndBy: "Caddy ts"}
	if diff := cmp.Diff(want, r.Req); diff != "" {
		t.Errorf("request (-want +got):\n%s", diff)
	}
	if !r.Time.Equal(utc("2026-12-05T03:12:02.812Z")) {
		t.Errorf("time = %v", r.Time)
	}
	if !Sniff([]byte(line)) {
		t.Error("not sniffed")
	}
	for _, bad := range []string{
		"2026/12/05 03:12:02.812\tERROR\thttp.log.error.log0\tdial tcp: refused\t" + `{"request": {"method": "GET", "uri": "/"}, "duration": 0.001, "status": 502}`,
		"2026/12/05 03:12:02.812\tINFO\thttp.log.access.log0\thandled request\t" + `{"request": "GET /", "status": 200}`,
		"2026/12/05 03:12:02.812\tINFO\thttp.log.access.log0\thandled request\t" + `{"request": {"uri": "/"}, "status": 200`,
		"yesterday\tINFO\thttp.log.access.log0\thandled request\t" + `{"request": {"uri": "/"}, "status": 200}`,
		"\thttp.log.access\t{",
	} {
		if _, err := Parse([]byte(bad)); !errors.Is(err, event.ErrFormat) {
			t.Errorf("Parse(%q) err = %v, want ErrFormat", bad, err)
		}
	}
	// a combined line whose user agent holds the markers stays combined
	clf := "10.0.0.1 - - [05/Dec/2026:03:12:02 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"x\thttp.log.access\t{\""
	if r, err := Parse([]byte(clf)); err != nil || r.Req.Status != 200 || r.Req.Client != "10.0.0.1" {
		t.Errorf("combined line with the markers: %v %+v", err, r.Req)
	}
}
