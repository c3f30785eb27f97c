package parser

import (
	"fmt"
	"testing"
)

func TestSniffFalco(t *testing.T) {
	cases := []struct {
		line string
		want bool
	}{
		{`{"output":"o","priority":"Notice","rule":"r","time":"2026-03-14T10:20:31.114Z"}`, true},
		{`{"priority":"Notice","rule":"r","output_fields":{}}`, true},
		{`{"rule":"r","output":"o"}`, false},
		{`{"process_exec":{}}`, false},
		{`not json "rule": "priority": "output`, false},
	}
	for _, c := range cases {
		if got := sniffFalco([]byte(c.line)); got != c.want {
			t.Errorf("sniffFalco(%s) = %t, want %t", c.line, got, c.want)
		}
	}
}

func TestFalcoDecoder(t *testing.T) {
	rtRun(t, FormatFalco, []rtCase{
		{name: "alert with process fields", kinds: []Kind{KindAlert},
			in: `{"hostname":"web1","output":"10:20:31.114: Notice Shell spawned","priority":"Notice","rule":"Run shell untrusted","source":"syscall","tags":["T1059.004","shell"],"time":"2026-03-14T10:20:31.114000000Z","output_fields":{"proc.pid":2301,"proc.ppid":"2140","proc.exepath":"/usr/bin/dash","proc.name":"sh","proc.cmdline":"sh -c id","user.name":"www-data","user.uid":33,"user.loginuid":-1,"container.id":"3f6c1e0b9a8d","container.name":"php","container.image.repository":"shop-php","container.image.tag":"8.2","k8s.pod.name":"web-0","k8s.ns.name":"shop","fd.name":null}}`,
			check: func(t *testing.T, evs []*Event) {
				e := evs[0]
				rtWant(t, "Alert", fmt.Sprint(*e.Alert()), `{falco Run shell untrusted Notice 10:20:31.114: Notice Shell spawned [T1059.004 shell]}`)
				rtWant(t, "PID", e.PID, 2301)
				rtWant(t, "PPID", e.PPID, 2140)
				rtWant(t, "Exe", e.Exe, "/usr/bin/dash")
				rtWant(t, "Args", fmt.Sprintf("%q", e.Args), `["sh" "-c" "id"]`)
				rtWant(t, "UID", e.UID, NewID(33))
				rtWant(t, "AUID", e.AUID, ID{})
				rtWant(t, "User", e.User, "www-data")
				rtWant(t, "Host", e.Host, "web1")
				rtWant(t, "Container", e.Container(), Container{ID: "3f6c1e0b9a8d", Name: "php", Image: "shop-php:8.2", Pod: "web-0", Namespace: "shop"})
			}},
		{name: "time from evt.time when time is missing", kinds: []Kind{KindAlert},
			in: `{"priority":"Warning","rule":"r","output":"o","output_fields":{"evt.time":1773483631114000000,"container.id":"host","proc.exe":"sh"}}`,
			check: func(t *testing.T, evs []*Event) {
				rtWant(t, "Time", evs[0].Time.Format("2006-01-02T15:04:05.000Z"), "2026-03-14T10:20:31.114Z")
				rtWant(t, "Container", evs[0].Container(), Container{})
				rtWant(t, "Exe", evs[0].Exe, "") // proc.exe is argv[0], not a path
			}},
		{name: "socket fd is not a path", kinds: []Kind{KindAlert},
			in: `{"priority":"Notice","rule":"r","output":"o","time":"2026-03-14T10:20:37Z","output_fields":{"fd.name":"10.0.0.1:41312->127.0.0.1:4444","fd.rip":"127.0.0.1","fd.rport":"4444"}}`,
			check: func(t *testing.T, evs []*Event) {
				rtWant(t, "Path", evs[0].Path, "")
				rtWant(t, "Peer", evs[0].Peer.String(), "127.0.0.1:4444")
			}},
		{name: "no rule", wantErr: ErrFormat, in: `{"priority":"Notice","output":"o","time":"2026-03-14T10:20:37Z"}`},
		{name: "bad time", wantErr: ErrField, in: `{"priority":"Notice","rule":"r","output":"o","time":"yesterday"}`},
		{name: "tags of a wrong type", wantErr: ErrFormat, in: `{"priority":"Notice","rule":"r","output":"o","time":"2026-03-14T10:20:37Z","tags":"shell"}`},
		{name: "truncated", wantErr: ErrFormat, in: `{"priority":"Notice","rule":"r","output":"o","time":"2026-03-14T1`},
		{name: "pid out of range", kinds: []Kind{KindAlert},
			in:    `{"priority":"Notice","rule":"r","output":"o","time":"2026-03-14T10:20:37Z","output_fields":{"proc.pid":99999999999,"proc.ppid":-3,"user.uid":"x"}}`,
			check: func(t *testing.T, evs []*Event) { rtWant(t, "PID", evs[0].PID, 0); rtWant(t, "UID", evs[0].UID, ID{}) }},
	})
}

func TestFalcoFixture(t *testing.T) {
	evs := rtGolden(t, "testdata/falco/webshell.json", FormatFalco)
	rtWant(t, "alerts", len(evs), 4)
}

func TestFalcoPublicSamples(t *testing.T) {
	dir := rtPublic(t, "falco")
	evs, ins := rtRead(t, Options{}, dir+"/single_rule_with_cat_write.json", dir+"/test-nopreserve.log")
	for _, in := range ins {
		rtWant(t, in.Path+" format", in.Format, FormatFalco)
		rtWant(t, in.Path+" malformed", in.Malformed, 0)
	}
	rtWant(t, "events", len(evs), 11)
	var shadow int
	for _, ev := range evs {
		if ev.Kind != KindAlert || ev.Alert() == nil || ev.Alert().Rule == "" || len(ev.Alert().Tags) == 0 {
			t.Errorf("bad alert %+v", ev)
		}
		if ev.Path == "/etc/shadow" {
			shadow++
			rtWant(t, "Exe", ev.Exe, "/bin/event-generator")
			rtWant(t, "Container.ID", ev.Container().ID, "9656db3bb358")
			rtWant(t, "Host", ev.Host, "97ade2b595f0")
		}
	}
	rtWant(t, "shadow reads", shadow, 2)
}
