//go:build !race

package main

// raceSlowdown: see race_test.go.
const raceSlowdown = 1
