package parser

import (
	"fmt"
	"testing"
)

func TestSniffJournald(t *testing.T) {
	cases := []struct {
		line string
		want bool
	}{
		{`{"__CURSOR":"s=1","__REALTIME_TIMESTAMP":"1","_TRANSPORT":"audit","MESSAGE":"SYSCALL arch=c000003e"}`, true},
		{`{"__REALTIME_TIMESTAMP":"1","MESSAGE":[65,66]}`, true},
		{`{"MESSAGE":"x"}`, false},
		{`{"message":"x","_TRANSPORT":"audit"}`, false},
	}
	for _, c := range cases {
		if got := sniffJournald([]byte(c.line)); got != c.want {
			t.Errorf("sniffJournald(%s) = %t, want %t", c.line, got, c.want)
		}
	}
}

func TestJournaldDecoder(t *testing.T) {
	rec := func(typ, num, msg string) string {
		return fmt.Sprintf(`{"_TRANSPORT":"audit","_HOSTNAME":"web1","_AUDIT_TYPE_NAME":%q,"_AUDIT_TYPE":%q,"_AUDIT_ID":"5120","_SOURCE_REALTIME_TIMESTAMP":"1773483631114000","__REALTIME_TIMESTAMP":"1773483631114200","MESSAGE":%s}`, typ, num, msg)
	}
	syscall := `"SYSCALL arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=0 ppid=2140 pid=2301 auid=4294967295 uid=33 gid=33 euid=33 suid=33 fsuid=33 egid=33 sgid=33 fsgid=33 tty=(none) ses=4294967295 comm=\"sh\" exe=\"/usr/bin/dash\" key=(null)"`
	execve := `[69,88,69,67,86,69,32,97,114,103,99,61,51,32,97,48,61,34,115,104,34,32,97,49,61,34,45,99,34,32,97,50,61,34,105,100,34]` // "EXECVE argc=3 a0="sh" a1="-c" a2="id""
	proctitle := `"PROCTITLE proctitle=7368002D63006964"`
	rtRun(t, FormatJournald, []rtCase{
		{name: "one execve event, MESSAGE as bytes", kinds: []Kind{KindExec},
			in: rec("SYSCALL", "1300", syscall) + "\n" + rec("EXECVE", "1309", execve) + "\n" + rec("PROCTITLE", "1327", proctitle),
			check: func(t *testing.T, evs []*Event) {
				e := evs[0]
				rtWant(t, "Host", e.Host, "web1")
				rtWant(t, "Serial", e.Serial, uint64(5120))
				rtWant(t, "Time", e.Time.Format("2006-01-02T15:04:05.000Z"), "2026-03-14T10:20:31.114Z")
				rtWant(t, "Args", fmt.Sprintf("%q", e.Args), `["sh" "-c" "id"]`)
				rtWant(t, "Raw", e.Evidence[0].Raw[:61], "node=web1 type=SYSCALL msg=audit(1773483631.114:5120): arch=c")
			}},
		{name: "type from the number and from MESSAGE", kinds: []Kind{KindExec},
			in: rec("", "1300", syscall) + "\n" + rec("", "", `"EXECVE argc=1 a0=\"id\""`) + "\n" + rec("", "1327", `"AUDIT1327 proctitle=6964"`)},
		{name: "fields alone, no type word", kinds: []Kind{KindExec},
			in: rec("SYSCALL", "1300", `"`+syscall[len(`"SYSCALL `):]) + "\n" + rec("PROCTITLE", "1327", proctitle)},
		{name: "other transports: syslog sysmon parsed, the rest skipped", kinds: []Kind{KindExit},
			in: `{"_TRANSPORT":"syslog","_HOSTNAME":"web1","SYSLOG_IDENTIFIER":"sysmon","__REALTIME_TIMESTAMP":"1773483631114200","MESSAGE":` + jsonQuote(sysmonXML(5, "UtcTime", "2026-03-14 10:20:50.480", "ProcessId", "2330")) + `}
{"_TRANSPORT":"journal","__REALTIME_TIMESTAMP":"1773483631114200","MESSAGE":"Started session-42.scope."}
{"_TRANSPORT":"stdout","__REALTIME_TIMESTAMP":"1773483631114200","MESSAGE":["x","y"]}`},
		{name: "null MESSAGE", wantErr: ErrField, in: `{"_TRANSPORT":"audit","MESSAGE":null}`},
		{name: "no serial", wantErr: ErrField, in: `{"_TRANSPORT":"audit","_AUDIT_TYPE_NAME":"SYSCALL","_SOURCE_REALTIME_TIMESTAMP":"1773483631114000","MESSAGE":"SYSCALL pid=1"}`},
		{name: "no time", wantErr: ErrField, in: `{"_TRANSPORT":"audit","_AUDIT_TYPE_NAME":"SYSCALL","_AUDIT_ID":"1","MESSAGE":"SYSCALL pid=1"}`},
		{name: "no type", wantErr: ErrField, in: `{"_TRANSPORT":"audit","_AUDIT_ID":"1","_SOURCE_REALTIME_TIMESTAMP":"1773483631114000","MESSAGE":"pid=1"}`},
		{name: "bad type name", wantErr: ErrField, in: rec("SYS CALL", "", `"x=1"`)},
		{name: "bad byte array", wantErr: ErrFormat, in: `{"_TRANSPORT":"audit","MESSAGE":[300,1]}`},
		{name: "truncated", wantErr: ErrFormat, in: rec("SYSCALL", "1300", syscall)[:90]},
		{name: "no MESSAGE", wantErr: ErrFormat, in: `{"_TRANSPORT":"audit","__CURSOR":"x"}`},
	})
}

func jsonQuote(s string) string { return fmt.Sprintf("%q", s) }

// TestJournaldSameEvents reads the project's own audit fixtures and their
// journald transcodings (testdata/transcode) and wants the same events.
func TestJournaldSameEvents(t *testing.T) {
	cases := []struct{ audit, journal, host string }{
		{"testdata/auditd/raw_format.log", "testdata/journald/raw_format.json", "lab-deb12"},
		{"testdata/journald/webshell.audit.log", "testdata/journald/webshell.json", "shop-web-01"},
	}
	for _, c := range cases {
		t.Run(c.journal, func(t *testing.T) {
			want, _ := rtRead(t, Options{Host: c.host, Workers: 1}, c.audit)
			got, ins := rtRead(t, Options{Workers: 1}, c.journal)
			rtWant(t, "format", ins[0].Format, FormatJournald)
			rtWant(t, "malformed", ins[0].Malformed, 0)
			if len(want) == 0 {
				t.Fatal("no events")
			}
			rtSameEvents(t, got, want)
		})
	}
}

func TestJournaldFixture(t *testing.T) {
	rtGolden(t, "testdata/journald/webshell.json", FormatJournald)
}
