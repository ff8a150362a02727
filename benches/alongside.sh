#!/usr/bin/env bash
# The history read whole against the history read alongside the cases (`--memoria-acotada`),
# on exports of growing size, in one sitting: wall time and peak memory of `evaluate` each way
# (best and median of RUNS alternating runs), their ratios, and the outputs compared by checksum.
# Usage:
#   benches/alongside.sh BINARY [RUNS=3] CASES…      (e.g. 10000 100000 1000000 10000000)
# Data: `BINARY generate --seed 7 --from 2023-01-01 --to 2025-12-31`, cached under $BENCH_DATA
# (default target/bench-data); 10,000,000 cases take 5.2 GB of disk, and the evaluation as
# much again while it runs.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$1; shift
runs=${1:-3}; shift
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf '| cases | input | whole: best / median | peak | alongside: best / median | peak | alongside / whole (best) | outputs |\n'
printf '|---|---|---|---|---|---|---|---|\n'
for cases in "$@"; do
  data=${BENCH_DATA:-target/bench-data}/export-$cases-7
  if [ ! -f "$data/casos.csv" ]; then
    mkdir -p "$data"
    "$bin" generate --cases "$cases" --seed 7 --out "$data" --from 2023-01-01 --to 2025-12-31 >/dev/null 2>&1
  fi
  input=$(( $(stat -c %s "$data/casos.csv") + $(stat -c %s "$data/historial.csv") ))
  : > "$out/times"
  for run in $(seq "$runs"); do
    for way in whole alongside; do
      flag=(); [ "$way" = alongside ] && flag=(--memoria-acotada)
      rm -f "$out/evaluacion-$way.csv"
      /usr/bin/time -o "$out/time" -f '%e %M' "$bin" evaluate --cases "$data/casos.csv" \
        --history "$data/historial.csv" --as-of 2026-01-01T00:00:00 "${flag[@]}" \
        --output "$out/evaluacion-$way.csv" --rejected "$out/rechazadas-$way.csv" >/dev/null 2>&1 || true
      echo "$way $(tail -1 "$out/time")" >> "$out/times"
    done
  done
  same=identical
  cmp -s "$out/evaluacion-whole.csv" "$out/evaluacion-alongside.csv" || same=DIFFER
  if [ -e "$out/rechazadas-whole.csv" ] || [ -e "$out/rechazadas-alongside.csv" ]; then
    cmp -s "$out/rechazadas-whole.csv" "$out/rechazadas-alongside.csv" || same=DIFFER
  fi
  python3 - "$out/times" "$cases" "$input" "$same" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
cases, size, same = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
cells, best = [], {}
for way in ("whole", "alongside"):
    times = [float(r[1]) for r in rows if r[0] == way]
    peak = max(int(r[2]) for r in rows if r[0] == way) / 1024
    best[way] = min(times)
    cells.append(f"{min(times):.2f} / {statistics.median(times):.2f} s")
    cells.append(f"{peak:,.0f} MiB")
print(f"| {cases:,} | {size / 2**20:,.0f} MiB | {' | '.join(cells)} | {best['alongside'] / best['whole']:.2f} | {same} |")
PY
done
