package timeline

import (
	"slices"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// One request is often logged twice: by the server's access log and by the
// application's own request log (uvicorn's and a FastAPI middleware's, a
// front server's and its backend's). Two lines of two files on one host
// with the same client, method, target and status, ending within
// dupWindow of each other (both logs giving the end finer than the
// second), are one request: counted twice, it is two candidates of
// every exec it caused, and no route is ever "alone in flight". The line
// that says more (the worker, a finer end, a duration, a user agent)
// stands for both.

// dupWindow is how far apart two logs may stamp the end of one request:
// both write it as the response goes out.
const dupWindow = 50 * time.Millisecond

// maxDupLookback bounds the lines looked back at for each line: a second
// of a busy log holds thousands, and two logs write one request's lines
// close together.
const maxDupLookback = 256

// dedupeLogged returns reqs (sorted by time) without the second line of
// each request logged in two files, and the client port of each kept
// line that either of its lines names (reqconn.go): the application's
// line often stands for both, and only the server's names the port.
func dedupeLogged(reqs []*parser.Event) ([]*parser.Event, map[*parser.Event]int) {
	ports := map[*parser.Event]int{}
	out := make([]*parser.Event, 0, len(reqs))
	// files[i]: the files whose line out[i] stands for (a request has one
	// line in each log, so a kept line takes one more of each at most)
	files := make([][]string, 0, len(reqs))
	for _, r := range reqs {
		f := posOf(r).File
		dup := -1
		for j := len(out) - 1; j >= 0 && j >= len(out)-maxDupLookback; j-- {
			o := out[j]
			if r.Time.Sub(o.Time) > time.Second+dupWindow {
				break
			}
			if !slices.Contains(files[j], f) && sameLoggedRequest(o, r) {
				dup = j
				break
			}
		}
		if dup < 0 {
			out = append(out, r)
			files = append(files, []string{f})
			if r.HTTP != nil && r.HTTP.ClientPort != 0 {
				ports[r] = r.HTTP.ClientPort
			}
			continue
		}
		files[dup] = append(files[dup], f)
		if loggedDetail(r) > loggedDetail(out[dup]) {
			if p, ok := ports[out[dup]]; ok {
				delete(ports, out[dup])
				ports[r] = p
			}
			out[dup] = r
		}
		if ports[out[dup]] == 0 && r.HTTP.ClientPort != 0 {
			ports[out[dup]] = r.HTTP.ClientPort
		}
	}
	return out, ports
}

// sameLoggedRequest reports whether a and b are one request in two files.
func sameLoggedRequest(a, b *parser.Event) bool {
	ha, hb := a.HTTP, b.HTTP
	if ha == nil || hb == nil || posOf(a).File == posOf(b).File || !sameHost(a.Host, b.Host) {
		return false
	}
	if ha.ClientPort != 0 && hb.ClientPort != 0 && ha.ClientPort != hb.ClientPort {
		return false // two connections
	}
	if ha.Client != hb.Client || ha.Method != hb.Method || ha.Path != hb.Path || ha.Query != hb.Query || ha.Status != hb.Status {
		return false
	}
	if ha.UserAgent != "" && hb.UserAgent != "" && ha.UserAgent != hb.UserAgent {
		return false
	}
	// only ends finer than the second tell one request from two alike:
	// two logs to the second stay two candidates (ambiguous, honestly)
	if ha.EndBy == "" || hb.EndBy == "" {
		return false
	}
	return absDur(a.Time.Add(ha.EndAfter).Sub(b.Time.Add(hb.EndAfter))) <= dupWindow
}

// loggedDetail scores what a line says of its request: the worker that
// served it most (reqworker.go: observed), then a finer end, a duration,
// a user agent.
func loggedDetail(r *parser.Event) int {
	n := 0
	if r.HTTP.WorkerPID != 0 {
		n += 8
	}
	if r.HTTP.EndBy != "" {
		n += 4
	}
	if r.HTTP.HasDuration {
		n += 2
	}
	if r.HTTP.UserAgent != "" {
		n++
	}
	return n
}
