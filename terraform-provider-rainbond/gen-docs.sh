#!/usr/bin/env bash
# Generates docs/ with tfplugindocs, offline: the provider's schema comes
# from `terraform providers schema -json` run against the provider binary
# through a dev_overrides CLI config (no registry, no download), and
# tfplugindocs only renders it (--providers-schema: it neither builds the
# provider nor fetches Terraform). tfplugindocs is run with `go run
# module@version`, so it is no dependency of this module.
set -euo pipefail
cd "$(dirname "$0")"

TFPLUGINDOCS=${TFPLUGINDOCS:-github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs@v0.25.0}
# DOCS_DIR is where the pages go, relative to this directory (ci.sh renders
# into a scratch directory to compare with docs/).
DOCS_DIR=${DOCS_DIR:-docs}
CLI=${TF_ACC_TERRAFORM_PATH:-$(command -v terraform || command -v tofu || true)}
if [ -z "$CLI" ]; then
	echo "gen-docs: no terraform or tofu on PATH (nor TF_ACC_TERRAFORM_PATH); docs/ left as it is" >&2
	exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/bin/terraform-provider-rainbond" .
cat > "$work/dev.tfrc" <<CONF
provider_installation {
  dev_overrides {
    "rbdkit/rainbond" = "$work/bin"
  }
  direct {}
}
CONF
mkdir "$work/cfg"
cat > "$work/cfg/main.tf" <<'CONF'
terraform {
  required_providers {
    rainbond = { source = "rbdkit/rainbond" }
  }
}
CONF
(cd "$work/cfg" && TF_CLI_CONFIG_FILE="$work/dev.tfrc" CHECKPOINT_DISABLE=1 "$CLI" providers schema -json) > "$work/schema.json" 2> "$work/cli.err" || {
	cat "$work/cli.err" >&2
	exit 1
}
# tfplugindocs finds a schema by the provider's short name (or under
# hashicorp/): rename the entry, whatever registry host the CLI used.
sed -E 's#"registry\.(terraform\.io|opentofu\.org)/rbdkit/rainbond"#"rainbond"#' "$work/schema.json" > "$work/schema-short.json"
GOFLAGS= go run "$TFPLUGINDOCS" generate --provider-dir . --provider-name rainbond \
	--rendered-provider-name Rainbond --providers-schema "$work/schema-short.json" \
	--rendered-website-dir "$DOCS_DIR"
