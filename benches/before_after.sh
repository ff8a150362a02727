#!/usr/bin/env bash
# A/B benchmark of two `pauta` binaries on the same export, in one sitting: `evaluate` and
# `report` end to end, runs alternating A, B, A, B… so that the machine's drift hits both alike,
# and the outputs of both compared by checksum (a restructuring or a speed-up must not change a
# byte). Prints best and median wall time and peak memory of each, and the ratio B/A. Usage:
#   benches/before_after.sh BINARY_A BINARY_B [CASES=1000000] [RUNS=7]
# Data: `BINARY_A generate --seed 7`, cached under $BENCH_DATA (default target/bench-data).
set -euo pipefail
cd "$(dirname "$0")/.."
a=$1; b=$2
cases=${3:-1000000}
runs=${4:-7}
data=${BENCH_DATA:-target/bench-data}/export-$cases-7
if [ ! -f "$data/casos.csv" ]; then
  mkdir -p "$data"
  "$a" generate --cases "$cases" --seed 7 --out "$data" --from 2023-01-01 --to 2025-12-31 >/dev/null
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "entrada: $data ($(($(wc -l < "$data/casos.csv") - 1)) casos, $(($(wc -l < "$data/historial.csv") - 1)) filas de historial)"
evaluate_args() { echo evaluate --cases "$data/casos.csv" --history "$data/historial.csv" \
  --as-of 2026-01-01T00:00:00 --output "$out/evaluacion-$1.csv" --rejected "$out/rechazadas-$1.csv"; }
report_args() { echo report --cases "$data/casos.csv" --history "$data/historial.csv" --month 2024-06 \
  --output "$out/informe-$1.json" --format json --generated-at 2024-07-01T08:00:00 \
  --rejected "$out/rechazadas-informe-$1.csv"; }
for run in $(seq "$runs"); do
  for side in A B; do
    bin=$a; [ "$side" = B ] && bin=$b
    for command in evaluate report; do
      # shellcheck disable=SC2046 # the paths have no spaces: they are under mktemp and $BENCH_DATA
      /usr/bin/time -o "$out/time" -f '%e %M' "$bin" $("${command}_args" "$side") >/dev/null 2>&1 || true
      echo "$command $side $(tail -1 "$out/time")" >> "$out/times"
    done
  done
  echo "ronda $run hecha"
done
python3 - "$out/times" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
for command in ("evaluate", "report"):
    stats = {}
    for side in ("A", "B"):
        times = [float(r[2]) for r in rows if r[0] == command and r[1] == side]
        peaks = [int(r[3]) for r in rows if r[0] == command and r[1] == side]
        stats[side] = (min(times), statistics.median(times), max(peaks) / 1024)
        print(f"{command} {side}: mejor {stats[side][0]:.2f} s · mediana {stats[side][1]:.2f} s · pico {stats[side][2]:.0f} MiB")
    print(f"{command} B/A: mejor {stats['B'][0] / stats['A'][0]:.3f} · mediana {stats['B'][1] / stats['A'][1]:.3f} · pico {stats['B'][2] / stats['A'][2]:.3f}")
PY
for file in evaluacion rechazadas informe rechazadas-informe; do
  ext=csv; [ "$file" = informe ] && ext=json
  if [ ! -e "$out/$file-A.$ext" ] && [ ! -e "$out/$file-B.$ext" ]; then
    echo "$file.$ext: ninguno de los dos lo escribió (no hubo filas que escribir)"
  elif cmp -s "$out/$file-A.$ext" "$out/$file-B.$ext"; then
    echo "$file.$ext: idénticos ($(sha256sum < "$out/$file-A.$ext" | cut -c1-16))"
  else
    echo "$file.$ext: DIFIEREN"
  fi
done
