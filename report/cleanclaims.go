package report

import (
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/auditchain/auditchain/detect"
)

// inferredDeletion marks a deletion read from a command line (rm, shred):
// the log holds no record of the unlink itself, so rm may have failed.
const inferredDeletion = "inferred from its command line: no record of the unlink"

type deletion struct {
	f        *DocFinding
	fromArgs bool   // only a command line names the file, no unlink record
	folder   string // removed with its folder (rm -r of this folder), not by its own name
}

// deletionSet is what the findings deleted: files by their name, and the
// folders a recursive rm took with everything below them.
type deletionSet struct {
	files   map[string]deletion
	folders map[string]deletion
}

// of returns the deletion of p: by its own name, else by the nearest
// folder above it removed recursively.
func (s deletionSet) of(p string) (deletion, bool) {
	if d, ok := s.files[p]; ok {
		return d, true
	}
	if len(s.folders) == 0 || !strings.HasPrefix(p, "/") {
		return deletion{}, false
	}
	for dir := path.Dir(p); dir != "/" && dir != "."; dir = path.Dir(dir) {
		if d, ok := s.folders[dir]; ok {
			d.folder = dir
			return d, true
		}
	}
	return deletion{}, false
}

// deletions maps a path to the finding that deleted it: an unlink record,
// else an rm or shred whose command line names it, or an rm -r whose
// command line names a folder above it. A record wins over a command line
// whatever their order.
func deletions(fs []*DocFinding) deletionSet {
	out := deletionSet{files: map[string]deletion{}}
	for _, f := range fs {
		if f.Kind == "unlink" && f.File != "" && f.Outcome != OutcomeFailure {
			if d, ok := out.files[f.File]; !ok || d.fromArgs {
				out.files[f.File] = deletion{f: f}
			}
			continue
		}
		if f.Kind != "exec" || f.Process == nil || len(f.Process.Args) == 0 {
			continue
		}
		args := f.Process.Args
		n := baseName(args[0])
		if n != "rm" && n != "shred" {
			continue
		}
		recursive := false
		for _, a := range args[1:] {
			if detect.RecursiveFlag(a) {
				recursive = n == "rm"
			}
		}
		for _, a := range args[1:] {
			if !strings.HasPrefix(a, "/") {
				continue
			}
			if _, ok := out.files[a]; !ok {
				out.files[a] = deletion{f: f, fromArgs: true}
			}
			if recursive && a != "/" {
				if out.folders == nil {
					out.folders = map[string]deletion{}
				}
				if _, ok := out.folders[path.Clean(a)]; !ok {
					out.folders[path.Clean(a)] = deletion{f: f, fromArgs: true}
				}
			}
		}
	}
	return out
}

// changedFile begins the clean-up detail of a file the intruder changed
// but did not make: its first write's PATH record shows it was there
// (an append to setenv.sh, an overwrite of index.html). Deleting it would
// take the victim's own file; it is restored instead, and it is no
// indicator to hunt elsewhere.
const changedFile = "changed (it existed before: restore it, do not delete it) "

// throughLink begins the clean-up detail of a file the chain pointed a
// link at before its first recorded write, which found it there: it may
// have been made through the link (shop-compare: nginx's master reopening
// its error log through the web account's link created /etc/ld.so.preload,
// which the log names only as the link's path).
const throughLink = "there at its first recorded write, but after the chain's link to it: it may have been made through the link; check whether it existed before the intrusion before restoring or deleting it; "

// markChanged rewords the clean-up entries (files, persistence) whose
// path's first recorded write changed a file that was there. An entry
// known only from a command line (no file record) is left as it is.
func markChanged(out []DocCleanup, byID map[string]*DocFinding) {
	for i := range out {
		c := &out[i]
		if c.Kind != CleanFile && c.Kind != CleanPersistence {
			continue
		}
		var first *DocFinding
		for _, id := range c.FindingIDs {
			f := byID[id]
			if f != nil && f.File == c.What && f.Kind != "unlink" && (first == nil || f.Time.Before(first.Time)) {
				first = f
			}
		}
		switch {
		case first != nil && first.FileExisted && strings.HasPrefix(c.Detail, "enabled by the link "):
			// the chain's link to it came first: a privileged process
			// writing through the link (a root daemon reopening its log)
			// may have made it, so its first recorded write finding it
			// there says nothing of before the intrusion
			c.Detail = throughLink + c.Detail
		case first != nil && first.FileExisted:
			c.Detail = changedFile + strings.TrimPrefix(c.Detail, "written ")
		}
	}
}

// docDeletions is deletions over every finding of the document, in their
// order: a deletion is a fact about the file whichever chain's act it is.
// The clean-up reads it only for a deletion after the write it tells.
func docDeletions(d *Document) deletionSet {
	fs := make([]*DocFinding, 0, len(d.Findings))
	for i := range d.Findings {
		fs = append(fs, &d.Findings[i])
	}
	return deletions(fs)
}

// keyOrigin says where a key given to ssh -i came from, as far as the
// chain shows, and what to do about it: a copy (rotate the original), a
// key the intruder generated (remove it where it was installed), or the
// host's own (hostOwn: rotate it; not an indicator). The chain's findings
// are asked first, then the processes of its tree: a key is usually made
// by a command no rule flags (ssh-keygen in the intruder's shell).
func keyOrigin(key string, fs []*DocFinding, tree []DocNode, by func(*DocFinding) string) (detail string, hostOwn bool) {
	key = path.Clean(key)
	for _, g := range fs {
		if g.Kind == "file-write" && g.File != "" && path.Clean(g.File) == key {
			return "written " + by(g) + ": remove it, and its public key wherever it was installed", false
		}
		if g.Kind == "exec" && g.Process != nil {
			if d, ok := keyMadeBy(key, g.Process.Args, by(g)); ok {
				return d, false
			}
		}
	}
	for _, n := range tree {
		if n.InChain && !n.Placeholder {
			if d, ok := keyMadeBy(key, n.Args, "by "+procLabel(baseName(n.Exe), n.PID)+" at "+clock(n.FirstSeen)+" UTC"); ok {
				return d, false
			}
		}
	}
	return "no record shows the intruder made it: a key of the host's own, rotate it", true
}

// keyMadeBy tells whether a command (args, run by) made the key: a copy
// of another file, or a new key from ssh-keygen -f.
func keyMadeBy(key string, args []string, by string) (string, bool) {
	if len(args) < 3 {
		return "", false
	}
	switch baseName(args[0]) {
	case "cp", "install", "mv":
		if path.Clean(args[len(args)-1]) == key {
			src := args[len(args)-2]
			return "a copy of " + src + " made " + by + ": rotate " + src, true
		}
	case "ssh-keygen":
		if f := flagValue(args, "-f"); f != "" && path.Clean(f) == key {
			return "made by `" + shorten(shellJoin(args), 80) + "` " + by + ": remove it, and its public key wherever it was installed", true
		}
	}
	return "", false
}

// sshLogin words an ssh command's account: logged into only when a
// session record on an audited host shows the login (the chain's ssh
// link names the ssh process); otherwise the target of a login attempt.
func sshLogin(ch *DocChain, f *DocFinding) string {
	if f.Process != nil {
		opened := "opened by pid " + strconv.Itoa(f.Process.PID) + " ("
		for _, l := range ch.Links {
			if strings.HasPrefix(l, "ssh: session ") && strings.Contains(l, opened) {
				return "logged into "
			}
		}
	}
	return "the target of a login attempt (no session record shows it opened) "
}

// isChannel reports whether a connect is the channel of a reverse shell,
// beacon, callback or tunnel, by what the match means (its title and the
// first clause of its stage reason: the rest may quote attacker text), not
// by its rule's id: one rule places a reverse shell's connect and a raw
// upload's. Any other connect (a download, an upload) is a connection.
func isChannel(f *DocFinding) bool {
	why, _, _ := strings.Cut(f.Reason, ";")
	s := strings.ToLower(f.Title + " | " + why)
	for _, w := range []string{"reverse shell", "beacon", "channel", "tunnel", "calls back", "callback"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// isScan reports whether a finding's match is a port scan or a service
// probe: its technique is network service discovery, or its stage reason
// says so (the rule's own ATT&CK list may not).
func isScan(f *DocFinding) bool {
	why, _, _ := strings.Cut(f.Reason, ";")
	return slices.Contains(f.Attack, "T1046") || strings.Contains(why, "port scan") || strings.Contains(why, "service probe")
}

// requestCaused returns, for a listed command, the request it ran for: the
// request that spawned one of its processes or an ancestor of one.
// Ancestors are read from the process's list, else up its parent pids as
// the findings (byID) know them: the streamed JSON writer slims the
// ancestors away before the summary is made. A command whose processes
// are unknown has no request (ok false) only when some are known.
func requestCaused(reqs []DocRequest, procsOf map[string][]*DocProcess, byID map[string]*DocFinding) func(string) (DocRequest, bool) {
	spawned := map[int]DocRequest{}
	for _, r := range reqs {
		// an ambiguous entry names no request (its candidates fit
		// equally): the process ran through their script only when they
		// all went to one; else through none that can be said
		if r.URL == "" {
			r.URL = commonScript(r.Candidates)
		}
		if r.File == "" && r.PID > 0 && r.URL != "" {
			if _, ok := spawned[r.PID]; !ok {
				spawned[r.PID] = r
			}
		}
	}
	var ppid map[int]int // pid → parent pid, of every finding's process
	up := func(p *DocProcess) (DocRequest, bool) {
		if ppid == nil {
			ppid = map[int]int{}
			for _, f := range byID {
				if f.Process != nil && f.Process.PPID > 0 {
					ppid[f.Process.PID] = f.Process.PPID
				}
			}
		}
		pid := p.PPID
		for range maxAncestors {
			if pid <= 0 {
				break
			}
			if r, ok := spawned[pid]; ok {
				return r, true
			}
			pid = ppid[pid]
		}
		return DocRequest{}, false
	}
	return func(c string) (DocRequest, bool) {
		for _, p := range procsOf[c] {
			if p == nil {
				continue
			}
			if r, ok := spawned[p.PID]; ok {
				return r, true
			}
			for _, a := range p.Ancestors {
				if r, ok := spawned[a.PID]; ok {
					return r, true
				}
			}
			if r, ok := up(p); ok {
				return r, true
			}
		}
		return DocRequest{}, false
	}
}

// commonScript returns the URL of the candidates when all went to the
// same path (two POSTs to /report.php in flight at once), else "".
func commonScript(cands []DocRequest) string {
	if len(cands) == 0 {
		return ""
	}
	p := urlPath(cands[0].URL)
	for _, c := range cands[1:] {
		if urlPath(c.URL) != p {
			return ""
		}
	}
	return cands[0].URL
}

// partition splits items, keeping their order, into those in and out.
func partition(items []string, in func(string) bool) (yes, no []string) {
	for _, it := range items {
		if in(it) {
			yes = append(yes, it)
		} else {
			no = append(no, it)
		}
	}
	return yes, no
}
