//go:build !unix

package main

import "os/exec"

// ownGroup does nothing where there are no process groups: the context's
// end kills the shell alone, and WaitDelay bounds the wait for its output.
func ownGroup(*exec.Cmd) {}

func killGroup(int) {}
