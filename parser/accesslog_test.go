package parser

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// ctrDecode feeds text to a decoder the way the Reader does (lines without
// their newline, blank lines skipped) and returns the events and the errors
// of skipped lines.
func ctrDecode(d decoder, file, text string) ([]*Event, []error) {
	var out []*Event
	var errs []error
	var off int64
	for i, l := range strings.SplitAfter(text, "\n") {
		pos := Pos{File: file, Line: i + 1, Offset: off}
		off += int64(len(l))
		l = strings.TrimRight(l, "\r\n")
		if strings.TrimSpace(l) == "" {
			continue
		}
		var err error
		out, err = d.Line(pos, []byte(l), out)
		if err != nil {
			errs = append(errs, err)
		}
	}
	return d.Flush(out), errs
}

// ctrCheckEvents asserts what every decoder promises of its events.
func ctrCheckEvents(t testing.TB, evs []*Event) {
	t.Helper()
	for i, ev := range evs {
		if ev == nil {
			t.Fatalf("event %d is nil", i)
		}
		if ev.Time.Location() != time.UTC {
			t.Errorf("event %d: time %v is not UTC", i, ev.Time)
		}
		if len(ev.Evidence) == 0 || ev.Evidence[0].Raw == "" || !ev.Evidence[0].Pos.IsValid() {
			t.Errorf("event %d: no evidence: %+v", i, ev.Evidence)
		}
		if ev.Source == "" {
			t.Errorf("event %d: no source", i)
		}
		if (ev.Kind == KindHTTP) != (ev.HTTP != nil) {
			t.Errorf("event %d: kind %v with HTTP %v", i, ev.Kind, ev.HTTP)
		}
	}
}

func ctrUTC(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func TestParseAccess(t *testing.T) {
	tests := []struct {
		name     string
		line     string
		want     HTTPRequest
		wantUser string
		wantTime string
		wantErr  error
	}{
		{
			name:     "nginx main with x-forwarded-for",
			line:     `203.0.113.50 - - [25/Nov/2026:20:15:22 +0000] "GET /uploads/shell.php?cmd=id HTTP/1.1" 200 54 "-" "python-requests/2.32.3" "-"`,
			want:     HTTPRequest{Client: "203.0.113.50", Method: "GET", Path: "/uploads/shell.php", Query: "cmd=id", Proto: "HTTP/1.1", Status: 200, Bytes: 54, UserAgent: "python-requests/2.32.3"},
			wantTime: "2026-11-25T20:15:22Z",
		},
		{
			name:     "common with user and offset",
			line:     `10.0.0.7 - admin [25/Nov/2026:21:15:22 +0100] "POST /admin/login HTTP/1.0" 302 -`,
			want:     HTTPRequest{Client: "10.0.0.7", Method: "POST", Path: "/admin/login", Proto: "HTTP/1.0", Status: 302},
			wantUser: "admin",
			wantTime: "2026-11-25T20:15:22Z",
		},
		{
			name:     "vhost prefix",
			line:     `shop.example.test:443 203.0.113.50 - - [25/Nov/2026:12:15:22 -0800] "GET /upload.php HTTP/2.0" 200 1342 "https://shop.example.test/" "Mozilla/5.0"`,
			want:     HTTPRequest{VHost: "shop.example.test:443", Client: "203.0.113.50", Method: "GET", Path: "/upload.php", Proto: "HTTP/2.0", Status: 200, Bytes: 1342, Referer: "https://shop.example.test/", UserAgent: "Mozilla/5.0"},
			wantTime: "2026-11-25T20:15:22Z",
		},
		{
			name:     "tls bytes to a plain port",
			line:     `198.51.100.23 - - [25/Nov/2026:20:16:30 +0000] "\x16\x03\x01\x00\xF1\x01" 400 157 "-" "-"`,
			want:     HTTPRequest{Client: "198.51.100.23", Path: `\x16\x03\x01\x00\xF1\x01`, Status: 400, Bytes: 157},
			wantTime: "2026-11-25T20:16:30Z",
		},
		{
			name:     "no request before timeout",
			line:     `198.51.100.23 - - [25/Nov/2026:20:16:31 +0000] "-" 408 0 "-" "-"`,
			want:     HTTPRequest{Client: "198.51.100.23", Status: 408},
			wantTime: "2026-11-25T20:16:31Z",
		},
		{
			name:     "apache escaped quote in user agent",
			line:     `::1 - - [25/Nov/2026:20:16:32 +0000] "GET / HTTP/1.1" 200 5 "-" "x \"y\" z"`,
			want:     HTTPRequest{Client: "::1", Method: "GET", Path: "/", Proto: "HTTP/1.1", Status: 200, Bytes: 5, UserAgent: `x \"y\" z`},
			wantTime: "2026-11-25T20:16:32Z",
		},
		{
			name:     "raw space in target",
			line:     `10.0.0.1 - - [25/Nov/2026:20:16:33 +0000] "GET /a b?c=d e HTTP/1.1" 404 0`,
			want:     HTTPRequest{Client: "10.0.0.1", Method: "GET", Path: "/a b", Query: "c=d e", Proto: "HTTP/1.1", Status: 404},
			wantTime: "2026-11-25T20:16:33Z",
		},
		{
			name:     "extra number before referer",
			line:     `10.0.0.1 - - [25/Nov/2026:20:16:34 +0000] "GET / HTTP/1.1" 200 612 3413 "r" "ua" X-Forwarded-For="10.0.0.2, 10.0.0.3"`,
			want:     HTTPRequest{Client: "10.0.0.1", Method: "GET", Path: "/", Proto: "HTTP/1.1", Status: 200, Bytes: 612, Referer: "r", UserAgent: "ua"},
			wantTime: "2026-11-25T20:16:34Z",
		},
		{
			name:     "json nginx escape=json",
			line:     `{"time_iso8601":"2026-11-25T21:15:22+01:00","remote_addr":"203.0.113.50","remote_user":"","request":"GET /uploads/shell.php?cmd=id HTTP/1.1","status":"200","body_bytes_sent":"54","http_referrer":"","http_user_agent":"curl/8.5.0","host":"shop.example.test"}`,
			want:     HTTPRequest{Client: "203.0.113.50", Method: "GET", Path: "/uploads/shell.php", Query: "cmd=id", Proto: "HTTP/1.1", Status: 200, Bytes: 54, UserAgent: "curl/8.5.0", VHost: "shop.example.test"},
			wantTime: "2026-11-25T20:15:22Z",
		},
		{
			name:     "json split fields and numbers",
			line:     `{"msec":"1795637722.5","remote_addr":"203.0.113.50","request_method":"POST","request_uri":"/uploads/shell.php?cmd=whoami","server_protocol":"HTTP/1.1","status":200,"body_bytes_sent":11}`,
			want:     HTTPRequest{Client: "203.0.113.50", Method: "POST", Path: "/uploads/shell.php", Query: "cmd=whoami", Proto: "HTTP/1.1", Status: 200, Bytes: 11},
			wantTime: "2026-11-25T20:15:22.5Z",
		},
		{name: "no time", line: `10.0.0.1 - - "GET / HTTP/1.1" 200 0`, wantErr: ErrFormat},
		{name: "impossible date", line: `10.0.0.1 - - [31/Nov/2026:20:15:22 +0000] "GET / HTTP/1.1" 200 0`, wantErr: ErrFormat},
		{name: "bad status", line: `10.0.0.1 - - [25/Nov/2026:20:15:22 +0000] "GET / HTTP/1.1" OK 0`, wantErr: ErrFormat},
		{name: "unterminated request", line: `10.0.0.1 - - [25/Nov/2026:20:15:22 +0000] "GET /x?cmd=`, wantErr: ErrFormat},
		{name: "too few fields", line: `10.0.0.1 [25/Nov/2026:20:15:22 +0000] "GET / HTTP/1.1" 200 0`, wantErr: ErrFormat},
		{name: "nginx error log", line: `2026/11/25 20:15:40 [error] 29#29: *7 open() "/x" failed`, wantErr: ErrFormat},
		{name: "json without status", line: `{"remote_addr":"1.2.3.4","request":"GET / HTTP/1.1"}`, wantErr: ErrFormat},
		{name: "json bad time", line: `{"time_iso8601":"yesterday","request":"GET / HTTP/1.1","status":"200"}`, wantErr: ErrFormat},
		{name: "truncated json", line: `{"remote_addr":"1.2.3.4","request":"GET / HT`, wantErr: ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := parseAccess([]byte(tt.line))
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, r.req); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
			if r.user != tt.wantUser {
				t.Errorf("user = %q, want %q", r.user, tt.wantUser)
			}
			if want := ctrUTC(tt.wantTime); !r.time.Equal(want) || r.time.Location() != time.UTC {
				t.Errorf("time = %v, want %v", r.time, want)
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
			if got := sniffAccessLog([]byte(tt.line)); got != tt.want {
				t.Errorf("sniffAccessLog = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestAccessLogFixtures(t *testing.T) {
	tests := []struct {
		file       string
		wantEvents int
		wantErrs   int
		check      func(t *testing.T, evs []*Event)
	}{
		{file: "webshell_combined.log", wantEvents: 8, check: func(t *testing.T, evs []*Event) {
			ev := evs[3]
			if ev.HTTP.Path != "/uploads/shell.php" || ev.HTTP.Query != "cmd=id" || ev.HTTP.Method != "GET" {
				t.Errorf("web shell request = %+v", ev.HTTP)
			}
			if !ev.Time.Equal(ctrUTC("2026-11-25T20:15:22Z")) {
				t.Errorf("time = %v", ev.Time)
			}
			if got := evs[6].HTTP; got.Status != 400 || !strings.HasPrefix(got.Path, `\x16\x03`) {
				t.Errorf("TLS junk = %+v", got)
			}
		}},
		{file: "apache_vhost_common.log", wantEvents: 3, check: func(t *testing.T, evs []*Event) {
			if evs[0].HTTP.VHost != "shop.example.test:443" || evs[1].Account != "admin" {
				t.Errorf("vhost/user: %+v %q", evs[0].HTTP, evs[1].Account)
			}
			if !evs[2].Time.Equal(ctrUTC("2026-11-25T20:15:22Z")) || evs[2].HTTP.Client != "2001:db8::17" {
				t.Errorf("ipv6 line: %v %+v", evs[2].Time, evs[2].HTTP)
			}
		}},
		{file: "nginx_json.log", wantEvents: 3},
		{file: "malformed_mixed.log", wantEvents: 2, wantErrs: 4},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", "accesslog", tt.file)
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			evs, errs := ctrDecode(newAccessLogDecoder(nil, nil), path, string(b))
			ctrCheckEvents(t, evs)
			if len(evs) != tt.wantEvents || len(errs) != tt.wantErrs {
				t.Fatalf("got %d events, %d errors %v; want %d, %d", len(evs), len(errs), errs, tt.wantEvents, tt.wantErrs)
			}
			for _, err := range errs {
				var pe *Error
				if !errors.As(err, &pe) || !errors.Is(err, ErrFormat) || pe.Pos.File != path || pe.Pos.Line == 0 {
					t.Errorf("error %v does not name file:line with ErrFormat", err)
				}
			}
			for _, ev := range evs {
				if ev.Kind != KindHTTP || ev.Source != "access-log" {
					t.Errorf("event %v from %q", ev.Kind, ev.Source)
				}
			}
			if tt.check != nil {
				tt.check(t, evs)
			}
		})
	}
}

// TestAccessLogReader reads access logs through Resolve and NewReader: the
// sniffer must pick the format, and a line over 64 KiB (a scanner's long
// query string) must come through whole.
func TestAccessLogReader(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("A", 70<<10)
	text := `203.0.113.50 - - [25/Nov/2026:20:15:22 +0000] "GET /uploads/shell.php?cmd=id HTTP/1.1" 200 54 "-" "python-requests/2.32.3" "-"` + "\n" +
		`203.0.113.50 - - [25/Nov/2026:20:15:23 +0000] "GET /search?q=` + long + ` HTTP/1.1" 414 0 "-" "-" "-"` + "\r\n" +
		`garbage line` + "\n" +
		`{"time_iso8601":"2026-11-25T20:15:24+00:00","remote_addr":"203.0.113.50","request":"GET /uploads/shell.php?cmd=whoami HTTP/1.1","status":"200"}` + "\n"
	p := filepath.Join(dir, "access.log")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	ins, skipped := Resolve([]string{p}, nil)
	if len(ins) != 1 || len(skipped) != 0 {
		t.Fatalf("Resolve = %v, skipped %v", ins, skipped)
	}
	if ins[0].Format != FormatAccessLog {
		t.Fatalf("format = %q", ins[0].Format)
	}
	r := NewReader(ins, Options{})
	var evs []*Event
	if err := r.All(func(ev *Event) { evs = append(evs, ev) }); err != nil {
		t.Fatal(err)
	}
	ctrCheckEvents(t, evs)
	if len(evs) != 3 {
		t.Fatalf("got %d events, want 3", len(evs))
	}
	if q := evs[1].HTTP.Query; q != "q="+long {
		t.Errorf("long query cut to %d bytes", len(q))
	}
	if evs[2].HTTP.Query != "cmd=whoami" {
		t.Errorf("json line = %+v", evs[2].HTTP)
	}
	if in := ins[0]; in.Malformed != 1 || in.Errors.Total != 1 || in.Errors.List[0].Pos.Line != 3 {
		t.Errorf("malformed = %d, errors %v", in.Malformed, in.Errors.Err())
	}
}
