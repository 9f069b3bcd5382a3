#!/usr/bin/env bash
# Counts the instructions one call costs, SDK against the hand-written
# baseline, with callgrind: repeatable to well under 1%, where wall and CPU
# time on a shared machine move by 5-20% between runs. Each benchmark runs
# twice, N and M times, in separate processes; the difference divided by
# M-N cancels the setup. GC is off and one P runs, so that the count does
# not depend on timing (allocation cost is counted; collection is not: see
# B/op, allocs/op).
#
#   bash internal/cmd/benchratio/instructions.sh          # ~15 min
set -euo pipefail
cd "$(dirname "$0")/../../.."
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go test -c -o "$tmp/sdk.test" .
(cd internal/benchcodec && go test -c -o "$tmp/codec.test" .)

# count BINARY BENCH N: instructions of BINARY running BENCH N times.
count() {
	GOGC=off GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1 \
		valgrind --tool=callgrind --callgrind-out-file=/dev/null \
		"$tmp/$1" -test.run='^$' -test.bench="$2" -test.benchtime="$3x" 2>&1 |
		awk '/Collected/ {print $4}'
}

# per_call BINARY BENCH N M
per_call() {
	local a b
	a=$(count "$1" "$2" "$3")
	b=$(count "$1" "$2" "$4")
	echo $(((b - a) / ($4 - $3)))
}

# row NAME SDK_COUNT BASELINE_COUNT
row() {
	awk -v b="$1" -v s="$2" -v t="$3" \
		'BEGIN { printf "| %s | %d vs %d | **%.3f** |\n", b, s, t, s / t }'
}

echo "| benchmark | instructions/call, SDK vs baseline | ratio |"
echo "|---|---|---|"
for bench in Install Copy; do
	for size in "1 50 550" "100 10 60" "1000 4 24"; do
		set -- $size
		sdk=$(per_call sdk.test "^Benchmark$bench\$/^components=$1\$/^impl=sdk\$" "$2" "$3")
		base=$(per_call sdk.test "^Benchmark$bench\$/^components=$1\$/^impl=baseline\$" "$2" "$3")
		row "$bench/components=$1" "$sdk" "$base"
	done
done
base=$(per_call codec.test '^BenchmarkCodecs$/^components=1000$/^codec=baseline$' 4 24)
for codec in default goccy stdlib; do
	sdk=$(per_call codec.test "^BenchmarkCodecs\$/^components=1000\$/^codec=$codec\$" 4 24)
	row "Codecs/components=1000/codec=$codec" "$sdk" "$base"
done
