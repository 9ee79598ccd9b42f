#!/usr/bin/env bash
# System packages the project needs: a CJK font for charts and PDF briefs, poppler-utils (pdftoppm)
# for the PDF tests, and Chromium for the browser test of the Dagster UI.
set -euo pipefail
packages=(fonts-noto-cjk poppler-utils chromium chromium-driver)
missing=()
for pkg in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    echo "setup-system: missing Debian packages: ${missing[*]} (run as root or install them)" >&2
    exit 1
fi
echo "setup-system: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
