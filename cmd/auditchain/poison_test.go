package main

import (
	"os"
	"testing"
)

// TestMain runs every test of the CLI with recycled events poisoned
// (poisonEnv), so that a consumer that keeps an event without retaining it
// fails here rather than reading a later event in a user's scan.
func TestMain(m *testing.M) {
	if _, ok := os.LookupEnv(poisonEnv); !ok {
		os.Setenv(poisonEnv, "1")
	}
	os.Exit(m.Run())
}
