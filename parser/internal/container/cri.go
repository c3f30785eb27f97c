package container

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser/internal/event"
)

// Kubernetes CRI container logs (/var/log/pods/<ns>_<pod>_<uid>/<container>/N.log):
//
//	2026-11-25T21:15:22.123456789+01:00 stdout F 10.0.0.5 - - [25/Nov/2026:20:15:22 +0000] "GET / HTTP/1.1" 200 612 "-" "-" "-"
//	2026-11-25T20:15:22.5Z stderr P first 16 KiB of a long line
//	2026-11-25T20:15:22.5Z stderr F the rest
//
// containerd stamps lines in the node's time zone with a trimmed fraction,
// CRI-O with nine digits and a numeric offset; both become UTC here. A P
// (partial) chunk continues in the next chunk of the same stream; the other
// stream may come in between.

// criLine is one CRI log line split into its fields.
type criLine struct {
	time    time.Time
	stream  string
	partial bool
	msg     []byte
	utcNum  bool // the stamp says UTC as "+00:00" rather than "Z": CRI-O
}

// parseCRILine splits a CRI line the way the kubelet does (parseCRILog).
func parseCRILine(line []byte) (criLine, error) {
	var l criLine
	ts, rest, ok := bytes.Cut(line, []byte(" "))
	if !ok {
		return l, fmt.Errorf("%w: want \"<time> <stream> <P|F> <text>\"", event.ErrFormat)
	}
	t, err := time.Parse(time.RFC3339Nano, string(ts))
	if err != nil {
		return l, fmt.Errorf("%w: bad CRI time %q", event.ErrFormat, ts)
	}
	l.time = t.UTC()
	l.utcNum = bytes.HasSuffix(ts, []byte("+00:00"))
	stream, rest, ok := bytes.Cut(rest, []byte(" "))
	if !ok || !(string(stream) == "stdout" || string(stream) == "stderr") {
		return l, fmt.Errorf("%w: want stdout or stderr after the CRI time", event.ErrFormat)
	}
	l.stream = string(stream)
	// The content may be empty, and then the space after the tag may have
	// been trimmed by whoever copied the file.
	tag, msg, _ := bytes.Cut(rest, []byte(" "))
	tag, _, _ = bytes.Cut(tag, []byte(":")) // tags may carry more, "F:…"
	switch string(tag) {
	case "P":
		l.partial = true
	case "F":
	default:
		return l, fmt.Errorf("%w: want P or F after the CRI stream, got %q", event.ErrFormat, tag)
	}
	l.msg = msg
	return l, nil
}

// SniffCRI accepts a CRI log line.
func SniffCRI(line []byte) bool {
	if len(line) == 0 || line[0] < '0' || line[0] > '9' {
		return false
	}
	_, err := parseCRILine(line)
	return err == nil
}

// criDecoder reads one CRI log file.
type criDecoder struct {
	log     containerLog
	runtime bool // the runtime was told from the first line
}

// NewCRI returns a decoder for one CRI log of container c (see
// CRIContainer); maxJoined and access as for NewDockerJSON.
func NewCRI(c event.Container, maxJoined int, access AccessFunc) event.Decoder {
	return &criDecoder{log: containerLog{container: c, source: event.FormatCRI, maxJoined: maxJoined, access: access}}
}

func (d *criDecoder) Line(pos event.Pos, line []byte, out []*event.Event) ([]*event.Event, error) {
	l, err := parseCRILine(line)
	if err != nil {
		return out, event.NewError(pos, string(line), err)
	}
	if !d.runtime {
		// Go's RFC3339Nano (containerd) writes UTC as "Z"; conmon always
		// writes a numeric offset. Elsewhere the two look alike, and
		// containerd is by far the more common.
		d.runtime = true
		if l.utcNum {
			d.log.container.Runtime = "cri-o"
		}
	}
	return d.log.chunk(pos, line, l.stream, l.time, l.msg, !l.partial, out)
}

func (d *criDecoder) Flush(out []*event.Event) []*event.Event { return d.log.flush(out) }

// CRIContainer names a CRI log's container from its path, in either layout
// the kubelet keeps:
//
//	/var/log/pods/<namespace>_<pod>_<pod uid>/<container>/<restarts>.log[.<date>][.gz]
//	/var/log/containers/<pod>_<namespace>_<container>-<64 hex id>.log
//
// Neither names nor namespaces can hold '_' (they are DNS labels), so the
// split is unambiguous.
func CRIContainer(path string) event.Container {
	c := event.Container{Runtime: "containerd"}
	if path == "" || path == "-" {
		return c
	}
	base := filepath.Base(path)
	if stem, ok := strings.CutSuffix(base, ".log"); ok {
		if f := strings.Split(stem, "_"); len(f) == 3 {
			if i := strings.LastIndexByte(f[2], '-'); i > 0 && IsHex64(f[2][i+1:]) {
				c.Pod, c.Namespace, c.Name, c.ID = f[0], f[1], f[2][:i], f[2][i+1:]
				return c
			}
		}
	}
	if !isRestartLog(base) {
		return c
	}
	dir := filepath.Dir(path)
	name := filepath.Base(dir)
	if f := strings.Split(filepath.Base(filepath.Dir(dir)), "_"); len(f) == 3 && f[0] != "" && f[1] != "" {
		c.Namespace, c.Pod, c.Name = f[0], f[1], name
	}
	return c
}

// isRestartLog reports whether a file name is "<n>.log", possibly rotated
// ("0.log.20261125-201522", "0.log.20261125-201522.gz").
func isRestartLog(base string) bool {
	i := 0
	for i < len(base) && '0' <= base[i] && base[i] <= '9' {
		i++
	}
	return i > 0 && strings.HasPrefix(base[i:], ".log")
}

// IsHex64 reports whether s is a full container id: 64 lowercase hex digits.
func IsHex64(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
