// Package report renders one Case — inputs, findings, attack chains and
// process trees — as text, HTML, JSON (the auditchain.report/v1 contract),
// NDJSON, or a Timesketch CSV, and compares two JSON reports (Diff).
package report
