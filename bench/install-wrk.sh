#!/usr/bin/env bash
# wrk (Debian package) for 'Promoter.Bench intake --wrk'. Loopback only.
set -euo pipefail
if ! command -v wrk > /dev/null; then
  apt-get update -qq
  apt-get install -y -qq wrk
fi
wrk --version | head -1 || true
