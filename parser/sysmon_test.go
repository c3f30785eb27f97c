package parser

import (
	"fmt"
	"strings"
	"testing"
)

// sysmonXML builds one Sysmon event element.
func sysmonXML(id int, data ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<Event><System><Provider Name="Linux-Sysmon"/><EventID>%d</EventID><TimeCreated SystemTime="2026-03-14T10:20:31.999999000Z"/><Computer>web1</Computer></System><EventData>`, id)
	for i := 0; i+1 < len(data); i += 2 {
		fmt.Fprintf(&b, `<Data Name="%s">%s</Data>`, data[i], data[i+1])
	}
	b.WriteString(`</EventData></Event>`)
	return b.String()
}

func TestSniffSysmon(t *testing.T) {
	cases := []struct {
		line string
		want bool
	}{
		{sysmonXML(1), true},
		{"Mar 14 10:20:31 web1 sysmon: " + sysmonXML(3), true},
		{`<Event><System><EventID>1</EventID>`, false},
		{`type=SYSCALL msg=audit(1773483631.114:1): pid=1`, false},
		// a shipper's JSON document holding the XML unescaped is an envelope
		{`{"message":"` + strings.ReplaceAll(sysmonXML(1), `"`, `\"`) + `","host":{"name":"web1"}}`, false},
	}
	for _, c := range cases {
		if got := sniffSysmon([]byte(c.line)); got != c.want {
			t.Errorf("sniffSysmon(%s) = %t, want %t", c.line, got, c.want)
		}
	}
}

func TestSysmonDecoder(t *testing.T) {
	create := sysmonXML(1, "UtcTime", "2026-03-14 10:20:37.402", "ProcessId", "2310", "Image", "/usr/bin/dash",
		"CommandLine", "sh -c id", "CurrentDirectory", "/srv", "User", "www-data",
		"ParentProcessId", "2140", "ParentImage", "/usr/sbin/php-fpm8.2", "ParentCommandLine", "php-fpm: pool www", "ParentUser", "www-data")
	rtRun(t, FormatSysmon, []rtCase{
		{name: "process create behind syslog", in: "Mar 14 10:20:37 relay sysmon: " + create, kinds: []Kind{KindExec, KindExec},
			check: func(t *testing.T, evs []*Event) {
				p, e := evs[0], evs[1]
				rtWant(t, "parent.Synth", p.Synth, SynthParent)
				rtWant(t, "parent.Args", fmt.Sprintf("%q", p.Args), `["php-fpm:" "pool" "www"]`)
				rtWant(t, "PID", e.PID, 2310)
				rtWant(t, "PPID", e.PPID, 2140)
				rtWant(t, "Exe", e.Exe, "/usr/bin/dash")
				rtWant(t, "Args", fmt.Sprintf("%q", e.Args), `["sh" "-c" "id"]`)
				rtWant(t, "Cwd", e.Cwd, "/srv")
				rtWant(t, "User", e.User, "www-data")
				rtWant(t, "Host", e.Host, "web1") // <Computer>, not the relay
				rtWant(t, "Time", e.Time.Format("15:04:05.000"), "10:20:37.402")
			}},
		{name: "connect and accept", kinds: []Kind{KindConnect, KindAccept},
			in: sysmonXML(3, "UtcTime", "2026-03-14 10:20:37.409", "ProcessId", "2312", "Image", "/usr/bin/bash", "Initiated", "true", "Protocol", "tcp", "SourceIp", "10.0.0.5", "SourcePort", "41312", "DestinationIp", "127.0.0.1", "DestinationPort", "4444") + "\n" +
				sysmonXML(3, "UtcTime", "2026-03-14 10:20:38.000", "ProcessId", "800", "Image", "/usr/sbin/sshd", "Initiated", "false", "SourceIp", "fe80::1", "SourcePort", "50000", "DestinationIp", "fe80::2", "DestinationPort", "22"),
			check: func(t *testing.T, evs []*Event) {
				rtWant(t, "connect.Peer", evs[0].Peer.String(), "127.0.0.1:4444")
				rtWant(t, "accept.Peer", evs[1].Peer.String(), "[fe80::1]:50000")
			}},
		{name: "terminate, create, delete, other", kinds: []Kind{KindExit, KindFileWrite, KindUnlink, KindOther},
			in: sysmonXML(5, "UtcTime", "2026-03-14 10:20:50.480", "ProcessId", "2330") + "\n" +
				sysmonXML(11, "UtcTime", "2026-03-14 10:20:43.736", "ProcessId", "2320", "TargetFilename", "/var/spool/cron/crontabs/www-data") + "\n" +
				sysmonXML(23, "UtcTime", "2026-03-14 10:20:56.003", "ProcessId", "2340", "TargetFilename", "/tmp/.s.tgz") + "\n" +
				sysmonXML(16, "UtcTime", "2026-03-14 10:20:56.003")},
		{name: "time from TimeCreated", kinds: []Kind{KindExit}, in: sysmonXML(5, "ProcessId", "1"),
			check: func(t *testing.T, evs []*Event) {
				rtWant(t, "Time", evs[0].Time.Format("15:04:05.000000"), "10:20:31.999999")
			}},
		{name: "namespaced event", kinds: []Kind{KindExit},
			in: `<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><EventID>5</EventID><Computer>w</Computer></System><EventData><Data Name="UtcTime">2026-03-14 10:20:31.000</Data><Data Name="ProcessId">9</Data></EventData></Event>`},
		{name: "bad EventID", wantErr: ErrField, in: `<Event><System><EventID>x</EventID></System></Event>`},
		{name: "no time", wantErr: ErrField, in: `<Event><System><EventID>1</EventID></System></Event>`},
		{name: "broken XML", wantErr: ErrFormat, in: `<Event><System><EventID>1</EventID></Sys></Event>`},
		{name: "cut line", wantErr: ErrFormat, in: create[:120]},
		{name: "pid as junk", kinds: []Kind{KindExit}, in: sysmonXML(5, "UtcTime", "2026-03-14 10:20:31.000", "ProcessId", "-1e99"),
			check: func(t *testing.T, evs []*Event) { rtWant(t, "PID", evs[0].PID, 0) }},
	})
}

func TestSysmonFixture(t *testing.T) {
	evs := rtGolden(t, "testdata/sysmon/webshell.log", FormatSysmon)
	var found bool
	for _, ev := range evs {
		if ev.Kind == KindConnect && ev.Peer.Port == 4444 {
			found = true
		}
	}
	if !found {
		t.Error("no reverse-shell connect")
	}
}
