package report

import (
	"encoding/json"
	"io"
	"net"
	"strconv"
	"strings"
	"time"
)

// NDJSONWriter writes, first, one summary line (event.action
// "report-summary", the counts and the summary under auditchain.report),
// then one finding per line with Elastic Common Schema names (@timestamp,
// event.*, rule.*, threat.*, process.*, user.*, host.*, container.*, log.*)
// and our own under auditchain.*, then one indicator line per IOC
// (event.kind "enrichment", threat.indicator.*). A pipeline keeps the kind
// it wants.
type NDJSONWriter struct {
	Options Options
}

// Write implements Writer.
func (nw *NDJSONWriter) Write(w io.Writer, c *Case) error {
	return writeNDJSON(w, NewDocument(c, nw.Options))
}

// writeNDJSON writes the lines of a Document; a merged case adds its
// cross-host links (mergewrite.go).
func writeNDJSON(w io.Writer, d *Document) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(ecsSummary(d)); err != nil {
		return err
	}
	for i := range d.Findings {
		if err := enc.Encode(ecsFinding(d, &d.Findings[i])); err != nil {
			return err
		}
	}
	for i := range d.IOCs {
		if err := enc.Encode(ecsIOC(&d.IOCs[i])); err != nil {
			return err
		}
	}
	return nil
}

// The ecs* types fix the field order of each line; omitempty keeps lines
// short where a source had nothing to say.
type (
	ecsDoc struct {
		Timestamp   time.Time     `json:"@timestamp"`
		ECS         ecsVersion    `json:"ecs"`
		Event       ecsEvent      `json:"event"`
		Source      *ecsEndpoint  `json:"source,omitempty"`      // ecs.go
		Destination *ecsEndpoint  `json:"destination,omitempty"` // ecs.go
		File        *ecsFile      `json:"file,omitempty"`
		Rule        *ecsRule      `json:"rule,omitempty"`
		Threat      *ecsThreat    `json:"threat,omitempty"`
		Process     *ecsProcess   `json:"process,omitempty"`
		User        *ecsUser      `json:"user,omitempty"`
		Host        *ecsHost      `json:"host,omitempty"`
		Container   *ecsContainer `json:"container,omitempty"`
		Log         *ecsLog       `json:"log,omitempty"`
		Auditchain  ecsAuditchain `json:"auditchain"`
	}
	ecsEvent struct {
		Kind     string   `json:"kind"`
		Category []string `json:"category,omitempty"`
		Type     []string `json:"type,omitempty"`
		Action   string   `json:"action,omitempty"`
		ID       string   `json:"id"`
		Severity int      `json:"severity,omitempty"`
		Reason   string   `json:"reason,omitempty"`
		Outcome  string   `json:"outcome,omitempty"` // ECS: success, failure, unknown
		Module   string   `json:"module"`
	}
	ecsRule struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	ecsThreat struct {
		Framework string        `json:"framework,omitempty"`
		Technique *ecsTechnique `json:"technique,omitempty"`
		Indicator *ecsIndicator `json:"indicator,omitempty"`
	}
	ecsTechnique struct {
		ID []string `json:"id"`
	}
	ecsIndicator struct {
		Type      string    `json:"type"`
		FirstSeen time.Time `json:"first_seen,omitzero"`
		LastSeen  time.Time `json:"last_seen,omitzero"`
		IP        string    `json:"ip,omitempty"`
		Port      int       `json:"port,omitempty"`
		URL       *ecsURL   `json:"url,omitempty"`
		File      *ecsFile  `json:"file,omitempty"`
		Value     string    `json:"description"`
	}
	ecsProcess struct {
		PID              int        `json:"pid"`
		Executable       string     `json:"executable,omitempty"`
		Args             []string   `json:"args,omitempty"`
		CommandLine      string     `json:"command_line,omitempty"`
		WorkingDirectory string     `json:"working_directory,omitempty"`
		Parent           *ecsParent `json:"parent,omitempty"`
	}
	ecsParent struct {
		PID        int      `json:"pid"`
		Executable string   `json:"executable,omitempty"`
		Args       []string `json:"args,omitempty"`
	}
	ecsUser struct {
		ID   string `json:"id"`
		Name string `json:"name,omitempty"`
	}
	ecsHost struct {
		Name string `json:"name"`
	}
	ecsContainer struct {
		ID string `json:"id"`
	}
	ecsLog struct { // ECS has no line or offset: they are auditchain.evidence_*
		File ecsLogFile `json:"file"`
	}
	ecsLogFile struct {
		Path string `json:"path"`
	}
	ecsAuditchain struct {
		FindingID  string     `json:"finding_id,omitempty"`
		Stage      int        `json:"stage,omitempty"`
		StageID    string     `json:"stage_id,omitempty"`
		ChainID    string     `json:"chain_id,omitempty"`
		Severity   string     `json:"severity,omitempty"`
		Summary    string     `json:"summary,omitempty"`
		Tampering  bool       `json:"tampering,omitempty"`
		FindingIDs []string   `json:"finding_ids,omitempty"`
		Report     *ecsReport `json:"report,omitempty"` // the summary line only
		// EvidenceLine and EvidenceOffset place the event's first record
		// in log.file.path.
		EvidenceLine   int      `json:"evidence_line,omitempty"`
		EvidenceOffset int64    `json:"evidence_offset,omitempty"`
		RuleIDs        []string `json:"rule_ids,omitempty"` // every rule of the act (rule.id is the primary)
		Schema         string   `json:"schema"`
	}
)

// ecsSeverity maps our levels onto ECS's numeric event.severity (Elastic
// detection rules use 21/47/73/99 for low…critical).
func ecsSeverity(sev string) int {
	switch sev {
	case "informational":
		return 1
	case "low":
		return 21
	case "medium":
		return 47
	case "high":
		return 73
	case "critical":
		return 99
	}
	return 0
}

// ecsCategory maps an event kind onto ECS event.category.
func ecsCategory(kind string) []string {
	switch kind {
	case "exec", "fork", "exit":
		return []string{"process"}
	case "file-write", "file-read", "rename", "unlink", "chmod", "chown":
		return []string{"file"}
	case "connect", "accept", "bind":
		return []string{"network"}
	case "http":
		return []string{"web", "network"}
	case "login", "session":
		return []string{"authentication", "session"}
	case "config", "daemon":
		return []string{"configuration"}
	}
	return nil
}

func ecsFinding(d *Document, f *DocFinding) ecsDoc {
	e := ecsDoc{
		Timestamp: f.Time,
		ECS:       ecsVersion{ECSVersion},
		Event: ecsEvent{
			Kind: "alert", Category: ecsCategory(f.Kind), Action: f.Kind, ID: f.ID,
			Severity: ecsSeverity(f.Severity), Reason: f.Reason, Outcome: f.Outcome, Module: "auditchain",
		},
		Rule: &ecsRule{ID: f.RuleID, Name: f.Title},
		Auditchain: ecsAuditchain{
			FindingID: f.ID, Stage: f.Stage, StageID: f.StageID, ChainID: f.ChainID,
			Severity: f.Severity, Summary: f.Summary, Tampering: f.Tampering, Schema: d.Schema,
			RuleIDs: f.RuleIDs,
		},
	}
	if len(f.Attack) > 0 {
		e.Threat = &ecsThreat{Framework: "MITRE ATT&CK", Technique: &ecsTechnique{ID: f.Attack}}
	}
	if f.Host != "" {
		e.Host = &ecsHost{Name: f.Host}
	}
	if p := f.Process; p != nil {
		e.Process = &ecsProcess{
			PID: p.PID, Executable: p.Exe, Args: p.Args, CommandLine: strings.Join(p.Args, " "),
			WorkingDirectory: p.Cwd,
		}
		if len(p.Ancestors) > 0 {
			a := p.Ancestors[0]
			e.Process.Parent = &ecsParent{PID: a.PID, Executable: a.Exe, Args: a.Args}
		} else if p.PPID > 0 {
			e.Process.Parent = &ecsParent{PID: p.PPID}
		}
		e.User = &ecsUser{ID: uidString(p.UID), Name: p.User}
		if p.ContainerID != "" {
			e.Container = &ecsContainer{ID: p.ContainerID}
		}
	}
	if len(f.Evidence) > 0 {
		ev := f.Evidence[0]
		e.Log = &ecsLog{File: ecsLogFile{Path: ev.File}}
		e.Auditchain.EvidenceLine, e.Auditchain.EvidenceOffset = ev.Line, ev.Offset
	}
	ecsTargets(&e, f)
	return e
}

func ecsIOC(ioc *DocIOC) ecsDoc {
	ind := &ecsIndicator{Type: ioc.Type, FirstSeen: ioc.FirstSeen, LastSeen: ioc.LastSeen, Value: ioc.Value}
	switch ioc.Type {
	case IOCAddress:
		ind.Type = "ipv4-addr"
		ip, port := splitHostPort(ioc.Value)
		if strings.Contains(ip, ":") {
			ind.Type = "ipv6-addr"
		}
		if net.ParseIP(ip) != nil { // ECS type ip: anything else fails the line
			ind.IP, ind.Port = ip, portNumber(port)
		}
	case IOCURL:
		ind.Type, ind.URL = "url", &ecsURL{Original: ioc.Value}
	case IOCFile:
		ind.Type, ind.File = "file", &ecsFile{Path: ioc.Value}
	case IOCUser:
		ind.Type = "user-account"
	default: // a hash, or a type of an older report: ECS's catch-all
		ind.Type = "artifact"
	}
	return ecsDoc{
		Timestamp:  ioc.FirstSeen,
		ECS:        ecsVersion{ECSVersion},
		Event:      ecsEvent{Kind: "enrichment", Category: []string{"threat"}, Type: []string{"indicator"}, Action: "indicator", ID: ioc.Type + ":" + ioc.Value, Module: "auditchain"},
		Threat:     &ecsThreat{Indicator: ind},
		Auditchain: ecsAuditchain{FindingIDs: ioc.FindingIDs, Schema: SchemaVersion},
	}
}

// splitHostPort splits "1.2.3.4:80" and "[::1]:80"; a bare address has no port.
func splitHostPort(s string) (string, string) {
	if strings.HasPrefix(s, "[") {
		if i := strings.LastIndex(s, "]:"); i > 0 {
			return s[1:i], s[i+2:]
		}
		return strings.Trim(s, "[]"), ""
	}
	if strings.Count(s, ":") == 1 {
		i := strings.IndexByte(s, ':')
		return s[:i], s[i+1:]
	}
	return s, ""
}

func uidString(uid uint32) string {
	if uid == 4294967295 {
		return ""
	}
	return strconv.FormatUint(uint64(uid), 10)
}
