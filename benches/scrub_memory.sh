#!/usr/bin/env bash
# Peak memory and time of `pauta document check --scrub` on the 20 MB PDF that
# `cargo bench --bench assets` generates (run that first), measured with GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
pdf="$target/tmp/bench-assets/documento_20mb.pdf"
[ -f "$pdf" ] || { echo "falta $pdf: ejecute antes cargo bench --bench assets" >&2; exit 2; }
cargo build --release --quiet
ls -l "$pdf"
/usr/bin/time -v "$target/release/pauta" document check "$pdf" --scrub "$target/tmp/bench-assets/scrub_memory.pdf" \
  > /dev/null 2> "$target/tmp/bench-assets/time.txt" || true
grep -E "Elapsed|Maximum resident" "$target/tmp/bench-assets/time.txt"
