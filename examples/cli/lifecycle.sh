#!/usr/bin/env bash
# A shell script driving an app's life with the rainbond command, against
# the fake console it serves, as a CI job runs it (no terminal): ensure an
# app, install a store's app model into it (twice: the second run changes
# nothing), upgrade it to the latest version, deploy and wait, set
# variables (a secret from the environment, never on the command line),
# rebuild a component following its log, follow a build started
# elsewhere, and read the final states, checking every exit code. Each
# command's stderr (the progress of its waits, its errors) is shown
# under it, indented.
#
#   bash examples/cli/lifecycle.sh
#
# It needs only bash, sed and grep (and Go to build the command, unless
# RAINBOND_BIN names one). Point it at a real console by starting from the
# "expect 0 ... apps ensure" line with your own RAINBOND_URL and token.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
fake=""
cleanup() {
	[ -n "$fake" ] && kill "$fake" 2>/dev/null && wait "$fake" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

rainbond=${RAINBOND_BIN:-}
if [ -z "$rainbond" ]; then
	go build -o "$work/rainbond" "$here/../../cmd/rainbond"
	rainbond="$work/rainbond"
fi

# expect CODE ARGS...: runs rainbond ARGS, its stdout in $work/out and its
# stderr in $work/err (and on this script's stderr as it comes, indented),
# and stops the script unless it exits with CODE.
expect() {
	local want=$1 got
	shift
	echo "---- rainbond $*"
	set +e
	"$rainbond" "$@" 2>&1 >"$work/out" | tee "$work/err" | sed 's/^/     /' >&2
	got=${PIPESTATUS[0]}
	set -e
	if [ "$got" != "$want" ]; then
		echo "FAIL: rainbond $* exited $got, want $want" >&2
		cat "$work/out" >&2
		exit 1
	fi
	echo "ok   (exit $got)"
}

# field NAME: the first value of a JSON member NAME in $work/out.
field() {
	sed -n "s/^ *\"$1\": \"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}$/\1/p" "$work/out" | head -n 1
}

# 1. A fake console, seeded with a team and a store, its components taking
#    two seconds to build, start or upgrade. --ready-file appears, whole,
#    once it serves: no guessed sleep.
"$rainbond" fake-console --ready-file "$work/fake.env" --seed "$here/seed.json" --transition 2s >"$work/fake.out" 2>&1 &
fake=$!
for _ in $(seq 100); do
	[ -e "$work/fake.env" ] && break
	kill -0 "$fake" 2>/dev/null || { cat "$work/fake.out" >&2; exit 1; }
	sleep 0.1
done
# shellcheck disable=SC1091
. "$work/fake.env" # RAINBOND_URL, RAINBOND_TOKEN, RAINBOND_FAKE_TEAM...
sed 's/^/     /' "$work/fake.out" # what it holds
[ "$RAINBOND_FAKE_TEAM" = shop ]

# 2. The app, created once.
expect 0 teams regions --team shop
expect 0 apps ensure --team shop --region rainbond --name web-shop -o json
app=$(field ID)
grep -q '"created": true' "$work/out"
expect 0 apps ensure --team shop --region rainbond --name web-shop -o json
grep -q '"created": false' "$work/out"

# 3. Version 1.0 of the store's model, installed once.
install=(apps install --team shop --region rainbond --app "$app" --market-url https://store.example.com
	--market-domain rainbond --model-id shop-web --model-version 1.0 --ensure --deploy -o json)
expect 0 "${install[@]}"
grep -q '"outcome": "installed"' "$work/out"
expect 0 "${install[@]}"
grep -q '"outcome": "unknown"' "$work/out"   # recorded at 1.0, as installed: nothing sent

# 4. The versions offered, then the upgrade to the latest, waiting for the
#    components to run (its progress on stderr).
expect 0 apps upgrades --team shop --region rainbond --app "$app" -o json
grep -q '"1.1"' "$work/out"
expect 0 apps upgrade --team shop --region rainbond --app "$app" --model shop-web --to latest --wait --interval 200ms -o json
[ "$(field to)" = "1.1" ]
grep -q 'waiting for the components of app' "$work/err"

# 5. Deploy everything and wait; a wait shorter than a build runs out (7),
#    and says what was still pending.
expect 7 apps deploy --team shop --region rainbond --app "$app" --all --wait --interval 200ms --timeout 1s
grep -q 'still pending: cache (.*), web (.*)\. The work may still finish; to wait longer, raise --timeout' "$work/err"
expect 0 apps deploy --team shop --region rainbond --app "$app" --all --wait --interval 200ms -o json
[ "$(grep -c '"status": "running"' "$work/out")" = 2 ]

# 6. Variables: one on the command line, a secret from the environment
#    (never in ps or the shell's history, never printed).
export SHOP_DB_PASSWORD=s3cret-db-password
expect 0 components env set --team shop --region rainbond --app "$app" --component web MODE=production --from-env DB_PASSWORD=SHOP_DB_PASSWORD -o json
grep -q '"value": "production"' "$work/out"
if grep -q "$SHOP_DB_PASSWORD" "$work/out" "$work/err"; then echo "FAIL: the secret was printed" >&2; exit 1; fi

# 7. A rebuild of the web component, its log on stderr; then a build
#    started without waiting (as another job would), followed by its
#    event.
expect 0 components build --team shop --region rainbond --app "$app" --component web --wait --logs --interval 200ms -o json
grep -q '"status": "success"' "$work/out"
grep -q 'Build and deploy finished' "$work/err"
expect 0 components build --team shop --region rainbond --app "$app" --component web -o json
event=$(field event_id)
expect 0 components logs --team shop --region rainbond --app "$app" --component web --event "$event" --follow --interval 200ms
grep -q 'Build and deploy finished' "$work/out"

# 8. The final states, from -o json.
expect 0 apps components --team shop --region rainbond --app "$app" -o json
[ "$(grep -c '"status": "running"' "$work/out")" = 2 ]

# 9. Failures have their own exit codes: usage (2), the console's refusal
#    (3), no console (4).
expect 2 apps deploy --team shop --region rainbond --app "$app"
expect 2 apps list --team shop
grep -q -- '--region: required' "$work/err"
expect 3 apps get --team shop --region rainbond --app 999
RAINBOND_URL=http://127.0.0.1:9 expect 4 apps get --team shop --region rainbond --app "$app" --timeout 5s

echo "the lifecycle ran as expected"
