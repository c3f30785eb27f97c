package timeline

import (
	"strconv"
	"time"
)

// ServerInfo is one web or application server the analysis recognised,
// and how: by name, by bind and accept on a port, or as the upstream a
// reverse proxy connects to (detect.ServerSet).
type ServerInfo struct {
	Host     string
	PID      int
	Image    string
	Command  string
	User     string
	How      string // "name", "accept" or "upstream"
	Port     int    // 0 when unknown
	Front    string // the reverse proxy's image, for "upstream"
	Evidence string // file:line of the record that proved it
	Since    time.Time
	Describe string // in words, for the text and HTML reports
	// Before counts its children's execs seen before it was recognised:
	// those were judged as if it were not a server.
	Before int
}

// servers fills the coverage's list of recognised servers, and says when
// only the name lists could work (no network records in the log).
func (b *Builder) servers(c *Coverage, caps capabilities) {
	for _, sv := range b.opts.Servers.Servers() {
		ev := ""
		if sv.Evidence.File != "" {
			ev = sv.Evidence.File + ":" + strconv.Itoa(sv.Evidence.Line)
		}
		c.Servers = append(c.Servers, ServerInfo{
			Host: sv.Key.Host, PID: sv.Key.PID, Image: sv.Image, Command: sv.Cmd, User: sv.User,
			How: string(sv.How), Port: sv.Port, Front: sv.Front, Evidence: ev, Since: sv.Since,
			Describe: sv.Describe(), Before: sv.Before,
		})
	}
	if !caps.accept && !caps.connect {
		c.Notes = append(c.Notes, "no accept, bind or connect records: web and application servers are recognised by name only (a server with another name is not)")
	}
}
