package timeline

import (
	"slices"
	"sort"
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

// Two logs to the second (a front server's and the application's) cannot
// tell one request from two alike by their ends, but their lines can still
// pair up one to one: a line whose only possible partner in the other file
// (same host, client, method, target and status, compatible user agent and
// port, the two lives overlapping as each file's reading of time has them)
// is a line whose only possible partner is it. Such a pair is one request,
// logged twice; counted twice, each of its commands had two candidates of
// one route, and no route was ever alone in flight (shipnotes-import:
// haproxy's and Rack's lines of every request). Where one line could pair
// with two (two readers fetching one page in one second), both stay, and
// the links they make are ambiguous, as before.

// dedupeCoarse returns reqs (sorted by time) without the second line of
// each request two logs wrote whose lines pair only with each other, at
// least one of them to the second; ports follows the kept line.
func (b *Builder) dedupeCoarse(reqs []*parser.Event, ports map[*parser.Event]int) []*parser.Event {
	type key struct {
		host, client, method, path, query string
		status                            int
	}
	groups := map[key][]int{}
	for i, r := range reqs {
		if h := r.HTTP; h != nil {
			k := key{r.Host, h.Client, h.Method, h.Path, h.Query, h.Status}
			groups[k] = append(groups[k], i)
		}
	}
	spans := map[int]reqSpan{}
	span := func(i int) reqSpan {
		s, ok := spans[i]
		if !ok {
			s = b.spanOf(reqs[i])
			spans[i] = s
		}
		return s
	}
	drop := map[int]bool{}
	for _, g := range groups {
		if len(g) < 2 {
			continue
		}
		files := map[string]bool{}
		for _, i := range g {
			files[posOf(reqs[i]).File] = true
		}
		if len(files) < 2 {
			continue
		}
		sort.Slice(g, func(x, y int) bool { return span(g[x]).start.Before(span(g[y]).start) })
		// partners[i][file]: the lines of file that i may be
		partners := map[int]map[string][]int{}
		add := func(i, j int) {
			if partners[i] == nil {
				partners[i] = map[string][]int{}
			}
			f := posOf(reqs[j]).File
			partners[i][f] = append(partners[i][f], j)
		}
		for x, i := range g {
			si := span(i)
			for _, j := range g[x+1:] {
				sj := span(j)
				if sj.start.After(si.end) {
					break
				}
				if mayBeOneRequest(reqs[i], reqs[j], si, sj) {
					add(i, j)
					add(j, i)
				}
			}
		}
		for _, i := range g {
			for _, js := range partners[i] {
				if len(js) != 1 || drop[i] || drop[js[0]] {
					continue
				}
				j := js[0]
				if back := partners[j][posOf(reqs[i]).File]; len(back) != 1 || back[0] != i {
					continue
				}
				keep, gone := i, j
				if loggedDetail(reqs[j]) > loggedDetail(reqs[i]) {
					keep, gone = j, i
				}
				drop[gone] = true
				if p := ports[reqs[gone]]; p != 0 && ports[reqs[keep]] == 0 {
					ports[reqs[keep]] = p
				}
				delete(ports, reqs[gone])
			}
		}
	}
	if len(drop) == 0 {
		return reqs
	}
	out := make([]*parser.Event, 0, len(reqs)-len(drop))
	for i, r := range reqs {
		if !drop[i] {
			out = append(out, r)
		}
	}
	return out
}

// mayBeOneRequest reports whether two lines of two files, alike by their
// key, may be one request: at least one of them to the second (two fine
// ends are dedupeLogged's), user agents and client ports that do not
// differ, and lives that overlap.
func mayBeOneRequest(a, b *parser.Event, sa, sb reqSpan) bool {
	ha, hb := a.HTTP, b.HTTP
	if posOf(a).File == posOf(b).File || sa.endExact && sb.endExact {
		return false
	}
	if ha.ClientPort != 0 && hb.ClientPort != 0 && ha.ClientPort != hb.ClientPort {
		return false
	}
	if ha.UserAgent != "" && hb.UserAgent != "" && ha.UserAgent != hb.UserAgent {
		return false
	}
	return !sa.start.After(sb.end) && !sb.start.After(sa.end)
}
