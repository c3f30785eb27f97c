// Command transcode rewrites this project's own audit.log fixtures into the
// shapes other collectors give the same records, for the parser's journald
// and envelope tests. No journald or log shipper runs where the fixtures are
// made, so the records are transcoded, not captured.
//
//	go run ./parser/testdata/transcode -to journald IN.log > OUT.json
//	go run ./parser/testdata/transcode -to filebeat IN.log > OUT.json
//
// journald: one `journalctl -o json` entry per record, as systemd-journald's
// audit transport stores it: MESSAGE is "TYPE fields" without the
// "type=… msg=audit(…): " header and without auditd's ENRICHED part (the
// kernel does not send it); _AUDIT_TYPE, _AUDIT_TYPE_NAME, _AUDIT_ID,
// _SOURCE_REALTIME_TIMESTAMP (µs), _HOSTNAME (the node= name or -host) carry
// the header. With -bytes TYPE, MESSAGE of that record type is written as an
// array of byte values, the form journalctl uses for fields it cannot print.
//
// filebeat: one Filebeat-style document per record, the line in message
// beside host.name and @timestamp.
//
// tetragon, clouddefend, sysmon: the events of a capture as a runtime
// sensor would export them (see sensor.go):
//
//	go run ./parser/testdata/transcode -to sysmon -host H -in IN.log[.gz] -o OUT[.gz]
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var header = regexp.MustCompile(`^(?:node=(\S+) )?type=(\S+) msg=audit\((\d+)\.(\d{3}):(\d+)\): ?(.*)$`)

// A few record type numbers (linux/audit.h); others are written by name only.
var typeNums = map[string]int{
	"SYSCALL": 1300, "PATH": 1302, "SOCKADDR": 1306, "CWD": 1307, "EXECVE": 1309,
	"EOE": 1320, "PROCTITLE": 1327, "BPRM_FCAPS": 1321, "USER_START": 1105,
	"USER_END": 1106, "CRED_ACQ": 1103, "USER_ACCT": 1101, "CONFIG_CHANGE": 1305,
}

func main() {
	to := flag.String("to", "journald", "journald, filebeat, tetragon, clouddefend or sysmon")
	host := flag.String("host", "", "host for records without node=")
	bytesType := flag.String("bytes", "", "record type whose MESSAGE is written as a byte array (journald)")
	inPath := flag.String("in", "", "input capture (instead of the IN argument)")
	outPath := flag.String("o", "", "output file for tetragon, clouddefend, sysmon (default stdout); a .gz name is gzipped")
	flag.Parse()
	in := *inPath
	if in == "" && flag.NArg() == 1 {
		in = flag.Arg(0)
	}
	if in == "" || flag.NArg() > 1 || *inPath != "" && flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: transcode -to journald|filebeat [-host H] [-bytes TYPE] IN.log\n"+
			"       transcode -to tetragon|clouddefend|sysmon -host H -in IN.log[.gz] [-o OUT[.gz]]")
		os.Exit(2)
	}
	switch *to {
	case "tetragon", "clouddefend", "sysmon":
		if err := runSensor(*to, in, *outPath, *host); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	f, err := os.Open(in)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	cursor := 0
	for sc.Scan() {
		line := sc.Text()
		m := header.FindStringSubmatch(line)
		if m == nil {
			fmt.Fprintf(os.Stderr, "skipped: %.60q\n", line)
			continue
		}
		node, typ, sec, ms, serial, body := m[1], m[2], m[3], m[4], m[5], m[6]
		if node == "" {
			node = *host
		}
		if i := strings.IndexByte(body, 0x1d); i >= 0 {
			body = body[:i] // ENRICHED: added by auditd, not in the kernel's record
		}
		s, _ := strconv.ParseInt(sec, 10, 64)
		msec, _ := strconv.ParseInt(ms, 10, 64)
		us := s*1_000_000 + msec*1000
		var doc []byte
		switch *to {
		case "journald":
			cursor++
			e := map[string]any{
				"__CURSOR":                   fmt.Sprintf("s=6c2a0f1e9b7d4c3a8e5f0b1d2c3e4f5a;i=%x;b=0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a;m=%x;t=%x", 0x4a10+cursor, 9_000_000+cursor, us),
				"__REALTIME_TIMESTAMP":       strconv.FormatInt(us+137, 10), // received a little after the event
				"__MONOTONIC_TIMESTAMP":      strconv.Itoa(9_000_000 + cursor),
				"_BOOT_ID":                   "0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a",
				"_TRANSPORT":                 "audit",
				"SYSLOG_FACILITY":            "4",
				"SYSLOG_IDENTIFIER":          "audit",
				"_AUDIT_TYPE_NAME":           typ,
				"_AUDIT_ID":                  serial,
				"_SOURCE_REALTIME_TIMESTAMP": strconv.FormatInt(us, 10),
				"_MACHINE_ID":                "7f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c",
			}
			if node != "" {
				e["_HOSTNAME"] = node
			}
			if n, ok := typeNums[typ]; ok {
				e["_AUDIT_TYPE"] = strconv.Itoa(n)
			}
			msg := typ + " " + body
			if typ == *bytesType {
				b := make([]int, len(msg))
				for i := 0; i < len(msg); i++ {
					b[i] = int(msg[i])
				}
				e["MESSAGE"] = b
			} else {
				e["MESSAGE"] = msg
			}
			doc, err = json.Marshal(e)
		case "filebeat":
			e := map[string]any{
				"@timestamp": fmt.Sprintf("%s.%sZ", unixUTC(s), ms),
				"agent":      map[string]any{"type": "filebeat", "version": "8.15.0"},
				"ecs":        map[string]any{"version": "8.0.0"},
				"log":        map[string]any{"file": map[string]any{"path": "/var/log/audit/audit.log"}, "offset": cursor},
				"input":      map[string]any{"type": "filestream"},
				"host":       map[string]any{"name": node},
				"message":    strings.TrimPrefix(line, "node="+node+" "),
			}
			cursor += len(line) + 1
			doc, err = json.Marshal(e)
		default:
			fmt.Fprintln(os.Stderr, "unknown -to", *to)
			os.Exit(2)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		w.Write(doc)
		w.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// unixUTC formats epoch seconds as RFC 3339 without fraction, UTC.
func unixUTC(s int64) string {
	return time.Unix(s, 0).UTC().Format("2006-01-02T15:04:05")
}
