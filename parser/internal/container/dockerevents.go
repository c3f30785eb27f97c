package container

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser/internal/event"
)

// Docker daemon events as `docker events --format '{{json .}}'` writes them:
//
//	{"status":"exec_start: sh -c id","id":"3f…","from":"nginx:1.27","Type":"container",
//	 "Action":"exec_start: sh -c id","Actor":{"ID":"3f…","Attributes":{"execID":"9a…",
//	 "image":"nginx:1.27","name":"web"}},"scope":"local","time":1795637722,"timeNano":1795637722123456789}
//
// Every event becomes a KindContainer event whose Op is the action without
// its ": detail" part. Container events name their container in Container.
// Events of other types (network, image, volume, daemon, plugin …) keep their
// type in Op as "<type>.<action>" ("network.connect", "image.pull") so that a
// rule on "start" never matches an image event; when such an event names a
// container (network connect, volume mount), Container.ID is set.
//
// The docker CLI prints an exec's command as its argv joined by single spaces,
// so Args is that text split on single spaces: lossy for arguments that held
// spaces ("sh -c 'id; uname'" comes back as sh, -c, 'id;, uname'), but every
// word the attacker typed is there for the rules to see.
//
// Message holds the attributes that matter for the timeline, as "k=v" pairs
// in a fixed order (execID, exitCode, signal, then the detail after ": ",
// such as a health status); Exit holds exitCode for die and exec_die.

// dockerEventLine is one event object. status, id and from are the fields
// deprecated in API 1.52 that older daemons and events of API < 1.22 carry
// instead of Type/Action/Actor.
type dockerEventLine struct {
	Status string `json:"status"`
	ID     string `json:"id"`
	From   string `json:"from"`
	Type   string `json:"Type"`
	Action string `json:"Action"`
	Actor  struct {
		ID         string            `json:"ID"`
		Attributes map[string]string `json:"Attributes"`
	} `json:"Actor"`
	Scope    string `json:"scope"`
	Time     int64  `json:"time"`
	TimeNano int64  `json:"timeNano"`
}

// SniffDockerEvents accepts an event object: Type, Action and Actor, or, from
// old daemons, status, id and time.
func SniffDockerEvents(line []byte) bool {
	if !bytes.HasPrefix(line, []byte("{")) {
		return false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(line, &m) != nil {
		// A cut last record; dockerd's encoder writes these keys first.
		return bytes.HasPrefix(line, []byte(`{"status":"`)) || bytes.HasPrefix(line, []byte(`{"Type":"`))
	}
	has := func(k string, first byte) bool {
		v, ok := m[k]
		return ok && len(v) > 0 && (first == 0 || v[0] == first)
	}
	if has("Type", '"') && has("Action", '"') && has("Actor", '{') {
		return true
	}
	return has("status", '"') && has("id", '"') && has("time", 0) && !has("log", 0)
}

// dockerEventsDecoder reads a file of docker events, one object per line.
// It pairs the events of one exec by their execID: exec_create and
// exec_start name the command, exec_die only the exit code, so an
// exec_die gets the command of its exec (and exec_start the command of
// its exec_create when a daemon leaves it out).
type dockerEventsDecoder struct {
	execs map[string][]string // execID → argv, the most recent maxExecs
	order []string
}

// maxExecs bounds the execs remembered for pairing.
const maxExecs = 4096

// NewDockerEvents returns a decoder for docker events JSON lines.
func NewDockerEvents() event.Decoder {
	return &dockerEventsDecoder{execs: map[string][]string{}}
}

// pair records or recalls the argv of an exec by its id.
func (d *dockerEventsDecoder) pair(execID string, ev *event.Event) {
	if execID == "" {
		return
	}
	if ev.Args != nil {
		if _, seen := d.execs[execID]; !seen {
			if len(d.order) >= maxExecs {
				delete(d.execs, d.order[0])
				d.order = d.order[1:]
			}
			d.order = append(d.order, execID)
		}
		d.execs[execID] = ev.Args
		return
	}
	ev.Args = d.execs[execID]
}

func (d *dockerEventsDecoder) Line(pos event.Pos, line []byte, out []*event.Event) ([]*event.Event, error) {
	var e dockerEventLine
	if err := json.Unmarshal(line, &e); err != nil {
		return out, event.NewError(pos, string(line), fmt.Errorf("%w: docker event is not valid JSON (truncated or corrupted; skipped): %v", event.ErrFormat, err))
	}
	action := e.Action
	if action == "" {
		action = e.Status
	}
	typ := e.Type
	if typ == "" && e.Status != "" && e.ID != "" {
		typ = "container" // API < 1.22 reported only container events
	}
	var t time.Time
	switch {
	case e.TimeNano != 0:
		t = time.Unix(0, e.TimeNano).UTC()
	case e.Time != 0:
		t = time.Unix(e.Time, 0).UTC()
	default:
		return out, event.NewError(pos, string(line), fmt.Errorf("%w: docker event without time or timeNano", event.ErrFormat))
	}
	if action == "" || typ == "" {
		return out, event.NewError(pos, string(line), fmt.Errorf("%w: docker event without Type and Action", event.ErrFormat))
	}
	op, detail, _ := strings.Cut(action, ": ")
	op = strings.TrimSpace(op)
	attrs := e.Actor.Attributes
	ev := &event.Event{
		Kind:     event.KindContainer,
		Time:     t,
		Source:   event.FormatDockerEvents,
		Evidence: []event.Evidence{{Pos: pos, Raw: string(line)}},
	}
	if typ == "container" {
		ev.Op = op
		id := e.Actor.ID
		if id == "" {
			id = e.ID
		}
		image := attrs["image"]
		if image == "" {
			image = e.From
		}
		ev.SetContainer(event.Container{
			ID:        id,
			Name:      attrs["name"],
			Image:     image,
			Pod:       attrs["io.kubernetes.pod.name"],
			Namespace: attrs["io.kubernetes.pod.namespace"],
			Runtime:   "docker",
		})
		if strings.HasPrefix(op, "exec_") {
			if detail != "" {
				ev.Args = strings.Split(detail, " ")
				detail = ""
			}
			d.pair(attrs["execID"], ev)
		}
	} else {
		ev.Op = typ + "." + op
		if id := attrs["container"]; id != "" {
			ev.SetContainer(event.Container{ID: id, Runtime: "docker"})
		}
	}
	if code, ok := attrs["exitCode"]; ok {
		if n, err := strconv.ParseInt(code, 10, 64); err == nil {
			ev.Exit = n
		}
	}
	ev.Message = eventMessage(typ, e.Actor.ID, attrs, detail)
	return append(out, ev), nil
}

// eventMessage renders the few attributes a reader of the timeline wants,
// in a fixed order so that output is deterministic.
func eventMessage(typ, actorID string, attrs map[string]string, detail string) string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	add("execID", attrs["execID"])
	add("exitCode", attrs["exitCode"])
	add("signal", attrs["signal"])
	if typ != "container" {
		add("name", attrs["name"])
		add("id", actorID)
	}
	add("detail", detail)
	return strings.Join(parts, " ")
}

func (d *dockerEventsDecoder) Flush(out []*event.Event) []*event.Event { return out }
