package detect

import (
	"fmt"
	"strings"
)

// Severity orders findings; its names follow Sigma's levels.
type Severity int

// Severities, lowest first.
const (
	SeverityInformational Severity = iota
	SeverityLow
	SeverityMedium
	SeverityHigh
	SeverityCritical
)

var severityNames = [...]string{"informational", "low", "medium", "high", "critical"}

func (s Severity) String() string {
	if s < 0 || int(s) >= len(severityNames) {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// MarshalText implements encoding.TextMarshaler.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// ParseSeverity reads a Sigma level or our name ("info" is accepted too).
func ParseSeverity(v string) (Severity, error) {
	v = strings.ToLower(strings.TrimSpace(v))
	if v == "info" {
		return SeverityInformational, nil
	}
	for i, n := range severityNames {
		if n == v {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q (want informational, low, medium, high or critical)", v)
}
