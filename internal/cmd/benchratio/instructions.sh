#!/usr/bin/env bash
# Counts the instructions one call costs, SDK against baseline, with
# callgrind: repeatable to well under 1%, where wall and CPU time on a shared
# machine move by 5-20% between runs. Each benchmark runs twice, N and M
# times, in separate processes; the difference divided by M-N cancels the
# setup. GC is off and one P runs, so that the count does not depend on
# timing (allocation cost is counted; collection is not: see B/op, allocs/op).
#
#   bash internal/cmd/benchratio/instructions.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go test -c -o "$tmp/bench.test" .

# count BENCH N: instructions of the test binary running BENCH N times.
count() {
	GOGC=off GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1 \
		valgrind --tool=callgrind --callgrind-out-file=/dev/null \
		"$tmp/bench.test" -test.run='^$' -test.bench="$1" -test.benchtime="$2x" 2>&1 |
		awk '/Collected/ {print $4}'
}

# per_call BENCH N M
per_call() {
	local a b
	a=$(count "$1" "$2")
	b=$(count "$1" "$3")
	echo $(((b - a) / ($3 - $2)))
}

echo "| benchmark | instructions/call, SDK vs baseline | ratio |"
echo "|---|---|---|"
for bench in Install Copy; do
	for size in "1 50 550" "1000 4 24"; do
		set -- $size
		sdk=$(per_call "^Benchmark$bench\$/^components=$1\$/^impl=sdk\$" "$2" "$3")
		base=$(per_call "^Benchmark$bench\$/^components=$1\$/^impl=baseline\$" "$2" "$3")
		awk -v b="$bench" -v n="$1" -v s="$sdk" -v t="$base" \
			'BEGIN { printf "| %s/components=%s | %d vs %d | **%.3f** |\n", b, n, s, t, s / t }'
	done
done
