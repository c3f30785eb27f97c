package main

func runRules(e *env, args []string) error { return usagef("rules: not built yet") }
func runDiff(e *env, args []string) error  { return usagef("diff: not built yet") }
func rulesVersion() (string, error)        { return "none", nil }
