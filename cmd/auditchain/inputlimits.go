package main

import (
	"fmt"
	"strconv"

	"github.com/auditchain/auditchain/parser"
)

// inputLimits are the flags that bound what hostile inputs may cost: the
// bounds on compressed inputs (--max-inflated, --max-inflate-ratio,
// --max-zstd-window), on one auditd event (--max-event-records,
// --max-event-bytes, --max-exec-args), on joined container lines
// (--max-joined-line) and on the report's host list (--max-hosts).
type inputLimits struct {
	decompress   parser.DecompressLimits
	maxJoined    int
	maxHosts     int
	eventRecords int
	eventBytes   int
	execArgs     int
}

// addFlags adds the flags to g. 0 turns --max-inflated and
// --max-inflate-ratio off; the parser takes 0 as "default", so it is kept
// as -1.
func (l *inputLimits) addFlags(g *flagGroup) {
	l.decompress = parser.DefaultDecompressLimits()
	l.maxJoined = parser.DefaultMaxJoinedLine
	g.fs.Var(&sizeFlag[int64]{p: &l.decompress.MaxInflated, off: -1}, "max-inflated", "stop reading a compressed input past `SIZE` inflated (0: no limit)")
	g.fs.Var(&ratioFlag{p: &l.decompress.MaxRatio}, "max-inflate-ratio", "stop reading a compressed input that inflates more than `N` times its stored size, past the first 64 MiB (0: no limit)")
	g.fs.Var(&sizeFlag[uint64]{p: &l.decompress.MaxZstdWindow, min: 1 << 10, max: parser.DefaultMaxZstdWindow}, "max-zstd-window", "refuse zstd frames whose window (memory held while reading) is over `SIZE`, at most zstd's own --long=31, 2GiB")
	g.fs.Var(&sizeFlag[int]{p: &l.maxJoined, min: 1 << 10, max: 1 << 30}, "max-joined-line", "cut a container log line rebuilt from partial chunks (CRI P, json-file without \\n) at `SIZE`, keeping its head")
	g.fs.IntVar(&l.maxHosts, "max-hosts", parser.DefaultMaxHosts, "list at most `N` hosts in the report (processes past it are still analysed, and counted)")
	l.eventRecords, l.eventBytes, l.execArgs = parser.DefaultRecordsPerEvent, parser.DefaultBytesPerEvent, parser.DefaultArgsPerExec
	g.fs.Var(&countFlag{p: &l.eventRecords, min: 16, max: 1 << 24}, "max-event-records", "keep at most `N` records of one auditd event; later ones with its key are dropped and reported")
	g.fs.Var(&sizeFlag[int]{p: &l.eventBytes, min: 64 << 10, max: 1 << 30}, "max-event-bytes", "keep at most `SIZE` of one auditd event's records (at most 1GiB)")
	g.fs.Var(&countFlag{p: &l.execArgs, min: 16, max: 1 << 26}, "max-exec-args", "keep at most `N` arguments of one exec; the EXECVE record is reported as cut")
}

// apply puts the limits into the parser's options.
func (l *inputLimits) apply(opts *parser.Options) {
	opts.Limits.Decompress = l.decompress
	opts.Limits.MaxJoinedLine = l.maxJoined
	opts.Limits.MaxHosts = max(l.maxHosts, 1)
	opts.Limits.RecordsPerEvent, opts.Limits.BytesPerEvent, opts.Limits.ArgsPerExec = l.eventRecords, l.eventBytes, l.execArgs
}

// countFlag is a count from min to max.
type countFlag struct {
	p        *int
	min, max int
}

func (f *countFlag) String() string {
	if f.p == nil {
		return ""
	}
	return strconv.Itoa(*f.p)
}

func (f *countFlag) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < f.min || n > f.max {
		return fmt.Errorf("want a number from %d to %d", f.min, f.max)
	}
	*f.p = n
	return nil
}

func (f *countFlag) Type() string { return "int" }

// hostsNote says, when the host list stopped at --max-hosts, how much is
// not in it; "" when nothing was cut.
func hostsNote(t *parser.Tree) string {
	max, unlisted := t.HostsCut()
	if unlisted == 0 {
		return ""
	}
	return fmt.Sprintf("hosts: the list stops at %d hosts (--max-hosts); %d processes on hosts past it are analysed but their hosts not listed", max, unlisted)
}

// sizeFlag is a byte size flag (256MiB, 2GiB) from min to max bytes (max
// 0: no bound). With min 0, a 0 means "no limit" and is stored as off.
type sizeFlag[T ~int | ~int64 | ~uint64] struct {
	p        *T
	min, max int64
	off      T
}

func (f *sizeFlag[T]) String() string {
	if f.p == nil {
		return ""
	}
	if f.min == 0 && *f.p == f.off {
		return "0"
	}
	return sizeText(int64(*f.p))
}

func (f *sizeFlag[T]) Set(s string) error {
	n, err := parseSize(s)
	if err != nil {
		return err
	}
	switch {
	case n == 0 && f.min == 0:
		*f.p = f.off
		return nil
	case f.max > 0 && (n < f.min || n > f.max):
		return fmt.Errorf("want a size from %s to %s", sizeText(f.min), sizeText(f.max))
	case n < f.min:
		return fmt.Errorf("want a size of at least %s", sizeText(f.min))
	}
	*f.p = T(n)
	return nil
}

func (f *sizeFlag[T]) Type() string { return "size" }

// ratioFlag is a whole number; 0 is stored as -1 (off).
type ratioFlag struct{ p *int64 }

func (f *ratioFlag) String() string {
	if f.p == nil || *f.p < 0 {
		return "0"
	}
	return strconv.FormatInt(*f.p, 10)
}

func (f *ratioFlag) Set(s string) error {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return fmt.Errorf("want a whole number of times, e.g. 1000, or 0 for no limit")
	}
	if n == 0 {
		n = -1
	}
	*f.p = n
	return nil
}

func (f *ratioFlag) Type() string { return "int" }

// sizeText writes a size the way parseSize reads it.
func sizeText(n int64) string {
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.mult && n%u.mult == 0 {
			return strconv.FormatInt(n/u.mult, 10) + u.suffix
		}
	}
	return strconv.FormatInt(n, 10)
}
