package sensor

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser/internal/event"
	"github.com/auditchain/auditchain/parser/internal/jsonrec"
)

// Elastic Defend for Containers (integration cloud_defend): ECS documents,
// one per line, as the data streams logs-cloud_defend.process-*, .file-*
// and .alerts-* hold them, bare or wrapped as an Elasticsearch hit
// ({"_index":…,"_source":{…}}) or a whole search response
// ({"hits":{"hits":[…]}}). Keys may be nested or dotted
// ("image.name"), as in the integration's own sample.
//
// What is read:
//   - event.action exec → KindExec, fork → KindFork (PID is the parent,
//     Child the new process, like auditd's clone), end → KindExit.
//   - event.category file: creation/modification/… → KindFileWrite,
//     deletion → KindUnlink, rename → KindRename (file.path).
//   - event.category network → KindConnect (destination.ip/port).
//   - event.kind alert → KindAlert (Alert.Source "cloud_defend"; Rule from
//     rule.name or the matched selectors; Priority from event.type, e.g.
//     "denied"), with the process fields.
//
// process.* gives PID, Exe (executable), Args, Cwd (working_directory),
// UID/User, GID, Comm (name); process.parent.* gives PPID and, when the
// parent pid is new to the input, a synthesized parent exec (see
// parentTracker). container.* and orchestrator.* give the container.
// Not read: session/group/entry leaders, process.previous, cloud.*.

// SniffCloudDefend accepts an ECS document (or hit) with an Elastic
// process entity id and an event object, unless wraps says the document is
// a shipper's envelope around a record of another format.
func SniffCloudDefend(line []byte, wraps func(doc map[string]any) bool) bool {
	if len(line) == 0 || line[0] != '{' {
		return false
	}
	m := jsonrec.Object(line)
	if m == nil {
		return bytes.Contains(line, []byte(`"entity_id"`)) && bytes.Contains(line, []byte(`"@timestamp"`)) && bytes.Contains(line, []byte("cloud_defend"))
	}
	docs := ecsDocs(m)
	if len(docs) == 0 {
		return false
	}
	doc := docs[0]
	if jsonrec.Get(doc, "process.entity_id") == nil || jsonrec.Get(doc, "event") == nil && jsonrec.Get(doc, "event.action") == nil {
		return false
	}
	// A shipper document that wraps a record of another format is an
	// envelope, whatever ECS fields the shipper added; wraps (from the
	// envelope format, which knows the others) tells.
	return wraps == nil || !wraps(doc)
}

// ecsDocs returns the ECS documents of a decoded line: the line itself, its
// _source, or the _source of each hit of a search response.
func ecsDocs(m map[string]any) []map[string]any {
	if src, ok := m["_source"].(map[string]any); ok {
		return []map[string]any{src}
	}
	if hits, ok := jsonrec.Get(m, "hits.hits").([]any); ok {
		var docs []map[string]any
		for _, h := range hits {
			if hm, ok := h.(map[string]any); ok {
				if src, ok := hm["_source"].(map[string]any); ok {
					docs = append(docs, src)
				}
			}
		}
		return docs
	}
	return []map[string]any{m}
}

// NewCloudDefend returns a decoder for cloud_defend documents.
func NewCloudDefend(report func(error)) event.Decoder {
	return &cloudDefendDecoder{docStream: docStream{report: report}, parents: newParentTracker()}
}

type cloudDefendDecoder struct {
	docStream
	parents *parentTracker
}

func (d *cloudDefendDecoder) Line(pos event.Pos, line []byte, out []*event.Event) ([]*event.Event, error) {
	return d.docStream.line(pos, line, out, d.doc)
}

func (d *cloudDefendDecoder) doc(pos event.Pos, line []byte, out []*event.Event) ([]*event.Event, error) {
	m, err := jsonrec.Decode(line)
	if err != nil {
		return out, jsonrec.BadLine(pos, line, err)
	}
	var bad error
	for _, doc := range ecsDocs(m) {
		var err error
		if out, err = d.event(pos, line, doc, out); err != nil && bad == nil {
			bad = err
		}
	}
	return out, bad
}

func (d *cloudDefendDecoder) event(pos event.Pos, line []byte, m map[string]any, out []*event.Event) ([]*event.Event, error) {
	at, ok := jsonrec.AnyTime(jsonrec.Get(m, "@timestamp"))
	if !ok || at.Year() < 1971 { // the integration's sample has 0001-01-01
		if t, ok2 := jsonrec.AnyTime(jsonrec.Get(m, "event.created")); ok2 && t.Year() >= 1971 {
			at, ok = t, true
		}
	}
	if !ok {
		return out, event.NewError(pos, string(line), fmt.Errorf("%w: no valid @timestamp", event.ErrField))
	}
	ev0 := event.Evidence{Pos: pos, Raw: string(line)}
	host := jsonrec.FirstString(m, []string{"host.name", "host.hostname"})
	e := ecsProcess(m, "process", host, at)
	e.Evidence = []event.Evidence{ev0}
	e.SetContainer(ecsContainer(m))

	action := strings.ToLower(jsonrec.Str(m, "event.action"))
	cats := jsonrec.AnyStrings(jsonrec.Get(m, "event.category"))
	e.Op = action
	switch {
	case strings.EqualFold(jsonrec.Str(m, "event.kind"), "alert"):
		e.Kind = event.KindAlert
		rule := jsonrec.Str(m, "rule.name")
		if rule == "" {
			rule = strings.Join(jsonrec.AnyStrings(jsonrec.Get(m, "cloud_defend.matched_selectors")), ",")
		}
		if rule == "" {
			rule = "cloud_defend " + action
		}
		e.SetAlert(&event.Alert{
			Source: "cloud_defend", Rule: rule,
			Priority: strings.Join(jsonrec.AnyStrings(jsonrec.Get(m, "event.type")), ","),
			Output:   jsonrec.Str(m, "message"), Tags: jsonrec.AnyStrings(jsonrec.Get(m, "tags")),
		})
		e.Path = jsonrec.Str(m, "file.path")
	case action == "exec":
		e.Kind = event.KindExec
	case action == "fork":
		// auditd's convention: the forking process acts, Child is new.
		child := e.PID
		e = ecsProcess(m, "process.parent", host, at)
		e.Evidence, e.Op = []event.Evidence{ev0}, action
		e.SetContainer(ecsContainer(m))
		e.Kind, e.Child = event.KindFork, child
	case action == "end":
		e.Kind = event.KindExit
		if v, ok := jsonrec.AnyInt(jsonrec.Get(m, "process.exit_code")); ok {
			e.Exit = v
		}
		e.Args = nil
	case containsFold(cats, "file"):
		e.Path = jsonrec.Str(m, "file.path")
		switch {
		case strings.Contains(action, "delet"):
			e.Kind = event.KindUnlink
		case strings.Contains(action, "renam"):
			e.Kind, e.OldPath = event.KindRename, jsonrec.Str(m, "file.Ext.original.path")
		case strings.Contains(action, "open") && !strings.Contains(action, "write"):
			e.Kind = event.KindFileRead
		default: // creation, modification, overwrite, write, truncate …
			e.Kind = event.KindFileWrite
		}
		e.Args = nil
	case containsFold(cats, "network"):
		port, _ := jsonrec.AnyInt(jsonrec.Get(m, "destination.port"))
		e.Peer = inetAddr(jsonrec.Str(m, "destination.ip"), int(port))
		if e.Peer.Family != "" {
			e.Kind = event.KindConnect
		}
		e.Args = nil
	default:
		e.Args = nil
	}

	// The parent: process.parent, which for a fork is the acting process.
	pp := e.PPID
	if e.Kind == event.KindFork {
		pp = e.PID
	}
	if pp > 0 && d.parents.first(host, pp) {
		pe := ecsProcess(m, "process.parent", host, at)
		if pe.Exe != "" || len(pe.Args) > 0 {
			if t, ok := jsonrec.AnyTime(jsonrec.Get(m, "process.parent.start")); ok && t.Year() >= 1971 && !t.After(at) {
				pe.Time = t
			}
			pe.Kind, pe.Op, pe.Synth = event.KindExec, "exec", event.SynthParent
			pe.Evidence = []event.Evidence{ev0}
			pe.SetContainer(e.Container())
			out = append(out, pe)
		}
	}
	if e.Kind == event.KindFork {
		d.parents.first(host, e.PID)
		d.parents.first(host, e.Child)
	} else {
		d.parents.first(host, e.PID)
	}
	return append(out, e), nil
}

// ecsProcess fills an event from the ECS process object at prefix
// ("process" or "process.parent").
func ecsProcess(m map[string]any, prefix, host string, at time.Time) *event.Event {
	e := &event.Event{Time: at, Host: host, Source: event.FormatCloudDefend, Success: true}
	if v, ok := jsonrec.AnyInt(jsonrec.Get(m, prefix+".pid")); ok {
		e.PID = jsonrec.PIDOf(v, true)
	}
	if prefix == "process" {
		if v, ok := jsonrec.AnyInt(jsonrec.Get(m, "process.parent.pid")); ok {
			e.PPID = jsonrec.PIDOf(v, true)
		}
	}
	e.Exe = jsonrec.Str(m, prefix+".executable")
	e.Comm = jsonrec.Str(m, prefix+".name")
	e.Cwd = jsonrec.Str(m, prefix+".working_directory")
	e.Args = jsonrec.AnyStrings(jsonrec.Get(m, prefix+".args"))
	if v, ok := jsonrec.AnyInt(jsonrec.Get(m, prefix+".user.id")); ok {
		e.UID = jsonrec.IDOf(v, true)
		e.EUID = e.UID
	}
	if v, ok := jsonrec.AnyInt(jsonrec.Get(m, prefix+".group.id")); ok {
		e.GID = jsonrec.IDOf(v, true)
	}
	e.User = jsonrec.Str(m, prefix+".user.name")
	return e
}

func ecsContainer(m map[string]any) event.Container {
	c := event.Container{
		ID:        jsonrec.Str(m, "container.id"),
		Name:      jsonrec.Str(m, "container.name"),
		Image:     jsonrec.Str(m, "container.image.name"),
		Runtime:   jsonrec.Str(m, "container.runtime"),
		Namespace: jsonrec.Str(m, "orchestrator.namespace"),
	}
	if tags := jsonrec.AnyStrings(jsonrec.Get(m, "container.image.tag")); c.Image != "" && len(tags) > 0 && tags[0] != "" {
		c.Image += ":" + tags[0]
	}
	if t := jsonrec.Str(m, "orchestrator.resource.type"); t == "" || strings.EqualFold(t, "pod") {
		c.Pod = jsonrec.Str(m, "orchestrator.resource.name")
	}
	return c
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
