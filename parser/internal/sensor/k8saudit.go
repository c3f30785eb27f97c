package sensor

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/auditchain/auditchain/parser/internal/event"
	"github.com/auditchain/auditchain/parser/internal/jsonrec"
)

// Kubernetes API server audit log (--audit-log-format=json): one
// audit.k8s.io Event per line (v1, and the v1beta1-era shape without
// apiVersion), or an EventList with items.
//
// What is read:
//   - pods/exec, pods/attach, pods/portforward and pods/ephemeralcontainers
//     (kubectl exec/attach/port-forward/debug) → KindContainer with Op
//     "pods/exec" …, Args the command= parameters of the request URI (the
//     only place the command exists), Container{Pod, Namespace, Name: the
//     container= parameter}, User user.username (the impersonated user,
//     when there is one, in Account), Peer.IP sourceIPs[0], Time
//     requestReceivedTimestamp (else stageTimestamp), Success from
//     responseStatus.code (101 for an upgraded stream; none yet at
//     RequestReceived), Exit the code. The verb is create (SPDY) or get
//     (WebSocket, kubectl ≥ 1.30); both count.
//   - get/list/watch of secrets by a user that is not a control-plane
//     component (system:… other than service accounts outside kube-system)
//     → KindOther with Op "secrets/get" …, Path namespace/name: a web pod's
//     stolen service-account token reading secrets is an attack step, the
//     controllers' own reads are noise.
//
// One request is logged at several stages with the same auditID; only its
// first stage in the file becomes an event. Every other audit event is a
// record that is read and skipped, not a malformed one.

// SniffK8sAudit accepts an audit.k8s.io Event (or EventList).
func SniffK8sAudit(line []byte) bool {
	if len(line) == 0 || line[0] != '{' {
		return false
	}
	var m struct {
		Kind       string          `json:"kind"`
		APIVersion string          `json:"apiVersion"`
		AuditID    string          `json:"auditID"`
		Stage      string          `json:"stage"`
		RequestURI string          `json:"requestURI"`
		Items      json.RawMessage `json:"items"`
	}
	if err := json.Unmarshal(line, &m); err != nil {
		return bytes.Contains(line, []byte(`"auditID":`)) && bytes.Contains(line, []byte(`"requestURI":`))
	}
	if m.Kind == "EventList" && strings.HasPrefix(m.APIVersion, "audit.k8s.io/") {
		return true
	}
	return (m.Kind == "Event" || m.Kind == "") && m.AuditID != "" && m.Stage != "" && m.RequestURI != ""
}

// NewK8sAudit returns a decoder for a Kubernetes audit log.
func NewK8sAudit() event.Decoder {
	return &k8sAuditDecoder{seen: map[string]struct{}{}}
}

type k8sAuditDecoder struct {
	// seen holds the auditIDs already turned into events, oldest first in
	// fifo, capped: stages of one request are logged close together.
	seen map[string]struct{}
	fifo []string
}

const maxAuditIDs = 1 << 14

type k8sEvent struct {
	Kind       string `json:"kind"`
	AuditID    string `json:"auditID"`
	Stage      string `json:"stage"`
	RequestURI string `json:"requestURI"`
	Verb       string `json:"verb"`
	User       struct {
		Username string `json:"username"`
	} `json:"user"`
	ImpersonatedUser *struct {
		Username string `json:"username"`
	} `json:"impersonatedUser"`
	SourceIPs []string `json:"sourceIPs"`
	UserAgent string   `json:"userAgent"`
	ObjectRef *struct {
		Resource    string `json:"resource"`
		Namespace   string `json:"namespace"`
		Name        string `json:"name"`
		Subresource string `json:"subresource"`
	} `json:"objectRef"`
	ResponseStatus *struct {
		Code jsonrec.Int `json:"code"`
	} `json:"responseStatus"`
	RequestReceivedTimestamp string     `json:"requestReceivedTimestamp"`
	StageTimestamp           string     `json:"stageTimestamp"`
	Timestamp                string     `json:"timestamp"`
	Items                    []k8sEvent `json:"items"`
}

func (d *k8sAuditDecoder) Line(pos event.Pos, line []byte, out []*event.Event) ([]*event.Event, error) {
	if len(line) >= event.MaxLine {
		return out, event.NewError(pos, string(line), event.ErrTooLong)
	}
	var ev k8sEvent
	if err := json.Unmarshal(line, &ev); err != nil {
		return out, jsonrec.BadLine(pos, line, err)
	}
	if ev.Kind == "EventList" {
		var bad error
		for i := range ev.Items {
			var err error
			if out, err = d.event(pos, line, &ev.Items[i], out); err != nil && bad == nil {
				bad = err
			}
		}
		return out, bad
	}
	return d.event(pos, line, &ev, out)
}

func (d *k8sAuditDecoder) Flush(out []*event.Event) []*event.Event { return out }

func (d *k8sAuditDecoder) event(pos event.Pos, line []byte, ev *k8sEvent, out []*event.Event) ([]*event.Event, error) {
	u, err := url.ParseRequestURI(ev.RequestURI)
	if err != nil {
		return out, event.NewError(pos, string(line), fmt.Errorf("%w: requestURI %q", event.ErrField, ev.RequestURI))
	}
	resource, ns, name, sub := k8sObject(u.Path)
	if r := ev.ObjectRef; r != nil && r.Resource != "" {
		resource, ns, name, sub = r.Resource, r.Namespace, r.Name, r.Subresource
	}
	op := resource
	if sub != "" {
		op += "/" + sub
	}
	kind := event.KindOther
	switch {
	case resource == "pods" && (sub == "exec" || sub == "attach" || sub == "portforward" || sub == "ephemeralcontainers"):
		kind = event.KindContainer
	case resource == "secrets" && (ev.Verb == "get" || ev.Verb == "list" || ev.Verb == "watch") && !controlPlaneUser(ev.User.Username):
		op = "secrets/" + ev.Verb
	default:
		return out, nil // read, not interesting
	}
	if ev.AuditID != "" {
		if _, dup := d.seen[ev.AuditID]; dup {
			return out, nil // a later stage of a request already read
		}
		d.remember(ev.AuditID)
	}
	at, ok := jsonrec.ParseTime(ev.RequestReceivedTimestamp)
	if !ok {
		at, ok = jsonrec.ParseTime(ev.StageTimestamp)
	}
	if !ok {
		at, ok = jsonrec.ParseTime(ev.Timestamp)
	}
	if !ok {
		return out, event.NewError(pos, string(line), fmt.Errorf("%w: no valid requestReceivedTimestamp or stageTimestamp", event.ErrField))
	}
	e := &event.Event{
		Kind: kind, Op: op, Time: at, Source: event.FormatK8sAudit, Success: true,
		User: ev.User.Username, Message: ev.UserAgent,
		Evidence: []event.Evidence{{Pos: pos, Raw: string(line)}},
	}
	if ev.ImpersonatedUser != nil {
		e.Account = ev.ImpersonatedUser.Username
	}
	if len(ev.SourceIPs) > 0 {
		e.Peer = inetAddr(ev.SourceIPs[0], 0)
		e.Peer.Port = 0
	}
	if rs := ev.ResponseStatus; rs != nil && rs.Code.Set {
		e.Exit = rs.Code.N
		e.Success = rs.Code.N < 400
	}
	q := u.Query()
	if kind == event.KindContainer {
		e.Args = q["command"]
		e.SetContainer(event.Container{Pod: name, Namespace: ns, Name: q.Get("container")})
		if sub == "portforward" {
			e.Args = q["ports"]
		}
	} else if name != "" {
		e.Path = ns + "/" + name
	} else {
		e.Path = ns
	}
	return append(out, e), nil
}

func (d *k8sAuditDecoder) remember(id string) {
	if len(d.fifo) >= maxAuditIDs {
		delete(d.seen, d.fifo[0])
		d.fifo = d.fifo[1:]
	}
	d.seen[id] = struct{}{}
	d.fifo = append(d.fifo, id)
}

// k8sObject reads resource, namespace, name and subresource from a core
// API path: /api/v1/namespaces/NS/pods/NAME/exec.
func k8sObject(p string) (resource, ns, name, sub string) {
	parts := strings.Split(strings.Trim(p, "/"), "/")
	if len(parts) >= 4 && parts[0] == "api" && parts[2] == "namespaces" {
		ns = parts[3]
		parts = parts[4:]
		if len(parts) > 0 {
			resource = parts[0]
		}
		if len(parts) > 1 {
			name = parts[1]
		}
		if len(parts) > 2 {
			sub = parts[2]
		}
	}
	return
}

// controlPlaneUser reports whether a username is a cluster component
// (nodes, controllers, kube-system service accounts) whose secret reads are
// routine.
func controlPlaneUser(u string) bool {
	if strings.HasPrefix(u, "system:serviceaccount:") {
		return strings.HasPrefix(u, "system:serviceaccount:kube-system:")
	}
	return strings.HasPrefix(u, "system:")
}
