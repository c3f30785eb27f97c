package detect

import "testing"

// mayUploadStdin must never hide a command stdinUpload matches: it only
// spares the expression the commands it cannot match.
func FuzzMayUploadStdin(f *testing.F) {
	for _, c := range []string{
		"curl --data-binary @- http://192.0.2.1/r1", "curl -d @- http://x/", "curl -d@- x", "curl --data-raw @-",
		"curl -T - http://x/", "curl --upload-file - http://x/", "wget --post-file=- http://x/", "wget --body-file /dev/stdin x",
		"wget --post-file=/dev/stdin", "curl -fsS http://x/t", "sh -c date -u +%Y-%m-%dT%H:%M:%SZ", "tar -T list.txt",
		"curl -F f=@/tmp/x.tgz http://x/upload", "", "-d @-", "--upload-file\t-",
	} {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, cmd string) {
		if stdinUpload.MatchString(" "+cmd) && !mayUploadStdin(cmd) {
			t.Errorf("%q: stdinUpload matches, mayUploadStdin says no", cmd)
		}
	})
}
