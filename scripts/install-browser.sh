#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests (tests/browser/), when it is missing.
#
# Installs only when /usr/bin/chromium is absent, we are root and apt-get exists; otherwise it
# says why it does nothing and exits 0, so CI goes on (the browser tests then skip with a reason).
# The tests never use a browser build downloaded by playwright: only this system Chromium.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    echo "install-browser: $CHROMIUM is already installed ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))"
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "install-browser: skipped: $CHROMIUM is missing and we are not root (install Debian's chromium package)"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-browser: skipped: $CHROMIUM is missing and there is no apt-get on this machine"
    exit 0
fi

echo "install-browser: installing chromium with apt-get"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends chromium fonts-dejavu-core
"$CHROMIUM" --version
