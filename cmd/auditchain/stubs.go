package main

func runScan(e *env, args []string) error  { return usagef("scan: not built yet") }
func runRules(e *env, args []string) error { return usagef("rules: not built yet") }
func runDiff(e *env, args []string) error  { return usagef("diff: not built yet") }
func rulesVersion() (string, error)        { return "none", nil }
