package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/spf13/pflag"
)

// version is set at build time with -ldflags "-X main.version=…"; otherwise
// the module version from the build info is used.
var version = ""

func toolVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "0.1.0-dev"
}

// binarySHA256 hashes the running executable, so a report says exactly which
// build produced it.
func binarySHA256() string {
	p, err := os.Executable()
	if err != nil {
		return ""
	}
	f, err := os.Open(p)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
}

func runVersion(e *env, args []string) error {
	fs := pflag.NewFlagSet("version", pflag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintln(e.stdout, "Usage: auditchain version\n\nPrints the tool version, the rule-set digest and the binary's SHA-256.")
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "auditchain %s\n", toolVersion())
	if rv, err := rulesVersion(); err == nil {
		fmt.Fprintf(e.stdout, "rules      %s\n", rv)
	}
	if h := binarySHA256(); h != "" {
		fmt.Fprintf(e.stdout, "binary     sha256:%s\n", h)
	}
	return nil
}
