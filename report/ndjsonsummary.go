package report

import (
	"cmp"
	"time"
)

// ecsReport is the NDJSON summary document's auditchain.report: the run's
// counts and the summary (what happened, what to clean up, the key IOCs)
// exactly as the JSON report's summary. It has a field of its own, not
// auditchain.summary (a finding's one-line string): one field name with
// two types would break an Elasticsearch mapping.
type ecsReport struct {
	Findings   int            `json:"findings"`
	BySeverity map[string]int `json:"by_severity"`
	Chains     int            `json:"chains"`
	Hosts      []string       `json:"hosts"`
	Events     int            `json:"events"`
	Malformed  int            `json:"malformed"`
	Window     string         `json:"window,omitempty"` // the --since/--until window applied
	Summary    *DocSummary    `json:"summary,omitempty"`
}

// ecsSummary is the first line of the NDJSON output: one document that
// summarises the run (event.kind "event", event.action "report-summary"),
// timed at the generation time, or with --reproducible at the end of the
// evidence.
func ecsSummary(d *Document) ecsDoc {
	r := &ecsReport{Findings: len(d.Findings), BySeverity: map[string]int{}, Chains: len(d.Chains),
		Hosts: d.Hosts, Events: d.Stats.Events, Malformed: d.Stats.Malformed, Summary: d.Summary}
	if r.Hosts == nil {
		r.Hosts = []string{}
	}
	for i := range d.Findings {
		r.BySeverity[d.Findings[i].Severity]++
	}
	if d.Filter != nil {
		r.Window = d.Filter.windowText(func(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) })
	}
	return ecsDoc{
		Timestamp:  cmp.Or(d.GeneratedAt, d.LastTime),
		ECS:        ecsVersion{ECSVersion},
		Event:      ecsEvent{Kind: "event", Action: "report-summary", ID: "summary", Module: "auditchain"},
		Auditchain: ecsAuditchain{Report: r, Schema: d.Schema},
	}
}
