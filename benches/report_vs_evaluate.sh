#!/usr/bin/env bash
# Issue 4 benchmark: `pauta report` for one month against `pauta evaluate` on the same files
# (both end to end, release build, same session). Target: report ≤ 1.3 × evaluate. Usage:
#   benches/report_vs_evaluate.sh [CASES=1000000] [MONTH=2024-06] [RUNS=3]
# Data: `pauta generate` when the binary has it, otherwise tests/fixtures/report/generate.py
# (2023-01-02 … 2025-12-31); cached under $BENCH_DATA (default target/bench-data). PAUTA_BIN
# runs an already built binary instead of building one.
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${1:-1000000}
month=${2:-2024-06}
runs=${3:-3}
target=${CARGO_TARGET_DIR:-target}
if [ -n "${PAUTA_BIN:-}" ]; then
  bin=$PAUTA_BIN
else
  cargo build --release --quiet --bin pauta
  bin=$target/release/pauta
fi
data=${BENCH_DATA:-target/bench-data}/report-$cases
if [ ! -f "$data/casos.csv" ]; then
  mkdir -p "$data"
  if "$bin" generate --help >/dev/null 2>&1; then
    "$bin" generate --cases "$cases" --seed 7 --out "$data" --from 2023-01-01 --to 2025-12-31
  else
    python3 tests/fixtures/report/generate.py "$data" "$cases" 7 2023-01-02 2025-12-31
  fi
fi
echo "entrada: $data ($(($(wc -l < "$data/casos.csv") - 1)) casos, $(($(wc -l < "$data/historial.csv") - 1)) filas de historial)"
last_day=$(python3 -c "import calendar,sys; y,m=map(int,'$month'.split('-')); print(calendar.monthrange(y,m)[1])")
as_of="$month-$last_day 23:59:59"
best_e=999999; best_r=999999
timing=$(mktemp)
for run in $(seq "$runs"); do
  /usr/bin/time -o "$timing" -f '%e %M' "$bin" evaluate --cases "$data/casos.csv" --history "$data/historial.csv" \
      --as-of "$as_of" --output "$data/evaluacion.csv" --rejected "$data/rechazadas-e.csv" 2>/dev/null || true
  e=$(tail -1 "$timing")
  /usr/bin/time -o "$timing" -f '%e %M' "$bin" report --cases "$data/casos.csv" --history "$data/historial.csv" \
      --month "$month" --output "$data/informe.md" --rejected "$data/rechazadas-r.csv" 2>/dev/null || true
  r=$(tail -1 "$timing")
  echo "ronda $run: evaluate ${e% *} s (pico ${e#* } KiB) · report ${r% *} s (pico ${r#* } KiB)"
  best_e=$(python3 -c "print(min($best_e, ${e% *}))"); best_r=$(python3 -c "print(min($best_r, ${r% *}))")
done
rm -f "$timing"
python3 -c "print(f'mejor evaluate {$best_e:.2f} s · mejor report {$best_r:.2f} s · razón report/evaluate = {$best_r / $best_e:.2f} (objetivo ≤ 1.3)')"
