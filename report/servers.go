package report

import (
	"time"

	"github.com/auditchain/auditchain/timeline"
)

// DocServer is a web or application server the analysis recognised, and
// how: by name, by bind and accept on a port, or as the upstream a reverse
// proxy connects to. Added 2026-12 (additive, v1).
type DocServer struct {
	Host     string    `json:"host,omitempty"`
	PID      int       `json:"pid"`
	Image    string    `json:"image"`
	Command  string    `json:"command,omitempty"`
	User     string    `json:"user,omitempty"`
	How      string    `json:"how"` // name, accept or upstream
	Port     int       `json:"port,omitempty"`
	Front    string    `json:"front,omitempty"`    // the reverse proxy, for upstream
	Evidence string    `json:"evidence,omitempty"` // file:line of the proving record
	Since    time.Time `json:"since"`
	Describe string    `json:"describe"`
	// ChildExecsBefore counts its children's execs seen before it was
	// recognised (judged as if it were not a server).
	ChildExecsBefore int `json:"child_execs_before,omitempty"`
}

func docServers(ss []timeline.ServerInfo) []DocServer {
	var out []DocServer
	for _, s := range ss {
		out = append(out, DocServer{
			Host: valid(s.Host), PID: s.PID, Image: valid(s.Image), Command: valid(s.Command), User: valid(s.User),
			How: s.How, Port: s.Port, Front: valid(s.Front), Evidence: valid(s.Evidence), Since: s.Since.UTC(),
			Describe: valid(s.Describe), ChildExecsBefore: s.Before,
		})
	}
	return out
}
