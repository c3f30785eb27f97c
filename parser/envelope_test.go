package parser

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/auditchain/auditchain/parser/internal/envelope"
	"github.com/auditchain/auditchain/parser/internal/syslog"
)

func TestSniffEnvelope(t *testing.T) {
	audit := `type=SYSCALL msg=audit(1773483631.114:5120): arch=c000003e syscall=59 success=yes exit=0 pid=2301`
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	cases := []struct {
		line string
		want bool
	}{
		{`{"@timestamp":"2026-03-14T10:20:31Z","message":` + q(audit) + `}`, true},
		{`{"event":{"original":` + q(audit) + `},"message":"parsed"}`, true},
		{`{"_raw":` + q(sysmonXML(1)) + `,"host":"w"}`, true},
		{`{"MESSAGE":` + q(audit) + `}`, true},
		{`{"SyslogMessage":` + q(`{"rule":"r","priority":"Notice","output":"o","time":"2026-03-14T10:20:31Z"}`) + `}`, true},
		{`{"message":"systemd[1]: Started session-42.scope"}`, false},
		{`{"message":42}`, false},
		{`Mar 14 10:20:31 web1 falco: {"rule":"r","priority":"Notice","output":"o","time":"2026-03-14T10:20:31Z"}`, true},
		{`<14>1 2026-03-14T10:20:31Z web1 falco 1187 - - {"rule":"r","priority":"Notice","output":"o"}`, true},
		{`Mar 14 10:20:31 web1 CRON[2350]: (root) CMD (true)`, false},
		{`{"message":`, false},
	}
	for _, c := range cases {
		if got := sniffEnvelope([]byte(c.line)); got != c.want {
			t.Errorf("sniffEnvelope(%s) = %t, want %t", c.line, got, c.want)
		}
	}
}

func TestCutSyslog(t *testing.T) {
	cases := []struct{ line, host, msg string }{
		{"Mar 14 10:20:31 web1 sysmon: <Event>", "web1", "<Event>"},
		{"<14>Mar  4 10:20:31 web1 nginx[12]: 1.2.3.4 - -", "web1", "1.2.3.4 - -"},
		{"2026-03-14T10:20:31.123+00:00 web1 falco: {}", "web1", "{}"},
		{"<14>1 2026-03-14T10:20:31Z web1 falco 1187 - - {}", "web1", "{}"},
		{`<14>1 2026-03-14T10:20:31Z web1 falco 1187 ID47 [x@1 a="b"] msg`, "web1", "msg"},
		{"hello: world", "", ""},
		{"<1>", "", ""},
	}
	for _, c := range cases {
		hdr, msg, ok := envelope.CutSyslog([]byte(c.line))
		if c.host == "" {
			if ok {
				t.Errorf("envelope.CutSyslog(%q) accepted", c.line)
			}
			continue
		}
		if !ok || string(syslog.Host(hdr)) != c.host || string(msg) != c.msg {
			t.Errorf("envelope.CutSyslog(%q) = %q, %q, %t; want host %q msg %q", c.line, hdr, msg, ok, c.host, c.msg)
		}
	}
}

func TestEnvelopeDecoder(t *testing.T) {
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	access := `203.0.113.9 - - [14/Mar/2026:10:20:30 +0000] "GET /uploads/s.php?cmd=id HTTP/1.1" 200 54 "-" "curl/8.5.0"`
	rtRun(t, FormatEnvelope, []rtCase{
		{name: "auditd record takes the envelope host as node", kinds: []Kind{KindExec},
			in: `{"host":{"name":"web1"},"message":` + q(`type=SYSCALL msg=audit(1773483631.114:5120): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=0 ppid=2140 pid=2301 auid=4294967295 uid=33 gid=33 euid=33 suid=33 fsuid=33 egid=33 sgid=33 fsgid=33 tty=(none) ses=4294967295 comm="sh" exe="/usr/bin/dash" key=(null)`) + `}
{"host":{"name":"web1"},"message":` + q(`type=EXECVE msg=audit(1773483631.114:5120): argc=3 a0="sh" a1="-c" a2="id"`) + `}
{"host":{"name":"web1"},"message":` + q(`type=PROCTITLE msg=audit(1773483631.114:5120): proctitle=7368002D63006964`) + `}`,
			check: func(t *testing.T, evs []*Event) {
				rtWant(t, "Host", evs[0].Host, "web1")
				rtWant(t, "Source", evs[0].Source, "auditd")
				rtWant(t, "Args", fmt.Sprintf("%q", evs[0].Args), `["sh" "-c" "id"]`)
				rtWant(t, "Evidence line", evs[0].Evidence[0].Pos.Line, 1)
			}},
		{name: "sysmon in fluent-bit, host and time from the record", kinds: []Kind{KindExit},
			in: `{"date":1773483000.5,"hostname":"relay","log":` + q(sysmonXML(5, "UtcTime", "2026-03-14 10:20:50.480", "ProcessId", "2330")) + `}`,
			check: func(t *testing.T, evs []*Event) {
				rtWant(t, "Host", evs[0].Host, "web1")
				rtWant(t, "Time", evs[0].Time.Format("15:04:05.000"), "10:20:50.480")
			}},
		{name: "access line takes the envelope host", kinds: []Kind{KindHTTP},
			in: `{"@timestamp":"2026-03-14T10:20:30Z","host":{"name":"web1"},"message":` + q(access) + `}`,
			check: func(t *testing.T, evs []*Event) {
				rtWant(t, "Host", evs[0].Host, "web1")
				rtWant(t, "Query", evs[0].HTTP.Query, "cmd=id")
			}},
		{name: "access line behind syslog", kinds: []Kind{KindHTTP},
			in:    `Mar 14 10:20:30 web1 nginx: ` + access,
			check: func(t *testing.T, evs []*Event) { rtWant(t, "Host", evs[0].Host, "web1") }},
		{name: "falco in Splunk _raw", kinds: []Kind{KindAlert},
			in: `{"host":"web1","_raw":` + q(`{"rule":"r","priority":"Notice","output":"o","time":"2026-03-14T10:20:31Z"}`) + `}`,
			check: func(t *testing.T, evs []*Event) {
				rtWant(t, "Host", evs[0].Host, "web1")
				rtWant(t, "Source", evs[0].Source, "falco")
			}},
		{name: "records of other kinds are skipped", in: `{"message":"systemd[1]: Started session-42.scope"}
{"message":{"nested":"object"}}
Mar 14 10:20:40 shop-web-01 CRON[2350]: (root) CMD (true)`},
		{name: "truncated JSON", wantErr: ErrFormat, in: `{"message":"type=SYSCALL msg=au`},
		{name: "inner record bad", wantErr: ErrFormat, in: `{"message":` + q(`{"rule":"r","priority":"Notice","output":"o","time":"2026-03-14T10:20:31Z","tags":7}`) + `}`},
	})
}

// TestEnvelopeSameEvents wraps auditd fixtures, line by line, in the
// envelopes of several shippers and checks that reading them gives the
// same events as reading the fixtures themselves.
func TestEnvelopeSameEvents(t *testing.T) {
	for _, src := range []string{"testdata/auditd/real_execve_forms.log", "testdata/journald/webshell.audit.log"} {
		t.Run(filepath.Base(src), func(t *testing.T) {
			data, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			const host = "web1"
			var wrapped bytes.Buffer
			for i, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
				var doc any
				switch i % 4 {
				case 0: // Filebeat
					doc = map[string]any{"@timestamp": "2026-03-14T10:20:31Z", "host": map[string]any{"name": host}, "message": line}
				case 1: // Elastic with the original kept
					doc = map[string]any{"event": map[string]any{"original": line}, "message": "rewritten", "host": map[string]any{"hostname": host}}
				case 2: // Splunk
					doc = map[string]any{"_raw": line, "host": host, "_time": "1773483631.114"}
				case 3: // fluent-bit
					doc = map[string]any{"date": 1773483631.5, "hostname": host, "log": line}
				}
				b, err := json.Marshal(doc)
				if err != nil {
					t.Fatal(err)
				}
				wrapped.Write(b)
				wrapped.WriteByte('\n')
			}
			p := filepath.Join(t.TempDir(), "wrapped.json")
			if err := os.WriteFile(p, wrapped.Bytes(), 0o600); err != nil {
				t.Fatal(err)
			}
			want, wins := rtRead(t, Options{Host: host, Workers: 1}, src)
			got, gins := rtRead(t, Options{Workers: 1}, p)
			rtWant(t, "format", gins[0].Format, FormatEnvelope)
			rtWant(t, "malformed", gins[0].Malformed, wins[0].Malformed)
			if len(want) == 0 {
				t.Fatal("no events in the fixture")
			}
			rtSameEvents(t, got, want)
		})
	}
}

// rtSameEvents compares the fields that must survive any wrapping.
func rtSameEvents(t *testing.T, got, want []*Event) {
	t.Helper()
	key := func(ev *Event) string {
		return fmt.Sprintf("%s %s pid=%d exe=%q args=%q host=%q serial=%d", ev.Kind, ev.Time.Format("15:04:05.000"), ev.PID, ev.Exe, ev.Args, ev.Host, ev.Serial)
	}
	var g, w []string
	for _, ev := range got {
		g = append(g, key(ev))
	}
	for _, ev := range want {
		w = append(w, key(ev))
	}
	if strings.Join(g, "\n") != strings.Join(w, "\n") {
		t.Errorf("events differ\n got:\n%s\nwant:\n%s", strings.Join(g, "\n"), strings.Join(w, "\n"))
	}
}

func TestEnvelopeFixtures(t *testing.T) {
	for _, name := range []string{"mixed.json", "falco_syslog.log", "webshell.filebeat.json"} {
		t.Run(name, func(t *testing.T) {
			rtGolden(t, filepath.Join("testdata", "envelope", name), FormatEnvelope)
		})
	}
}
