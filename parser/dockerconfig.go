package parser

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser/internal/container"
)

// WrapperTime returns the container runtime's own time for an HTTP event read
// from a container log whose access line names a time more than WrapperSkew
// away from it. The event's Time is the access line's; the runtime stamped
// the line when it reached the log, and is the better clock for ordering
// against other sources. ok is false when the two agree.
func WrapperTime(ev *Event) (t time.Time, ok bool) {
	if ev == nil || ev.Kind != KindHTTP || ev.Wrapper().IsZero() {
		return time.Time{}, false
	}
	return ev.Wrapper().UTC(), true
}

// dockerContainer names the container of a json-file log from its path
// (<id>/<id>-json.log[.N][.gz]) and the config.v2.json beside it. Logs of
// the dockershim era under /var/log/pods get their pod from the path.
func dockerContainer(in *Input) Container {
	c := Container{Runtime: "docker"}
	if in == nil || in.Path == "" || in.Path == "-" {
		return c
	}
	base := filepath.Base(in.Path)
	dir := filepath.Dir(in.Path)
	if id, _, ok := strings.Cut(base, "-json.log"); ok && container.IsHex64(id) {
		c.ID = id
	} else if container.IsHex64(filepath.Base(dir)) {
		c.ID = filepath.Base(dir)
	}
	if c.ID == "" {
		k := container.CRIContainer(in.Path)
		c.Pod, c.Namespace, c.Name = k.Pod, k.Namespace, k.Name
		c.ID = k.ID
	}
	cfgPath := filepath.Join(dir, "config.v2.json")
	cfg, err := readDockerConfig(in)
	switch {
	case err == nil:
		if c.ID == "" || cfg.ID == "" || cfg.ID == c.ID {
			if c.ID == "" {
				c.ID = cfg.ID
			}
			c.Name = strings.TrimPrefix(cfg.Name, "/")
			c.Image = cfg.Config.Image
			if v := cfg.Config.Labels["io.kubernetes.pod.name"]; v != "" {
				c.Pod = v
			}
			if v := cfg.Config.Labels["io.kubernetes.pod.namespace"]; v != "" {
				c.Namespace = v
			}
		}
	case !errors.Is(err, fs.ErrNotExist):
		// Worth telling: the logs still read, but without the name.
		in.Errors.Add(&Error{Pos: Pos{File: cfgPath}, Err: fmt.Errorf("container name and image unknown: %w", err)})
	}
	return c
}

// dockerConfig is the part of config.v2.json that names a container.
type dockerConfig struct {
	ID     string
	Name   string
	Config struct {
		Image  string
		Labels map[string]string
	}
}

// maxConfigSize bounds config.v2.json; real ones are a few KiB, but the
// evidence folder is not trusted.
const maxConfigSize = 8 << 20

func readDockerConfig(in *Input) (dockerConfig, error) {
	var cfg dockerConfig
	open := in.sibling
	if open == nil { // an Input not made by Resolve
		open = hostSibling(in.Path)
	}
	f, err := open("config.v2.json") // read-only, inside the evidence
	if err != nil {
		return cfg, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxConfigSize))
	if err != nil {
		return cfg, err
	}
	if err := json.Unmarshal(b, &cfg); err != nil {
		return cfg, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	return cfg, nil
}
