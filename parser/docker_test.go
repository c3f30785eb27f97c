package parser

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const (
	ctrTestID    = "4b5e57f6eb2f42b9039b3d1e13929295f231749c510cbe341cd68036d9af97e2"
	ctrFixtureID = ctrTestID
)

// dockerRecord renders one json-file record the way dockerd does
// (json.Marshal escapes <, > and & like dockerd's encoder).
func dockerRecord(log, stream, ts string) string {
	b, err := json.Marshal(struct {
		Log    string `json:"log"`
		Stream string `json:"stream"`
		Time   string `json:"time"`
	}{log, stream, ts})
	if err != nil {
		panic(err)
	}
	return string(b)
}

func TestDockerJSONDecoder(t *testing.T) {
	long := strings.Repeat("0123456789abcdef", 1280) // 20 KiB: dockerd cuts it at 16 KiB
	access := `203.0.113.50 - - [25/Nov/2026:20:15:22 +0000] "GET /uploads/shell.php?cmd=id HTTP/1.1" 200 54 "-" "python-requests/2.32.3" "-"`
	type want struct {
		kind    Kind
		text    string // Message for KindOther, Path?Query for KindHTTP
		time    string
		wrapper bool // WrapperTime reports a disagreeing wrapper time
		line    int  // Evidence line
		records int  // lines in Evidence.Raw
	}
	tests := []struct {
		name     string
		in       []string
		want     []want
		wantErrs []error
	}{
		{
			name: "access line",
			in:   []string{dockerRecord(access+"\n", "stdout", "2026-11-25T20:15:22.718220931Z")},
			want: []want{{kind: KindHTTP, text: "/uploads/shell.php?cmd=id", time: "2026-11-25T20:15:22Z", line: 1, records: 1}},
		},
		{
			name: "line split at 16 KiB",
			in: []string{
				dockerRecord(long[:16<<10], "stdout", "2026-11-25T20:15:30.1Z"),
				dockerRecord(long[16<<10:]+"\n", "stdout", "2026-11-25T20:15:30.1Z"),
			},
			want: []want{{kind: KindOther, text: long, time: "2026-11-25T20:15:30.1Z", line: 1, records: 2}},
		},
		{
			name: "partials interleaved between streams",
			in: []string{
				dockerRecord("out one ", "stdout", "2026-11-25T20:15:31Z"),
				dockerRecord("err one ", "stderr", "2026-11-25T20:15:32Z"),
				dockerRecord("out two\n", "stdout", "2026-11-25T20:15:33Z"),
				dockerRecord("err two\n", "stderr", "2026-11-25T20:15:34Z"),
			},
			want: []want{
				{kind: KindOther, text: "out one out two", time: "2026-11-25T20:15:31Z", line: 1, records: 2},
				{kind: KindOther, text: "err one err two", time: "2026-11-25T20:15:32Z", line: 2, records: 2},
			},
		},
		{
			name: "truncated record skipped",
			in: []string{
				`{"log":"GET /uploads/shell.php?cmd=`,
				dockerRecord("after\n", "stdout", "2026-11-25T20:15:35Z"),
			},
			want:     []want{{kind: KindOther, text: "after", time: "2026-11-25T20:15:35Z", line: 2, records: 1}},
			wantErrs: []error{ErrFormat},
		},
		{
			name:     "bad time",
			in:       []string{dockerRecord("x\n", "stdout", "25/Nov/2026:20:15:22")},
			wantErrs: []error{ErrFormat},
		},
		{
			name:     "no log field",
			in:       []string{`{"stream":"stdout","time":"2026-11-25T20:15:22Z"}`, `[1,2]`, `"log"`},
			wantErrs: []error{ErrFormat, ErrFormat, ErrFormat},
		},
		{
			name: "tty output",
			in:   []string{dockerRecord("root@4b5e57f6eb2f:/# id\r\n", "stdout", "2026-11-25T20:15:36Z")},
			want: []want{{kind: KindOther, text: "root@4b5e57f6eb2f:/# id", time: "2026-11-25T20:15:36Z", line: 1, records: 1}},
		},
		{
			name: "blank lines dropped",
			in:   []string{dockerRecord("\n", "stdout", "2026-11-25T20:15:37Z"), dockerRecord(" \r\n", "stderr", "2026-11-25T20:15:37Z")},
		},
		{
			name: "unfinished line at end of file",
			in:   []string{dockerRecord("no newline", "stderr", "2026-11-25T20:15:38Z"), dockerRecord("done\n", "stdout", "2026-11-25T20:15:39Z")},
			want: []want{
				{kind: KindOther, text: "done", time: "2026-11-25T20:15:39Z", line: 2, records: 1},
				{kind: KindOther, text: "no newline", time: "2026-11-25T20:15:38Z", line: 1, records: 1},
			},
		},
		{
			name: "container clock an hour off",
			in:   []string{dockerRecord(strings.Replace(access, "20:15:22", "19:15:22", 1)+"\n", "stdout", "2026-11-25T20:15:22.7Z")},
			want: []want{{kind: KindHTTP, text: "/uploads/shell.php?cmd=id", time: "2026-11-25T19:15:22Z", wrapper: true, line: 1, records: 1}},
		},
		{
			name: "json access line inside",
			in:   []string{dockerRecord(`{"time_local":"25/Nov/2026:20:15:22 +0000","remote_addr":"203.0.113.50","request":"GET /uploads/shell.php?cmd=id HTTP/1.1","status":"200"}`+"\n", "stdout", "2026-11-25T20:15:22Z")},
			want: []want{{kind: KindHTTP, text: "/uploads/shell.php?cmd=id", time: "2026-11-25T20:15:22Z", line: 1, records: 1}},
		},
		{
			name: "json access line without its own time",
			in:   []string{dockerRecord(`{"remote_addr":"203.0.113.50","request":"GET /x HTTP/1.1","status":404}`+"\n", "stdout", "2026-11-25T20:15:22.5Z")},
			want: []want{{kind: KindHTTP, text: "/x", time: "2026-11-25T20:15:22.5Z", line: 1, records: 1}},
		},
		{
			name: "error log line is not a request",
			in:   []string{dockerRecord(`2026/11/25 20:15:40 [error] 29#29: *7 open() "/usr/share/nginx/html/x.php" failed`+"\n", "stderr", "2026-11-25T20:15:40Z")},
			want: []want{{kind: KindOther, text: `2026/11/25 20:15:40 [error] 29#29: *7 open() "/usr/share/nginx/html/x.php" failed`, time: "2026-11-25T20:15:40Z", line: 1, records: 1}},
		},
		{
			name: "record without time",
			in:   []string{`{"log":"hello\n"}`},
			want: []want{{kind: KindOther, text: "hello", time: "0001-01-01T00:00:00Z", line: 1, records: 1}},
		},
	}
	in := &Input{Path: filepath.Join(t.TempDir(), ctrTestID+"-json.log")}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs, errs := ctrDecode(newDockerJSONDecoder(in, &Options{}), in.Path, strings.Join(tt.in, "\n")+"\n")
			ctrCheckEvents(t, evs)
			if len(errs) != len(tt.wantErrs) {
				t.Fatalf("errors = %v, want %v", errs, tt.wantErrs)
			}
			for i, err := range errs {
				if !errors.Is(err, tt.wantErrs[i]) {
					t.Errorf("error %d = %v, want %v", i, err, tt.wantErrs[i])
				}
			}
			if len(evs) != len(tt.want) {
				t.Fatalf("got %d events, want %d", len(evs), len(tt.want))
			}
			for i, w := range tt.want {
				ev := evs[i]
				text := ev.Message
				if ev.HTTP != nil {
					text = ev.HTTP.Path
					if ev.HTTP.Query != "" {
						text += "?" + ev.HTTP.Query
					}
				}
				if ev.Kind != w.kind || text != w.text {
					t.Errorf("event %d = %v %.60q, want %v %.60q", i, ev.Kind, text, w.kind, w.text)
				}
				if !ev.Time.Equal(ctrUTC(w.time)) {
					t.Errorf("event %d time = %v, want %s", i, ev.Time, w.time)
				}
				if _, ok := WrapperTime(ev); ok != w.wrapper {
					t.Errorf("event %d WrapperTime ok = %v (message %q)", i, ok, ev.Message)
				}
				e := ev.FirstEvidence()
				if e.Pos.Line != w.line || strings.Count(e.Raw, "\n")+1 != w.records {
					t.Errorf("event %d evidence at line %d with %d records, want %d, %d", i, e.Pos.Line, strings.Count(e.Raw, "\n")+1, w.line, w.records)
				}
				if ev.Container().ID != ctrTestID || ev.Container().Runtime != "docker" || ev.Source != "docker-json" {
					t.Errorf("event %d container %+v source %q", i, ev.Container(), ev.Source)
				}
			}
		})
	}
}

func TestSniffDockerJSON(t *testing.T) {
	tests := []struct {
		name string
		line string
		want bool
	}{
		{"record", dockerRecord("x\n", "stdout", "2026-11-25T20:15:22Z"), true},
		{"record with attrs", `{"log":"x\n","stream":"stdout","attrs":{"tag":"web"},"time":"2026-11-25T20:15:22Z"}`, true},
		{"shipper envelope", `{"log":"x\n","stream":"stdout","time":"2026-11-25T20:15:22Z","kubernetes":{"pod_name":"web"}}`, false},
		{"log not a string", `{"log":1,"time":"2026-11-25T20:15:22Z"}`, false},
		{"access json", `{"request":"GET / HTTP/1.1","status":"200"}`, false},
		{"truncated", `{"log":"x\n","stream":"std`, true},
		{"cri", `2026-11-25T20:15:22Z stdout F x`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sniffDockerJSON([]byte(tt.line)); got != tt.want {
				t.Errorf("sniffDockerJSON = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDockerContainer(t *testing.T) {
	tests := []struct {
		name string
		path string
		want Container
	}{
		{"json log", "/var/lib/docker/containers/" + ctrTestID + "/" + ctrTestID + "-json.log", Container{ID: ctrTestID, Runtime: "docker"}},
		{"rotated gzip", "/evidence/" + ctrTestID + "-json.log.3.gz", Container{ID: ctrTestID, Runtime: "docker"}},
		{"renamed in its folder", "/evidence/" + ctrTestID + "/copy.log", Container{ID: ctrTestID, Runtime: "docker"}},
		{"dockershim pod log", "/var/log/pods/shop_web-1_0f6c3a1e-5b2d-4e8a-9c71-2d4b6e8f1a3c/nginx/0.log", Container{Namespace: "shop", Pod: "web-1", Name: "nginx", Runtime: "docker"}},
		{"short id is not an id", "/evidence/4b5e57f6eb2f-json.log", Container{Runtime: "docker"}},
		{"stdin", "-", Container{Runtime: "docker"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := dockerContainer(&Input{Path: tt.path}); got != tt.want {
				t.Errorf("dockerContainer(%q) = %+v, want %+v", tt.path, got, tt.want)
			}
		})
	}
}

func TestWrapperTime(t *testing.T) {
	tests := []struct {
		name   string
		ev     *Event
		want   time.Time
		wantOK bool
	}{
		{"set", withWrapper(&Event{Kind: KindHTTP}, ctrUTC("2026-11-25T20:15:22.7Z")), ctrUTC("2026-11-25T20:15:22.7Z"), true},
		{"not http", withWrapper(&Event{Kind: KindOther}, ctrUTC("2026-11-25T20:15:22.7Z")), time.Time{}, false},
		{"unset", &Event{Kind: KindHTTP}, time.Time{}, false},
		{"nil", nil, time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := WrapperTime(tt.ev)
			if ok != tt.wantOK || !got.Equal(tt.want) {
				t.Errorf("WrapperTime = %v, %v; want %v, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

// ctrReadAll resolves args and reads every event.
func ctrReadAll(t *testing.T, args ...string) ([]*Input, []*Event) {
	t.Helper()
	ins, skipped := Resolve(args, nil)
	for _, s := range skipped {
		t.Logf("skipped %s: %s", s.Path, s.Reason)
	}
	r := NewReader(ins, Options{})
	defer r.Close()
	var evs []*Event
	if err := r.All(func(ev *Event) { evs = append(evs, ev) }); err != nil {
		t.Fatal(err)
	}
	ctrCheckEvents(t, evs)
	return ins, evs
}

func ctrInput(t *testing.T, ins []*Input, f Format) *Input {
	t.Helper()
	var found *Input
	for _, in := range ins {
		if in.Format == f {
			if found != nil {
				t.Fatalf("two %s inputs: %s, %s", f, found.Path, in.Path)
			}
			found = in
		}
	}
	if found == nil {
		t.Fatalf("no %s input among %d", f, len(ins))
	}
	return found
}

func TestDockerJSONFixture(t *testing.T) {
	ins, evs := ctrReadAll(t, filepath.Join("testdata", "docker", "containers", ctrFixtureID))
	in := ctrInput(t, ins, FormatDockerJSON)
	if in.Malformed != 1 || in.Errors.Total != 1 || in.Errors.List[0].Pos.Line != 11 {
		t.Errorf("malformed = %d, errors = %v; want the truncated last line", in.Malformed, in.Errors.Err())
	}
	want := Container{ID: ctrFixtureID, Name: "shop-web", Image: "nginx:1.27.3", Runtime: "docker"}
	kinds := map[Kind]int{}
	wrapped := 0
	for _, ev := range evs {
		kinds[ev.Kind]++
		if ev.Container() != want {
			t.Errorf("container = %+v, want %+v", ev.Container(), want)
		}
		if _, ok := WrapperTime(ev); ok {
			wrapped++
		}
	}
	if kinds[KindHTTP] != 4 || kinds[KindOther] != 5 || wrapped != 1 {
		t.Errorf("kinds = %v, wrapper times = %d; want 4 http, 5 other, 1", kinds, wrapped)
	}
}

// TestDockerEndToEnd lays out a docker data root the way dockerd does, with a
// compressed rotation, and reads it through Resolve and NewReader.
func TestDockerEndToEnd(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "var", "lib", "docker", "containers", ctrTestID)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := `{"ID":"` + ctrTestID + `","Name":"/shop-web","Config":{"Image":"nginx:1.27.3","Labels":{"maintainer":"NGINX"}},"State":{"Pid":2314}}`
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("config.v2.json", []byte(cfg))
	huge := strings.Repeat("B", 70<<10) // over 64 KiB in one record
	older := dockerRecord("/docker-entrypoint.sh: Configuration complete; ready for start up\n", "stdout", "2026-11-25T20:10:01.482113904Z") + "\n" +
		dockerRecord(`203.0.113.50 - - [25/Nov/2026:20:14:31 +0000] "POST /upload.php HTTP/1.1" 200 87 "-" "Mozilla/5.0" "-"`+"\n", "stdout", "2026-11-25T20:14:31.2Z") + "\n" +
		dockerRecord(huge+"\n", "stderr", "2026-11-25T20:14:40Z") + "\n"
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(older))
	zw.Close()
	write(ctrTestID+"-json.log.1.gz", gz.Bytes())
	write(ctrTestID+"-json.log", []byte(
		dockerRecord(`203.0.113.50 - - [25/Nov/2026:20:15:22 +0000] "GET /uploads/shell.php?cmd=id HTTP/1.1" 200 54 "-" "python-requests/2.32.3" "-"`+"\n", "stdout", "2026-11-25T20:15:22.718Z")+"\n"+
			`{"log":"203.0.113.50 - - [25/Nov/2026:20:15:40 +0000] \"GET /uploads/sh`+"\n"))

	ins, evs := ctrReadAll(t, filepath.Join(root, "var", "lib", "docker", "containers"))
	var logs []*Input
	for _, in := range ins {
		if in.Format == FormatDockerJSON {
			logs = append(logs, in)
		}
	}
	if len(logs) != 2 {
		t.Fatalf("got %d docker-json inputs, want 2", len(logs))
	}
	if len(evs) != 4 {
		t.Fatalf("got %d events, want 4", len(evs))
	}
	for i, ev := range evs {
		if ev.Container().Name != "shop-web" || ev.Container().ID != ctrTestID || ev.Container().Image != "nginx:1.27.3" {
			t.Errorf("event %d container = %+v", i, ev.Container())
		}
		if i > 0 && ev.Time.Before(evs[i-1].Time) {
			t.Errorf("event %d out of order", i)
		}
	}
	if evs[2].Message != huge {
		t.Errorf("70 KiB line came back as %d bytes", len(evs[2].Message))
	}
	if h := evs[3].HTTP; h == nil || h.Query != "cmd=id" {
		t.Errorf("last event = %+v", evs[3])
	}
	malformed := 0
	for _, in := range logs {
		malformed += in.Malformed
		if in.SHA256 == "" {
			t.Errorf("%s not hashed", in.Path)
		}
	}
	if malformed != 1 {
		t.Errorf("malformed = %d, want 1", malformed)
	}
}

func TestDockerBadConfig(t *testing.T) {
	dir := filepath.Join(t.TempDir(), ctrTestID)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "config.v2.json"), []byte(`{"ID":`), 0o644)
	in := &Input{Path: filepath.Join(dir, ctrTestID+"-json.log")}
	c := dockerContainer(in)
	if c.ID != ctrTestID || c.Name != "" {
		t.Errorf("container = %+v", c)
	}
	if in.Errors.Total != 1 || !errors.Is(in.Errors.List[0], ErrFormat) {
		t.Errorf("errors = %v", in.Errors.Err())
	}
}

// TestPublicContainerSamples reads the public samples kept beside the format
// notes, when this machine has them.
func TestPublicContainerSamples(t *testing.T) {
	const root = "../testdata/public/formats" // copied in with their SOURCE.txt (licences)
	if _, err := os.Stat(root); err != nil {
		t.Fatal("public samples missing from testdata/public/formats")
	}
	t.Run("docker-json-file", func(t *testing.T) {
		dir := filepath.Join(root, "docker-json-file")
		ins, evs := ctrReadAll(t, dir)
		counts := map[string]int{}
		malformed := 0
		for _, in := range ins {
			if in.Format != FormatDockerJSON {
				t.Errorf("%s sniffed as %q", in.Path, in.Format)
			}
			malformed += in.Malformed
		}
		http := 0
		for _, ev := range evs {
			counts[filepath.Base(ev.FirstEvidence().Pos.File)]++
			if ev.Kind == KindHTTP {
				http++
				if ev.HTTP.Status != 500 || ev.HTTP.Path != "/intra-abdominally" {
					t.Errorf("apache line = %+v", ev.HTTP)
				}
			}
		}
		if counts["docker_corrupted.log"] != 20 || counts["dockermode_splitted_line.log"] != 2 || http != 1 || malformed != 1 {
			t.Errorf("events per file %v, http %d, malformed %d", counts, http, malformed)
		}
	})
	t.Run("cri", func(t *testing.T) {
		b, err := os.ReadFile(filepath.Join(root, "cri", "multiline.json"))
		if err != nil {
			t.Fatal(err)
		}
		var recs []struct{ Log string }
		if err := json.Unmarshal(b, &recs); err != nil || len(recs) == 0 {
			t.Fatalf("sample: %v", err)
		}
		evs, errs := ctrDecode(newCRIDecoder(&Input{Path: "0.log"}, &Options{}), "0.log", recs[0].Log)
		ctrCheckEvents(t, evs)
		if len(evs) != 19 || len(errs) != 0 {
			t.Errorf("got %d events, errors %v; want 19, none", len(evs), errs)
		}
	})
	t.Run("web-access-logs", func(t *testing.T) {
		ins, evs := ctrReadAll(t, filepath.Join(root, "web-access-logs"))
		records, malformed := 0, 0
		for _, in := range ins {
			if in.Format != FormatAccessLog {
				t.Errorf("%s sniffed as %q", in.Path, in.Format)
			}
			records += in.Records
			malformed += in.Malformed
		}
		if records != 31 || malformed != 0 || len(evs) != 31 {
			t.Errorf("records %d, malformed %d, events %d; want 31, 0, 31", records, malformed, len(evs))
		}
	})
}

// withWrapper is ev with its wrapper time set (Event.SetWrapper).
func withWrapper(ev *Event, t time.Time) *Event {
	ev.SetWrapper(t)
	return ev
}
