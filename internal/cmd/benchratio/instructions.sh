#!/usr/bin/env bash
# Counts the instructions one call costs, SDK against the hand-written
# baseline, with callgrind: repeatable to well under 1%, where wall and CPU
# time on a shared machine move by 5-20% between runs. Each benchmark runs
# twice, N and M times, in separate processes; the difference divided by
# M-N cancels the setup. GC is off and one P runs, so that the count does
# not depend on timing (allocation cost is counted; collection is not: see
# B/op, allocs/op).
#
#   bash internal/cmd/benchratio/instructions.sh          # 4-15 min
#
# A run counts only if valgrind and the test binary both succeeded: exit
# status 0, the benchmark's result line at the iteration count asked for,
# PASS, and callgrind's total. Anything else stops the script with the
# run's last lines and a non-zero status, rather than printing a ratio of
# the instructions of a crash (valgrind prints its "Collected" total even
# for a program killed by a signal).
#
# GODEBUG=cpu.rdtscp=off: Go's runtime reads the time stamp counter with
# RDTSCP whenever CPUID reports it (runtime.cputicks). Valgrind answers
# CPUID with a CPU of its own choosing, which can report RDTSCP on a host
# where valgrind then does not execute the instruction: the program dies
# with SIGILL. With the feature turned off the runtime uses MFENCE;
# LFENCE; RDTSC, which valgrind always executes; cputicks is called a
# handful of times per process (it matters only to block and mutex
# profiling), so the counts do not move. (GOAMD64=v1 does not help: the
# runtime picks RDTSCP at run time. golang.org/x/sys/cpu, linked into the
# binaries, prints that it does not know the feature: harmless.)
set -euo pipefail
shopt -s inherit_errexit

# run_counted BINARY BENCH N: runs the benchmark BENCH of the test binary
# BINARY (in $tmp) N times under callgrind and prints the instructions it
# took; fails, with the run's output on stderr, unless the run succeeded.
run_counted() {
	local out status=0
	out=$(GOGC=off GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1,cpu.rdtscp=off \
		valgrind --tool=callgrind --callgrind-out-file=/dev/null \
		"$tmp/$1" -test.run='^$' -test.bench="$2" -test.benchtime="$3x" 2>&1) || status=$?
	local why=""
	if ((status != 0)); then
		why="exit status $status"
	elif ! awk -v n="$3" '$1 ~ /^Benchmark/ && $2 == n && $4 == "ns/op" { found = 1 } END { exit !found }' <<<"$out"; then
		why="no benchmark result line for $3 iterations"
	elif ! grep -qx 'PASS' <<<"$out"; then
		why="the test binary did not print PASS"
	fi
	local count
	count=$(awk '/== Collected :/ { print $4 }' <<<"$out")
	if [[ -z $why && ! $count =~ ^[0-9]+$ ]]; then
		why="no instruction count from callgrind"
	fi
	if [[ -n $why ]]; then
		{
			echo "instructions.sh: $1 -test.bench='$2' -test.benchtime=$3x failed under valgrind: $why"
			echo "--- last lines of its output:"
			tail -n 25 <<<"$out"
		} >&2
		return 1
	fi
	echo "$count"
}

# per_call BINARY BENCH N M
per_call() {
	local a b
	a=$(run_counted "$1" "$2" "$3") || return 1
	b=$(run_counted "$1" "$2" "$4") || return 1
	echo $(((b - a) / ($4 - $3)))
}

# row NAME SDK_COUNT BASELINE_COUNT
row() {
	awk -v b="$1" -v s="$2" -v t="$3" \
		'BEGIN { printf "| %s | %d vs %d | **%.3f** |\n", b, s, t, s / t }'
}

main() {
	cd "$(dirname "$0")/../../.."
	command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 1; }
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	go test -c -o "$tmp/sdk.test" .
	(cd internal/benchcodec && go test -c -o "$tmp/codec.test" .)

	local bench size sdk base codec
	echo "| benchmark | instructions/call, SDK vs baseline | ratio |"
	echo "|---|---|---|"
	for bench in Install Copy; do
		for size in "1 50 550" "100 10 60" "1000 4 24"; do
			set -- $size
			sdk=$(per_call sdk.test "^Benchmark$bench\$/^components=$1\$/^impl=sdk\$" "$2" "$3") || exit 1
			base=$(per_call sdk.test "^Benchmark$bench\$/^components=$1\$/^impl=baseline\$" "$2" "$3") || exit 1
			row "$bench/components=$1" "$sdk" "$base"
		done
	done
	base=$(per_call codec.test '^BenchmarkCodecs$/^components=1000$/^codec=baseline$' 4 24) || exit 1
	for codec in default goccy stdlib; do
		sdk=$(per_call codec.test "^BenchmarkCodecs\$/^components=1000\$/^codec=$codec\$" 4 24) || exit 1
		row "Codecs/components=1000/codec=$codec" "$sdk" "$base"
	done
}

# Sourced (by the tests), the script only defines its functions.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	main "$@"
fi
