package main

import "github.com/auditchain/auditchain/detect"

// The usage of --max-repeated-findings and --max-findings-per-rule.
const (
	repeatsPerActUsage   = "findings of one act (the same rule, host, command and target) kept with their evidence (`N`); later repeats are counted, not kept, and the report says how many; 0 keeps all"
	findingsPerRuleUsage = "findings of one rule on one host kept with their evidence (`N`), whatever the acts; past it they are counted, not kept, and the report says how many; 0 keeps all (memory then grows with the findings)"
)

// setFindingBounds puts --max-repeated-findings and --max-findings-per-rule
// into o, where 0 is the default and negative keeps all.
func setFindingBounds(o *detect.Options, perAct, perRule int) error {
	for _, b := range []struct {
		flag string
		n    int
		dst  *int
	}{{"--max-repeated-findings", perAct, &o.RepeatsPerAct}, {"--max-findings-per-rule", perRule, &o.FindingsPerRule}} {
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
