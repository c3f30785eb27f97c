package parser

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const ctrCRIID = "221cabbeb8514db15e4be44029ce48b202dc5cdbe0167e36142b49164b39421f"

func TestCRIDecoder(t *testing.T) {
	long := strings.Repeat("x", 16<<10)
	tests := []struct {
		name     string
		lines    []string
		want     []string // Message, or "http <path>"
		wantErrs []error
	}{
		{
			name: "partials interleaved between stdout and stderr",
			lines: []string{
				"2026-11-25T20:15:40.1Z stderr P PHP message: ",
				"2026-11-25T20:15:40.2Z stdout P 10.244.0.1 - - [25/Nov/2026:20:15:40 +0000] \"GET /uploads/shell.php?cmd=id HTTP/1.1\" ",
				"2026-11-25T20:15:40.3Z stderr P system(): ",
				"2026-11-25T20:15:40.4Z stdout F 200 54 \"-\" \"curl/8.5.0\" \"-\"",
				"2026-11-25T20:15:40.5Z stderr F Unable to fork [id]",
			},
			want: []string{"http /uploads/shell.php", "PHP message: system(): Unable to fork [id]"},
		},
		{
			name:  "line over the 16 KiB limit",
			lines: []string{"2026-11-25T20:15:41Z stdout P " + long, "2026-11-25T20:15:41Z stdout P " + long, "2026-11-25T20:15:41Z stdout F end"},
			want:  []string{long + long + "end"},
		},
		{
			name:     "bad lines between good ones",
			lines:    []string{"garbage", "2026-11-25T20:15:42Z stdout F ok", "2026-13-25T20:15:42Z stdout F bad month", "2026-11-25T20:15:43Z stdout Q x"},
			want:     []string{"ok"},
			wantErrs: []error{ErrFormat, ErrFormat, ErrFormat},
		},
		{
			name:  "partial left at end of file",
			lines: []string{"2026-11-25T20:15:44Z stdout P no newline", "2026-11-25T20:15:45Z stderr F other"},
			want:  []string{"other", "no newline"},
		},
		{
			name:  "blank content dropped",
			lines: []string{"2026-11-25T20:15:46Z stdout F", "2026-11-25T20:15:46Z stdout F   "},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newCRIDecoder(&Input{Path: "/var/log/pods/shop_web-1_0f6c3a1e-5b2d-4e8a-9c71-2d4b6e8f1a3c/nginx/0.log"}, &Options{})
			evs, errs := ctrDecode(d, "0.log", strings.Join(tt.lines, "\n"))
			ctrCheckEvents(t, evs)
			if len(errs) != len(tt.wantErrs) {
				t.Fatalf("errors = %v, want %v", errs, tt.wantErrs)
			}
			for i, err := range errs {
				if !errors.Is(err, tt.wantErrs[i]) {
					t.Errorf("error %d = %v, want %v", i, err, tt.wantErrs[i])
				}
			}
			var got []string
			for _, ev := range evs {
				if ev.Kind == KindHTTP {
					got = append(got, "http "+ev.HTTP.Path)
				} else {
					got = append(got, ev.Message)
				}
				if ev.Source != "cri" || ev.Container().Pod != "web-1" || ev.Container().Namespace != "shop" || ev.Container().Name != "nginx" {
					t.Errorf("source %q container %+v", ev.Source, ev.Container())
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("events = %.200q, want %.200q", got, tt.want)
			}
		})
	}
}

func TestCRIContainer(t *testing.T) {
	tests := []struct {
		name string
		path string
		want Container
	}{
		{"pod log", "/var/log/pods/shop_web-6b7f9c8d5-x2kqz_0f6c3a1e-5b2d-4e8a-9c71-2d4b6e8f1a3c/nginx/0.log",
			Container{Namespace: "shop", Pod: "web-6b7f9c8d5-x2kqz", Name: "nginx", Runtime: "containerd"}},
		{"rotated pod log", "/evidence/var/log/pods/shop_web-1_uid/php-fpm/2.log.20261125-201522.gz",
			Container{Namespace: "shop", Pod: "web-1", Name: "php-fpm", Runtime: "containerd"}},
		{"containers symlink", "/var/log/containers/web-6b7f9c8d5-x2kqz_shop_nginx-" + ctrCRIID + ".log",
			Container{Namespace: "shop", Pod: "web-6b7f9c8d5-x2kqz", Name: "nginx", ID: ctrCRIID, Runtime: "containerd"}},
		{"container name with dashes", "/var/log/containers/web-1_shop_log-shipper-" + ctrCRIID + ".log",
			Container{Namespace: "shop", Pod: "web-1", Name: "log-shipper", ID: ctrCRIID, Runtime: "containerd"}},
		{"not a kubelet path", "/tmp/app.log", Container{Runtime: "containerd"}},
		{"restart log outside pods", "/tmp/x/0.log", Container{Runtime: "containerd"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := criContainer(tt.path); got != tt.want {
				t.Errorf("criContainer(%q) = %+v, want %+v", tt.path, got, tt.want)
			}
		})
	}
}

func TestCRIFixtures(t *testing.T) {
	ins, evs := ctrReadAll(t, filepath.Join("testdata", "cri"))
	if len(ins) != 2 {
		t.Fatalf("got %d inputs, want 2", len(ins))
	}
	perFile := map[string][]*Event{}
	for _, in := range ins {
		if in.Format != FormatCRI || in.Malformed != 0 {
			t.Errorf("%s: format %q, errors %v", in.Path, in.Format, in.Errors.Err())
		}
	}
	for _, ev := range evs {
		perFile[filepath.Base(ev.FirstEvidence().Pos.File)] = append(perFile[filepath.Base(ev.FirstEvidence().Pos.File)], ev)
	}
	pod := perFile["0.log"]
	if len(pod) != 7 {
		t.Fatalf("0.log: %d events, want 7", len(pod))
	}
	http := 0
	for _, ev := range pod {
		if ev.Container().Runtime != "containerd" || ev.Container().Pod != "web-6b7f9c8d5-x2kqz" {
			t.Errorf("container %+v", ev.Container())
		}
		if ev.Kind == KindHTTP {
			http++
			if ev.HTTP.Client != "10.244.0.1" || !strings.HasPrefix(ev.HTTP.Path, "/uploads/shell.php") {
				t.Errorf("request %+v", ev.HTTP)
			}
			if _, ok := WrapperTime(ev); ok {
				t.Errorf("offset +01:00 stamp and +0000 access time agree, got %q", ev.Message)
			}
		}
	}
	if http != 2 {
		t.Errorf("0.log: %d http events, want 2", http)
	}
	sym := perFile["web-6b7f9c8d5-x2kqz_shop_nginx-"+ctrCRIID+".log"]
	if len(sym) != 2 || sym[0].Container().ID != ctrCRIID || sym[0].Container().Runtime != "cri-o" || sym[0].Kind != KindHTTP {
		t.Errorf("containers/ log: %d events, first %+v", len(sym), sym)
	}
}

// TestCRIEndToEnd reads a kubelet-rotated, gzipped pod log beside the live
// one through Resolve and NewReader.
func TestCRIEndToEnd(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "var", "log", "pods", "shop_web-1_0f6c3a1e-5b2d-4e8a-9c71-2d4b6e8f1a3c", "nginx")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("2026-11-25T21:14:31.2+01:00 stdout F 10.244.0.1 - - [25/Nov/2026:20:14:31 +0000] \"POST /upload.php HTTP/1.1\" 200 87 \"-\" \"Mozilla/5.0\" \"-\"\n" +
		"2026-11-25T21:14:32+01:00 stderr P half \n"))
	zw.Close()
	os.WriteFile(filepath.Join(dir, "0.log.20261125-201500.gz"), gz.Bytes(), 0o644)
	os.WriteFile(filepath.Join(dir, "0.log"), []byte(
		"2026-11-25T21:15:22.7+01:00 stdout F 10.244.0.1 - - [25/Nov/2026:20:15:22 +0000] \"GET /uploads/shell.php?cmd=id HTTP/1.1\" 200 54 \"-\" \"curl/8.5.0\" \"-\"\n"), 0o644)
	ins, evs := ctrReadAll(t, dir)
	if len(ins) != 2 || ins[0].Format != FormatCRI || ins[1].Format != FormatCRI {
		t.Fatalf("inputs = %v", ins)
	}
	if len(evs) != 3 {
		t.Fatalf("got %d events, want 3", len(evs))
	}
	if evs[0].HTTP == nil || evs[0].HTTP.Path != "/upload.php" || evs[1].Message != "half " || evs[2].HTTP == nil || evs[2].HTTP.Query != "cmd=id" {
		t.Errorf("events: %+v %+v %+v", evs[0], evs[1], evs[2])
	}
	for _, ev := range evs {
		if ev.Container().Name != "nginx" || ev.Container().Namespace != "shop" {
			t.Errorf("container %+v", ev.Container())
		}
	}
}
