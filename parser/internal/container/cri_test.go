package container

import (
	"errors"
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser/internal/event"
)

func TestParseCRILine(t *testing.T) {
	tests := []struct {
		name        string
		line        string
		wantTime    string
		wantStream  string
		wantPartial bool
		wantMsg     string
		wantErr     error
	}{
		{name: "containerd utc", line: "2026-11-25T20:15:22.33754077Z stderr F \tat Foo.bar(Foo.java:1)", wantTime: "2026-11-25T20:15:22.33754077Z", wantStream: "stderr", wantMsg: "\tat Foo.bar(Foo.java:1)"},
		{name: "node time zone", line: "2026-11-25T21:15:22.5+01:00 stdout F hello", wantTime: "2026-11-25T20:15:22.5Z", wantStream: "stdout", wantMsg: "hello"},
		{name: "negative offset", line: "2026-11-25T12:15:22-08:00 stdout F x", wantTime: "2026-11-25T20:15:22Z", wantStream: "stdout", wantMsg: "x"},
		{name: "cri-o nine digits", line: "2026-11-25T20:15:22.000000001+00:00 stdout P part", wantTime: "2026-11-25T20:15:22.000000001Z", wantStream: "stdout", wantPartial: true, wantMsg: "part"},
		{name: "empty content", line: "2026-11-25T20:15:22Z stdout F ", wantTime: "2026-11-25T20:15:22Z", wantStream: "stdout"},
		{name: "empty content trimmed", line: "2026-11-25T20:15:22Z stdout F", wantTime: "2026-11-25T20:15:22Z", wantStream: "stdout"},
		{name: "tag with more", line: "2026-11-25T20:15:22Z stdout F:x y", wantTime: "2026-11-25T20:15:22Z", wantStream: "stdout", wantMsg: "y"},
		{name: "spaces kept", line: "2026-11-25T20:15:22Z stdout F   indented ", wantTime: "2026-11-25T20:15:22Z", wantStream: "stdout", wantMsg: "  indented "},
		{name: "no offset", line: "2026-11-25T20:15:22.1 stdout F x", wantErr: event.ErrFormat},
		{name: "date only", line: "2026-11-25 stdout F x", wantErr: event.ErrFormat},
		{name: "bad stream", line: "2026-11-25T20:15:22Z stdin F x", wantErr: event.ErrFormat},
		{name: "bad tag", line: "2026-11-25T20:15:22Z stdout X x", wantErr: event.ErrFormat},
		{name: "time only", line: "2026-11-25T20:15:22Z", wantErr: event.ErrFormat},
		{name: "docker json", line: `{"log":"x\n","stream":"stdout","time":"2026-11-25T20:15:22Z"}`, wantErr: event.ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := parseCRILine([]byte(tt.line))
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !l.time.Equal(utc(tt.wantTime)) || l.stream != tt.wantStream || l.partial != tt.wantPartial || string(l.msg) != tt.wantMsg {
				t.Errorf("got %v %s partial=%v %q", l.time, l.stream, l.partial, l.msg)
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
