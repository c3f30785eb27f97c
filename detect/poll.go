package detect

import (
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/auditchain/auditchain/internal/lazydfa"
	"github.com/auditchain/auditchain/parser"
)

// A beacon written as a script (`sh /var/tmp/.b.sh`) hides its loop from
// the log: the loop is in the file, and only its children's execs show.
// What shows is the repetition: one process starting the same fetch of
// the same server again and again, between sleeps. A parent that has
// started pollMinFetches fetches (curl, wget) of one server, counting the
// one at hand, polls it; an upload from that parent to that server is the
// beacon's reply (the output of a task it fetched), not data staged and
// sent — unless what it sends is an archive or a dump, which is data
// taken out over the channel (T1041) and stays exfiltration.

// pollMinFetches is how many fetches of one server by one parent make a
// poll: two could be a retry.
const pollMinFetches = 3

// pollScanChildren bounds the children read (newest first).
const pollScanChildren = 64

var fetchers = map[string]bool{"curl": true, "wget": true}

// archiveUpload: an upload that names an archive or a dump.
var archiveUpload = lazydfa.MustCompile(`@\S*\.(tgz|tar|gz|bz2|xz|zst|zip|7z|rar|sql|dump|bak)(\s|$)|\s(-T|--upload-file)\s+\S*\.(tgz|tar|gz|bz2|xz|zst|zip|7z|rar|sql|dump|bak)(\s|$)`)

// polledPeers returns the servers p's parent has fetched from at least
// pollMinFetches times (p's own exec counted when it is a fetch).
func polledPeers(p *parser.Process) []plantKey {
	if p == nil || p.Parent == nil {
		return nil
	}
	count := map[plantKey]int{}
	kids := p.Parent.Children
	if len(kids) > pollScanChildren {
		kids = kids[len(kids)-pollScanChildren:]
	}
	seen := false
	for _, c := range kids {
		seen = seen || c == p
		for i := range c.Execs {
			for _, k := range fetchedPeers(&c.Execs[i]) {
				count[k]++
			}
		}
	}
	if !seen && len(p.Execs) > 0 {
		e := p.Execs[len(p.Execs)-1]
		if fetchers[path.Base(e.Exe)] {
			for _, k := range namedPeers(strings.Join(e.Args, " ")) {
				count[k]++
			}
		}
	}
	var out []plantKey
	for k, n := range count {
		if n >= pollMinFetches {
			out = append(out, k)
		}
	}
	return out
}

// fetchedPeers is what a sibling's exec adds to polledPeers: the servers
// a fetch that sends nothing names. Every exec of a child is read again
// for each later sibling (up to pollScanChildren), and a command line may
// be 6 MiB: a parent starting many long fetches made each one cost 64
// long reads. The answer depends on the exec alone, so it is kept, by the
// position of its records, which no other exec shares.
func fetchedPeers(e *parser.Exec) []plantKey {
	if !fetchers[path.Base(e.Exe)] {
		return nil
	}
	key := fetchKey{e.Pos, e.Serial}
	fetchedMu.Lock()
	got, ok := fetched[key]
	fetchedMu.Unlock()
	if ok {
		return got
	}
	if !stdinUpload.MatchString(" "+strings.Join(e.Args, " ")) && !isUpload(e.Args) {
		got = namedPeers(strings.Join(e.Args, " "))
	}
	if e.Pos.IsValid() {
		fetchedMu.Lock()
		if len(fetched) >= maxFetched {
			clear(fetched)
		}
		fetched[key] = got
		fetchedMu.Unlock()
	}
	return got
}

type fetchKey struct {
	pos    parser.Pos
	serial uint64
}

// maxFetched bounds fetchedPeers' memory (cleared when full).
const maxFetched = 1 << 14

var (
	fetchedMu sync.Mutex
	fetched   = map[fetchKey][]plantKey{}
)

// isUpload reports whether a fetcher's argv sends data (then it is no
// fetch of tasks).
func isUpload(args []string) bool {
	for _, a := range args {
		switch {
		case a == "-d" || a == "-F" || a == "-T" || a == "--upload-file" || a == "--form",
			strings.HasPrefix(a, "--data"), strings.HasPrefix(a, "--post-"), strings.HasPrefix(a, "--body-"):
			return true
		}
	}
	return false
}

// pollsPeer reports whether p is a fetch its parent repeats: p's own
// fetch (its last exec: curl or wget, not an upload) goes to a server its
// parent polls.
func pollsPeer(p *parser.Process) bool {
	if !Fetches(p) {
		return false
	}
	polled := polledPeers(p)
	if len(polled) == 0 {
		return false
	}
	for _, k := range namedPeers(strings.Join(p.Execs[len(p.Execs)-1].Args, " ")) {
		if slices.Contains(polled, k) {
			return true
		}
	}
	return false
}

// Fetches reports whether p's last exec is a fetcher (curl, wget) that
// sends nothing.
func Fetches(p *parser.Process) bool {
	if p == nil || len(p.Execs) == 0 {
		return false
	}
	e := p.Execs[len(p.Execs)-1]
	return fetchers[path.Base(e.Exe)] && !isUpload(e.Args)
}

// pollReply reports whether p's upload (args) answers the server its
// parent polls: the reply of a beacon whose loop is in a script.
func pollReply(p *parser.Process, args []string) bool {
	cmd := " " + strings.Join(args, " ")
	if archiveUpload.MatchString(cmd) || !isUpload(args) {
		return false
	}
	polled := polledPeers(p)
	for _, k := range namedPeers(cmd) {
		if slices.Contains(polled, k) {
			return true
		}
	}
	return false
}

// PollsPeer reports whether p's own fetch goes to a server its parent has
// fetched from at least pollMinFetches times, counting every child the
// tree holds. The engine judges each fetch as it comes, so a beacon's first
// fetches are known for what they are only once the repetition shows; the
// timeline asks again at the end of the input.
func PollsPeer(p *parser.Process) bool { return pollsPeer(p) }

// PollReply reports whether p's upload (its last exec) answers the server
// its parent polls, counting every child the tree holds (see PollsPeer).
func PollReply(p *parser.Process) bool {
	if p == nil || len(p.Execs) == 0 {
		return false
	}
	e := p.Execs[len(p.Execs)-1]
	return fetchers[path.Base(e.Exe)] && pollReply(p, e.Args)
}
