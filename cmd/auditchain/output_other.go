//go:build !linux

package main

import (
	"errors"
	"os"
)

// createUnnamed: no O_TMPFILE here; the caller uses a named temporary file.
func createUnnamed(string) (*os.File, error) { return nil, errors.ErrUnsupported }

func linkUnnamed(*os.File, string) error { return errors.ErrUnsupported }
