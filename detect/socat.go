package detect

import (
	"strings"
)

// socat -u moves data one way, from its first address to its second, so
// which way depends on the order: "socat -u - TCP:host:port" (or FILE:…
// first) sends the input out — data leaving; "socat -u TCP:host:port
// STDOUT" reads what a service says — a banner grab, discovery (T1046);
// "socat -u TCP:host:port FILE:/tmp/x" fetches a file — a download.

// socatWay is what a one-way socat does.
type socatWay uint8

const (
	socatNone  socatWay = iota // not a one-way socat
	socatSend                  // local input out to the network
	socatGrab                  // a service's output to the terminal
	socatFetch                 // a service's output into a file
)

// socatNetwork are the address types that reach the network.
var socatNetwork = []string{"tcp", "tcp4", "tcp6", "udp", "udp4", "udp6", "openssl", "ssl", "sctp", "socks4", "socks4a", "socks5", "proxy", "tcp-connect", "udp-connect"}

// socatOneWay reads the first socat -u (or -U, which reverses it) of cmd.
func socatOneWay(cmd string) socatWay {
	f := strings.Fields(cmd)
	for i, w := range f {
		if w != "socat" && !strings.HasSuffix(w, "/socat") {
			continue
		}
		dir := 0
		var addrs []string
		for _, a := range f[i+1:] {
			if strings.ContainsAny(a, ";|&") || len(addrs) == 2 {
				break
			}
			switch {
			case a == "-u":
				dir = 1
			case a == "-U":
				dir = -1
			case a == "-" || strings.Contains(a, ":") || isSocatWord(a):
				addrs = append(addrs, strings.ToLower(strings.Trim(a, `'"`)))
			}
		}
		if dir == 0 || len(addrs) != 2 {
			return socatNone
		}
		from, to := addrs[0], addrs[1]
		if dir < 0 {
			from, to = to, from
		}
		switch {
		case !socatNet(from) && socatNet(to):
			return socatSend
		case socatNet(from) && !socatNet(to) && (to == "-" || strings.HasPrefix(to, "stdout") || strings.HasPrefix(to, "stdio")):
			return socatGrab
		case socatNet(from) && !socatNet(to):
			return socatFetch
		}
		return socatNone
	}
	return socatNone
}

// isSocatWord: an address without a colon (STDIN, STDOUT, STDIO).
func isSocatWord(a string) bool {
	switch strings.ToLower(a) {
	case "stdin", "stdout", "stdio", "stderr":
		return true
	}
	return false
}

func socatNet(addr string) bool {
	typ, _, _ := strings.Cut(addr, ":")
	for _, n := range socatNetwork {
		if typ == n {
			return true
		}
	}
	return false
}
