#!/usr/bin/env bash
# The one test command (README, .ci/run). Integration tests start what they need themselves: a PostgreSQL cluster
# (initdb/pg_ctl in a temp dir), the real server on loopback Kestrel, headless Chromium (/usr/bin/chromium), and
# the npm tools in tests/node (an SMTP server, the official Delighted client).
set -euo pipefail
cd "$(dirname "$0")"

if [ -f tests/node/package-lock.json ]; then
  (cd tests/node && npm ci --no-audit --no-fund --loglevel=error)
fi

dotnet build Promoter.sln -c Release -warnaserror --nologo -clp:ErrorsOnly
dotnet test Promoter.sln -c Release --no-build --nologo --logger "console;verbosity=minimal" "$@"

# Benchmarks at tiny sizes: the real importer and the real server end to end (correctness, not speed).
dotnet run -c Release --no-build --project bench/Promoter.Bench -- smoke
