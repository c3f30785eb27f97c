package main

import (
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"
)

// memoryFlag is --memory-limit: a soft limit on the Go heap. The runtime
// collects garbage more often as the heap nears it and never fails because
// of it: when the data itself needs more (the process trees of a huge log),
// the run slows down rather than stops. An explicit GOMEMLIMIT in the
// environment wins over the default but not over the flag.
type memoryFlag struct {
	value string
	def   string
}

func (m *memoryFlag) group(def, why string) *flagGroup {
	m.def = def
	g := newGroup("Resources")
	g.fs.StringVar(&m.value, "memory-limit", "", "soft limit on memory `SIZE`, e.g. 256MiB or 2GiB; 0 for none (default "+def+": "+why+")")
	return g
}

// apply sets the limit; getenv is the environment (GOMEMLIMIT).
func (m *memoryFlag) apply(getenv func(string) string) error {
	v := m.value
	if v == "" {
		if getenv("GOMEMLIMIT") != "" {
			return nil // the runtime read it already
		}
		v = m.def
	}
	n, err := parseSize(v)
	if err != nil {
		return usagef("--memory-limit %q: %v", v, err)
	}
	if n == 0 {
		debug.SetMemoryLimit(1<<63 - 1)
		return nil
	}
	debug.SetMemoryLimit(n)
	return nil
}

// parseSize reads 256MiB, 2GiB, 512MB, 1G or a plain number of bytes.
func parseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	units := []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1}}
	mult := int64(1)
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("want a size such as 256MiB, 2GiB or 0")
	}
	return n * mult, nil
}
