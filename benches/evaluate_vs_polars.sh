#!/usr/bin/env bash
# Issue 3 benchmark: (a) polars reading cases + history into DataFrames (the floor) against
# (b) `pauta evaluate` end to end on the same files to a CSV file. Prints both wall times, the
# ratio b/a and peak memory of (b) against the input size. Usage:
#   benches/evaluate_vs_polars.sh [CASES=1000000] [SEED=7] [RUNS=3]
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${1:-1000000}
seed=${2:-7}
runs=${3:-3}
data=target/bench-data/export-$cases-$seed
cargo build --release --quiet --bin pauta
cargo build --release --quiet --features bench-polars --bench polars_floor
floor=$(ls -t target/release/deps/polars_floor-* | grep -v '\.d$' | head -1)
if [ ! -f "$data/casos.csv" ]; then
  mkdir -p "$data"
  target/release/pauta generate --cases "$cases" --seed "$seed" --out "$data" --from 2023-01-01 --to 2025-12-31
fi
input_bytes=$(( $(stat -c %s "$data/casos.csv") + $(stat -c %s "$data/historial.csv") ))
echo "entrada: $data ($(wc -l < "$data/casos.csv") líneas de casos, $(wc -l < "$data/historial.csv") de historial, $((input_bytes / 1048576)) MiB)"
best_a=999999; best_b=999999; rss_b=0
for run in $(seq "$runs"); do
  /usr/bin/time -o "$data/time-a" -f '%e' "$floor" "$data/casos.csv" "$data/historial.csv" >/dev/null
  a=$(tail -1 "$data/time-a")
  /usr/bin/time -o "$data/time-b" -f '%e %M' target/release/pauta evaluate --cases "$data/casos.csv" \
      --history "$data/historial.csv" --as-of '2026-01-01 00:00:00' --output "$data/evaluacion.csv" \
      --rejected "$data/rechazadas.csv" 2>/dev/null || true
  b_out=$(tail -1 "$data/time-b")
  b=${b_out% *}; rss=${b_out#* }
  echo "ronda $run: (a) polars ${a} s   (b) pauta evaluate ${b} s, pico ${rss} KiB"
  best_a=$(python3 -c "print(min($best_a, $a))"); best_b=$(python3 -c "print(min($best_b, $b))")
  rss_b=$(python3 -c "print(max($rss_b, $rss))")
done
python3 - "$best_a" "$best_b" "$rss_b" "$input_bytes" <<'PY'
import sys
a, b, rss_kib, size = float(sys.argv[1]), float(sys.argv[2]), int(float(sys.argv[3])), int(sys.argv[4])
print(f"mejor (a) {a:.2f} s · mejor (b) {b:.2f} s · razón b/a = {b / a:.2f} (objetivo ≤ 3)")
print(f"memoria pico (b) {rss_kib / 1024:.0f} MiB = {rss_kib * 1024 / size:.2f} × la entrada (objetivo ≤ 2)")
PY
