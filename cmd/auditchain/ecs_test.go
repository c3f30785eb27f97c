package main

import (
	"encoding/json"
	"math"
	"net"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// ECS field types, for the fields the NDJSON lines use (ECS 8.11 field
// reference). A line with a field not listed here, outside auditchain.*,
// or with a value Elasticsearch would not index under that type, fails.
const (
	ecsKeyword = "keyword"
	ecsLong    = "long"
	ecsDate    = "date"
	ecsIP      = "ip"
)

var ecsFields = map[string]string{
	"@timestamp": ecsDate, "ecs.version": ecsKeyword,
	"event.kind": ecsKeyword, "event.category": ecsKeyword, "event.type": ecsKeyword, "event.action": ecsKeyword,
	"event.id": ecsKeyword, "event.severity": ecsLong, "event.reason": ecsKeyword, "event.outcome": ecsKeyword,
	"event.module": ecsKeyword,
	"rule.id":      ecsKeyword, "rule.name": ecsKeyword,
	"threat.framework": ecsKeyword, "threat.technique.id": ecsKeyword,
	"threat.indicator.type": ecsKeyword, "threat.indicator.first_seen": ecsDate, "threat.indicator.last_seen": ecsDate,
	"threat.indicator.ip": ecsIP, "threat.indicator.port": ecsLong, "threat.indicator.url.original": ecsKeyword,
	"threat.indicator.file.path": ecsKeyword, "threat.indicator.description": ecsKeyword,
	"process.pid": ecsLong, "process.executable": ecsKeyword, "process.args": ecsKeyword,
	"process.command_line": ecsKeyword, "process.working_directory": ecsKeyword,
	"process.parent.pid": ecsLong, "process.parent.executable": ecsKeyword, "process.parent.args": ecsKeyword,
	"user.id": ecsKeyword, "user.name": ecsKeyword, "host.name": ecsKeyword, "container.id": ecsKeyword,
	"log.file.path": ecsKeyword, "file.path": ecsKeyword,
	"source.ip": ecsIP, "source.port": ecsLong, "source.address": ecsKeyword,
	"destination.ip": ecsIP, "destination.port": ecsLong, "destination.address": ecsKeyword,
}

// The allowed values of ECS's categorization fields.
var ecsAllowed = map[string][]string{
	"event.kind": {"alert", "asset", "enrichment", "event", "metric", "state", "pipeline_error", "signal"},
	"event.category": {"api", "authentication", "configuration", "database", "driver", "email", "file", "host", "iam",
		"intrusion_detection", "library", "malware", "network", "package", "process", "registry", "session", "threat",
		"vulnerability", "web"},
	"event.type": {"access", "admin", "allowed", "change", "connection", "creation", "deletion", "denied", "end", "error",
		"group", "indicator", "info", "installation", "protocol", "start", "user"},
	"event.outcome": {"success", "failure", "unknown"},
	"threat.indicator.type": {"autonomous-system", "artifact", "directory", "domain-name", "email-addr", "file",
		"ipv4-addr", "ipv6-addr", "mac-addr", "mutex", "port", "process", "software", "url", "user-account",
		"windows-registry-key", "x509-certificate"},
}

// checkECSLines fails t for every line of data that is not one JSON object
// of ECS fields of their types (or auditchain.*); it returns the number of
// lines.
func checkECSLines(t *testing.T, data string) int {
	t.Helper()
	n := 0
	for i, line := range strings.Split(strings.TrimSuffix(data, "\n"), "\n") {
		n++
		var obj map[string]any
		if err := json.Unmarshal([]byte(line), &obj); err != nil {
			t.Errorf("line %d is not a JSON object: %v", i+1, err)
			continue
		}
		for _, k := range []string{"@timestamp", "ecs.version", "event.kind"} {
			if _, ok := leaf(obj, k); !ok {
				t.Errorf("line %d lacks %s", i+1, k)
			}
		}
		walkECS(t, i+1, "", obj)
	}
	return n
}

func leaf(obj map[string]any, path string) (any, bool) {
	var v any = obj
	for _, p := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[p]; !ok {
			return nil, false
		}
	}
	return v, true
}

func walkECS(t *testing.T, line int, prefix string, obj map[string]any) {
	t.Helper()
	for k, v := range obj {
		name := k
		if prefix != "" {
			name = prefix + "." + k
		}
		if name == "auditchain" || strings.HasPrefix(name, "auditchain.") {
			continue
		}
		if m, ok := v.(map[string]any); ok {
			walkECS(t, line, name, m)
			continue
		}
		typ, ok := ecsFields[name]
		if !ok {
			t.Errorf("line %d: %s is not an ECS field (ours go under auditchain.*)", line, name)
			continue
		}
		vals := []any{v}
		if a, ok := v.([]any); ok {
			vals = a
		}
		for _, x := range vals {
			if !ecsTyped(typ, x) {
				t.Errorf("line %d: %s = %#v is not an ECS %s", line, name, x, typ)
			}
			if s, _ := x.(string); ecsAllowed[name] != nil && !slices.Contains(ecsAllowed[name], s) {
				t.Errorf("line %d: %s = %v is not an allowed value", line, name, x)
			}
		}
	}
}

func ecsTyped(typ string, x any) bool {
	switch typ {
	case ecsLong:
		f, ok := x.(float64)
		return ok && f == math.Trunc(f)
	case ecsDate:
		s, ok := x.(string)
		if !ok {
			return false
		}
		_, err := time.Parse(time.RFC3339Nano, s)
		return err == nil
	case ecsIP:
		s, ok := x.(string)
		return ok && net.ParseIP(s) != nil
	}
	_, ok := x.(string)
	return ok
}

// TestNDJSONIsECS: what `--format ndjson` writes, for a scan and for a
// merged case, Elasticsearch and OpenSearch take as it is: every line a
// JSON object whose fields are ECS fields of their types with allowed
// values, or ours under auditchain.
func TestNDJSONIsECS(t *testing.T) {
	code, out, stderr := runCLI(t, "", "scan", "--format", "ndjson", "--reproducible", "--fail-on", "none",
		filepath.Join(classic, "audit.log.gz"), filepath.Join(classic, "access.log"))
	if code != 0 {
		t.Fatalf("scan: exit %d: %s", code, stderr)
	}
	if n := checkECSLines(t, out); n < 50 {
		t.Errorf("%d lines: want the findings and indicators", n)
	}
	for _, want := range []string{`"destination":{"ip":"127.0.0.1","port":4444}`, `"threat":{"indicator":{"type":"file"`, `"file":{"path":"/var/www/html/uploads/avatar.php"}`} {
		if !strings.Contains(out, want) {
			t.Errorf("no line has %s", want)
		}
	}
	dir := t.TempDir()
	web, db := crossHostReports(t, dir, true)
	code, out, stderr = runCLI(t, "", "merge", "--format", "ndjson", "--reproducible", "--fail-on", "none",
		"--host-addr", webHost+"="+webAddr, "--host-addr", dbHost+"="+dbAddr, web, db)
	if code != 0 {
		t.Fatalf("merge: exit %d: %s", code, stderr)
	}
	checkECSLines(t, out)
	if !strings.Contains(out, `"source":{"ip":"10.0.0.11","port":44572},"destination":{"ip":"10.0.0.12","port":22}`) {
		t.Error("the cross-host line lacks source and destination")
	}
}
