package main

// findingsPerRuleUsage describes --max-findings-per-rule.
const findingsPerRuleUsage = "findings of one rule on one host kept with their evidence (`N`); past it they are counted, not kept, and the report says how many; 0 keeps all (memory then grows with the findings)"

// findingsPerRule turns --max-findings-per-rule into detect.Options'
// FindingsPerRule, where 0 is the default and negative keeps all.
func findingsPerRule(n int) (int, error) {
	switch {
	case n < 0:
		return 0, usagef("--max-findings-per-rule %d: want 0 (keep all) or more", n)
	case n == 0:
		return -1, nil
	}
	return n, nil
}
