#!/usr/bin/env bash
# Sets up what kamerbrief needs on a fresh Debian machine, once:
#   scripts/setup.sh run    Debian libraries for WeasyPrint + a virtual environment (.venv)
#   scripts/setup.sh test   the same, plus the test tools (LibreOffice, poppler, Chromium, test extras)
# Installs missing Debian packages when run as root; otherwise prints the apt-get line to run.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-run}

debs=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fontconfig)
if [ "$mode" = test ]; then
  debs+=(poppler-utils libreoffice-writer-nogui fonts-crosextra-carlito fonts-crosextra-caladea fonts-dejavu-core
         chromium)  # the preview's browser test (Playwright drives this Chromium; no download)
fi

missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup: these Debian packages are missing: ${missing[*]}" >&2
    echo "setup: install them with:  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

py=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$py" -m venv .venv
fi
extras=""
[ "$mode" = test ] && extras="[test]"
stamp=.venv/.installed-$mode
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt -e ".$extras" 2>&1 | { grep -v "WARNING: Location" || true; }
  touch "$stamp"
fi
