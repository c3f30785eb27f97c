package auditd

import (
	"errors"
	"strings"
	"testing"
)

func TestParseHeader(t *testing.T) {
	tests := []struct {
		name     string
		line     string
		node     string
		typ      string
		sec      int64
		msec     int32
		serial   uint64
		body     string // the record body up to the enriched part
		enriched string
		wantErr  error
	}{
		{name: "raw", line: `type=CWD msg=audit(1795641375.954:2995): cwd="/tmp/fx"`,
			typ: "CWD", sec: 1795641375, msec: 954, serial: 2995, body: `cwd="/tmp/fx"`},
		{name: "enriched", line: "type=SYSCALL msg=audit(1795641375.966:3001): arch=c000003e syscall=42 key=\"x\"\x1dARCH=x86_64 SYSCALL=connect",
			typ: "SYSCALL", sec: 1795641375, msec: 966, serial: 3001, body: `arch=c000003e syscall=42 key="x"`, enriched: "ARCH=x86_64 SYSCALL=connect"},
		{name: "node", line: `node=web1 type=EOE msg=audit(1.002:7): `, node: "web1", typ: "EOE", sec: 1, msec: 2, serial: 7},
		{name: "syslog rfc3164", line: `Nov 25 20:16:08 web1 audisp-syslog: type=CWD msg=audit(1.500:9): cwd="/"`,
			node: "web1", typ: "CWD", sec: 1, msec: 500, serial: 9, body: `cwd="/"`},
		{name: "syslog rfc3339 with node", line: `2026-11-25T20:16:08Z relay audispd: node=web2 type=CWD msg=audit(1.500:9): cwd="/"`,
			node: "web2", typ: "CWD", sec: 1, msec: 500, serial: 9, body: `cwd="/"`},
		{name: "kernel numeric type", line: `Nov 25 20:16:08 web1 kernel: audit: type=1307 audit(1.5:9): cwd="/"`,
			node: "web1", typ: "CWD", sec: 1, msec: 500, serial: 9, body: `cwd="/"`},
		{name: "record text in sshd's message", line: `Nov 25 20:16:08 web1 sshd[812]: Invalid user type=EXECVE msg=audit(1.500:9): argc=1 a0="rm" from 203.0.113.7 port 4022`,
			wantErr: ErrHeader},
		{name: "record text in an RFC 5424 message", line: `<38>1 2026-11-25T20:16:08Z web1 sshd 812 - - Invalid user type=EXECVE msg=audit(1.500:9): argc=1`,
			wantErr: ErrHeader},
		{name: "record text in an access line's user agent", line: `10.0.0.5 - - [25/Nov/2026:20:16:08 +0000] "GET / HTTP/1.1" 200 5 "-" "x type=EXECVE msg=audit(1.500:9): argc=1 a0="rm"`,
			wantErr: ErrHeader},
		{name: "record text after a colon in a user agent", line: `10.0.0.5 - - [25/Nov/2026:20:16:08 +0000] "GET / HTTP/1.1" 200 5 "-" "x: type=EXECVE msg=audit(1.500:9): argc=1 a0="rm"`,
			wantErr: ErrHeader},
		{name: "record text after a second colon in sshd's message", line: `Nov 25 20:16:08 web1 sshd[812]: Invalid user x: type=EXECVE msg=audit(1.500:9): argc=1`,
			wantErr: ErrHeader},
		{name: "words before a record without a tag", line: `Nov 25 20:16:08 web1 type=CWD msg=audit(1.500:9): cwd="/"`,
			wantErr: ErrHeader},
		{name: "syslog with weekday and date", line: `Tue 2026-11-25 20:16:08 web1 audispd: type=CWD msg=audit(1.500:9): cwd="/"`,
			node: "web1", typ: "CWD", sec: 1, msec: 500, serial: 9, body: `cwd="/"`},
		{name: "rfc 5424 forwarder", line: `<14>1 2026-11-25T20:16:08Z web1 audisp-syslog - - - type=CWD msg=audit(1.500:9): cwd="/"`,
			node: "web1", typ: "CWD", sec: 1, msec: 500, serial: 9, body: `cwd="/"`},
		{name: "kernel with dmesg time", line: `Nov 25 20:16:08 web1 kernel: [  812.123456] audit: type=1307 audit(1.5:9): cwd="/"`,
			node: "web1", typ: "CWD", sec: 1, msec: 500, serial: 9, body: `cwd="/"`},
		{name: "unknown number", line: `type=UNKNOWN[1329] msg=audit(1.000:1): x=1`, typ: "UNKNOWN[1329]", sec: 1, serial: 1, body: "x=1"},
		{name: "name newer than the table", line: `type=FUTURE_THING msg=audit(1.000:1): x=1`, typ: "FUTURE_THING", sec: 1, serial: 1, body: "x=1"},
		{name: "no type", line: `msg=audit(1.000:1): x=1`, wantErr: ErrHeader},
		{name: "bad type", line: `type=foo<bar msg=audit(1.000:1): x=1`, wantErr: ErrHeader},
		{name: "truncated", line: `type=SYSCALL msg=audit(1795641375.95`, wantErr: ErrHeader},
		{name: "letters in time", line: `type=SYSCALL msg=audit(17x.950:1): a=1`, wantErr: ErrHeader},
		{name: "no serial", line: `type=SYSCALL msg=audit(1.950): a=1`, wantErr: ErrHeader},
		{name: "binary", line: "\x00\x01\xff type", wantErr: ErrHeader},
	}
	lp := newLineParser()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := lp.parse([]byte(tt.line))
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if h.Node != tt.node || h.Type != tt.typ || h.Sec != tt.sec || h.Msec != tt.msec || h.Serial != tt.serial {
				t.Errorf("got node=%q type=%q %d.%03d:%d, want node=%q type=%q %d.%03d:%d",
					h.Node, h.Type, h.Sec, h.Msec, h.Serial, tt.node, tt.typ, tt.sec, tt.msec, tt.serial)
			}
			if body := strings.TrimSpace(tt.line[h.Body:h.Enriched]); body != tt.body {
				t.Errorf("body = %q, want %q", body, tt.body)
			}
			var enr string
			if h.Enriched < len(tt.line) {
				enr = tt.line[h.Enriched+1:]
			}
			if enr != tt.enriched {
				t.Errorf("enriched = %q, want %q", enr, tt.enriched)
			}
		})
	}
}
