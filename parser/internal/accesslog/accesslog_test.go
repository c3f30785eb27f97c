package accesslog

import (
	"errors"
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser/internal/event"
	"github.com/google/go-cmp/cmp"
)

func TestParseAccess(t *testing.T) {
	tests := []struct {
		name     string
		line     string
		want     event.HTTPRequest
		wantUser string
		wantTime string
		wantErr  error
	}{
		{
			name:     "nginx main with x-forwarded-for",
			line:     `203.0.113.50 - - [25/Nov/2026:20:15:22 +0000] "GET /uploads/shell.php?cmd=id HTTP/1.1" 200 54 "-" "python-requests/2.32.3" "-"`,
			want:     event.HTTPRequest{Client: "203.0.113.50", Method: "GET", Path: "/uploads/shell.php", Query: "cmd=id", Proto: "HTTP/1.1", Status: 200, Bytes: 54, UserAgent: "python-requests/2.32.3"},
			wantTime: "2026-11-25T20:15:22Z",
		},
		{
			name:     "common with user and offset",
			line:     `10.0.0.7 - admin [25/Nov/2026:21:15:22 +0100] "POST /admin/login HTTP/1.0" 302 -`,
			want:     event.HTTPRequest{Client: "10.0.0.7", Method: "POST", Path: "/admin/login", Proto: "HTTP/1.0", Status: 302},
			wantUser: "admin",
			wantTime: "2026-11-25T20:15:22Z",
		},
		{
			name:     "vhost prefix",
			line:     `shop.example.test:443 203.0.113.50 - - [25/Nov/2026:12:15:22 -0800] "GET /upload.php HTTP/2.0" 200 1342 "https://shop.example.test/" "Mozilla/5.0"`,
			want:     event.HTTPRequest{VHost: "shop.example.test:443", Client: "203.0.113.50", Method: "GET", Path: "/upload.php", Proto: "HTTP/2.0", Status: 200, Bytes: 1342, Referer: "https://shop.example.test/", UserAgent: "Mozilla/5.0"},
			wantTime: "2026-11-25T20:15:22Z",
		},
		{
			name:     "tls bytes to a plain port",
			line:     `198.51.100.23 - - [25/Nov/2026:20:16:30 +0000] "\x16\x03\x01\x00\xF1\x01" 400 157 "-" "-"`,
			want:     event.HTTPRequest{Client: "198.51.100.23", Path: `\x16\x03\x01\x00\xF1\x01`, Status: 400, Bytes: 157},
			wantTime: "2026-11-25T20:16:30Z",
		},
		{
			name:     "no request before timeout",
			line:     `198.51.100.23 - - [25/Nov/2026:20:16:31 +0000] "-" 408 0 "-" "-"`,
			want:     event.HTTPRequest{Client: "198.51.100.23", Status: 408},
			wantTime: "2026-11-25T20:16:31Z",
		},
		{
			name:     "apache escaped quote in user agent",
			line:     `::1 - - [25/Nov/2026:20:16:32 +0000] "GET / HTTP/1.1" 200 5 "-" "x \"y\" z"`,
			want:     event.HTTPRequest{Client: "::1", Method: "GET", Path: "/", Proto: "HTTP/1.1", Status: 200, Bytes: 5, UserAgent: `x \"y\" z`},
			wantTime: "2026-11-25T20:16:32Z",
		},
		{
			name:     "raw space in target",
			line:     `10.0.0.1 - - [25/Nov/2026:20:16:33 +0000] "GET /a b?c=d e HTTP/1.1" 404 0`,
			want:     event.HTTPRequest{Client: "10.0.0.1", Method: "GET", Path: "/a b", Query: "c=d e", Proto: "HTTP/1.1", Status: 404},
			wantTime: "2026-11-25T20:16:33Z",
		},
		{
			name:     "extra number before referer",
			line:     `10.0.0.1 - - [25/Nov/2026:20:16:34 +0000] "GET / HTTP/1.1" 200 612 3413 "r" "ua" X-Forwarded-For="10.0.0.2, 10.0.0.3"`,
			want:     event.HTTPRequest{Client: "10.0.0.1", Method: "GET", Path: "/", Proto: "HTTP/1.1", Status: 200, Bytes: 612, Referer: "r", UserAgent: "ua"},
			wantTime: "2026-11-25T20:16:34Z",
		},
		{
			name:     "json nginx escape=json",
			line:     `{"time_iso8601":"2026-11-25T21:15:22+01:00","remote_addr":"203.0.113.50","remote_user":"","request":"GET /uploads/shell.php?cmd=id HTTP/1.1","status":"200","body_bytes_sent":"54","http_referrer":"","http_user_agent":"curl/8.5.0","host":"shop.example.test"}`,
			want:     event.HTTPRequest{Client: "203.0.113.50", Method: "GET", Path: "/uploads/shell.php", Query: "cmd=id", Proto: "HTTP/1.1", Status: 200, Bytes: 54, UserAgent: "curl/8.5.0", VHost: "shop.example.test"},
			wantTime: "2026-11-25T20:15:22Z",
		},
		{
			name:     "json split fields and numbers",
			line:     `{"msec":"1795637722.5","remote_addr":"203.0.113.50","request_method":"POST","request_uri":"/uploads/shell.php?cmd=whoami","server_protocol":"HTTP/1.1","status":200,"body_bytes_sent":11}`,
			want:     event.HTTPRequest{Client: "203.0.113.50", Method: "POST", Path: "/uploads/shell.php", Query: "cmd=whoami", Proto: "HTTP/1.1", Status: 200, Bytes: 11, EndBy: "msec"},
			wantTime: "2026-11-25T20:15:22.5Z",
		},
		{
			name:     "lighttpd %D after the user agent",
			line:     `127.0.0.1 127.0.0.1:8070 - [03/Dec/2026:10:46:09 +0000] "GET /report.php?month=2026-10 HTTP/1.1" 200 34 "-" "Mozilla/5.0" 465089`,
			want:     event.HTTPRequest{Client: "127.0.0.1", VHost: "127.0.0.1:8070", Method: "GET", Path: "/report.php", Query: "month=2026-10", Proto: "HTTP/1.1", Status: 200, Bytes: 34, UserAgent: "Mozilla/5.0", Duration: 465089 * time.Microsecond, HasDuration: true},
			wantTime: "2026-12-03T10:46:09Z",
		},
		{
			name:     "nginx combined with $request_time appended: seconds",
			line:     `127.0.0.1 - - [03/Dec/2026:18:15:57 +0000] "POST /admin/upload.php HTTP/1.1" 200 64 "-" "Mozilla/5.0" 0.158`,
			want:     event.HTTPRequest{Client: "127.0.0.1", Method: "POST", Path: "/admin/upload.php", Proto: "HTTP/1.1", Status: 200, Bytes: 64, UserAgent: "Mozilla/5.0", Duration: 158 * time.Millisecond, HasDuration: true},
			wantTime: "2026-12-03T18:15:57Z",
		},
		{
			name:     "$request_time then $upstream_response_time",
			line:     `127.0.0.1 - - [03/Dec/2026:18:15:57 +0000] "GET / HTTP/1.1" 200 64 "-" "ua" 1.250 -`,
			want:     event.HTTPRequest{Client: "127.0.0.1", Method: "GET", Path: "/", Proto: "HTTP/1.1", Status: 200, Bytes: 64, UserAgent: "ua", Duration: 1250 * time.Millisecond, HasDuration: true},
			wantTime: "2026-12-03T18:15:57Z",
		},
		{
			name:     "a decimal that is not the only tail: not read",
			line:     `127.0.0.1 - - [03/Dec/2026:18:15:57 +0000] "GET / HTTP/1.1" 200 64 "-" "ua" 1.250 x`,
			want:     event.HTTPRequest{Client: "127.0.0.1", Method: "GET", Path: "/", Proto: "HTTP/1.1", Status: 200, Bytes: 64, UserAgent: "ua"},
			wantTime: "2026-12-03T18:15:57Z",
		},
		{
			name:     "bare number below 1000 may be %T seconds: kept for the file to decide",
			line:     `10.0.0.1 - - [25/Nov/2026:20:16:34 +0000] "GET / HTTP/1.1" 200 612 "r" "ua" 3`,
			want:     event.HTTPRequest{Client: "10.0.0.1", Method: "GET", Path: "/", Proto: "HTTP/1.1", Status: 200, Bytes: 612, Referer: "r", UserAgent: "ua", BareTail: 3, HasBareTail: true},
			wantTime: "2026-11-25T20:16:34Z",
		},
		{
			name:     "bare number not right after the user agent: not read",
			line:     `10.0.0.1 - - [25/Nov/2026:20:16:34 +0000] "GET / HTTP/1.1" 200 612 "r" "ua" "10.0.0.9" 465089`,
			want:     event.HTTPRequest{Client: "10.0.0.1", Method: "GET", Path: "/", Proto: "HTTP/1.1", Status: 200, Bytes: 612, Referer: "r", UserAgent: "ua"},
			wantTime: "2026-11-25T20:16:34Z",
		},
		{
			name:     "bare number in the user agent: not read",
			line:     `10.0.0.1 - - [25/Nov/2026:20:16:34 +0000] "GET / HTTP/1.1" 200 612 "r" "ua 465089"`,
			want:     event.HTTPRequest{Client: "10.0.0.1", Method: "GET", Path: "/", Proto: "HTTP/1.1", Status: 200, Bytes: 612, Referer: "r", UserAgent: "ua 465089"},
			wantTime: "2026-11-25T20:16:34Z",
		},
		{
			name:     "nginx msec and rt, not the client's rt",
			line:     `127.0.0.1 - - [03/Dec/2026:08:15:08 +0000] "GET /?rt=9 HTTP/1.1" 200 38 "-" "curl rt=9" msec=1796285708.812 rt=0.195 urt=0.194`,
			want:     event.HTTPRequest{Client: "127.0.0.1", Method: "GET", Path: "/", Query: "rt=9", Proto: "HTTP/1.1", Status: 200, Bytes: 38, UserAgent: "curl rt=9", Duration: 195 * time.Millisecond, HasDuration: true, EndAfter: 812 * time.Millisecond, EndBy: "msec"},
			wantTime: "2026-12-03T08:15:08Z",
		},
		{
			name:     "uWSGI's log-format names the worker (pid=), not the client's pid",
			line:     `127.0.0.1 - - [05/Dec/2026:03:16:37 +0000] "GET /r.pdf?pid=1 HTTP/1.1" 200 10135 "-" "ua pid=2" rt=488ms pid=27887`,
			want:     event.HTTPRequest{Client: "127.0.0.1", Method: "GET", Path: "/r.pdf", Query: "pid=1", Proto: "HTTP/1.1", Status: 200, Bytes: 10135, UserAgent: "ua pid=2", Duration: 488 * time.Millisecond, HasDuration: true, WorkerPID: 27887},
			wantTime: "2026-12-05T03:16:37Z",
		},
		{
			name:     "a pid beyond the kernel's range: not read",
			line:     `127.0.0.1 - - [05/Dec/2026:03:16:37 +0000] "GET / HTTP/1.1" 200 1 "-" "ua" pid=99999999999`,
			want:     event.HTTPRequest{Client: "127.0.0.1", Method: "GET", Path: "/", Proto: "HTTP/1.1", Status: 200, Bytes: 1, UserAgent: "ua"},
			wantTime: "2026-12-05T03:16:37Z",
		},
		{
			name:     "msec of another second and an absurd duration: not used",
			line:     `127.0.0.1 - - [03/Dec/2026:08:15:08 +0000] "GET / HTTP/1.1" 200 38 "-" "curl" msec=1796285000.812 D=99999999999999999`,
			want:     event.HTTPRequest{Client: "127.0.0.1", Method: "GET", Path: "/", Proto: "HTTP/1.1", Status: 200, Bytes: 38, UserAgent: "curl"},
			wantTime: "2026-12-03T08:15:08Z",
		},
		{
			name:     "json time_local with msec and request_time",
			line:     `{"time_local":"03/Dec/2026:08:15:08 +0000","request":"GET / HTTP/1.1","status":200,"msec":1796285708.25,"request_time":"0.5"}`,
			want:     event.HTTPRequest{Method: "GET", Path: "/", Proto: "HTTP/1.1", Status: 200, Duration: 500 * time.Millisecond, HasDuration: true, EndAfter: 250 * time.Millisecond, EndBy: "msec"},
			wantTime: "2026-12-03T08:15:08Z",
		},
		{name: "no time", line: `10.0.0.1 - - "GET / HTTP/1.1" 200 0`, wantErr: event.ErrFormat},
		{name: "impossible date", line: `10.0.0.1 - - [31/Nov/2026:20:15:22 +0000] "GET / HTTP/1.1" 200 0`, wantErr: event.ErrFormat},
		{name: "bad status", line: `10.0.0.1 - - [25/Nov/2026:20:15:22 +0000] "GET / HTTP/1.1" OK 0`, wantErr: event.ErrFormat},
		{name: "unterminated request", line: `10.0.0.1 - - [25/Nov/2026:20:15:22 +0000] "GET /x?cmd=`, wantErr: event.ErrFormat},
		{name: "too few fields", line: `10.0.0.1 [25/Nov/2026:20:15:22 +0000] "GET / HTTP/1.1" 200 0`, wantErr: event.ErrFormat},
		{name: "nginx error log", line: `2026/11/25 20:15:40 [error] 29#29: *7 open() "/x" failed`, wantErr: event.ErrFormat},
		{name: "json without status", line: `{"remote_addr":"1.2.3.4","request":"GET / HTTP/1.1"}`, wantErr: event.ErrFormat},
		{name: "json bad time", line: `{"time_iso8601":"yesterday","request":"GET / HTTP/1.1","status":"200"}`, wantErr: event.ErrFormat},
		{name: "truncated json", line: `{"remote_addr":"1.2.3.4","request":"GET / HT`, wantErr: event.ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse([]byte(tt.line))
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
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

func TestSniffAccessLog(t *testing.T) {
	tests := []struct {
		name string
		line string
		want bool
	}{
		{"combined", `203.0.113.50 - - [25/Nov/2026:20:15:22 +0000] "GET / HTTP/1.1" 200 54 "-" "-"`, true},
		{"json access", `{"time_local":"25/Nov/2026:20:15:22 +0000","remote_addr":"1.2.3.4","request":"GET / HTTP/1.1","status":"200"}`, true},
		{"auditd", `type=SYSCALL msg=audit(1795637722.123:4711): arch=c000003e syscall=59 success=yes exit=0 comm="sh" exe="/usr/bin/dash" key=(null)`, false},
		{"auditd node", `node=web1 type=EXECVE msg=audit(1795637722.123:4711): argc=3 a0="sh" a1="-c" a2="id"`, false},
		{"docker json with access line", `{"log":"1.2.3.4 - - [25/Nov/2026:20:15:22 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"\n","stream":"stdout","time":"2026-11-25T20:15:22Z"}`, false},
		{"cri", `2026-11-25T20:15:22.1Z stdout F 1.2.3.4 - - [25/Nov/2026:20:15:22 +0000] "GET / HTTP/1.1" 200 1`, false},
		{"docker event", `{"status":"start","id":"abc","Type":"container","Action":"start","Actor":{"ID":"abc"},"time":1}`, false},
		{"nginx error log", `2026/11/25 20:15:40 [error] 29#29: *7 open() "/x" failed`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sniff([]byte(tt.line)); got != tt.want {
				t.Errorf("Sniff = %v, want %v", got, tt.want)
			}
		})
	}
}

// utc parses an RFC 3339 time of a test table.
func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}
