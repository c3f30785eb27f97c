//go:build race

package main

// raceSlowdown is how much longer the race detector makes a scan: 5–10×
// on the lab's two cores (the long-argv scans: about 4 s, then 63–71 s).
// The tests' deadlines catch hangs and superlinear costs, which take ten
// times longer still; they must not fail a correct run under -race.
const raceSlowdown = 10
