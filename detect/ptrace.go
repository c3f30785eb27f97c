package detect

import (
	"strconv"
	"strings"
)

// attachPID returns the pid a debugger's argv attaches to: -p PID, --pid
// PID or --pid=PID, or an `attach PID` command given with -ex or
// --eval-command. 0 for none.
func attachPID(args []string) int {
	for i := 1; i < len(args); i++ {
		a := args[i]
		var v string
		switch {
		case (a == "-p" || a == "--pid") && i+1 < len(args):
			v = args[i+1]
		case strings.HasPrefix(a, "--pid="):
			v = a[len("--pid="):]
		case (a == "-ex" || a == "--eval-command" || a == "-iex") && i+1 < len(args):
			if f := strings.Fields(args[i+1]); len(f) == 2 && f[0] == "attach" {
				v = f[1]
			}
		case strings.HasPrefix(a, "--eval-command=attach "):
			v = strings.TrimSpace(a[len("--eval-command=attach "):])
		}
		if v == "" {
			continue
		}
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			return n
		}
	}
	return 0
}
