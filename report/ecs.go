package report

import (
	"net"
	"strconv"
)

// ECSVersion is the Elastic Common Schema version the NDJSON lines follow
// (ecs.version on every line). Elasticsearch and OpenSearch take the
// lines as they are (_bulk after an action line, Filebeat's ndjson
// parser, Data Visualizer's file upload): every field is an ECS field of
// its ECS type, or ours under auditchain.*.
const ECSVersion = "8.11.0"

// The ECS field sets the NDJSON lines use beyond ndjson.go's.
type (
	ecsVersion struct {
		Version string `json:"version"`
	}
	ecsEndpoint struct {
		IP      string `json:"ip,omitempty"` // ECS type ip: only a parsed address
		Port    int    `json:"port,omitempty"`
		Address string `json:"address,omitempty"` // as logged, when not an address (a name)
	}
	ecsFile struct {
		Path string `json:"path"`
	}
	ecsURL struct {
		Original string `json:"original"`
	}
)

// portNumber is a port as ECS wants it (long); 0 (omitted) when not one.
func portNumber(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 || n > 65535 {
		return 0
	}
	return n
}

// endpoint turns "ip:port", "[ip6]:port" or a bare address into an ECS
// endpoint; what does not parse as an IP goes to address, never to ip,
// where Elasticsearch would reject the whole line.
func endpoint(s string) *ecsEndpoint {
	if s == "" {
		return nil
	}
	host, port := splitHostPort(s)
	if net.ParseIP(host) == nil {
		return &ecsEndpoint{Address: s}
	}
	return &ecsEndpoint{IP: host, Port: portNumber(port)}
}

// ecsTargets fills the finding's target: the peer of a connect is the
// destination (of an accept, the source), the file written or deleted is
// file.path.
func ecsTargets(e *ecsDoc, f *DocFinding) {
	if f.Peer != "" {
		if f.Kind == "accept" {
			e.Source = endpoint(f.Peer)
		} else {
			e.Destination = endpoint(f.Peer)
		}
	}
	if f.File != "" {
		e.File = &ecsFile{Path: f.File}
	}
}

// ecsCrossLink is one cross-host link as an ECS event: a session start on
// the server's host, from the client's address to the server's.
func ecsCrossLink(x *DocCrossLink) ecsDoc {
	e := ecsDoc{
		Timestamp: x.From.Time,
		ECS:       ecsVersion{ECSVersion},
		Event: ecsEvent{Kind: "event", Category: []string{"network", "session"}, Type: []string{"connection", "start"},
			Action: "lateral-movement", ID: x.ID, Reason: x.Reason, Module: "auditchain"},
		Destination: endpoint(x.From.Address),
		Host:        &ecsHost{Name: x.From.Host},
		Threat:      &ecsThreat{Framework: "MITRE ATT&CK", Technique: &ecsTechnique{ID: []string{"T1021.004"}}},
		Auditchain: ecsAuditchain{ChainID: x.From.ChainID, FindingIDs: x.From.FindingIDs, Stage: 6,
			StageID: "lateral-movement", Summary: "cross-host link (" + x.Basis + ")", Schema: SchemaVersion},
	}
	if x.From.PID > 0 {
		e.Process = &ecsProcess{PID: x.From.PID}
	}
	if x.To != nil {
		e.Source = endpoint(x.To.Address)
		if x.To.Account != "" {
			e.User = &ecsUser{Name: x.To.Account}
		}
	}
	return e
}
