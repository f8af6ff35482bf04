#!/usr/bin/env bash
# The one test command (README.md, .ci/run): installs the tools the tests read PDFs and run the
# app with, if missing, then runs every check. A test never skips itself for a missing tool:
# this script makes sure the tool is there.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v pdftotext >/dev/null || need+=(poppler-utils)
command -v qpdf >/dev/null || need+=(qpdf)
command -v pdfsig >/dev/null || need+=(poppler-utils)
command -v openssl >/dev/null || need+=(openssl)
command -v zbarimg >/dev/null || need+=(zbar-tools)
command -v zip >/dev/null || need+=(zip)
command -v unzip >/dev/null || need+=(unzip)
command -v softhsm2-util >/dev/null || need+=(softhsm2)
command -v pkcs11-tool >/dev/null || need+=(opensc)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing: ${need[*]}"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

# Each step says how long it took (CI's time is budgeted: docs/testing.md).
start=$(date +%s)
step() {
  local name=$1 t=$SECONDS
  shift
  "$@"
  echo "== $name: $((SECONDS - t)) s (since the start: $(($(date +%s) - start)) s)"
}
step fmt cargo fmt --all -- --check
step clippy cargo clippy --all-targets --locked -- -D warnings
# The library's and the integration tests (not --all-targets: that builds a test harness of each
# binary and runs the benchmarks' loops in a debug build; clippy above still checks them).
step tests cargo test --lib --tests --locked
step doctests cargo test --doc --locked
# The API docs build without a warning: a link in a doc comment (an `# Errors` section naming
# its error variants) that no longer leads anywhere fails here.
step rustdoc env RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --lib --locked
# `minutes` for 200 cadres within 3x its recorded CPU time (benches/recorded.txt), and linear.
step speed bash benches/check-speed.sh
# The Windows build, made here and checked under Wine (installs Wine, mingw, nsis if missing).
step windows bash tests/windows.sh
