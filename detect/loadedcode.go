package detect

import (
	"path"
	"strings"
)

// maxLoaded bounds the files one argv is read for.
const maxLoaded = 8

// loadedCode returns the files an exec runs as code: the script its
// runner is given (sh x, python3 x), read past the wrappers that run the
// next word as the command (setsid, nohup, env, nice, timeout: a planted
// implant is started detached far more often than not), and for a JVM the
// archives and agents it loads (-jar, -cp/-classpath entries,
// -javaagent:, -agentpath:). A JVM runs no file named on its own: what
// the intrusion planted for it is a jar on its class path or an agent
// (stillroom-savedview: root's job's JVM started `setsid java -cp
// /usr/share/java/jvm-metrics.jar …`, a jar the intrusion installed).
func loadedCode(args []string) []string {
	i := commandStart(args)
	if i >= len(args) || !isScriptRunner(args[i]) {
		return nil
	}
	if !strings.HasPrefix(path.Base(args[i]), "java") {
		if op := scriptOperand(args[i+1:]); op != "" {
			return []string{op}
		}
		return nil
	}
	var out []string
	for j := i + 1; j < len(args) && len(out) < maxLoaded; j++ {
		a := args[j]
		switch {
		case a == "-cp" || a == "-classpath" || a == "--class-path":
			if j+1 < len(args) {
				j++
				for _, e := range strings.Split(args[j], ":") {
					if e != "" && len(out) < maxLoaded {
						out = append(out, e)
					}
				}
			}
		case a == "-jar":
			if j+1 < len(args) {
				out = append(out, args[j+1])
			}
			return out // the program's own arguments follow
		case strings.HasPrefix(a, "-javaagent:"), strings.HasPrefix(a, "-agentpath:"):
			f, _, _ := strings.Cut(a[strings.IndexByte(a, ':')+1:], "=")
			out = append(out, f)
		case !strings.HasPrefix(a, "-"):
			return out // the main class: the program's own arguments follow
		}
	}
	return out
}

// LoadedCode is loadedCode for the report: the files an argv runs as code.
func LoadedCode(args []string) []string { return loadedCode(args) }
