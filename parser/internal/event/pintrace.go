package event

import (
	"runtime"
	"strings"
	"sync"
)

// pinTrace, when on (TracePins), records for each pinned process the
// source file of the consumer that pinned it (net of Unpins from that
// file), so that a profile can say which consumers hold the processes a
// spilling tree cannot move (scan --memprofile). Off, it costs Pin and
// Unpin one test of a bool.
var pinTrace struct {
	sync.Mutex
	on    bool
	sites map[*Process]map[string]int32
}

// TracePins turns the tracing on; it must be called before the first Pin.
func TracePins() {
	pinTrace.on = true
	pinTrace.sites = map[*Process]map[string]int32{}
}

// Tracing reports whether TracePins was called.
func Tracing() bool { return pinTrace.on }

// PinSites returns, for p, the files whose consumers hold pins on it and
// how many; nil when tracing is off.
func PinSites(p *Process) map[string]int32 {
	if !pinTrace.on {
		return nil
	}
	pinTrace.Lock()
	defer pinTrace.Unlock()
	return pinTrace.sites[p]
}

// pinSite is the consumer's file: the first caller outside this package,
// as "dir/file.go".
func pinSite() string {
	pc := make([]uintptr, 8)
	n := runtime.Callers(3, pc) // from Pin or Unpin
	fr := runtime.CallersFrames(pc[:n])
	for {
		f, more := fr.Next()
		if !strings.Contains(f.File, "parser/internal/event/") {
			file := f.File
			if i := strings.LastIndexByte(file, '/'); i >= 0 {
				if j := strings.LastIndexByte(file[:i], '/'); j >= 0 {
					file = file[j+1:]
				}
			}
			return file
		}
		if !more {
			return "?"
		}
	}
}

// pinAlias names the file whose pins an Unpin takes back, where a list's
// pins are let go elsewhere than where they were made (a consumer that
// takes back another file's pins must be named here, or the counts say
// the pins are still held).
var pinAlias = map[string]string{"timeline/repeats.go": "timeline/builder.go", "timeline/earlyrelease.go": "timeline/builder.go"}

func tracePin(p *Process, d int32) {
	site := pinSite()
	if a, ok := pinAlias[site]; ok && d < 0 {
		site = a
	}
	pinTrace.Lock()
	m := pinTrace.sites[p]
	if m == nil {
		m = map[string]int32{}
		pinTrace.sites[p] = m
	}
	m[site] += d
	if m[site] == 0 {
		delete(m, site)
		if len(m) == 0 {
			delete(pinTrace.sites, p) // a spilled process must not stay live here
		}
	}
	pinTrace.Unlock()
}
