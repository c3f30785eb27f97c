package timeline

import "testing"

// TestParamAsCommand: a request's value is command text only where
// something parses it as code.
func TestParamAsCommand(t *testing.T) {
	for _, c := range []struct {
		args []string
		v    string
		want bool
	}{
		{[]string{"sh", "-c", "id"}, "id", true},                                                                // the web shell's ?c=id
		{[]string{"sh", "-c", "ls -la /tmp"}, "ls -la /tmp", true},                                              // the whole command
		{[]string{"/bin/sh", "/usr/local/bin/kbindex", "query", "printer"}, "printer", false},                   // a search word, one argv element
		{[]string{"sh", "-c", "/usr/bin/convert '/m/diagram.png' -thumbnail 9x9 '/c/d.png'"}, "diagram", false}, // inside quotes
		{[]string{"sh", "-c", "/usr/bin/convert /m/diagram.png /c/d.png"}, "diagram", false},                    // part of a name
		{[]string{"sh", "-c", "/usr/bin/convert '/m/a'; id; '.png' /c/d.png"}, "a'; id; '", true},               // breaks out of the quotes
		{[]string{"sh", "-c", "ping -c 1 127.0.0.1 && id"}, "127.0.0.1 && id", true},
		{[]string{"sh", "-c", "ping -c 1 'host'"}, "host", false},
		{[]string{"zip", "-q", "-TT=id", "out.zip", "a"}, "-TT=id", true}, // an option injected into an argv array
		{[]string{"zip", "-q", "out.zip", "report"}, "report", false},
		{[]string{"whoami"}, "whoami", true}, // the request names the program
		{[]string{"python3", "-c", "import os; os.system('id')"}, "os", true},
		{[]string{"python3", "-c", "print('hello')"}, "hello", false},
		{[]string{"sh", "-c", `echo "a \"b\" c"`}, "b", false},
		{[]string{"sh", "-e", "/srv/app/report.sh", "q1"}, "q1", false}, // a shell's -e is errexit: a script and its argument
		{[]string{"perl", "-e", "system('id')"}, "system", true},
	} {
		if got := paramAsCommand(c.args, c.v); got != c.want {
			t.Errorf("paramAsCommand(%q, %q) = %v, want %v", c.args, c.v, got, c.want)
		}
	}
}

func TestUnquoted(t *testing.T) {
	for in, want := range map[string]string{
		`a 'b c' d`:       `a       d`,
		`a "b \" c" d`:    `a          d`,
		`a \' b 'c'`:      `a \' b    `,
		`unterminated 'x`: `unterminated   `,
	} {
		if got := unquoted(in); got != want {
			t.Errorf("unquoted(%q) = %q, want %q", in, got, want)
		}
	}
}
