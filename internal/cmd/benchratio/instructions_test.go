package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeValgrind stands in for valgrind: it behaves as callgrind running the
// benchmark does, as $FAKE says. Like a valgrind whose CPU model reports
// RDTSCP it cannot execute, it dies of SIGILL unless Go's runtime is told
// not to use RDTSCP, and it prints its total even then.
const fakeValgrind = `#!/usr/bin/env bash
n=1
for arg; do case $arg in -test.benchtime=*) n=${arg#-test.benchtime=}; n=${n%x};; esac; done
echo "==1== Callgrind, a call-graph generating cache profiler"
if [[ ,$GODEBUG, != *,cpu.rdtscp=off,* || $FAKE == sigill ]]; then
	echo "goos: linux"
	echo "==1== Process terminating with default action of signal 4 (SIGILL)"
	echo "==1== Collected : 4242"
	kill -ILL $$
fi
case $FAKE in
ok)
	echo "BenchmarkInstall/components=1/impl=sdk 	 $n	 32300921 ns/op	 32575400 cpu-ns/op"
	echo PASS
	echo "==1== Collected : $((1000000 + 2000 * n))";;
nothing-ran)
	echo "testing: warning: no tests to run"
	echo PASS
	echo "==1== Collected : 1000000";;
other-count)
	echo "BenchmarkInstall/components=1/impl=sdk 	 1	 32300921 ns/op"
	echo PASS
	echo "==1== Collected : 1000000";;
failed)
	echo "--- FAIL: BenchmarkInstall/components=1/impl=sdk"
	echo "    bench_test.go:70: connection refused"
	echo FAIL
	echo "==1== Collected : 1000000"
	exit 1;;
no-pass)
	echo "BenchmarkInstall/components=1/impl=sdk 	 $n	 32300921 ns/op"
	echo "==1== Collected : 1000000";;
no-total)
	echo "BenchmarkInstall/components=1/impl=sdk 	 $n	 32300921 ns/op"
	echo PASS;;
esac
`

// instructions runs a bash snippet with instructions.sh sourced, a fake
// valgrind first on PATH behaving as mode says, and GODEBUG as given.
func instructions(t *testing.T, mode, godebug, snippet string) (stdout, stderr string, err error) {
	t.Helper()
	bash, lookErr := exec.LookPath("bash")
	if lookErr != nil {
		t.Skip("needs bash")
	}
	bin := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(bin, "valgrind"), []byte(fakeValgrind), 0o755))
	script, absErr := filepath.Abs("instructions.sh")
	require.NoError(t, absErr)
	cmd := exec.Command(bash, "-c", `source "$SCRIPT"; tmp=$BIN; `+snippet)
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"SCRIPT="+script, "BIN="+bin, "FAKE="+mode, "GODEBUG="+godebug)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	return out.String(), errOut.String(), err
}

const bench = `'^BenchmarkInstall$/^components=1$/^impl=sdk$'`

func TestInstructionsCountsOnlyRunsThatSucceeded(t *testing.T) {
	t.Parallel()
	out, errOut, err := instructions(t, "ok", "", "run_counted sdk.test "+bench+" 50")
	require.NoError(t, err, errOut)
	assert.Equal(t, "1100000\n", out)
	out, errOut, err = instructions(t, "ok", "", "per_call sdk.test "+bench+" 50 550")
	require.NoError(t, err, errOut)
	assert.Equal(t, "2000\n", out)

	for mode, why := range map[string]string{
		"sigill":      "exit status 132",
		"failed":      "exit status 1",
		"nothing-ran": "no benchmark result line for 50 iterations",
		"other-count": "no benchmark result line for 50 iterations",
		"no-pass":     "the test binary did not print PASS",
		"no-total":    "no instruction count from callgrind",
	} {
		out, errOut, err := instructions(t, mode, "", "run_counted sdk.test "+bench+" 50")
		assert.Error(t, err, mode)
		assert.Empty(t, out, mode)
		assert.Contains(t, errOut, "failed under valgrind: "+why, mode)
		assert.Contains(t, errOut, "--- last lines of its output:\n==1== Callgrind", mode)

		// As main uses it: the first failed run stops the script.
		out, errOut, err = instructions(t, mode, "",
			`sdk=$(per_call sdk.test `+bench+` 50 550) || exit 7; echo "ratio from $sdk"`)
		var exit *exec.ExitError
		if assert.ErrorAs(t, err, &exit, mode) {
			assert.Equal(t, 7, exit.ExitCode(), mode)
		}
		assert.Empty(t, out, mode)
		assert.Equal(t, 1, strings.Count(errOut, "failed under valgrind"), mode)
	}
}

func TestInstructionsTurnsRDTSCPOffForValgrind(t *testing.T) {
	t.Parallel()
	// Whatever GODEBUG the caller has, the runs get cpu.rdtscp=off (the
	// fake valgrind dies of SIGILL without it).
	out, errOut, err := instructions(t, "ok", "madvdontneed=1", "run_counted sdk.test "+bench+" 5")
	require.NoError(t, err, errOut)
	assert.Equal(t, "1010000\n", out)
}
