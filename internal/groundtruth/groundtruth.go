// Package groundtruth reads a lab capture's ground-truth.json and scores
// times against it the way ../shared/tools/ground-truth-check.py does, for
// the tests of several packages.
package groundtruth

import (
	"encoding/json"
	"fmt"
	"os"
	"time"
)

// The windows of ground-truth-check.py: a stage counts when first seen from
// SlackBefore before its steps to SlackAfter after them (cron-driven steps
// fire up to a minute late).
const (
	SlackBefore = 5 * time.Second
	SlackAfter  = 65 * time.Second
)

// Truth is the part of ground-truth.json the tests read.
type Truth struct {
	Scenario string `json:"scenario"`
	Steps    []Step `json:"steps"`
}

// Step is one scripted step; stage 0 is benign.
type Step struct {
	Stage    int     `json:"stage"`
	ID       string  `json:"id"`
	Start    float64 `json:"start"` // epoch seconds
	End      float64 `json:"end"`
	Evidence []struct {
		What     string `json:"what"`
		HitCount int    `json:"hit_count"`
		Hits     []struct {
			Serial  uint64 `json:"serial"`
			Summary string `json:"summary"`
		} `json:"hits"`
	} `json:"evidence"`
}

// Window is the time span of a stage's steps, in epoch seconds.
type Window struct{ Start, End float64 }

// Contains reports whether t falls in the window with the checker's slack.
func (w Window) Contains(t time.Time) bool {
	x := float64(t.UnixNano()) / 1e9
	return w.Start-SlackBefore.Seconds() <= x && x <= w.End+SlackAfter.Seconds()
}

// Load reads a ground-truth.json.
func Load(path string) (*Truth, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var t Truth
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &t, nil
}

// Windows returns each attack stage's window, the stages whose steps have
// evidence in the logs (expected), and the serials of benign steps' evidence
// (mapped to the step's id).
func (t *Truth) Windows() (windows map[int]Window, expected map[int]bool, benign map[uint64]string) {
	windows, expected, benign = map[int]Window{}, map[int]bool{}, map[uint64]string{}
	for _, s := range t.Steps {
		hits := 0
		for _, e := range s.Evidence {
			hits += e.HitCount
			if s.Stage == 0 {
				for _, h := range e.Hits {
					benign[h.Serial] = s.ID
				}
			}
		}
		if s.Stage == 0 {
			continue
		}
		w, ok := windows[s.Stage]
		if !ok {
			w = Window{s.Start, s.End}
		}
		w.Start, w.End = min(w.Start, s.Start), max(w.End, s.End)
		windows[s.Stage] = w
		if hits > 0 {
			expected[s.Stage] = true
		}
	}
	return windows, expected, benign
}
