package parser

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"path"
	"strconv"
	"strings"
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

// sniffSysmon accepts a line holding a whole Sysmon <Event> element. A
// JSON document that holds one in a string (a shipper that does not
// escape <, >, & — Filebeat, Elasticsearch _source exports) is an
// envelope, not a Sysmon line: inside the string the XML's quotes are
// escaped (\"), so the Sysmon decoder could not read it.
func sniffSysmon(line []byte) bool {
	if t := bytes.TrimLeft(line, " \t"); len(t) > 0 && t[0] == '{' {
		return false
	}
	i := bytes.Index(line, []byte("<Event"))
	return i >= 0 && bytes.Contains(line[i:], []byte("<EventID")) && bytes.Contains(line[i:], []byte("</Event>"))
}

// newSysmonDecoder returns a decoder for Sysmon for Linux XML events.
func newSysmonDecoder(in *Input, opts *Options) decoder {
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

func (d *sysmonDecoder) Line(pos Pos, line []byte, out []*Event) ([]*Event, error) {
	if len(line) >= maxLine {
		return out, newError(pos, string(line), ErrTooLong)
	}
	i := bytes.Index(line, []byte("<Event"))
	j := bytes.LastIndex(line, []byte("</Event>"))
	if i < 0 || j < i {
		return out, newError(pos, string(line), fmt.Errorf("%w: no <Event>…</Event> element", ErrFormat))
	}
	doc := line[i : j+len("</Event>")]
	var x sysmonEvent
	if err := xml.Unmarshal(doc, &x); err != nil {
		return out, newError(pos, string(line), fmt.Errorf("%w: %v", ErrFormat, err))
	}
	data := make(map[string]string, len(x.Data))
	for _, f := range x.Data {
		if _, dup := data[f.Name]; !dup {
			data[f.Name] = strings.TrimSpace(f.Value)
		}
	}
	id, err := strconv.Atoi(strings.TrimSpace(x.System.EventID))
	if err != nil {
		return out, newError(pos, string(line), fmt.Errorf("%w: EventID %q", ErrField, x.System.EventID))
	}
	at, ok := parseAnyTime(data["UtcTime"])
	if !ok {
		at, ok = parseAnyTime(x.System.TimeCreated.SystemTime)
	}
	if !ok {
		return out, newError(pos, string(line), fmt.Errorf("%w: no valid UtcTime (%q)", ErrField, data["UtcTime"]))
	}
	host := strings.TrimSpace(x.System.Computer)
	if host == "" && i > 0 {
		host = string(syslogHost(line[:i]))
	}
	num := func(k string) int {
		v, ok := parseJSONInt(data[k])
		return pidOf(v, ok)
	}
	ev0 := Evidence{Pos: pos, Raw: string(line)}
	e := &Event{
		Time: at, Host: host, Source: string(FormatSysmon), Success: true,
		PID: num("ProcessId"), Exe: data["Image"], User: dashEmpty(data["User"]),
		Evidence: []Evidence{ev0},
	}
	switch id {
	case 1:
		e.Kind, e.Op = KindExec, "exec"
		e.PPID = num("ParentProcessId")
		e.Args = sysmonArgs(e.Exe, data["CommandLine"])
		e.Cwd = data["CurrentDirectory"]
		if pp := e.PPID; pp > 0 && d.parents.first(host, pp) && dashEmpty(data["ParentImage"]) != "" {
			out = append(out, &Event{
				Kind: KindExec, Op: "exec", Message: synthParent, Time: at, Host: host,
				Source: string(FormatSysmon), Success: true, PID: pp,
				Exe: data["ParentImage"], Args: sysmonArgs(data["ParentImage"], data["ParentCommandLine"]),
				User: dashEmpty(data["ParentUser"]), Evidence: []Evidence{ev0},
			})
		}
	case 3:
		e.Op = strings.ToLower(data["Protocol"])
		if strings.EqualFold(data["Initiated"], "true") {
			e.Kind = KindConnect
			e.Peer = inetAddr(data["DestinationIp"], num("DestinationPort"))
		} else {
			e.Kind = KindAccept
			e.Peer = inetAddr(data["SourceIp"], num("SourcePort"))
		}
	case 5:
		e.Kind, e.Op = KindExit, "exit"
	case 11:
		e.Kind, e.Op, e.Path = KindFileWrite, "create", data["TargetFilename"]
	case 23, 26:
		e.Kind, e.Op, e.Path = KindUnlink, "delete", data["TargetFilename"]
	default:
		e.Op = "sysmon-" + strconv.Itoa(id)
	}
	d.parents.first(host, e.PID)
	return append(out, e), nil
}

func (d *sysmonDecoder) Flush(out []*Event) []*Event { return out }

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

// dashEmpty maps Sysmon's "-" (no value) to "".
func dashEmpty(s string) string {
	if s == "-" {
		return ""
	}
	return s
}
