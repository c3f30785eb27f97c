package parser

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The container and web decoders must never panic, whatever the bytes, and
// every event they return must carry a UTC time and its evidence. Each fuzz
// input is a whole file: several lines exercise the partial-line state.

// ctrSeed adds every fixture file under testdata/<dir> as a seed, plus each
// of its lines on its own.
func ctrSeed(f *testing.F, dir string) {
	f.Helper()
	filepath.WalkDir(filepath.Join("testdata", dir), func(p string, d os.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		f.Add(b)
		for _, l := range strings.Split(string(b), "\n") {
			f.Add([]byte(l))
		}
		return nil
	})
}

func ctrFuzz(t *testing.T, d decoder, data []byte) {
	evs, errs := ctrDecode(d, "fuzz.log", string(data))
	ctrCheckEvents(t, evs)
	for _, err := range errs {
		if _, ok := err.(*Error); !ok {
			t.Errorf("error %T %v is not a *parser.Error", err, err)
		}
	}
}

func FuzzAccessLog(f *testing.F) {
	ctrSeed(f, "accesslog")
	f.Add([]byte(`1.2.3.4 - - [25/Nov/2026:20:15:22 +0000] "GET /a?b HTTP/1.1" 200 - "\"" "x"`))
	f.Add([]byte(`127.0.0.1 127.0.0.1:8070 - [03/Dec/2026:10:46:09 +0000] "GET /r.php HTTP/1.1" 200 34 "-" "ua" 465089`))
	f.Add([]byte(`1.2.3.4 - - [03/Dec/2026:08:15:08 +0000] "GET / HTTP/1.1" 200 1 "-" "ua" msec=1796285708.812 rt=0.195`))
	f.Add([]byte(`2026-12-05T12:19:18.633Z 127.0.0.1:36382 "GET /page/tide-notice HTTP/1.1" 200 OK`))
	f.Add([]byte(`2026-12-05 12:19:18,633 INFO: [::1]:51000 - "POST /api/x?a=1 HTTP/1.1" 201 Created`))
	f.Add([]byte(`{"time":"2026-12-05T12:18:30.559+00:00","client":"127.0.0.1","method":"GET","path":"/","status":200,"ua":"x","ms":7.3}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ctrFuzz(t, newAccessLogDecoder(nil, &Options{}), data)
		for _, l := range strings.Split(string(data), "\n") {
			sniffAccessLog([]byte(l))
			if r, err := parseAccess([]byte(l)); err == nil {
				if r.Req.Status < 0 || r.Req.Status > 999 || r.Req.Bytes < 0 || r.Time.Location() != time.UTC {
					t.Errorf("parseAccess(%q) = %+v at %v", l, r.Req, r.Time)
				}
				// a request's times never move it off its logged second
				// nor make it last beyond a day
				if r.Req.Duration < 0 || r.Req.Duration > 24*time.Hour || r.Req.EndAfter <= -2*time.Second || r.Req.EndAfter >= 2*time.Second {
					t.Errorf("parseAccess(%q): duration %s, end %s after the logged time", l, r.Req.Duration, r.Req.EndAfter)
				}
			}
		}
	})
}

func FuzzDockerJSON(f *testing.F) {
	ctrSeed(f, "docker")
	f.Add([]byte(dockerRecord("a ", "stdout", "2026-11-25T20:15:22Z") + "\n" + dockerRecord("b ", "stderr", "2026-11-25T20:15:23Z") + "\n" + dockerRecord("c\n", "stdout", "2026-11-25T20:15:24Z")))
	in := &Input{Path: "/var/lib/docker/containers/" + ctrTestID + "/" + ctrTestID + "-json.log"}
	f.Fuzz(func(t *testing.T, data []byte) {
		ctrFuzz(t, newDockerJSONDecoder(in, &Options{}), data)
		for _, l := range strings.Split(string(data), "\n") {
			sniffDockerJSON([]byte(l))
		}
	})
}

func FuzzCRI(f *testing.F) {
	ctrSeed(f, "cri")
	f.Add([]byte("2026-11-25T20:15:22.1+01:00 stdout P a\n2026-11-25T20:15:22.2-08:00 stderr P b\n2026-11-25T20:15:22.3Z stdout F c\n"))
	in := &Input{Path: "/var/log/pods/shop_web-1_uid/nginx/0.log"}
	f.Fuzz(func(t *testing.T, data []byte) {
		ctrFuzz(t, newCRIDecoder(in, &Options{}), data)
		for _, l := range strings.Split(string(data), "\n") {
			sniffCRI([]byte(l))
		}
	})
}

func FuzzDockerEvents(f *testing.F) {
	ctrSeed(f, "dockerevents")
	f.Fuzz(func(t *testing.T, data []byte) {
		ctrFuzz(t, newDockerEventsDecoder(nil, &Options{}), data)
		for _, l := range strings.Split(string(data), "\n") {
			sniffDockerEvents([]byte(l))
		}
	})
}
