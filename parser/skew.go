package parser

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// CheckClockSkew rejects a --clock-skew source that names neither the
// format of an input nor an input's path: a typo ("acess-log") would
// otherwise shift nothing, silently. The audit log is the reference clock
// (Options.ClockSkew shifts the other formats), so "auditd" is refused too.
func CheckClockSkew(skew map[string]time.Duration, ins []*Input) error {
	var present, paths []string
	for _, in := range ins {
		if in.Format != FormatAuditd && !slices.Contains(present, string(in.Format)) {
			present = append(present, string(in.Format))
		}
		paths = append(paths, in.Path)
	}
	var all []string
	for i := range formats {
		if f := formats[i].format; f != FormatAuditd {
			all = append(all, string(f))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(skew)) {
		switch {
		case k == string(FormatAuditd):
			return fmt.Errorf("%q: the audit log is the reference clock; shift the other sources instead", k)
		case slices.Contains(present, k) || slices.Contains(paths, k):
			continue
		case slices.Contains(all, k):
			return fmt.Errorf("%q: no input has this format (read: %s)", k, strings.Join(present, ", "))
		}
		return fmt.Errorf("%q is neither a format nor an input path; formats: %s; inputs: %s", k, strings.Join(all, ", "), strings.Join(paths, ", "))
	}
	return nil
}
