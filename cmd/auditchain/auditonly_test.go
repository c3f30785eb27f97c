package main

import (
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// TestAuditOnly: the timeline is told no request will come only when
// every input is an audit log.
func TestAuditOnly(t *testing.T) {
	cases := []struct {
		name    string
		formats []parser.Format
		want    bool
	}{
		{name: "no input", want: false},
		{name: "one audit log", formats: []parser.Format{parser.FormatAuditd}, want: true},
		{name: "audit logs of two hosts", formats: []parser.Format{parser.FormatAuditd, parser.FormatAuditd}, want: true},
		{name: "with an access log", formats: []parser.Format{parser.FormatAuditd, parser.FormatAccessLog}, want: false},
		{name: "with container logs", formats: []parser.Format{parser.FormatDockerJSON, parser.FormatAuditd}, want: false},
		{name: "journald", formats: []parser.Format{parser.FormatJournald}, want: false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var ins []*parser.Input
			for _, f := range tc.formats {
				ins = append(ins, &parser.Input{Path: "x", Format: f})
			}
			if got := auditOnly(ins); got != tc.want {
				t.Errorf("auditOnly = %v, want %v", got, tc.want)
			}
		})
	}
}
