package report

import (
	"slices"
	"strings"
)

// reentrySentences tells each backdoor a chain came back through in a
// sentence of its own (timeline/reentry.go decides, on evidence, which
// requests were re-entries): the first return, the requests and what they
// ran, and the plant, named by its file.
func reentrySentences(ch *DocChain, byID map[string]*DocFinding) []DocSentence {
	var doors []string
	by := map[string][]DocRequest{}
	for _, r := range ch.Requests {
		if r.Backdoor == "" {
			continue
		}
		if by[r.Backdoor] == nil {
			doors = append(doors, r.Backdoor)
		}
		by[r.Backdoor] = append(by[r.Backdoor], r)
	}
	var out []DocSentence
	for _, door := range doors {
		rs := by[door]
		pids := map[int]bool{}
		var reqs, cmds []string
		unsure := 0
		for _, r := range rs {
			pids[r.PID] = true
			if r.Method == "" {
				unsure++ // ambiguous: one of its candidates, whichever
			} else {
				addOnce(&reqs, r.Method+" "+shorten(r.URL, 60))
			}
			if len(r.Args) > 0 {
				addOnce(&cmds, "`"+shorten(strings.Join(r.Args, " "), 60)+"`")
			}
		}
		s := DocSentence{Stage: 3, StageID: "command-execution", Time: rs[0].Time, FindingIDs: []string{}}
		for _, id := range ch.FindingIDs {
			if f := byID[id]; f != nil && f.Process != nil && pids[f.Process.PID] && !slices.Contains(s.FindingIDs, id) {
				s.FindingIDs = append(s.FindingIDs, id)
			}
		}
		var via []string
		if len(reqs) > 0 {
			via = append(via, listed(reqs, 3))
		}
		if unsure > 0 {
			via = append(via, plural(unsure, "request")+" ambiguous among those in flight")
		}
		// that the plant took the requests over is a conclusion (whoever
		// sent them: the intruder coming back, or a visitor it fires for):
		// their routes ran no such command before it, and they ran under it
		s.Inferred = true
		text := "Re-entry through the backdoor " + door + " (inferred: the routes of these requests ran none of these commands before it was planted, and they ran under it): " +
			plural(len(rs), "process") + " ran for requests it took over (" + strings.Join(via, "; ") + ")"
		if len(cmds) > 0 {
			text += ": " + listed(cmds, maxListed)
		}
		s.Text = text + "."
		out = append(out, s)
	}
	return out
}
