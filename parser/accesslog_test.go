package parser

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
		// Caddy's JSON: the error logger's record of a request, a text
		// ts and a negative duration are skipped with file:line
		{file: "caddy_access.log", wantEvents: 4, wantErrs: 3, check: func(t *testing.T, evs []*Event) {
			h := evs[1].HTTP
			if h.Method != "POST" || h.Path != "/export" || h.Query != "fmt=pdf&name=a%3Bid" || h.UserAgent != "python-requests/2.32.3" || h.VHost != "notes.example.test" {
				t.Errorf("request = %+v", h)
			}
			// the end to the sub-second, the life from duration
			if !evs[1].Time.Equal(ctrUTC("2026-12-05T03:12:03.0452101Z")) || h.EndBy == "" || !h.HasDuration || h.Duration != 231004512*time.Nanosecond || h.ReceiveTime {
				t.Errorf("times: %v %+v", evs[1].Time, h)
			}
			if evs[2].HTTP.Status != 502 || evs[2].HTTP.Path != "/api" {
				t.Errorf("the 502's access record = %+v", evs[2].HTTP)
			}
		}},
		// uWSGI's default line: the logged second is the request's start
		{file: "uwsgi_req.log", wantEvents: 4, wantErrs: 2, check: func(t *testing.T, evs []*Event) {
			h := evs[1].HTTP
			if h.Method != "POST" || h.Path != "/export" || h.Status != 200 || !h.ReceiveTime || h.Duration != 1231*time.Millisecond || h.EndBy != "" {
				t.Errorf("request = %+v", h)
			}
			if !evs[1].Time.Equal(ctrUTC("2026-12-05T03:12:02Z")) || evs[3].Account != "ops" || evs[3].HTTP.Status != 401 {
				t.Errorf("time %v, user %q, status %d", evs[1].Time, evs[3].Account, evs[3].HTTP.Status)
			}
		}},
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

// TestCaddyUWSGIReader: Caddy's JSON and uWSGI's request log are told by
// their content under any name, a Caddy record with a 70 KiB URI comes
// through whole, and bad lines are reported with file and line.
func TestCaddyUWSGIReader(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("A", 70<<10)
	caddy := `{"level":"info","ts":1796440300.1,"logger":"tls.cache.maintenance","msg":"started background certificate maintenance"}` + "\n" +
		`{"level":"info","ts":1796440322.8123457,"logger":"http.log.access.log0","msg":"handled request","request":{"remote_ip":"127.0.0.1","method":"GET","host":"h","uri":"/search?q=` + long + `","headers":{"User-Agent":["x"]}},"duration":0.5,"size":1,"status":414}` + "\n" +
		`{"level":"info","ts":1796440323.5,"logger":"http.log.access.log0","msg":"handled request","request":{"remote_ip":"127.0.0.1","method":"GET","uri":"/"},"duration":0.001,"size":1,"status":200}` + "\n" +
		`{"level":"info","ts":[1],"logger":"http.log.access.log0","msg":"handled request","request":{"method":"GET","uri":"/"},"status":200}` + "\n"
	uwsgi := `[pid: 412|app: 0|req: 1/1] 127.0.0.1 () {34 vars in 402 bytes} [Sat Dec  5 03:12:02 2026] GET / => generated 1090 bytes in 3 msecs (HTTP/1.1 200) 2 headers in 79 bytes (1 switches on core 0)` + "\n" +
		`[pid: 413|app: 0|req: 1/2] 127.0.0.1 () {34 vars in 402 bytes} [Sat Dec  5 03:12:03 2026] GET /b => generated 10 bytes in 1 msecs (HTTP/1.1 200) 2 headers in 79 bytes (1 switches on core 0)` + "\n"
	for _, tc := range []struct {
		name, text    string
		events, errs  int
		wantErrLine   int
		checkFineTime bool
	}{
		{"log0.json", caddy, 2, 2, 1, true},
		{"app.out", uwsgi, 2, 0, 0, false},
	} {
		p := filepath.Join(dir, tc.name)
		if err := os.WriteFile(p, []byte(tc.text), 0o644); err != nil {
			t.Fatal(err)
		}
		ins, skipped := Resolve([]string{p}, nil)
		if len(ins) != 1 || len(skipped) != 0 || ins[0].Format != FormatAccessLog {
			t.Fatalf("%s: Resolve = %v, skipped %v", tc.name, ins, skipped)
		}
		r := NewReader(ins, Options{})
		var evs []*Event
		if err := r.All(func(ev *Event) { evs = append(evs, ev) }); err != nil {
			t.Fatal(err)
		}
		ctrCheckEvents(t, evs)
		if len(evs) != tc.events || ins[0].Malformed != tc.errs {
			t.Fatalf("%s: %d events, %d malformed (%v); want %d, %d", tc.name, len(evs), ins[0].Malformed, ins[0].Errors.Err(), tc.events, tc.errs)
		}
		if tc.checkFineTime {
			if q := evs[0].HTTP.Query; q != "q="+long {
				t.Errorf("long query cut to %d bytes", len(q))
			}
			if evs[0].Time.Nanosecond() == 0 || evs[0].HTTP.EndBy == "" {
				t.Errorf("Caddy ts lost its sub-second: %v %q", evs[0].Time, evs[0].HTTP.EndBy)
			}
		}
		if tc.wantErrLine > 0 {
			e := ins[0].Errors.List[0]
			if e.Pos.File != p || e.Pos.Line != tc.wantErrLine {
				t.Errorf("%s: first error %v, want line %d", tc.name, e, tc.wantErrLine)
			}
		}
	}
}

// TestContainerUWSGI: a uWSGI request line a container wrote (it has no
// quotes, unlike the combined lines the container reader looked for)
// becomes a request; the runtime's time of the line, taken when the
// request ended, is its fine end, and the line's own time its start.
func TestContainerUWSGI(t *testing.T) {
	line := "[pid: 7|app: 0|req: 1/1] 172.17.0.1 () {34 vars in 402 bytes} [Sat Dec  5 03:12:02 2026] GET /x?a=1 => generated 5 bytes in 1200 msecs (HTTP/1.1 200) 2 headers in 79 bytes (1 switches on core 0)\n"
	in := &Input{Path: "/var/lib/docker/containers/" + ctrTestID + "/" + ctrTestID + "-json.log"}
	evs, errs := ctrDecode(newDockerJSONDecoder(in, &Options{}), in.Path, dockerRecord(line, "stderr", "2026-12-05T03:12:03.204Z")+"\n")
	ctrCheckEvents(t, evs)
	if len(evs) != 1 || len(errs) != 0 || evs[0].Kind != KindHTTP {
		t.Fatalf("events %v, errors %v", evs, errs)
	}
	h := evs[0].HTTP
	if h.Path != "/x" || !h.ReceiveTime || h.Duration != 1200*time.Millisecond || h.EndBy != "container-log time" || h.EndAfter != 1204*time.Millisecond {
		t.Errorf("request = %+v", h)
	}
}

// TestUWSGIBannerLog: uWSGI's own log (--daemonize, --logto) opens with
// its start-up messages, then interleaves requests with the application's
// output: a minority of the head's lines are requests, yet the file is
// uWSGI's (its first line, core/uwsgi.c's "*** Starting uWSGI … ***", says
// so). The other lines are skipped and counted, with file and line. The
// banner alone, without a request line in the head, does not decide.
func TestUWSGIBannerLog(t *testing.T) {
	banner := []string{
		"*** Starting uWSGI 2.0.28 (64bit) on [Sat Dec  5 03:10:00 2026] ***",
		"compiled with version: 12.2.0 on 01 December 2026 10:00:00",
		"os: Linux-6.1.0 #1 SMP",
		"detected number of CPU cores: 2",
		"current working directory: /srv/notes",
		"uwsgi socket 0 bound to TCP address 127.0.0.1:8001 fd 3",
		"*** Operational MODE: preforking ***",
		"WSGI app 0 (mountpoint='') ready in 0 seconds on interpreter 0x55d0 pid: 411 (default app)",
		"spawned uWSGI master process (pid: 411)",
		"spawned uWSGI worker 1 (pid: 412, cores: 1)",
		"spawned uWSGI worker 2 (pid: 413, cores: 1)",
	}
	req := "[pid: 412|app: 0|req: 1/1] 127.0.0.1 () {34 vars in 402 bytes} [Sat Dec  5 03:12:02 2026] GET / => generated 1090 bytes in 3 msecs (HTTP/1.1 200) 2 headers in 79 bytes (1 switches on core 0)"
	dir := t.TempDir()
	for _, tc := range []struct {
		name  string
		lines []string
		want  Format
	}{
		{"with requests", append(append([]string{}, banner...), req, "Traceback (most recent call last):", req), FormatAccessLog},
		{"banner only", banner, FormatUnknown},
		{"requests but no banner first", append([]string{"hello"}, append(banner[1:], req)...), FormatUnknown},
	} {
		p := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_"))
		if err := os.WriteFile(p, []byte(strings.Join(tc.lines, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		ins, _ := Resolve([]string{p}, nil)
		got := FormatUnknown
		if len(ins) == 1 {
			got = ins[0].Format
		}
		if got != tc.want {
			t.Errorf("%s: format %q, want %q", tc.name, got, tc.want)
		}
		if got != FormatAccessLog {
			continue
		}
		r := NewReader(ins, Options{})
		var evs []*Event
		if err := r.All(func(ev *Event) { evs = append(evs, ev) }); err != nil {
			t.Fatal(err)
		}
		if len(evs) != 2 || ins[0].Malformed != len(tc.lines)-2 || ins[0].Errors.List[0].Pos.Line != 1 {
			t.Errorf("%s: %d events, %d skipped, first error %v", tc.name, len(evs), ins[0].Malformed, ins[0].Errors.List[0])
		}
	}
}

// TestCaddyStderrLog: Caddy's stderr kept in a file holds its own entries
// (start-up, certificates, config reloads) among the access records; they
// do not vote on the file's format, and are counted as skipped when read.
// A file of Caddy's own entries alone is no access log.
func TestCaddyStderrLog(t *testing.T) {
	var own []string
	for i := 0; i < 20; i++ {
		own = append(own, fmt.Sprintf(`{"level":"info","ts":1796440300.%d,"logger":"tls.cache.maintenance","msg":"started background certificate maintenance","cache":"0xc000%d"}`, i, i))
	}
	access := `{"level":"info","ts":1796440322.8123457,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"127.0.0.1","method":"GET","uri":"/"},"duration":0.001,"size":1,"status":200}`
	dir := t.TempDir()
	for _, tc := range []struct {
		name  string
		lines []string
		want  Format
	}{
		{"mixed", append(append([]string{}, own...), access, access, access), FormatAccessLog},
		{"own only", own, FormatUnknown},
	} {
		p := filepath.Join(dir, tc.name)
		if err := os.WriteFile(p, []byte(strings.Join(tc.lines, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		ins, _ := Resolve([]string{p}, nil)
		got := FormatUnknown
		if len(ins) == 1 {
			got = ins[0].Format
		}
		if got != tc.want {
			t.Fatalf("%s: format %q, want %q", tc.name, got, tc.want)
		}
		if got != FormatAccessLog {
			continue
		}
		r := NewReader(ins, Options{})
		var evs []*Event
		if err := r.All(func(ev *Event) { evs = append(evs, ev) }); err != nil {
			t.Fatal(err)
		}
		if len(evs) != 3 || ins[0].Malformed != 20 {
			t.Errorf("%s: %d events, %d skipped", tc.name, len(evs), ins[0].Malformed)
		}
	}
}
