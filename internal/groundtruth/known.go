package groundtruth

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// KnownHigh is a high finding on an innocent step that a lab capture is
// known to draw, recorded with why it is not fixed yet. It exists for the
// held-out capture: once scored, its result is recorded rather than tuned
// away, so the score stays honest. Tests accept exactly these findings and
// fail on any other high one, and fail again when a recorded one no longer
// happens (the entry must then go).
type KnownHigh struct {
	Rule   string `json:"rule"`
	Serial uint64 `json:"serial"`
	Why    string `json:"why"`
	// EngineOnly: the rule engine alone draws it high; the whole scan
	// demotes it (the timeline judges use over the whole log), so a test
	// of the scan must neither see it nor miss it.
	EngineOnly bool `json:"engine_only,omitempty"`
}

// LoadKnownHigh reads known-high.json beside a capture's ground truth;
// a capture without one has no known high finding.
func LoadKnownHigh(dir string) ([]KnownHigh, error) {
	b, err := os.ReadFile(filepath.Join(dir, "known-high.json"))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var k []KnownHigh
	if err := json.Unmarshal(b, &k); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "known-high.json"), err)
	}
	return k, nil
}

// Known reports whether a high finding of rule citing serial is recorded,
// and marks it seen in seen (indexed like ks).
func Known(ks []KnownHigh, seen []bool, rule string, serial uint64) bool {
	for i, k := range ks {
		if k.Rule == rule && k.Serial == serial {
			seen[i] = true
			return true
		}
	}
	return false
}
