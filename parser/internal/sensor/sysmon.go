package sensor

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/auditchain/auditchain/parser/internal/event"
	"github.com/auditchain/auditchain/parser/internal/jsonrec"
	"github.com/auditchain/auditchain/parser/internal/syslog"
)

// Sysmon for Linux events: one XML <Event> per line, bare or behind the
// syslog header that rsyslog/journald give it:
//
//	Nov 25 20:15:55 web1 sysmon: <Event><System><Provider Name="Linux-Sysmon" …/>
//	  <EventID>1</EventID>…<Computer>web1</Computer>…</System>
//	  <EventData><Data Name="UtcTime">2026-11-25 20:15:55.286</Data>…</EventData></Event>
//
// What is read (EventData names as Sysmon writes them):
//   - 1 ProcessCreate → KindExec: ProcessId, ParentProcessId, Image,
//     CommandLine, CurrentDirectory, User; ParentImage and
//     ParentCommandLine make a synthesized parent exec when the parent pid
//     is new to the input (see parentTracker).
//   - 3 NetworkConnect → KindConnect (Initiated true: the destination is
//     the peer) or KindAccept (the source is the peer).
//   - 5 ProcessTerminate → KindExit.
//   - 11 FileCreate → KindFileWrite; 23 FileDelete and 26
//     FileDeleteDetected → KindUnlink (TargetFilename).
//   - any other EventID → KindOther, Op "sysmon-<id>".
//
// Time is UtcTime (UTC), else System/TimeCreated; Host is <Computer>, else
// the syslog header's host. CommandLine is argv joined by spaces without
// quoting (Sysmon for Linux builds it so), so Args splits it on blanks: an
// argument with spaces comes back in pieces, except a shell's -c command
// string, kept whole (see sysmonArgs). User is a name; Sysmon
// writes no uid for the process.

// SniffSysmon accepts a line holding a whole Sysmon <Event> element. A
// JSON document that holds one in a string (a shipper that does not
// escape <, >, & — Filebeat, Elasticsearch _source exports) is an
// envelope, not a Sysmon line: inside the string the XML's quotes are
// escaped (\"), so the Sysmon decoder could not read it.
func SniffSysmon(line []byte) bool {
	if t := bytes.TrimLeft(line, " \t"); len(t) > 0 && t[0] == '{' {
		return false
	}
	i := bytes.Index(line, []byte("<Event"))
	if i < 0 || !bytes.Contains(line[i:], []byte("<EventID")) || !syslog.MessageAt(line[:i]) {
		return false
	}
	// An event cut short by a forwarder's size limit has no </Event>,
	// but is still Sysmon's (see salvageCut).
	return bytes.Contains(line[i:], []byte("</Event>")) || bytes.Contains(line[i:], []byte("<EventData>"))
}

// NewSysmon returns a decoder for Sysmon for Linux XML events.
func NewSysmon() event.Decoder {
	return &sysmonDecoder{parents: newParentTracker()}
}

type sysmonDecoder struct {
	parents *parentTracker
}

type sysmonEvent struct {
	System struct {
		EventID     string `xml:"EventID"`
		TimeCreated struct {
			SystemTime string `xml:"SystemTime,attr"`
		} `xml:"TimeCreated"`
		Computer string `xml:"Computer"`
	} `xml:"System"`
	Data []struct {
		Name  string `xml:"Name,attr"`
		Value string `xml:",chardata"`
	} `xml:"EventData>Data"`
}

func (d *sysmonDecoder) Line(pos event.Pos, line []byte, out []*event.Event) ([]*event.Event, error) {
	if len(line) >= event.MaxLine {
		return out, event.NewError(pos, string(line), event.ErrTooLong)
	}
	i := bytes.Index(line, []byte("<Event"))
	j := bytes.LastIndex(line, []byte("</Event>"))
	var doc []byte
	var cut string
	switch {
	case i >= 0 && j > i:
		doc = line[i : j+len("</Event>")]
	case i >= 0:
		doc, cut = salvageCut(line[i:])
	}
	if doc == nil {
		return out, event.NewError(pos, string(line), fmt.Errorf("%w: no <Event>…</Event> element", event.ErrFormat))
	}
	// The event is the line's whole message (after a syslog header at
	// most): an <Event> inside another program's text, such as a user
	// agent in an access line, is that program's text, not Sysmon's.
	if !syslog.MessageAt(line[:i]) {
		return out, event.NewError(pos, string(line), fmt.Errorf("%w: <Event> inside another program's message, not read as an event", event.ErrFormat))
	}
	doc, repaired := repairEntities(doc)
	var x sysmonEvent
	if err := xml.Unmarshal(doc, &x); err != nil {
		return out, event.NewError(pos, string(line), fmt.Errorf("%w: %v", event.ErrFormat, err))
	}
	data := make(map[string]string, len(x.Data))
	for _, f := range x.Data {
		if _, dup := data[f.Name]; !dup {
			data[f.Name] = strings.TrimSpace(f.Value)
		}
	}
	id, err := strconv.Atoi(strings.TrimSpace(x.System.EventID))
	if err != nil {
		return out, event.NewError(pos, string(line), fmt.Errorf("%w: EventID %q", event.ErrField, x.System.EventID))
	}
	at, ok := jsonrec.ParseTime(data["UtcTime"])
	if !ok {
		at, ok = jsonrec.ParseTime(x.System.TimeCreated.SystemTime)
	}
	if !ok {
		return out, event.NewError(pos, string(line), fmt.Errorf("%w: no valid UtcTime (%q)", event.ErrField, data["UtcTime"]))
	}
	host := strings.TrimSpace(x.System.Computer)
	if host == "" && i > 0 {
		host = string(syslog.Host(line[:i]))
	}
	num := func(k string) int {
		v, ok := jsonrec.ParseInt(data[k])
		return jsonrec.PIDOf(v, ok)
	}
	ev0 := event.Evidence{Pos: pos, Raw: string(line)}
	e := &event.Event{
		Time: at, Host: host, Source: event.FormatSysmon, Success: true,
		PID: num("ProcessId"), Exe: knownImage(data["Image"]), User: dashEmpty(data["User"]),
		Evidence: []event.Evidence{ev0},
	}
	switch id {
	case 1:
		e.Kind, e.Op = event.KindExec, "exec"
		e.PPID = num("ParentProcessId")
		e.Args = sysmonArgs(e.Exe, data["CommandLine"])
		e.Cwd = data["CurrentDirectory"]
		pimage, pcmd := knownImage(data["ParentImage"]), dashEmpty(data["ParentCommandLine"])
		if pp := e.PPID; pp > 0 && d.parents.first(host, pp) && (pimage != "" || pcmd != "") {
			out = append(out, &event.Event{
				Kind: event.KindExec, Op: "exec", Synth: event.SynthParent, Time: at, Host: host,
				Source: event.FormatSysmon, Success: true, PID: pp,
				Exe: pimage, Args: sysmonArgs(pimage, pcmd),
				User: dashEmpty(data["ParentUser"]), Evidence: []event.Evidence{ev0},
			})
		}
	case 3:
		e.Op = strings.ToLower(data["Protocol"])
		if strings.EqualFold(data["Initiated"], "true") {
			e.Kind = event.KindConnect
			e.Peer = inetAddr(data["DestinationIp"], num("DestinationPort"))
		} else {
			e.Kind = event.KindAccept
			e.Peer = inetAddr(data["SourceIp"], num("SourcePort"))
		}
	case 5:
		e.Kind, e.Op = event.KindExit, "exit"
	case 11:
		e.Kind, e.Op, e.Path = event.KindFileWrite, "create", data["TargetFilename"]
	case 23, 26:
		e.Kind, e.Op, e.Path = event.KindUnlink, "delete", data["TargetFilename"]
	default:
		e.Op = "sysmon-" + strconv.Itoa(id)
	}
	d.parents.first(host, e.PID)
	out = append(out, e)
	var notes []string
	if cut != "" {
		notes = append(notes, fmt.Sprintf("event cut short after %d bytes (a forwarder's message size limit?); read up to its last whole field, %s lost", len(line), cut))
	}
	if repaired > 0 {
		notes = append(notes, fmt.Sprintf("%d XML entities without their ';' (as Sysmon for Linux writes \"&lt unknown process&gt \") read as if they had it", repaired))
	}
	if len(notes) > 0 {
		return out, event.NewError(pos, "", fmt.Errorf("%w: %s; event kept", event.ErrRepaired, strings.Join(notes, "; ")))
	}
	return out, nil
}

// salvageCut closes a Sysmon event that a forwarder cut short (syslog
// relays truncate at 1–8 KiB; the public Log4Shell capture lost the end of
// the shell's process-create inside its java parent's long
// ParentCommandLine). The fields written in full before the cut are the
// event's own and are kept: dropping the event would let its children's
// Parent* fields stand for the process instead, without its own command
// line or parent. The document is closed after the last complete <Data>
// element of <EventData>; it returns nil when the cut falls before any
// (nothing of the event's own is left), and names the field cut in half.
func salvageCut(doc []byte) ([]byte, string) {
	k := bytes.Index(doc, []byte("<EventData>"))
	if k < 0 {
		return nil, ""
	}
	last := bytes.LastIndex(doc[k:], []byte("</Data>"))
	if last < 0 {
		return nil, ""
	}
	end := k + last + len("</Data>")
	lost := "the rest"
	if rest := doc[end:]; bytes.HasPrefix(rest, []byte(`<Data Name="`)) {
		if q := bytes.IndexByte(rest[len(`<Data Name="`):], '"'); q >= 0 {
			lost = "field " + string(rest[len(`<Data Name="`):len(`<Data Name="`)+q]) + " and what follows"
		}
	}
	out := make([]byte, 0, end+len("</EventData></Event>"))
	out = append(out, doc[:end]...)
	return append(out, "</EventData></Event>"...), lost
}

// xmlEntities are the entities XML predefines.
var xmlEntities = []string{"lt", "gt", "amp", "quot", "apos"}

// repairEntities puts back the ';' of predefined entities written without
// it. Sysmon for Linux writes "&lt unknown process&gt " (with a blank where
// the ';' belongs) for a process it could not name; encoding/xml rejects
// the whole event for it, and 16 of the 93 records of a public capture were
// lost so. An '&' that starts a predefined entity name not followed by ';'
// is never valid XML, so the repair cannot change a valid document; the
// blank after the name, if any, is taken as the lost ';'. doc is returned
// as is when nothing needed repair.
func repairEntities(doc []byte) ([]byte, int) {
	if bytes.IndexByte(doc, '&') < 0 {
		return doc, 0
	}
	var out []byte
	n, last := 0, 0
	for i := 0; i < len(doc); i++ {
		if doc[i] != '&' {
			continue
		}
		for _, name := range xmlEntities {
			end := i + 1 + len(name)
			if end > len(doc) || string(doc[i+1:end]) != name || end < len(doc) && (doc[end] == ';' || isNameByte(doc[end])) {
				continue
			}
			out = append(out, doc[last:end]...)
			out = append(out, ';')
			if end < len(doc) && doc[end] == ' ' {
				end++
			}
			last, i = end, end-1
			n++
			break
		}
	}
	if n == 0 {
		return doc, 0
	}
	return append(out, doc[last:]...), n
}

// isNameByte reports whether c may continue an XML name (ASCII part).
func isNameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '.' || c == ':'
}

func (d *sysmonDecoder) Flush(out []*event.Event) []*event.Event { return out }

// sysmonArgs splits a Sysmon CommandLine (argv joined by single blanks,
// unquoted) into arguments. A shell's command string is one argument that
// usually holds blanks: "sh -c cat /etc/shadow 2>&1" was
// [sh -c "cat /etc/shadow 2>&1"]. Splitting it would leave "cat" as the
// command the shell runs and hide what it does from every rule, so for a
// shell image everything after its first option holding c (-c, -lc, -ec)
// is kept as that one argument, blanks as Sysmon wrote them. Positional
// arguments after the command string ($0, $1) are folded into it; they
// cannot be told apart in Sysmon's text.
func sysmonArgs(image, cmdline string) []string {
	f := strings.Fields(cmdline)
	if !commandShells[path.Base(image)] || len(f) < 3 {
		return f
	}
	for i := 1; i < len(f)-1; i++ {
		a := f[i]
		if len(a) < 2 || a[0] != '-' || a[1] == '-' {
			return f // an operand before any -c: a script, not a command string
		}
		if strings.IndexByte(a, 'c') > 0 {
			// the text after this option, as written (single blanks)
			at := 0
			for j := 0; j <= i; j++ {
				at = strings.Index(cmdline[at:], f[j]) + at + len(f[j])
			}
			return append(f[:i+1:i+1], strings.TrimSpace(cmdline[at:]))
		}
	}
	return f
}

// knownImage maps the image Sysmon writes for a process it could not name
// ("<unknown process>", as "&lt unknown process&gt " in its own output) to
// "": it is no path, and a rule must not match it as one. The command line
// beside it, when there is one, still says what ran.
func knownImage(s string) string {
	if s = dashEmpty(s); s == "<unknown process>" {
		return ""
	}
	return s
}

// dashEmpty maps Sysmon's "-" (no value) to "".
func dashEmpty(s string) string {
	if s == "-" {
		return ""
	}
	return s
}
