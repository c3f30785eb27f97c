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
		if strings.HasPrefix(path.Base(args[i]), "python") {
			return moduleFiles(args[i+1:])
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

// moduleFiles returns the files `python -m pkg.mod` may run, relative to
// its working directory: -m puts that folder first on the import path, so
// a package of the module's name there is imported before the system's
// (cuspid-labelfmt: root's cron ran `cd /var/spool/millrun && python3 -m
// millrun.report`, and the intrusion had copied a millrun package into the
// spool as the account that owns it). The module's own file, its
// __main__ when it is a package, and each enclosing package's __init__,
// which runs first.
func moduleFiles(words []string) []string {
	for j, w := range words {
		switch {
		case w == "-m" && j+1 < len(words):
			mod := words[j+1]
			if mod == "" || strings.ContainsAny(mod, "/\\ ") {
				return nil
			}
			parts := strings.Split(mod, ".")
			p := strings.Join(parts, "/")
			out := []string{p + ".py", p + "/__main__.py"}
			for k := 1; k < len(parts) && len(out) < maxLoaded; k++ {
				out = append(out, strings.Join(parts[:k], "/")+"/__init__.py")
			}
			return out
		case w == "-c" || w == "--" || !strings.HasPrefix(w, "-"):
			return nil // inline code or a script: no module
		}
	}
	return nil
}
