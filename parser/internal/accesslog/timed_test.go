package accesslog

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/auditchain/auditchain/parser/internal/event"
)

func TestParseTimed(t *testing.T) {
	tests := []struct {
		name     string
		line     string
		want     event.HTTPRequest
		wantUser string
		wantTime string
		wantErr  string
	}{
		{
			name:     "uvicorn with an ISO time",
			line:     `2026-12-05T12:19:18.633Z 127.0.0.1:36382 "GET /page/tide-notice HTTP/1.1" 200 OK`,
			want:     event.HTTPRequest{Client: "127.0.0.1", ClientPort: 36382, Method: "GET", Path: "/page/tide-notice", Proto: "HTTP/1.1", Status: 200, EndBy: "logged time"},
			wantTime: "2026-12-05T12:19:18.633Z",
		},
		{
			name:     "logging's asctime, a level, a dash",
			line:     `2026-12-05 12:19:18,633 INFO: [::1]:51000 - "POST /api/x?a=1 HTTP/1.1" 201 Created`,
			want:     event.HTTPRequest{Client: "::1", ClientPort: 51000, Method: "POST", Path: "/api/x", Query: "a=1", Proto: "HTTP/1.1", Status: 201, EndBy: "logged time"},
			wantTime: "2026-12-05T12:19:18.633Z",
		},
		{
			name:     "to the second, a zone, a size and a user",
			line:     `2026-12-05T13:19:18+01:00 10.0.0.7 alice "GET / HTTP/1.0" 200 512`,
			want:     event.HTTPRequest{Client: "10.0.0.7", Method: "GET", Path: "/", Proto: "HTTP/1.0", Status: 200, Bytes: 512},
			wantUser: "alice",
			wantTime: "2026-12-05T12:19:18Z",
		},
		{
			name:     "a port out of range is no port",
			line:     `2026-12-05T12:19:18.633Z 127.0.0.1:70000 "GET / HTTP/1.1" 200 OK`,
			want:     event.HTTPRequest{Client: "127.0.0.1", Method: "GET", Path: "/", Proto: "HTTP/1.1", Status: 200, EndBy: "logged time"},
			wantTime: "2026-12-05T12:19:18.633Z",
		},
		{name: "a log line of the server, no request", line: `2026-12-05T12:18:27.685Z INFO:     Started server process [4950]`, wantErr: "not an access-log line"},
		{name: "no client", line: `2026-12-05T12:18:27.685Z INFO: "GET / HTTP/1.1" 200`, wantErr: "client"},
		{name: "a word for the client", line: `2026-12-05T12:18:27.685Z worker "GET / HTTP/1.1" 200`, wantErr: "client"},
		{name: "no status", line: `2026-12-05T12:18:27.685Z 127.0.0.1 "GET / HTTP/1.1"`, wantErr: "status"},
		{name: "not a time", line: `2026-13-45T99:18:27Z 127.0.0.1 "GET / HTTP/1.1" 200`, wantErr: "not a time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse([]byte(tt.line))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.Req != tt.want || r.User != tt.wantUser || r.Time.Format(time.RFC3339Nano) != tt.wantTime {
				t.Errorf("got %+v user %q at %s\nwant %+v user %q at %s", r.Req, r.User, r.Time.Format(time.RFC3339Nano), tt.want, tt.wantUser, tt.wantTime)
			}
		})
	}
}

// TestParseJSONAppLog: an application's JSON request log with an RFC 3339
// time to the millisecond, a duration in "ms" and the agent as "ua".
func TestParseJSONAppLog(t *testing.T) {
	r, err := Parse([]byte(`{"time":"2026-12-05T12:18:30.559+00:00","client":"127.0.0.1","method":"GET","path":"/","status":200,"ua":"Mozilla/5.0","ms":7.3}`))
	if err != nil {
		t.Fatal(err)
	}
	if r.Req.EndBy != "logged time" || !r.Req.HasDuration || r.Req.Duration != 7300*time.Microsecond || r.Req.UserAgent != "Mozilla/5.0" {
		t.Errorf("got %+v", r.Req)
	}
}

// FuzzTimed: a line built from its fields reads back as them, and no line
// of the shape makes Parse panic.
func FuzzTimed(f *testing.F) {
	f.Add(int64(1796473158), uint32(633), true, "127.0.0.1:36382", "GET", "/page/x?a=b", uint16(200), "OK")
	f.Add(int64(0), uint32(0), false, "[::1]:1", "-", "-", uint16(999), "")
	f.Fuzz(func(t *testing.T, sec int64, ms uint32, iso bool, client, method, uri string, status uint16, reason string) {
		// a field is one word of the line: no space of any kind in it
		spaced := func(s string) bool { return strings.ContainsFunc(s, unicode.IsSpace) || strings.ContainsRune(s, '"') }
		if sec < 0 || sec > 253402300799 || status > 999 || status < 100 || ms > 999 || client == "" || spaced(client) ||
			method == "" || spaced(method) || uri == "" || spaced(uri) || strings.ContainsAny(reason, "\n\r") {
			return
		}
		at := time.Unix(sec, int64(ms)*int64(time.Millisecond)).UTC()
		ts := at.Format("2006-01-02T15:04:05.000Z")
		if !iso {
			ts = at.Format("2006-01-02 15:04:05,000")
		}
		line := fmt.Sprintf(`%s %s "%s %s HTTP/1.1" %d %s`, ts, client, method, uri, status, reason)
		r, err := Parse([]byte(line))
		addr, port, ok := clientAddr(client)
		if !ok {
			return // Parse may read it another way or refuse it: it must not panic
		}
		if err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		if r.Req.Client != addr || r.Req.ClientPort != port || int(r.Req.Status) != int(status) || !r.Time.Equal(at) {
			t.Errorf("%q: read back as %+v at %v", line, r.Req, r.Time)
		}
	})
}

// TestJSONClientPort: a JSON line's remote_port names the client's
// connection (nginx's $remote_port); a value that is no port is none.
func TestJSONClientPort(t *testing.T) {
	for _, tc := range []struct {
		line string
		want int
	}{
		{`{"time":"2026-12-05T12:18:30.559+00:00","remote_addr":"127.0.0.1","remote_port":"52482","request":"GET / HTTP/1.1","status":200}`, 52482},
		{`{"time":"2026-12-05T12:18:30.559+00:00","remote_addr":"127.0.0.1","remote_port":52482,"request":"GET / HTTP/1.1","status":200}`, 52482},
		{`{"time":"2026-12-05T12:18:30.559+00:00","remote_addr":"127.0.0.1","remote_port":"-","request":"GET / HTTP/1.1","status":200}`, 0},
		{`{"time":"2026-12-05T12:18:30.559+00:00","remote_addr":"127.0.0.1","client_port":"99999","request":"GET / HTTP/1.1","status":200}`, 0},
		{`{"time":"2026-12-05T12:18:30.559+00:00","client":"127.0.0.1","method":"GET","path":"/","status":200}`, 0},
	} {
		r, err := Parse([]byte(tc.line))
		if err != nil {
			t.Fatalf("%s: %v", tc.line, err)
		}
		if r.Req.ClientPort != tc.want {
			t.Errorf("%s: port %d, want %d", tc.line, r.Req.ClientPort, tc.want)
		}
	}
}
