package sensor

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/auditchain/auditchain/parser/internal/event"
	"github.com/auditchain/auditchain/parser/internal/jsonrec"
)

// Falco JSON alerts (json_output: true), one object per line:
//
//	{"hostname":"web1","output":"…","priority":"Warning","rule":"…",
//	 "source":"syscall","tags":["T1059",…],"time":"2026-…Z",
//	 "output_fields":{"proc.pid":4242,"proc.cmdline":"sh -c id",…}}
//
// Every alert becomes one KindAlert event with Alert{Source "falco", Rule,
// Priority, Output, Tags}; the process, user, container and file fields are
// filled from output_fields when the rule printed them. Falco prints only
// the fields its rule's output names, so most alerts carry no pid: such an
// alert is still an event (detect turns it into a finding) but does not
// join the process tree.
//
// proc.cmdline is argv joined by spaces without quoting; Args is that text
// split on blanks, which is lossy for arguments with spaces ("sh -c 'id;
// ls'" gives sh, -c, 'id;, ls'). Args[0] is proc.name as Falco prints it.

// SniffFalco accepts a JSON object with Falco's rule, priority and either
// output or output_fields.
func SniffFalco(line []byte) bool {
	if len(line) == 0 || line[0] != '{' {
		return false
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(line, &m); err != nil {
		return bytes.Contains(line, []byte(`"rule":`)) && bytes.Contains(line, []byte(`"priority":`)) && bytes.Contains(line, []byte(`"output`))
	}
	_, rule := m["rule"]
	_, prio := m["priority"]
	_, out := m["output"]
	_, fields := m["output_fields"]
	return rule && prio && (out || fields)
}

// NewFalco returns a decoder for Falco alerts.
func NewFalco() event.Decoder { return &falcoDecoder{} }

type falcoDecoder struct{}

type falcoAlert struct {
	Output       string         `json:"output"`
	Priority     string         `json:"priority"`
	Rule         string         `json:"rule"`
	Time         string         `json:"time"`
	Source       string         `json:"source"`
	Hostname     string         `json:"hostname"`
	Tags         []string       `json:"tags"`
	OutputFields map[string]any `json:"output_fields"`
}

func (d *falcoDecoder) Line(pos event.Pos, line []byte, out []*event.Event) ([]*event.Event, error) {
	if len(line) >= event.MaxLine {
		return out, event.NewError(pos, string(line), event.ErrTooLong)
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	var a falcoAlert
	if err := dec.Decode(&a); err != nil {
		return out, jsonrec.BadLine(pos, line, err)
	}
	if a.Rule == "" {
		return out, event.NewError(pos, string(line), fmt.Errorf("%w: Falco alert without a rule", event.ErrFormat))
	}
	f := a.OutputFields
	at, ok := jsonrec.ParseTime(a.Time)
	if !ok {
		at, ok = jsonrec.AnyTime(firstField(f, "evt.time", "evt.time.iso8601", "evt.rawtime"))
	}
	if !ok {
		return out, event.NewError(pos, string(line), fmt.Errorf("%w: no valid time (%q)", event.ErrField, a.Time))
	}
	e := &event.Event{
		Kind: event.KindAlert, Time: at, Host: a.Hostname, Source: event.FormatFalco, Success: true,
		Evidence: []event.Evidence{{Pos: pos, Raw: string(line)}},
	}
	e.SetAlert(&event.Alert{Source: "falco", Rule: a.Rule, Priority: a.Priority, Output: a.Output, Tags: a.Tags})
	e.Op = a.Source // syscall, k8s_audit, a plugin name
	if f != nil {
		falcoFields(e, f)
	}
	return append(out, e), nil
}

func (d *falcoDecoder) Flush(out []*event.Event) []*event.Event { return out }

// falcoFields fills the process, user, container and target fields from
// output_fields.
func falcoFields(e *event.Event, f map[string]any) {
	get := func(k string) string { return strings.TrimSpace(jsonrec.AnyString(f[k])) }
	if v, ok := jsonrec.AnyInt(f["proc.pid"]); ok {
		e.PID = jsonrec.PIDOf(v, true)
	}
	if v, ok := jsonrec.AnyInt(f["proc.ppid"]); ok {
		e.PPID = jsonrec.PIDOf(v, true)
	}
	e.Exe = get("proc.exepath")
	if exe := get("proc.exe"); e.Exe == "" && strings.HasPrefix(exe, "/") {
		e.Exe = exe // proc.exe is argv[0]: a path only sometimes
	}
	e.Comm = get("proc.name")
	e.Cwd = get("proc.cwd")
	if cl := get("proc.cmdline"); cl != "" {
		e.Args = strings.Fields(cl)
	}
	e.User = get("user.name")
	if v, ok := jsonrec.AnyInt(f["user.uid"]); ok {
		e.UID = jsonrec.IDOf(v, true)
		e.EUID = e.UID
	}
	if v, ok := jsonrec.AnyInt(f["user.loginuid"]); ok {
		e.AUID = jsonrec.IDOf(v, true)
	}
	e.AUser = get("user.loginname")
	e.Syscall = get("evt.type")
	e.Path = get("fd.name")
	if e.Path != "" && !strings.HasPrefix(e.Path, "/") {
		e.Path = "" // a socket tuple, not a file
	}
	if ip := get("fd.rip"); ip != "" {
		p, _ := jsonrec.AnyInt(f["fd.rport"])
		e.Peer = inetAddr(ip, int(p))
	} else if ip := get("fd.sip"); ip != "" && get("evt.type") == "connect" {
		p, _ := jsonrec.AnyInt(f["fd.sport"])
		e.Peer = inetAddr(ip, int(p))
	}
	var k event.Container
	c := &k
	c.ID = get("container.full_id")
	if c.ID == "" {
		c.ID = get("container.id")
	}
	if c.ID == "host" { // Falco's name for "not in a container"
		c.ID = ""
	}
	c.Name = get("container.name")
	if c.Name == "host" {
		c.Name = ""
	}
	c.Image = get("container.image.repository")
	if c.Image == "" {
		c.Image = get("container.image")
	}
	if tag := get("container.image.tag"); c.Image != "" && tag != "" {
		c.Image += ":" + tag
	}
	c.Pod = get("k8s.pod.name")
	c.Namespace = get("k8s.ns.name")
	c.Runtime = get("container.type")
	if c.ID == "" && c.Name == "" && c.Pod == "" {
		*c = event.Container{}
	}
	e.SetContainer(k)
}

// firstOf returns the first of the keys present in m.
func firstField(m map[string]any, keys ...string) any {
	for _, k := range keys {
		if v, ok := m[k]; ok && v != nil {
			return v
		}
	}
	return nil
}
