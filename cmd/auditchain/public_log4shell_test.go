package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// TestPublicLog4Shell scans OTRF's public Sysmon-for-Linux capture of a
// Log4Shell exploitation of Tomcat (testdata/public/corpus/otrf-log4shell,
// see its SOURCE.txt). Each check failed before this capture was read:
// the shell's process-create, cut at 2 KiB by the forwarder, was dropped,
// so the shell was a root process named "bash" with argv "bash"; the
// brace-and-base64 command hid every word the web-server rule looks for;
// the reverse shell's connect, written before its exec in the export,
// was judged without its process; java's own LDAP lookup was taken for a
// reverse-shell channel; and a 0:0:0:0:0:0:0:0 port 0 event became the
// peer to block.
func TestPublicLog4Shell(t *testing.T) {
	code, out, stderr := runCLI(t, "", "scan", "--format", "json", "--fail-on", "none",
		"../../testdata/public/corpus/otrf-log4shell/syslog_sysmon_log4shell_cve2021_44228_jndi_reference_2022-05-11181020.json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, ":8: repaired: event cut short") {
		t.Errorf("the cut event is not reported with its line:\n%s", stderr)
	}
	var rep struct {
		Findings []struct {
			RuleID   string   `json:"rule_id"`
			RuleIDs  []string `json:"rule_ids"`
			Severity string   `json:"severity"`
			Stage    int      `json:"stage"`
			Reason   string   `json:"reason"`
			Peer     string   `json:"peer"`
			Process  struct {
				PID       int      `json:"pid"`
				PPID      int      `json:"ppid"`
				Args      []string `json:"args"`
				Ancestors []struct {
					PID int `json:"pid"`
				} `json:"ancestors"`
			} `json:"process"`
		} `json:"findings"`
		IOCs []struct {
			Value string `json:"value"`
		} `json:"iocs"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	var exploit, channel bool
	for _, f := range rep.Findings {
		if strings.Contains(f.Reason, "192.168.2.6:1389") {
			t.Errorf("%s placed in java's own LDAP lookup as a channel: %s", f.RuleID, f.Reason)
		}
		if strings.Contains(f.Peer, "0:0:0:0") {
			t.Errorf("%s: peer %s", f.RuleID, f.Peer)
		}
		switch {
		case f.Process.PID == 17790 && slices.Contains(f.RuleIDs, "web-server-exploitation"):
			// since the rules' CommandLine carries what the shell reads,
			// the decoded /dev/tcp payload is also the reverse-shell
			// rule's: critical, that rule first
			exploit = f.RuleID == "web-server-reverse-shell" && f.Severity == "critical" &&
				f.Process.PPID == 1340 && f.Stage == 4 &&
				len(f.Process.Args) == 3 && strings.HasPrefix(f.Process.Args[2], "{echo,")
		case f.RuleID == "web-reverse-shell-connect" && f.Process.PID == 17806:
			channel = f.Peer == "192.168.2.6:443"
		}
	}
	if !exploit {
		t.Errorf("no critical web-server-reverse-shell (with web-server-exploitation) on bash[17790] under java[1340], stage 4")
	}
	if !channel {
		t.Errorf("no reverse-shell connect of bash[17806] to 192.168.2.6:443")
	}
	for _, i := range rep.IOCs {
		if strings.Contains(i.Value, "0:0:0:0") {
			t.Errorf("IOC %s", i.Value)
		}
	}
}
