package parser

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func TestSniffCloudDefend(t *testing.T) {
	cases := []struct {
		line string
		want bool
	}{
		{`{"@timestamp":"2026-03-14T10:20:31Z","event":{"action":"exec"},"process":{"entity_id":"x","pid":1}}`, true},
		{`{"_source":{"@timestamp":"2026-03-14T10:20:31Z","event.action":"exec","process.entity_id":"x"}}`, true},
		{`{"hits":{"hits":[{"_source":{"event":{"action":"end"},"process":{"entity_id":"x"}}}]}}`, true},
		{`{"@timestamp":"2026-03-14T10:20:31Z","event":{"action":"exec"},"process":{"pid":1}}`, false},
		// a shipper document around an auditd line is an envelope
		{`{"@timestamp":"2026-03-14T10:20:31Z","event":{"original":"type=SYSCALL msg=audit(1773483631.114:1): pid=1"},"process":{"entity_id":"x"}}`, false},
	}
	for _, c := range cases {
		if got := sniffCloudDefend([]byte(c.line)); got != c.want {
			t.Errorf("sniffCloudDefend(%s) = %t, want %t", c.line, got, c.want)
		}
	}
}

func TestCloudDefendDecoder(t *testing.T) {
	proc := `"process":{"entity_id":"e","pid":2301,"name":"sh","executable":"/usr/bin/dash","args":["sh","-c","id"],"working_directory":"/srv","user":{"id":"33","name":"www-data"},"parent":{"pid":2140,"executable":"/usr/sbin/php-fpm8.2","args":["php-fpm: pool www"]}}`
	ctr := `"container":{"id":"3f6c","image":{"name":"shop-php","tag":["8.2"]}},"orchestrator":{"namespace":"shop","resource":{"name":"web-0","type":"pod"}},"host":{"name":"web1"}`
	doc := func(action string) string {
		return `{"@timestamp":"2026-03-14T10:20:31.114Z","event":{"action":"` + action + `","category":["process"],"kind":"event"},` + proc + `,` + ctr + `}`
	}
	rtRun(t, FormatCloudDefend, []rtCase{
		{name: "exec with a new parent", in: doc("exec"), kinds: []Kind{KindExec, KindExec}, check: func(t *testing.T, evs []*Event) {
			p, e := evs[0], evs[1]
			rtWant(t, "parent.Synth", p.Synth, SynthParent)
			rtWant(t, "parent.Exe", p.Exe, "/usr/sbin/php-fpm8.2")
			rtWant(t, "PID", e.PID, 2301)
			rtWant(t, "PPID", e.PPID, 2140)
			rtWant(t, "Args", fmt.Sprintf("%q", e.Args), `["sh" "-c" "id"]`)
			rtWant(t, "Cwd", e.Cwd, "/srv")
			rtWant(t, "UID", e.UID, NewID(33))
			rtWant(t, "User", e.User, "www-data")
			rtWant(t, "Host", e.Host, "web1")
			rtWant(t, "Container", e.Container(), Container{ID: "3f6c", Image: "shop-php:8.2", Pod: "web-0", Namespace: "shop"})
		}},
		{name: "fork acts as the parent", in: doc("fork"), kinds: []Kind{KindExec, KindFork}, check: func(t *testing.T, evs []*Event) {
			rtWant(t, "PID", evs[1].PID, 2140)
			rtWant(t, "Child", evs[1].Child, 2301)
		}},
		{name: "end", in: doc("exec") + "\n" + doc("end"), kinds: []Kind{KindExec, KindExec, KindExit}},
		{name: "dotted keys and a hit", kinds: []Kind{KindExec},
			in: `{"_index":"i","_source":{"@timestamp":"2026-03-14T10:20:31Z","event.action":"exec","process.pid":"7","process.executable":"/bin/id","process.entity_id":"e","container":{"image.name":"x"}}}`,
			check: func(t *testing.T, evs []*Event) {
				rtWant(t, "PID", evs[0].PID, 7)
				rtWant(t, "Container.Image", evs[0].Container().Image, "x")
			}},
		{name: "search response", kinds: []Kind{KindExec, KindExit},
			in: `{"hits":{"hits":[{"_source":{"@timestamp":"2026-03-14T10:20:31Z","event":{"action":"exec"},"process":{"pid":7,"entity_id":"e"}}},{"_source":{"@timestamp":"2026-03-14T10:20:32Z","event":{"action":"end"},"process":{"pid":7,"entity_id":"e"}}}]}}`},
		{name: "file and network", kinds: []Kind{KindFileWrite, KindUnlink, KindConnect},
			in: `{"@timestamp":"2026-03-14T10:20:31Z","event":{"action":"modification","category":["file"]},"process":{"pid":7},"file":{"path":"/etc/cron.d/x"}}
{"@timestamp":"2026-03-14T10:20:31Z","event":{"action":"deletion","category":"file"},"process":{"pid":7},"file":{"path":"/tmp/x"}}
{"@timestamp":"2026-03-14T10:20:31Z","event":{"action":"connection_attempted","category":["network"]},"process":{"pid":7},"destination":{"ip":"127.0.0.1","port":4444}}`},
		{name: "alert", kinds: []Kind{KindAlert},
			in: `{"@timestamp":"2026-03-14T10:20:31Z","event":{"action":"blocked","kind":"alert","type":["denied"]},"process":{"pid":7,"executable":"/bin/nc"},"cloud_defend":{"matched_selectors":["no-nc"]}}`,
			check: func(t *testing.T, evs []*Event) {
				rtWant(t, "Alert", fmt.Sprint(*evs[0].Alert()), "{cloud_defend no-nc denied  []}")
			}},
		{name: "no timestamp", wantErr: ErrField, in: `{"event":{"action":"exec"},"process":{"pid":7}}`},
		{name: "truncated", wantErr: ErrFormat, in: doc("exec")[:100]},
		{name: "args of a wrong type", kinds: []Kind{KindExec},
			in:    `{"@timestamp":"2026-03-14T10:20:31Z","event":{"action":"exec"},"process":{"pid":7,"args":{"a":1},"user":{"id":-1}}}`,
			check: func(t *testing.T, evs []*Event) { rtWant(t, "UID", evs[0].UID, ID{}) }},
	})
}

func TestCloudDefendFixture(t *testing.T) {
	evs := rtGolden(t, "testdata/clouddefend/webshell.ndjson", FormatCloudDefend)
	var writes int
	for _, ev := range evs {
		if ev.Kind == KindFileWrite && ev.Path == "/var/spool/cron/crontabs/www-data" {
			writes++
		}
	}
	rtWant(t, "crontab writes", writes, 1)
}

func TestCloudDefendPublicSample(t *testing.T) {
	dir := rtPublic(t, "cloud_defend")
	data, err := os.ReadFile(filepath.Join(dir, "sample_event.json"))
	if err != nil {
		t.Fatal(err)
	}
	// Pretty-printed, zero timestamps: the doc sample is synthetic.
	evs, errs, _ := rtDecode(t, FormatCloudDefend, "sample_event.json", data)
	rtCheckEvents(t, evs, errs)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if len(evs) != 1 {
		t.Fatalf("%d events, want 1", len(evs))
	}
	e := evs[0]
	rtWant(t, "Kind", e.Kind, KindAlert)
	rtWant(t, "Exe", e.Exe, "/bin/nginx")
	rtWant(t, "PID", e.PID, 2)
	rtWant(t, "PPID", e.PPID, 1)
	rtWant(t, "User", e.User, "root")
	rtWant(t, "Container", e.Container(), Container{ID: "b781c8e5-8bf9-445e-aef2-25020af698df", Image: "nginx:latest", Pod: "nginx-pod", Namespace: "default"})
	rtWant(t, "Alert.Priority", e.Alert().Priority, "denied")
}
