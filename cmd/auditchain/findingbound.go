package main

import "github.com/auditchain/auditchain/detect"

// The usage of --max-repeats, --max-findings-per-rule, --max-link-repeats
// and --max-link-events.
const (
	repeatsUsage         = "findings of one act (the same rule, host, command and target) kept with their evidence (`N`); later repeats are counted, not kept, and the report says how many; 0 keeps all"
	linkRepeatsUsage     = "events of one act (the same host, program, command, file or address; a login record of one account from one address) kept for linking chains (`N`); later repeats are counted, not kept, and the report says how many; 0 keeps all"
	linkEventsUsage      = "events kept for linking chains by all acts together (`N`); past it, the bound per act (--max-link-repeats) is halved and each act's later events are let go, down to one an act, and the report says how many; 0 keeps all (memory then grows with the acts of the log)"
	findingsPerRuleUsage = "findings of one rule on one host kept with their evidence (`N`), whatever the acts; past it they are counted, not kept, and the report says how many; 0 keeps all (memory then grows with the findings)"
)

// setFindingBounds puts --max-repeats and --max-findings-per-rule into o,
// and --max-link-repeats and --max-link-events back into linkRepeats and
// linkEvents, as the options take them: 0 is the default and negative
// keeps all.
func setFindingBounds(o *detect.Options, linkRepeats, linkEvents *int, perAct, perRule int) error {
	for _, b := range []struct {
		flag string
		n    int
		dst  *int
	}{{"--max-repeats", perAct, &o.RepeatsPerAct}, {"--max-findings-per-rule", perRule, &o.FindingsPerRule},
		{"--max-link-repeats", *linkRepeats, linkRepeats}, {"--max-link-events", *linkEvents, linkEvents}} {
		switch {
		case b.n < 0:
			return usagef("%s %d: want 0 (keep all) or more", b.flag, b.n)
		case b.n == 0:
			*b.dst = -1
		default:
			*b.dst = b.n
		}
	}
	return nil
}
