#!/usr/bin/env bash
# Refreshes docs/screenshots: starts the demo on a throw-away database and photographs every page of the navigation
# (plus one survey, theme, contact and case, and the survey page in English and Arabic) at 1280 px and 390 px wide,
# failing on horizontal overflow, a console error or a Content-Security-Policy violation. The tour is
# PageTourBrowserTests; a normal test run takes the same tour (with long names) but writes to a temporary folder.
# Needs /usr/bin/chromium (the Debian package); Playwright never downloads a browser.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/docs/screenshots"

dotnet build "$root/Promoter.sln" -c Release -warnaserror --nologo -clp:ErrorsOnly
fresh="$(mktemp -d)"
trap 'rm -rf "$fresh"' EXIT
PROMOTER_SCREENSHOTS="$fresh" dotnet test "$root/tests/Promoter.Tests" -c Release --no-build --nologo \
  --filter "FullyQualifiedName~PageTourBrowserTests" --logger "console;verbosity=minimal"

# Only a complete, passing set replaces the old one.
mkdir -p "$out"
rm -f "$out"/*.png
cp "$fresh"/*.png "$out"/
echo "$(ls "$out"/*.png | wc -l) screenshots in $out"
