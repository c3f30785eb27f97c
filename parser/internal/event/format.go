package event

// Format names an input format. It is sniffed from content, never from the
// file name.
type Format string

// The formats auditchain reads.
const (
	FormatUnknown      Format = ""
	FormatAuditd       Format = "auditd"        // audit.log, raw or enriched, node=, syslog-forwarded
	FormatJournald     Format = "journald-json" // journalctl -o json, _TRANSPORT=audit
	FormatAccessLog    Format = "access-log"    // nginx/apache combined or common, JSON access logs, Caddy, uWSGI
	FormatDockerJSON   Format = "docker-json"   // Docker json-file container logs
	FormatCRI          Format = "cri"           // Kubernetes CRI container logs
	FormatDockerEvents Format = "docker-events" // docker events --format '{{json .}}'
	FormatTetragon     Format = "tetragon"      // Tetragon JSON export
	FormatFalco        Format = "falco"         // Falco JSON alerts
	FormatCloudDefend  Format = "cloud-defend"  // Elastic Defend for Containers ECS NDJSON
	FormatSysmon       Format = "sysmon"        // Sysmon for Linux XML events
	FormatK8sAudit     Format = "k8s-audit"     // Kubernetes audit log
	FormatEnvelope     Format = "envelope"      // a log shipper's JSON lines wrapping another format
)

// A Decoder turns the lines of one non-auditd input into events. It may keep
// state between lines (partial lines, multi-line records). Line is called
// for each line without its newline; it appends the complete events to out
// and returns it. A non-nil error describes a line it skipped. Flush returns
// what is still pending at the end of the input.
type Decoder interface {
	Line(pos Pos, line []byte, out []*Event) ([]*Event, error)
	Flush(out []*Event) []*Event
}
