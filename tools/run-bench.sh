#!/usr/bin/env bash
# Measures every benchmark case of x86sim_bench and prints it as a ratio to the raw SystemC timed-event
# cost measured in the same run. With valgrind: instructions per operation from the difference of two
# callgrind runs (start-up cancels out; stable across machine noise). Without: wall time per operation.
set -euo pipefail
build_dir=${1:-build/default}
bench="$build_dir/bench/x86sim_bench"
small=${BENCH_OPS_SMALL:-20000}
large=${BENCH_OPS_LARGE:-60000}
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1

[ -x "$bench" ] || { echo "run-bench: $bench not built (make build)" >&2; exit 2; }

measure() { # case ops -> instructions (callgrind) or nanoseconds (wall)
    local name=$1 ops=$2
    if command -v valgrind >/dev/null 2>&1; then
        local out
        out=$(mktemp)
        valgrind --tool=callgrind --callgrind-out-file="$out" "$bench" --case "$name" --ops "$ops" >/dev/null 2>&1
        awk '/^summary:/ {print $2}' "$out"
        rm -f "$out"
    else
        local start end
        start=$(date +%s%N)
        "$bench" --case "$name" --ops "$ops" >/dev/null
        end=$(date +%s%N)
        echo $((end - start))
    fi
}

unit="instructions"
command -v valgrind >/dev/null 2>&1 || unit="ns (wall; valgrind not installed)"
per_op() { # case -> cost per operation
    local a b
    a=$(measure "$1" "$small")
    b=$(measure "$1" "$large")
    awk -v a="$a" -v b="$b" -v s="$small" -v l="$large" 'BEGIN { printf "%.1f", (b - a) / (l - s) }'
}

baseline=$(per_op systemc_timed_event)
printf '%-28s %14s %8s  %s\n' "case" "$unit/op" "ratio" "one operation is"
"$bench" --list | while IFS=$'\t' read -r name what; do
    cost=$( [ "$name" = systemc_timed_event ] && echo "$baseline" || per_op "$name")
    ratio=$(awk -v c="$cost" -v b="$baseline" 'BEGIN { printf "%.2f", c / b }')
    printf '%-28s %14s %8s  %s\n' "$name" "$cost" "$ratio" "$what"
done

# Whole-system speed: simulated seconds per wall second of the idle benchmark scenarios (median of three
# runs; wall time, so it varies with the machine and its load).
x86sim="$build_dir/sim/x86sim"
[ -x "$x86sim" ] || { echo "run-bench: $x86sim not built (make build)" >&2; exit 2; }
echo
printf '%-28s %14s %8s  %s\n' "scenario" "x real time" "goal" "runs"
for spec in "idle-4cpu 1000" "idle-64cpu 10"; do
    read -r name goal <<<"$spec"
    speeds=()
    for _ in 1 2 3; do
        out=$(mktemp -d)
        "$x86sim" run "bench/scenarios/$name.yaml" -q --out "$out" >/dev/null
        speeds+=("$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["host"]["sim.speed"])' "$out/metrics.json")")
        rm -rf "$out"
    done
    median=$(printf '%s\n' "${speeds[@]}" | sort -g | sed -n 2p)
    printf '%-28s %14.1f %8s  %s\n' "$name" "$median" ">= $goal" "$(printf '%.0f ' "${speeds[@]}")"
done
