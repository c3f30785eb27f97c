package parser

import "github.com/auditchain/auditchain/parser/internal/container"

// The container runtime formats (Docker json-file, CRI, docker events) live
// in parser/internal/container; these adapt them to the format table, to
// Input (a json-file log's container comes from the files beside it, see
// dockerconfig.go) and to the access-log family.

// WrapperSkew is how far the time an access line carries may drift from the
// time its container-log wrapper (json-file "time", CRI prefix) gives before
// the event keeps the wrapper time too; see WrapperTime.
const WrapperSkew = container.WrapperSkew

// DefaultMaxJoinedLine bounds a line rebuilt from partial chunks (CRI "P",
// json-file without "\n"); Limits.MaxJoinedLine overrides it.
const DefaultMaxJoinedLine = container.DefaultMaxJoinedLine

// ErrJoinLimit marks a line cut at MaxJoinedLine.
var ErrJoinLimit = container.ErrJoinLimit

func sniffDockerJSON(line []byte) bool   { return container.SniffDockerJSON(line) }
func sniffCRI(line []byte) bool          { return container.SniffCRI(line) }
func sniffDockerEvents(line []byte) bool { return container.SniffDockerEvents(line) }
func criContainer(path string) Container { return container.CRIContainer(path) }

func newDockerJSONDecoder(in *Input, opts *Options) decoder {
	return container.NewDockerJSON(dockerContainer(in), opts.Limits.MaxJoinedLine, accessLineEvent)
}

func newCRIDecoder(in *Input, opts *Options) decoder {
	c := Container{Runtime: "containerd"}
	if in != nil {
		c = criContainer(in.Path)
	}
	return container.NewCRI(c, opts.Limits.MaxJoinedLine, accessLineEvent)
}

func newDockerEventsDecoder(*Input, *Options) decoder { return container.NewDockerEvents() }

// accessLineEvent is the KindHTTP event of a container's output line that
// is an access-log line, else nil.
func accessLineEvent(text []byte, source Format) *Event {
	r, err := parseAccess(text)
	if err != nil {
		return nil
	}
	return httpEvent(r, source)
}
