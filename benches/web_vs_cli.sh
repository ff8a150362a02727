#!/usr/bin/env bash
# The workbench against the command line (issue 18): the benchmark export evaluated through
# `pauta web` — uploaded as a browser does (multipart POST to /evaluar) and followed on the
# progress API until it is done — against `pauta evaluate` on the same files, alternating, in
# one sitting; then the case table's page time at that size (a plain page, a far page, a filter,
# a search), how long the first page takes to answer while an evaluation runs (responsiveness),
# and the server's peak memory against the command line's. Usage:
#   benches/web_vs_cli.sh [CASES=1000000] [RUNS=5]
# PAUTA_BIN runs an already built binary; BENCH_DATA is where the generated exports are kept.
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${1:-1000000}
runs=${2:-5}
target=${CARGO_TARGET_DIR:-target}
if [ -n "${PAUTA_BIN:-}" ]; then
  bin=$PAUTA_BIN
else
  cargo build --release --quiet --bin pauta
  bin=$target/release/pauta
fi
data=${BENCH_DATA:-target/bench-data}/export-$cases-7
if [ ! -f "$data/casos.csv" ]; then
  mkdir -p "$data"
  "$bin" generate --cases "$cases" --seed 7 --out "$data" --from 2023-01-01 --to 2025-12-31 2>/dev/null
fi
as_of='2026-01-01 00:00:00'
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

"$bin" web --escuchar 127.0.0.1:0 --limite-subida 100000 >"$work/web.out" 2>"$work/web.err" &
server=$!
for _ in $(seq 100); do grep -q http "$work/web.out" 2>/dev/null && break; sleep 0.1; done
url=$(grep -o 'http://[^ ]*' "$work/web.out" | head -1)
url=${url%/}
echo "export: $data ($(($(wc -l < "$data/casos.csv") - 1)) casos); servidor $url (pid $server)"

# Uploads the export, waits until its evaluation is done; prints the id, the seconds of the
# whole (upload + evaluation) and of the evaluation alone.
through_web() {
  local start posted location id state
  start=$(date +%s.%N)
  location=$(curl -s -o /dev/null -w '%{redirect_url}' -H "Origin: $url" \
      -F "casos=@$data/casos.csv" -F "historial=@$data/historial.csv" -F "corte=$as_of" "$url/evaluar")
  posted=$(date +%s.%N)
  id=${location##*/}
  while :; do
    state=$(curl -s "$url/api/evaluaciones/$id")
    case $state in *'"lista"'*) break ;; *'"fallida"'*) echo "fallida: $state" >&2; exit 1 ;; esac
    sleep 0.05
  done
  local now
  now=$(date +%s.%N)
  python3 -c "print('$id', round($now - $start, 3), round($now - $posted, 3))"
}

: > "$work/times"
for run in $(seq "$runs"); do
  /usr/bin/time -o "$work/one" -f '%e %M' "$bin" evaluate --cases "$data/casos.csv" \
      --history "$data/historial.csv" --as-of "$as_of" --output "$work/evaluacion.csv" \
      --rejected "$work/rechazadas.csv" 2>/dev/null || true
  echo "cli $(tail -1 "$work/one")" >> "$work/times"
  read -r id whole alone < <(through_web)
  echo "web $whole $alone $id" >> "$work/times"
  if [ "$run" = 1 ]; then
    echo "pico-una $(awk '/VmHWM/ { print $2 }' "/proc/$server/status")" >> "$work/times"
  fi
done
last_id=$(awk '$1 == "web" { id = $4 } END { print id }' "$work/times")

# The case table at this size: time to the last byte of four pages.
for query in "" "?pagina=10000" "?resultado=breached" "?resultado=breached&pagina=1000" "?hallazgo=H008" "?q=123456"; do
  best=
  for _ in 1 2 3; do
    t=$(curl -s -o /dev/null -w '%{time_total}' "$url/evaluar/$last_id$query")
    best=$(python3 -c "print(min(float('$t'), float('${best:-1e9}')))")
  done
  echo "tabla$query $best" >> "$work/times"
done

# Responsiveness: the first page, every 0.2 s, while one more evaluation runs.
(through_web > /dev/null) &
running=$!
while kill -0 "$running" 2>/dev/null; do
  curl -s -o /dev/null -w 'inicio %{time_total}\n' "$url/" >> "$work/times"
  sleep 0.2
done
peak=$(awk '/VmHWM/ { print $2 }' "/proc/$server/status")
echo "pico-servidor $peak" >> "$work/times"

python3 - "$work/times" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
cli = [float(r[1]) for r in rows if r[0] == "cli"]
cli_peak = max(int(r[2]) for r in rows if r[0] == "cli")
whole = [float(r[1]) for r in rows if r[0] == "web"]
alone = [float(r[2]) for r in rows if r[0] == "web"]
print(f"pauta evaluate: mejor {min(cli):.2f} s, mediana {statistics.median(cli):.2f} s, pico {cli_peak / 1024:.0f} MiB")
print(f"pauta web, subida + evaluación: mejor {min(whole):.2f} s, mediana {statistics.median(whole):.2f} s "
      f"→ {min(whole) / min(cli):.2f} × / {statistics.median(whole) / statistics.median(cli):.2f} ×")
print(f"pauta web, solo la evaluación: mejor {min(alone):.2f} s, mediana {statistics.median(alone):.2f} s "
      f"→ {min(alone) / min(cli):.2f} × / {statistics.median(alone) / statistics.median(cli):.2f} ×")
for r in rows:
    if r[0].startswith("tabla"):
        print(f"página de la tabla {r[0][5:] or '(primera)'}: {float(r[1]) * 1000:.0f} ms")
home = [float(r[1]) for r in rows if r[0] == "inicio"]
if home:
    print(f"inicio durante una evaluación: {len(home)} peticiones, mediana {statistics.median(home) * 1000:.0f} ms, "
          f"máxima {max(home) * 1000:.0f} ms")
one = [int(r[1]) for r in rows if r[0] == "pico-una"][0]
print(f"pico del servidor tras 1 evaluación: {one / 1024:.0f} MiB ({one / cli_peak:.2f} × el de evaluate)")
peak = [int(r[1]) for r in rows if r[0] == "pico-servidor"][0]
print(f"pico del servidor tras {len(whole) + 1} evaluaciones: {peak / 1024:.0f} MiB ({peak / cli_peak:.2f} × el de evaluate)")
PY
