package report

import (
	"strconv"
	"strings"
)

// A request's link quotes the request's URL and the command it ran
// ("request: GET /x.jsp?s=… → java pid 500 → /bin/sh -c echo … >>
// setenv.sh"). An address or a path inside that quoted text names what the
// command mentioned, not what the request caused: a later connect to the
// address by a process the request never spawned is not "in this chain"
// through that request. Such a link explains an act only of a process its
// request spawned or of one below it.

// quotedLinks maps each request link ("request: …", "http client: …")
// to the processes its request spawned, from the chain's request table.
func (x *linkIndex) quotedLinks(reqs []DocRequest) {
	x.spawned = map[int][]int{}
	byKey := map[string][]int{} // "METHOD URL at hh:mm:ss.mmm" → pids spawned
	for _, r := range reqs {
		if r.PID > 0 {
			k := requestKey(r)
			byKey[k] = append(byKey[k], r.PID)
		}
	}
	for i, l := range x.links {
		switch {
		case strings.HasPrefix(l, "request: "):
			k, _, _ := strings.Cut(strings.TrimPrefix(l, "request: "), " → ")
			if pids, ok := byKey[k]; ok {
				x.spawned[i] = pids
			}
		case strings.HasPrefix(l, "http client: "):
			// one client's link names one or two of its requests
			for k, pids := range byKey {
				if strings.Contains(l, " "+k) {
					x.spawned[i] = append(x.spawned[i], pids...)
				}
			}
		}
	}
}

// requestKey is how a request link names its request (timeline's
// describeRequest and when).
func requestKey(r DocRequest) string {
	return r.Method + " " + r.URL + " at " + r.Time.UTC().Format("15:04:05.000")
}

// explains reports whether link i may explain f's act: any link but a
// request's, and a request's only for the processes it spawned and those
// below them. A request link whose request is not in the table (nothing
// known of what it spawned) is taken as before.
func (x *linkIndex) explains(i int, f *DocFinding) bool {
	pids, ok := x.spawned[i]
	if !ok {
		return true
	}
	p := f.Process
	if p == nil {
		return false
	}
	for _, pid := range pids {
		if pid == p.PID || pid == p.PPID {
			return true
		}
		for _, a := range p.Ancestors {
			if a.PID == pid {
				return true
			}
		}
	}
	return false
}

// ofPID returns the first of the links naming a pid (is) that may
// explain f's act. For the act's own process only links naming it as an
// actor are asked: an ancestry link's second pid is the parent ("pid 10166
// (dash) spawned by apache2 pid 8827"), which tells of the child, not of
// the parent's own acts; for an ancestor, that is how it is in the chain.
//
// An ancestry link that starts at pid itself (the act's process or the
// ancestor asked) and names no parent the log shows says only that the
// process heads a family of its own (an implant under init); the family
// is in the chain by another link (the file it runs, the peer it
// reached), which is asked first. A parent that is seen (a web server's
// worker) is the best reason there is, and stays first.
func (x *linkIndex) ofPID(is []int, f *DocFinding, pid int) string {
	own := "ancestry: pid " + strconv.Itoa(pid) + " ("
	for pass := 0; pass < 2; pass++ {
		for _, i := range is {
			if l := x.links[i]; pass == 0 && strings.HasPrefix(l, own) && (strings.Contains(l, " spawned by ? pid ") || strings.HasSuffix(l, " and its descendants")) {
				continue
			}
			if x.explains(i, f) {
				return x.links[i]
			}
		}
	}
	return ""
}

// wroteParts tells the files a stage wrote. "(through requests to X)" is
// said only of the files a request's process (or one below it) wrote, or
// an upload request created: the server's own write beside them (a page
// of an archive it deployed, before any request to it) is told apart.
// With commands in the stage, the commands carry the requests: the files
// are listed plainly, as before.
func wroteParts(ch *DocChain, x *stageFacts, writers map[string][]*DocProcess, byID map[string]*DocFinding, who string) []string {
	if len(x.cmds) > 0 {
		return []string{"wrote " + listed(x.wrote, maxListed)}
	}
	plain := func(files []string) string { return strings.TrimSpace(who + " wrote " + listed(files, maxListed)) }
	if len(x.shells) == 0 {
		return []string{plain(x.wrote)}
	}
	ran := requestCaused(ch.Requests, writers, byID)
	via, own := partition(x.wrote, func(p string) bool {
		for _, r := range ch.Requests {
			if r.File == p {
				return true
			}
		}
		_, ok := ran(p)
		return ok
	})
	var out []string
	if len(via) > 0 {
		out = append(out, plain(via)+" (through "+entry(ch, x.shells)+")")
		who = ""
	}
	if len(own) > 0 {
		out = append(out, plain(own))
	}
	return out
}
