package main

import (
	"fmt"
	"strconv"

	"github.com/auditchain/auditchain/parser"
)

// inputLimits are the flags that bound what hostile inputs may cost: the
// bounds on compressed inputs (--max-inflated, --max-inflate-ratio,
// --max-zstd-window), on joined container lines (--max-joined-line) and on
// the report's host list (--max-hosts).
type inputLimits struct {
	decompress parser.DecompressLimits
	maxJoined  int
	maxHosts   int
}

// addFlags adds the flags to g. 0 turns --max-inflated and
// --max-inflate-ratio off; the parser takes 0 as "default", so it is kept
// as -1.
func (l *inputLimits) addFlags(g *flagGroup) {
	l.decompress = parser.DefaultDecompressLimits()
	l.maxJoined = parser.DefaultMaxJoinedLine
	g.fs.Var(&sizeFlag{p: &l.decompress.MaxInflated, off: -1}, "max-inflated", "stop reading a compressed input past `SIZE` inflated (0: no limit)")
	g.fs.Var(&ratioFlag{p: &l.decompress.MaxRatio}, "max-inflate-ratio", "stop reading a compressed input that inflates more than `N` times its stored size, past the first 64 MiB (0: no limit)")
	g.fs.Var(&windowFlag{p: &l.decompress.MaxZstdWindow}, "max-zstd-window", "refuse zstd frames whose window (memory held while reading) is over `SIZE`; 2GiB is zstd's own --long=31")
	g.fs.Var(&intSizeFlag{p: &l.maxJoined}, "max-joined-line", "cut a container log line rebuilt from partial chunks (CRI P, json-file without \\n) at `SIZE`, keeping its head")
	g.fs.IntVar(&l.maxHosts, "max-hosts", parser.DefaultMaxHosts, "list at most `N` hosts in the report (processes past it are still analysed, and counted)")
}

// apply puts the limits into the parser's options.
func (l *inputLimits) apply(opts *parser.Options) {
	opts.Decompress = l.decompress
	opts.MaxJoinedLine = l.maxJoined
	opts.MaxHosts = max(l.maxHosts, 1)
}

// hostsNote says, when the host list stopped at --max-hosts, how much is
// not in it; "" when nothing was cut.
func hostsNote(t *parser.Tree) string {
	max, unlisted := t.HostsCut()
	if unlisted == 0 {
		return ""
	}
	return fmt.Sprintf("hosts: the list stops at %d hosts (--max-hosts); %d processes on hosts past it are analysed but their hosts not listed", max, unlisted)
}

// sizeFlag is a byte size flag (256MiB, 2GiB); 0 is stored as off.
type sizeFlag struct {
	p   *int64
	off int64
}

func (f *sizeFlag) String() string {
	if f.p == nil {
		return ""
	}
	if *f.p == f.off {
		return "0"
	}
	return sizeText(*f.p)
}

func (f *sizeFlag) Set(s string) error {
	n, err := parseSize(s)
	if err != nil {
		return err
	}
	if n == 0 {
		n = f.off
	}
	*f.p = n
	return nil
}

func (f *sizeFlag) Type() string { return "size" }

// intSizeFlag is a byte size flag of at least 1 KiB, for an int.
type intSizeFlag struct{ p *int }

func (f *intSizeFlag) String() string {
	if f.p == nil {
		return ""
	}
	return sizeText(int64(*f.p))
}

func (f *intSizeFlag) Set(s string) error {
	n, err := parseSize(s)
	if err != nil {
		return err
	}
	if n < 1<<10 || n > 1<<30 {
		return fmt.Errorf("want a size from 1KiB to 1GiB, e.g. 1MiB")
	}
	*f.p = int(n)
	return nil
}

func (f *intSizeFlag) Type() string { return "size" }

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

// windowFlag is a zstd window size; a window is at least 1 KiB.
type windowFlag struct{ p *uint64 }

func (f *windowFlag) String() string {
	if f.p == nil {
		return ""
	}
	return sizeText(int64(*f.p))
}

func (f *windowFlag) Set(s string) error {
	n, err := parseSize(s)
	if err != nil {
		return err
	}
	if n < 1<<10 {
		return fmt.Errorf("want a window of at least 1KiB, e.g. 128MiB or 2GiB")
	}
	*f.p = uint64(n)
	return nil
}

func (f *windowFlag) Type() string { return "size" }

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
