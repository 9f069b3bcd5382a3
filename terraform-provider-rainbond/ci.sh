#!/usr/bin/env bash
# The provider's gate, called by the repository's .ci/run: tidy, format,
# vet, unit tests, then the acceptance tests against rainbondtest in this
# process with a Terraform-compatible CLI already installed (never one
# downloaded), and a check that docs/ is what gen-docs.sh makes.
# Offline but for the Go module proxy.
set -euo pipefail
cd "$(dirname "$0")"

step() { printf '\n== provider: %s\n' "$*"; }

step "go.mod and go.sum are tidy"
go mod tidy -diff

step "gofmt -l"
unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
	echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

step "go vet ./..."
go vet ./...

step "unit tests: go test ./..."
env -u TF_ACC go test -count=1 ./...

# The CLI the acceptance tests run: TF_ACC_TERRAFORM_PATH, else terraform,
# else tofu on PATH. terraform-plugin-testing would download one when none
# is found (or when TF_ACC_TERRAFORM_VERSION is set): the tests' TestMain
# makes sure it never does, and this script says plainly when they skip.
cli=${TF_ACC_TERRAFORM_PATH:-$(command -v terraform || command -v tofu || true)}
if [ -z "$cli" ] || [ ! -x "$cli" ]; then
	step "acceptance tests SKIPPED: no Terraform-compatible CLI found (set TF_ACC_TERRAFORM_PATH, or put terraform or tofu on PATH)"
	step "docs check SKIPPED: gen-docs.sh needs the same CLI"
	exit 0
fi

step "acceptance tests with $("$cli" version 2>/dev/null | head -n 1) ($cli)"
env -u TF_ACC_TERRAFORM_VERSION TF_ACC=1 TF_ACC_TERRAFORM_PATH="$cli" CHECKPOINT_DISABLE=1 \
	go test -count=1 -timeout 5m -run '^TestAcc' ./internal/provider

step "docs/ is what gen-docs.sh makes"
out=.ci-docs
trap 'rm -rf "$out"' EXIT
TF_ACC_TERRAFORM_PATH="$cli" DOCS_DIR="$out" ./gen-docs.sh > /dev/null
if ! diff -r docs "$out"; then
	echo "docs/ is out of date: run ./gen-docs.sh"; exit 1
fi

echo; echo "provider CI passed"
