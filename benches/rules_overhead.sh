#!/usr/bin/env bash
# Issue 6 benchmark: `pauta evaluate` on the benchmark export with the shipped v11 rules against
# the same policy with its `regla` blocks removed; prints both times, the ratio and the cost per
# rule per case. Usage: benches/rules_overhead.sh [CASES=1000000] [SEED=7] [RUNS=3]
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${1:-1000000}
seed=${2:-7}
runs=${3:-3}
data=target/bench-data/export-$cases-$seed
cargo build --release --quiet --bin pauta
if [ ! -f "$data/casos.csv" ]; then
  mkdir -p "$data"
  target/release/pauta generate --cases "$cases" --seed "$seed" --out "$data" --from 2023-01-01 --to 2025-12-31
fi
bare=target/bench-data/policies-without-rules
rm -rf "$bare" && mkdir -p "$bare/M1-3-06" && cp -r policies/calendarios "$bare/"
python3 - policies/M1-3-06/v11.pauta "$bare/M1-3-06/v11.pauta" <<'PY'
import sys
text = open(sys.argv[1], encoding="utf-8").read()
open(sys.argv[2], "w", encoding="utf-8").write(text[: text.index('regla "')])
PY
rules=$(grep -c '^regla "' policies/M1-3-06/v11.pauta)
run() {
  /usr/bin/time -o "$data/time-rules" -f '%e' target/release/pauta evaluate "$@" --cases "$data/casos.csv" \
    --history "$data/historial.csv" --as-of '2026-01-01 00:00:00' --output "$data/evaluacion.csv" \
    --rejected "$data/rechazadas.csv" 2>/dev/null || true
  tail -1 "$data/time-rules"
}
best_with=999999; best_without=999999
for round in $(seq "$runs"); do
  without=$(run --policies "$bare")
  with=$(run)
  echo "ronda $round: sin reglas ${without} s · con las $rules reglas de v11 ${with} s"
  best_with=$(python3 -c "print(min($best_with, $with))"); best_without=$(python3 -c "print(min($best_without, $without))")
done
python3 - "$best_without" "$best_with" "$cases" "$rules" <<'PY'
import sys
without, with_rules, cases, rules = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
print(f"mejor sin reglas {without:.2f} s · mejor con reglas {with_rules:.2f} s · razón {with_rules / without:.2f} (objetivo ≤ 1.5)")
print(f"costo por regla y caso (pared, 2 hilos): {(with_rules - without) / (cases * rules) * 1e9:.0f} ns")
PY
