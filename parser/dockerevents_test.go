package parser

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestDockerEventsDecoder(t *testing.T) {
	const id = ctrTestID
	tests := []struct {
		name    string
		line    string
		want    Event // Kind, Time, Op, Args, Message, Exit, Container are compared
		wantErr error
	}{
		{
			name: "exec_start",
			line: `{"status":"exec_start: sh -c id","id":"` + id + `","from":"nginx:1.27.3","Type":"container","Action":"exec_start: sh -c id","Actor":{"ID":"` + id + `","Attributes":{"execID":"017c","image":"nginx:1.27.3","name":"shop-web"}},"scope":"local","time":1795637722,"timeNano":1795637722710000002}`,
			want: withContainer(Event{Kind: KindContainer, Time: ctrUTC("2026-11-25T20:15:22.710000002Z"), Op: "exec_start", Args: []string{"sh", "-c", "id"}, Message: "execID=017c"}, Container{ID: id, Name: "shop-web", Image: "nginx:1.27.3", Runtime: "docker"}),
		},
		{
			name: "exec with spaces in an argument",
			line: `{"Type":"container","Action":"exec_create: bash -c id; uname -a","Actor":{"ID":"` + id + `","Attributes":{"execID":"9a","name":"shop-web"}},"time":1795637722}`,
			want: withContainer(Event{Kind: KindContainer, Time: ctrUTC("2026-11-25T20:15:22Z"), Op: "exec_create", Args: []string{"bash", "-c", "id;", "uname", "-a"}, Message: "execID=9a"}, Container{ID: id, Name: "shop-web", Runtime: "docker"}),
		},
		{
			name: "die with exit code",
			line: `{"status":"die","id":"` + id + `","from":"nginx:1.27.3","Type":"container","Action":"die","Actor":{"ID":"` + id + `","Attributes":{"exitCode":"137","image":"nginx:1.27.3","name":"shop-web"}},"time":1795638000,"timeNano":1795638000400000000}`,
			want: withContainer(Event{Kind: KindContainer, Time: ctrUTC("2026-11-25T20:20:00.4Z"), Op: "die", Exit: 137, Message: "exitCode=137"}, Container{ID: id, Name: "shop-web", Image: "nginx:1.27.3", Runtime: "docker"}),
		},
		{
			name: "health status detail",
			line: `{"Type":"container","Action":"health_status: unhealthy","Actor":{"ID":"` + id + `","Attributes":{"name":"shop-web"}},"time":1795638000}`,
			want: withContainer(Event{Kind: KindContainer, Time: ctrUTC("2026-11-25T20:20:00Z"), Op: "health_status", Message: "detail=unhealthy"}, Container{ID: id, Name: "shop-web", Runtime: "docker"}),
		},
		{
			name: "old daemon without Type",
			line: `{"status":"start","id":"` + id + `","from":"nginx:1.9","time":1461943101}`,
			want: withContainer(Event{Kind: KindContainer, Time: ctrUTC("2016-04-29T15:18:21Z"), Op: "start"}, Container{ID: id, Image: "nginx:1.9", Runtime: "docker"}),
		},
		{
			name: "kubernetes labels",
			line: `{"Type":"container","Action":"start","Actor":{"ID":"` + id + `","Attributes":{"name":"k8s_nginx_web-1_shop_uid_0","io.kubernetes.pod.name":"web-1","io.kubernetes.pod.namespace":"shop"}},"time":1795638000}`,
			want: withContainer(Event{Kind: KindContainer, Time: ctrUTC("2026-11-25T20:20:00Z"), Op: "start"}, Container{ID: id, Name: "k8s_nginx_web-1_shop_uid_0", Pod: "web-1", Namespace: "shop", Runtime: "docker"}),
		},
		{
			name: "network connect names the container",
			line: `{"Type":"network","Action":"connect","Actor":{"ID":"a08a","Attributes":{"container":"` + id + `","name":"bridge","type":"bridge"}},"scope":"local","time":1795637401,"timeNano":1795637401101010101}`,
			want: withContainer(Event{Kind: KindContainer, Time: ctrUTC("2026-11-25T20:10:01.101010101Z"), Op: "network.connect", Message: "name=bridge id=a08a"}, Container{ID: id, Runtime: "docker"}),
		},
		{
			name: "image pull",
			line: `{"status":"pull","id":"nginx:1.27.3","Type":"image","Action":"pull","Actor":{"ID":"nginx:1.27.3","Attributes":{"name":"nginx"}},"time":1795637395}`,
			want: Event{Kind: KindContainer, Time: ctrUTC("2026-11-25T20:09:55Z"), Op: "image.pull", Message: "name=nginx id=nginx:1.27.3"},
		},
		{name: "truncated", line: `{"status":"create","id":"` + id + `","Type":"container","Action":"crea`, wantErr: ErrFormat},
		{name: "no time", line: `{"Type":"container","Action":"start","Actor":{"ID":"x"}}`, wantErr: ErrFormat},
		{name: "no action", line: `{"Type":"container","Actor":{"ID":"x"},"time":1}`, wantErr: ErrFormat},
		{name: "time of the wrong type", line: `{"Type":"container","Action":"start","Actor":{"ID":"x"},"time":"yesterday"}`, wantErr: ErrFormat},
		{name: "not an object", line: `[]`, wantErr: ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs, err := newDockerEventsDecoder(nil, nil).Line(Pos{File: "events.jsonl", Line: 1}, []byte(tt.line), nil)
			if tt.wantErr != nil {
				var pe *Error
				if !errors.Is(err, tt.wantErr) || !errors.As(err, &pe) || pe.Pos.Line != 1 || len(evs) != 0 {
					t.Fatalf("err = %v, events %d; want %v at line 1", err, len(evs), tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			ctrCheckEvents(t, evs)
			if len(evs) != 1 {
				t.Fatalf("got %d events", len(evs))
			}
			got, w := evs[0], tt.want
			if got.Kind != w.Kind || !got.Time.Equal(w.Time) || got.Op != w.Op || !slices.Equal(got.Args, w.Args) ||
				got.Message != w.Message || got.Exit != w.Exit || got.Container() != w.Container() || got.Source != "docker-events" {
				t.Errorf("got  %v %v op=%q args=%q msg=%q exit=%d %+v\nwant %v %v op=%q args=%q msg=%q exit=%d %+v",
					got.Kind, got.Time, got.Op, got.Args, got.Message, got.Exit, got.Container(),
					w.Kind, w.Time, w.Op, w.Args, w.Message, w.Exit, w.Container())
			}
		})
	}
}

func TestSniffDockerEvents(t *testing.T) {
	tests := []struct {
		name string
		line string
		want bool
	}{
		{"event", `{"Type":"container","Action":"start","Actor":{"ID":"x","Attributes":{}},"scope":"local","time":1,"timeNano":1}`, true},
		{"old event", `{"status":"start","id":"x","from":"nginx","time":1}`, true},
		{"truncated", `{"status":"start","id":"x","fr`, true},
		{"config.v2.json", `{"StreamConfig":{},"State":{"Running":true},"ID":"x","Name":"/web","Config":{"Image":"nginx"}}`, false},
		{"docker json", `{"log":"x\n","stream":"stdout","time":"2026-11-25T20:15:22Z"}`, false},
		{"access json", `{"status":"200","request":"GET / HTTP/1.1","remote_addr":"1.2.3.4"}`, false},
		{"plain", `start x`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sniffDockerEvents([]byte(tt.line)); got != tt.want {
				t.Errorf("sniffDockerEvents = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDockerEventsFixture(t *testing.T) {
	ins, evs := ctrReadAll(t, filepath.Join("testdata", "dockerevents", "webshell_exec.jsonl"))
	in := ctrInput(t, ins, FormatDockerEvents)
	if in.Malformed != 1 || in.Errors.List[0].Pos.Line != 13 {
		t.Errorf("malformed %d: %v; want the cut last line", in.Malformed, in.Errors.Err())
	}
	var ops []string
	for _, ev := range evs {
		ops = append(ops, ev.Op)
		if ev.Kind != KindContainer {
			t.Errorf("kind %v", ev.Kind)
		}
		if ev.Op != "image.pull" && ev.Container().ID != ctrTestID {
			t.Errorf("%s: container %+v", ev.Op, ev.Container())
		}
	}
	want := []string{"image.pull", "create", "network.connect", "start", "exec_create", "exec_start", "exec_die", "health_status", "kill", "die", "stop", "destroy"}
	if !slices.Equal(ops, want) {
		t.Errorf("ops = %q\nwant  %q", ops, want)
	}
}

// TestDockerExecPairing: exec_die names only its execID; it gets the
// command of the exec_create/exec_start with that id.
func TestDockerExecPairing(t *testing.T) {
	const id = "4b5e57f6eb2f42b9039b3d1e13929295f231749c510cbe341cd68036d9af97e2"
	lines := []string{
		`{"status":"exec_create: sh -c id","id":"` + id + `","Type":"container","Action":"exec_create: sh -c id","Actor":{"ID":"` + id + `","Attributes":{"execID":"e1","name":"shop"}},"time":1,"timeNano":1000000000}`,
		`{"status":"exec_die","id":"` + id + `","Type":"container","Action":"exec_die","Actor":{"ID":"` + id + `","Attributes":{"execID":"e1","exitCode":"0","name":"shop"}},"time":2,"timeNano":2000000000}`,
		`{"status":"exec_die","id":"` + id + `","Type":"container","Action":"exec_die","Actor":{"ID":"` + id + `","Attributes":{"execID":"unknown","exitCode":"1"}},"time":3,"timeNano":3000000000}`,
	}
	d := newDockerEventsDecoder(nil, nil)
	var evs []*Event
	for i, l := range lines {
		var err error
		if evs, err = d.Line(Pos{File: "events.jsonl", Line: i + 1}, []byte(l), evs); err != nil {
			t.Fatal(err)
		}
	}
	if got := strings.Join(evs[1].Args, " "); evs[1].Op != "exec_die" || got != "sh -c id" {
		t.Errorf("exec_die: op %q args %q, want the exec's command", evs[1].Op, got)
	}
	if evs[2].Args != nil {
		t.Errorf("an exec_die of an unknown exec got args %q", evs[2].Args)
	}
}

// withContainer is ev with its container set (Event.SetContainer: the
// container is out of line, so a literal cannot name it).
func withContainer(ev Event, c Container) Event {
	ev.SetContainer(c)
	return ev
}
