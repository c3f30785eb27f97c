// Command genlog builds a large, realistic audit log deterministically from
// a real one, for benchmarks: the source is repeated with its timestamps,
// serials and pids shifted per copy, so events, trees and pid reuse look
// like a long-running host rather than one capture replayed.
//
//	go run ./testdata/bench/genlog -src audit.log -size 500 -o big.log
//
// With -inject, the source is the background (a benign capture) and the
// inject log (an attack capture) is written once, halfway, shifted into
// that copy's time and given pids and serials of its own: a busy server
// for hours with one intrusion in it, as a responder meets it.
//
// With -same-pids, every copy keeps the source's pids: a long archive of a
// host whose pids come round again after each reboot or auditd restart,
// attacked the same way again — the worst case for trees and chains.
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
)

func main() {
	src := flag.String("src", "", "real audit log to repeat (plain or .gz)")
	sizeMB := flag.Int("size", 500, "stop after this many MB")
	out := flag.String("o", "", "output file")
	inject := flag.String("inject", "", "a log to write once, halfway through (an attack capture)")
	samePids := flag.Bool("same-pids", false, "leave the pids as they are in every copy: a host whose pids come round again (reboots, auditd restarts) and that is attacked the same way again")
	flag.Parse()
	if *src == "" || *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	lines, err := readLines(*src)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	minT, maxT, minS, maxS := span(lines)
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	limit := int64(*sizeMB) * 1_000_000
	var extra [][]byte
	if *inject != "" {
		if extra, err = readLines(*inject); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	var srcBytes int64
	for _, l := range lines {
		srcBytes += int64(len(l))
	}
	half := limit / srcBytes / 2 // the copy the injected log joins
	var written int64
	var buf []byte
	for i := int64(0); written < limit; i++ {
		dt := i * (maxT - minT + 1000)      // ms; copies follow each other
		ds := uint64(i) * (maxS - minS + 1) // serials keep increasing
		dp := int((i * 7919) % 3_900_000)   // pids move on and wrap like pid_max
		if *samePids {
			dp = 0
		}
		for _, l := range lines {
			buf = shift(buf[:0], l, dt, ds, dp)
			n, _ := w.Write(buf)
			written += int64(n)
		}
		if i == half && len(extra) > 0 {
			eMinT, _, eMinS, _ := span(extra)
			// into this copy's time, past every serial and pid the
			// background uses, so nothing of the two collides
			edt := minT + dt - eMinT
			eds := uint64(1<<31) - eMinS
			for _, l := range extra {
				buf = shift(buf[:0], l, edt, eds, 0)
				n, _ := w.Write(buf)
				written += int64(n)
			}
		}
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	f.Close()
	fmt.Fprintf(os.Stderr, "genlog: %d bytes from %d lines of %s\n", written, len(lines), *src)
}

func readLines(p string) ([][]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	br := bufio.NewReader(f)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, err
		}
		r = zr
	} else {
		r = br
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	var lines [][]byte
	for _, l := range bytes.SplitAfter(b, []byte("\n")) {
		if len(l) > 0 {
			lines = append(lines, l)
		}
	}
	return lines, nil
}

// header finds "audit(SEC.MS:SERIAL)" and returns its parts' offsets.
func header(l []byte) (start, dot, colon, end int, ok bool) {
	start = bytes.Index(l, []byte("audit("))
	if start < 0 {
		return
	}
	start += len("audit(")
	dot = bytes.IndexByte(l[start:], '.')
	colon = bytes.IndexByte(l[start:], ':')
	end = bytes.IndexByte(l[start:], ')')
	if dot < 0 || colon < dot || end < colon {
		return
	}
	return start, start + dot, start + colon, start + end, true
}

func span(lines [][]byte) (minT, maxT int64, minS, maxS uint64) {
	minT, minS = 1<<62, 1<<62
	for _, l := range lines {
		s, d, c, e, ok := header(l)
		if !ok {
			continue
		}
		sec, _ := strconv.ParseInt(string(l[s:d]), 10, 64)
		ms, _ := strconv.ParseInt(string(l[d+1:c]), 10, 64)
		ser, _ := strconv.ParseUint(string(l[c+1:e]), 10, 64)
		t := sec*1000 + ms
		minT, maxT = min(minT, t), max(maxT, t)
		minS, maxS = min(minS, ser), max(maxS, ser)
	}
	return
}

// shift rewrites one line's time, serial and pid/ppid fields.
func shift(dst, l []byte, dt int64, ds uint64, dp int) []byte {
	s, d, c, e, ok := header(l)
	if !ok {
		return append(dst, l...)
	}
	sec, _ := strconv.ParseInt(string(l[s:d]), 10, 64)
	ms, _ := strconv.ParseInt(string(l[d+1:c]), 10, 64)
	ser, _ := strconv.ParseUint(string(l[c+1:e]), 10, 64)
	t := sec*1000 + ms + dt
	dst = append(dst, l[:s]...)
	dst = fmt.Appendf(dst, "%d.%03d:%d", t/1000, t%1000, ser+ds)
	rest := l[e:]
	for {
		i := bytes.Index(rest, []byte("pid="))
		if i < 0 {
			break
		}
		j := i + 4
		k := j
		for k < len(rest) && rest[k] >= '0' && rest[k] <= '9' {
			k++
		}
		// only " pid=" and " ppid=" fields: not nlnk-pid= or audit_pid=
		field := i > 0 && (rest[i-1] == ' ' || (rest[i-1] == 'p' && i > 1 && rest[i-2] == ' '))
		dst = append(dst, rest[:j]...)
		if field && k > j {
			n, _ := strconv.Atoi(string(rest[j:k]))
			if n > 1 {
				n = 2 + (n-2+dp)%4_000_000
			}
			dst = strconv.AppendInt(dst, int64(n), 10)
		} else {
			dst = append(dst, rest[j:k]...)
		}
		rest = rest[k:]
	}
	return append(dst, rest...)
}
