package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
)

// maxSecretFile bounds what is read of a token or key file: a token is 40
// characters, so anything large is the wrong file.
const maxSecretFile = 64 << 10

// readSecretFile reads a secret from a regular file, without its
// surrounding whitespace (the newline editors add), within ctx. A FIFO or
// a device (/dev/zero, a named pipe nobody writes to) is refused, since
// reading it could block or never end; a file others can read is used with
// a warning on warn. The secret never appears in an error.
func readSecretFile(ctx context.Context, source, path string, warn io.Writer) (string, error) {
	type result struct {
		s   string
		err error
	}
	done := make(chan result, 1)
	go func() {
		s, err := readRegularFile(source, path, warn)
		done <- result{s, err}
	}()
	select {
	case r := <-done:
		return r.s, r.err
	case <-ctx.Done():
		return "", usagef("%s: reading %s did not finish within --timeout", source, path)
	}
}

func readRegularFile(source, path string, warn io.Writer) (string, error) {
	// Refuse anything but a regular file before opening it (opening a
	// FIFO for reading waits for a writer), and check again on what was
	// opened (O_NONBLOCK keeps that open from waiting).
	if info, err := os.Stat(path); err != nil {
		return "", usagef("%s: %v", source, err)
	} else if !info.Mode().IsRegular() {
		return "", usagef("%s: %s is not a regular file (%s)", source, path, info.Mode().Type())
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return "", usagef("%s: %v", source, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return "", usagef("%s: %v", source, err)
	}
	if !info.Mode().IsRegular() {
		return "", usagef("%s: %s is not a regular file (%s)", source, path, info.Mode().Type())
	}
	if info.Mode().Perm()&0o077 != 0 {
		fmt.Fprintf(warn, "rainbond: warning: %s %s can be read by other users (mode %v); run: chmod 600 %s\n",
			source, path, info.Mode().Perm(), path)
	}
	b, err := io.ReadAll(io.LimitReader(f, maxSecretFile+1))
	if err != nil {
		return "", usagef("%s: %v", source, err)
	}
	if len(b) > maxSecretFile {
		return "", usagef("%s: %s is larger than %d KiB: not a secret file", source, path, maxSecretFile>>10)
	}
	s := strings.TrimSpace(string(b))
	if s == "" {
		return "", usagef("%s: %s is empty", source, path)
	}
	return s, nil
}
