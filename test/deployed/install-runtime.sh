#!/usr/bin/env bash
# Installs test/deployed/runtime: the AWS Lambda Node.js runtime interface client (aws-lambda-ric, which compiles
# its native Runtime API client with cmake, make, g++ and python3) and a Node binary of the functions' major
# version, both from the npm registry. Skipped when node_modules already matches the lockfile.
set -euo pipefail
dir="$(cd "$(dirname "$0")/runtime" && pwd)"
stamp="$dir/node_modules/.installed-lock-sha256"
want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f "$dir/node_modules/aws-lambda-ric/rapid-client.node" ]; then
  exit 0
fi
missing=""
for tool in cmake make g++ python3; do command -v "$tool" >/dev/null || missing="$missing $tool"; done
if [ -n "$missing" ]; then
  echo "test:deployed needs$missing to build aws-lambda-ric (Debian: apt-get install cmake make g++ python3)" >&2
  exit 1
fi
arch="$(node -p process.arch)"
# node-gyp builds the client against the headers of the Node binary it will run on (shipped in the same
# package), never downloading them; the client's install scripts are approved in runtime/package.json.
npm ci --prefix "$dir" --no-audit --no-fund --foreground-scripts=false --nodedir="$dir/node_modules/node-linux-$arch"
test -f "$dir/node_modules/aws-lambda-ric/rapid-client.node" || { echo "aws-lambda-ric: native client not built" >&2; exit 1; }
echo "$want" > "$stamp"
