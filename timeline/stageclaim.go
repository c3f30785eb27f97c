package timeline

import "slices"

// requestStageReason says whether a stage held up by access-log requests
// alone (no finding of its own) is observed or inferred. The requests are
// observed; that one of them was the way in (stage 1) or the upload
// (stage 2) is a rule's conclusion, which is evidence of its own only when
// the request's link to what it caused is observed (its parameter is in
// the command line). Otherwise the stage is inferred and the reason names
// the rule and how weakly the request is tied. ok is false when a request
// of the slot is tied by an observed link (the stage stays observed).
func requestStageReason(c *Chain, s *Slot) (reason string, ok bool) {
	if len(s.Findings) > 0 || len(s.Requests) == 0 {
		return "", false
	}
	linked := map[any]bool{}
	var upload bool
	for _, rl := range c.Requests {
		if rl.Request == nil || !slices.Contains(s.Requests, rl.Request) {
			continue
		}
		if !rl.Inferred {
			return "", false
		}
		linked[rl.Request] = true
		upload = upload || rl.File != ""
	}
	// a request tied to nothing (the error burst of path guessing) is in
	// the slot for what its own line shows: observed
	for _, r := range s.Requests {
		if !linked[r] {
			return "", false
		}
	}
	role, rule := "the way in", "the first request tied to the chain's processes is taken as the exploit request"
	switch {
	case s.Stage == 2:
		role, rule = "the upload", "the upload request tied to the script written is taken as its upload"
	case upload:
		rule = "the upload request tied to the file written is taken as the way in"
	}
	return "inferred as " + role + ": " + rule + ", and it is tied by time, not by its parameters in a command line; " + observedReason(s), true
}
