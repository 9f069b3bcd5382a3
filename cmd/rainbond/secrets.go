package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"

	"github.com/rbdkit/rainbond-go"
)

// Files the commands read: inputs (templates, compose files, PEM files,
// request bodies, packages opened for upload) and secrets (the token,
// keys, passwords). Every read is bounded by --timeout: a FIFO nobody
// writes to, or a stalled network mount, never holds a command past it.

// Limits on what is read of a file.
const (
	maxSecretFile = 64 << 10 // a token, a key, a password: a token is 40 characters
	maxPEMFile    = 1 << 20  // a certificate with its chain, a CA bundle
	maxInputFile  = 16 << 20 // a template, a compose file, a request body
)

// within runs read in the background and returns what it returns, or,
// once ctx is done, an error saying that reading path (named by source,
// the flag or variable) did not finish within --timeout.
func within[T any](ctx context.Context, source, path string, read func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := read()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, usagef("%s: reading %s did not finish within --timeout", source, path)
	}
}

// inputFile is a file a command reads.
type inputFile struct {
	source string // how the user named it: "--template", "RAINBOND_TOKEN_FILE"
	path   string
	limit  int
	// secret warns when other users can read the file.
	secret bool
	// regularOnly refuses anything but a regular file, before opening it
	// (opening a FIFO waits for a writer) and on what was opened.
	regularOnly bool
	// stdin is what "-" reads; nil: "-" names a file.
	stdin io.Reader
	warn  io.Writer
}

// read reads the file within ctx: at most limit bytes, or an error.
func (in inputFile) read(ctx context.Context) ([]byte, error) {
	return within(ctx, in.source, in.path, in.readNow)
}

func (in inputFile) readNow() ([]byte, error) {
	var r io.Reader
	if in.path == "-" && in.stdin != nil {
		r = in.stdin
	} else {
		f, err := in.open()
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, int64(in.limit)+1))
	switch {
	case err != nil:
		return nil, usagef("%s: %v", in.source, err)
	case len(b) > in.limit:
		return nil, usagef("%s %s: larger than %s", in.source, in.path, sizeText(in.limit))
	}
	return b, nil
}

// open opens the file, refusing what regularOnly refuses, and warns when
// a secret file can be read by other users.
func (in inputFile) open() (*os.File, error) {
	flags := os.O_RDONLY
	if in.regularOnly {
		if err := regular(in.source, in.path, os.Stat); err != nil {
			return nil, err
		}
		flags |= syscall.O_NONBLOCK // in case it became a FIFO since: opening it must not wait
	}
	f, err := os.OpenFile(in.path, flags, 0)
	if err != nil {
		return nil, usagef("%s: %v", in.source, err)
	}
	info, err := f.Stat()
	if err == nil && in.regularOnly {
		err = regular(in.source, in.path, func(string) (os.FileInfo, error) { return info, nil })
	} else if err != nil {
		err = usagef("%s: %v", in.source, err)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	if in.secret && info.Mode().IsRegular() && info.Mode().Perm()&0o077 != 0 {
		fmt.Fprintf(in.warn, "rainbond: warning: %s %s can be read by other users (mode %v); run: chmod 600 %s\n",
			in.source, in.path, info.Mode().Perm(), in.path)
	}
	return f, nil
}

// regular refuses a path that is not a regular file.
func regular(source, path string, stat func(string) (os.FileInfo, error)) error {
	info, err := stat(path)
	if err != nil {
		return usagef("%s: %v", source, err)
	}
	if !info.Mode().IsRegular() {
		return usagef("%s: %s is not a regular file (%s)", source, path, info.Mode().Type())
	}
	return nil
}

// sizeText is a limit in KiB or MiB.
func sizeText(limit int) string {
	if limit >= 1<<20 {
		return fmt.Sprintf("%d MiB", limit>>20)
	}
	return fmt.Sprintf("%d KiB", limit>>10)
}

// readInput reads a file a flag names (a pipe too, as <(command) gives),
// or stdin for "-", within ctx, at most limit bytes. A secret file that
// other users can read is read with a warning.
func (s *session) readInput(ctx context.Context, flagName, path string, limit int, secret bool) ([]byte, error) {
	if path == "" {
		return nil, usagef("--%s is required", flagName)
	}
	stdin := s.stdin
	if stdin == nil {
		stdin = strings.NewReader("") // no standard input: "-" reads nothing
	}
	return inputFile{source: "--" + flagName, path: path, limit: limit, secret: secret, stdin: stdin, warn: s.stderr}.read(ctx)
}

// readSecretFile reads a secret from a regular file, without its
// surrounding whitespace (the newline editors add), within ctx. A FIFO or
// a device (/dev/zero, a named pipe nobody writes to) is refused, since
// reading it could block or never end; a file others can read is used with
// a warning on warn. The secret never appears in an error.
func readSecretFile(ctx context.Context, source, path string, warn io.Writer) (string, error) {
	b, err := inputFile{source: source, path: path, limit: maxSecretFile, secret: true, regularOnly: true, warn: warn}.read(ctx)
	if err != nil {
		return "", err
	}
	s := strings.TrimSpace(string(b))
	if s == "" {
		return "", usagef("%s: %s is empty", source, path)
	}
	return s, nil
}

// secretFrom reads a secret from its file flag, else from the environment
// variable ("": none), and marks it as a secret of the command. "" when
// neither is set.
func (s *session) secretFrom(ctx context.Context, flagName, file, variable string) (rainbond.Secret, error) {
	var value string
	if file != "" {
		v, err := readSecretFile(ctx, flagName, file, s.stderr)
		if err != nil {
			return rainbond.Secret{}, err
		}
		value = v
	} else if v, ok := s.getenv(variable); ok && variable != "" {
		value = strings.TrimSpace(v)
	}
	s.secrets = append(s.secrets, value)
	return rainbond.NewSecret(value), nil
}
