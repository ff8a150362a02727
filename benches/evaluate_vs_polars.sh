#!/usr/bin/env bash
# Evaluate at the speed of reading: (a) polars reading cases + history into DataFrames — the
# floor — against (b) `pauta evaluate` end to end on the same files to a CSV file, on two exports
# of the same cases: one with the `Adjuntos` column (few rules fire) and one without it, as a real
# export lacking that column (every case fails the v11 evidence rules). Runs alternate floor and
# evaluate, export by export; prints best and median of each, the ratios b/a and peak memory of
# (b) against the input size. Usage:
#   benches/evaluate_vs_polars.sh [CASES=1000000] [SEED=7] [RUNS=5]
# PAUTA_BIN and FLOOR_BIN run already built binaries instead of building them.
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${1:-1000000}
seed=${2:-7}
runs=${3:-5}
target=${CARGO_TARGET_DIR:-target}
if [ -n "${PAUTA_BIN:-}" ]; then
  bin=$PAUTA_BIN
else
  cargo build --release --quiet --bin pauta
  bin=$target/release/pauta
fi
if [ -n "${FLOOR_BIN:-}" ]; then
  floor=$FLOOR_BIN
else
  cargo build --release --quiet --features bench-polars --bench polars_floor
  floor=$(ls -t "$target"/release/deps/polars_floor-* | grep -v '\.d$' | head -1)
fi
base=${BENCH_DATA:-target/bench-data}/export-$cases-$seed
times=$(mktemp)
trap 'rm -f "$times" "$times.one"' EXIT
for kind in con-adjuntos sin-adjuntos; do
  data=$base; flag=()
  if [ "$kind" = sin-adjuntos ]; then data=$base-sin-adjuntos; flag=(--sin-adjuntos); fi
  if [ ! -f "$data/casos.csv" ]; then
    mkdir -p "$data"
    "$bin" generate --cases "$cases" --seed "$seed" --out "$data" --from 2023-01-01 --to 2025-12-31 "${flag[@]}" 2>/dev/null
  fi
  size=$(( $(stat -c %s "$data/casos.csv") + $(stat -c %s "$data/historial.csv") ))
  echo "$kind: $data ($(($(wc -l < "$data/casos.csv") - 1)) casos, $(($(wc -l < "$data/historial.csv") - 1)) filas de historial, $((size / 1048576)) MiB)"
  for run in $(seq "$runs"); do
    /usr/bin/time -o "$times.one" -f '%e %M' "$floor" "$data/casos.csv" "$data/historial.csv" >/dev/null
    echo "$kind floor $(tail -1 "$times.one") $size" >> "$times"
    /usr/bin/time -o "$times.one" -f '%e %M' "$bin" evaluate --cases "$data/casos.csv" \
        --history "$data/historial.csv" --as-of '2026-01-01 00:00:00' --output "$data/evaluacion.csv" \
        --rejected "$data/rechazadas.csv" 2>/dev/null || true
    echo "$kind evaluate $(tail -1 "$times.one") $size" >> "$times"
  done
done
python3 - "$times" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
for kind in ("con-adjuntos", "sin-adjuntos"):
    def pick(what):
        chosen = [r for r in rows if r[0] == kind and r[1] == what]
        return [float(r[2]) for r in chosen], [int(r[3]) for r in chosen], int(chosen[0][4])
    (a, _, size), (b, peaks, _) = pick("floor"), pick("evaluate")
    print(f"{kind}: (a) polars mejor {min(a):.2f} s, mediana {statistics.median(a):.2f} s · "
          f"(b) evaluate mejor {min(b):.2f} s, mediana {statistics.median(b):.2f} s")
    print(f"{kind}: razón b/a mejor {min(b) / min(a):.2f} · mediana {statistics.median(b) / statistics.median(a):.2f} · "
          f"pico de (b) {max(peaks) / 1024:.0f} MiB = {max(peaks) * 1024 / size:.2f} × la entrada")
PY
