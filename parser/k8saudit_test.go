package parser

import (
	"fmt"
	"testing"
)

func TestSniffK8sAudit(t *testing.T) {
	cases := []struct {
		line string
		want bool
	}{
		{`{"kind":"Event","apiVersion":"audit.k8s.io/v1","auditID":"a","stage":"ResponseStarted","requestURI":"/api/v1/namespaces/d/pods/p/exec"}`, true},
		{`{"auditID":"a","stage":"ResponseStarted","requestURI":"/api"}`, true}, // v1beta1 era without kind
		{`{"kind":"EventList","apiVersion":"audit.k8s.io/v1","items":[]}`, true},
		{`{"kind":"Pod","auditID":"a","stage":"x","requestURI":"/"}`, false},
		{`{"auditID":"a"}`, false},
	}
	for _, c := range cases {
		if got := sniffK8sAudit([]byte(c.line)); got != c.want {
			t.Errorf("sniffK8sAudit(%s) = %t, want %t", c.line, got, c.want)
		}
	}
}

func TestK8sAuditDecoder(t *testing.T) {
	ev := func(id, stage, verb, uri, user string, code int) string {
		return fmt.Sprintf(`{"kind":"Event","apiVersion":"audit.k8s.io/v1","auditID":%q,"stage":%q,"verb":%q,"requestURI":%q,"user":{"username":%q},"sourceIPs":["10.0.0.7","10.0.0.1"],"userAgent":"kubectl/v1.31.2","responseStatus":{"code":%d},"requestReceivedTimestamp":"2026-03-14T10:21:11.123456Z","stageTimestamp":"2026-03-14T10:21:11.200000Z"}`, id, stage, verb, uri, user, code)
	}
	exec := "/api/v1/namespaces/shop/pods/web-0/exec?command=sh&command=-c&command=id%3B+uname+-a&container=php&stdin=true&tty=true"
	rtRun(t, FormatK8sAudit, []rtCase{
		{name: "websocket exec (get)", in: ev("a1", "ResponseStarted", "get", exec, "ops", 101), kinds: []Kind{KindContainer},
			check: func(t *testing.T, evs []*Event) {
				e := evs[0]
				rtWant(t, "Op", e.Op, "pods/exec")
				rtWant(t, "Args", fmt.Sprintf("%q", e.Args), `["sh" "-c" "id; uname -a"]`)
				rtWant(t, "Container", e.Container(), Container{Name: "php", Pod: "web-0", Namespace: "shop"})
				rtWant(t, "User", e.User, "ops")
				rtWant(t, "Peer.IP", e.Peer.IP, "10.0.0.7")
				rtWant(t, "Time", e.Time.Format("15:04:05.000000"), "10:21:11.123456")
				rtWant(t, "Success", e.Success, true)
				rtWant(t, "Exit", e.Exit, int64(101))
			}},
		{name: "later stages of one request are one event", kinds: []Kind{KindContainer},
			in: ev("a1", "ResponseStarted", "create", exec, "ops", 101) + "\n" + ev("a1", "ResponseComplete", "create", exec, "ops", 101)},
		{name: "attach and a denied exec", kinds: []Kind{KindContainer, KindContainer},
			in: ev("a2", "ResponseStarted", "create", "/api/v1/namespaces/shop/pods/web-0/attach?container=php&stdin=true", "ops", 101) + "\n" +
				ev("a3", "ResponseComplete", "create", exec, "dev", 403),
			check: func(t *testing.T, evs []*Event) {
				rtWant(t, "Op", evs[0].Op, "pods/attach")
				rtWant(t, "denied.Success", evs[1].Success, false)
			}},
		{name: "secrets read by a workload, not by a controller", kinds: []Kind{KindOther},
			in: ev("s1", "ResponseComplete", "get", "/api/v1/namespaces/shop/secrets/db", "system:serviceaccount:shop:web", 200) + "\n" +
				ev("s2", "ResponseComplete", "get", "/api/v1/namespaces/kube-system/secrets/t", "system:kube-controller-manager", 200) + "\n" +
				ev("s3", "ResponseComplete", "list", "/api/v1/namespaces/kube-system/secrets", "system:serviceaccount:kube-system:x", 200),
			check: func(t *testing.T, evs []*Event) {
				rtWant(t, "Op", evs[0].Op, "secrets/get")
				rtWant(t, "Path", evs[0].Path, "shop/db")
			}},
		{name: "other events are skipped", in: ev("o1", "ResponseComplete", "list", "/api/v1/namespaces/shop/pods", "ops", 200)},
		{name: "event list", kinds: []Kind{KindContainer},
			in: `{"kind":"EventList","apiVersion":"audit.k8s.io/v1","items":[` + ev("l1", "ResponseStarted", "create", exec, "ops", 101) + `]}`},
		{name: "bad request URI", wantErr: ErrField, in: ev("b1", "ResponseStarted", "create", "::", "ops", 101)},
		{name: "no timestamps", wantErr: ErrField, in: `{"kind":"Event","auditID":"t","stage":"ResponseStarted","verb":"create","requestURI":"/api/v1/namespaces/a/pods/b/exec?command=id"}`},
		{name: "wrong types", wantErr: ErrFormat, in: `{"kind":"Event","auditID":"t","stage":"ResponseStarted","requestURI":"/api","sourceIPs":"10.0.0.1"}`},
		{name: "code as a string", kinds: []Kind{KindContainer},
			in: `{"kind":"Event","auditID":"t","stage":"ResponseStarted","verb":"create","requestURI":"/api/v1/namespaces/a/pods/b/exec?command=id","responseStatus":{"code":"101"},"stageTimestamp":"2026-03-14T10:21:11Z"}`},
	})
}

func TestK8sAuditFixture(t *testing.T) {
	evs := rtGolden(t, "testdata/k8saudit/webshell.json", FormatK8sAudit)
	rtWant(t, "events", len(evs), 4)
}

func TestK8sAuditPublicSamples(t *testing.T) {
	dir := rtPublic(t, "k8s-audit")
	evs, ins := rtRead(t, Options{}, dir+"/exec_pod.json", dir+"/attach_pod.json")
	for _, in := range ins {
		rtWant(t, in.Path+" format", in.Format, FormatK8sAudit)
		rtWant(t, in.Path+" malformed", in.Malformed, 0)
	}
	if len(evs) != 2 {
		t.Fatalf("%d events, want 2", len(evs))
	}
	// attach was at 13:42, exec at 13:38: the reader orders by time.
	exec, attach := evs[0], evs[1]
	rtWant(t, "exec.Op", exec.Op, "pods/exec")
	rtWant(t, "exec.Args", fmt.Sprintf("%q", exec.Args), `["bash"]`)
	rtWant(t, "exec.Container", exec.Container(), Container{Name: "nginx1", Pod: "nginx-deployment-7998647bdf-phvq7", Namespace: "default"})
	rtWant(t, "exec.User", exec.User, "minikube-user")
	rtWant(t, "exec.Peer.IP", exec.Peer.IP, "192.168.99.1")
	rtWant(t, "attach.Op", attach.Op, "pods/attach")
}
