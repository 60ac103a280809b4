#!/usr/bin/env bash
# Runs every libFuzzer binary (fuzz_*) of a fuzz build for a bounded time.
#   tools/run-fuzzers.sh BUILD_DIR SECONDS
# Each fuzzer starts from a fresh temporary corpus seeded with scenarios/*.yaml (if any) and
# fuzz/corpus/<name without fuzz_>/, uses fuzz/<name without fuzz_>.dict when present, and runs with
# -max_total_time=SECONDS -timeout=10 -rss_limit_mb=2048. Crash inputs and logs are kept under
# BUILD_DIR/fuzz-artifacts/<fuzzer>/. Prints one summary line per fuzzer; exits 1 if any fuzzer found
# a crash, timeout or leak, 2 on usage errors or when there is nothing to run.
set -uo pipefail

if [ $# -ne 2 ] || ! [[ "$2" =~ ^[0-9]+$ ]]; then
  echo "usage: $0 BUILD_DIR SECONDS" >&2
  exit 2
fi
build_dir=$1
seconds=$2
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

if [ ! -d "$build_dir" ]; then
  echo "run-fuzzers: no build directory '$build_dir' (build it with: cmake --preset fuzz && cmake --build --preset fuzz)" >&2
  exit 2
fi

mapfile -t fuzzers < <(find "$build_dir" -type f -name 'fuzz_*' -perm -u+x ! -path '*/CMakeFiles/*' ! -path '*/fuzz-artifacts/*' | sort)
if [ ${#fuzzers[@]} -eq 0 ]; then
  echo "run-fuzzers: no fuzz_* binaries under '$build_dir'" >&2
  exit 2
fi

status=0
for fuzzer in "${fuzzers[@]}"; do
  name=$(basename "$fuzzer")
  short=${name#fuzz_}
  work=$(mktemp -d "${TMPDIR:-/tmp}/x86sim-$name.XXXXXX")
  corpus=$work/corpus
  mkdir -p "$corpus"
  shopt -s nullglob
  for seed in "$root"/scenarios/*.yaml "$root"/fuzz/corpus/"$short"/*; do
    [ -f "$seed" ] && cp "$seed" "$corpus/"
  done
  shopt -u nullglob
  seeds=$(find "$corpus" -type f | wc -l)
  artifacts=$(cd "$build_dir" && pwd)/fuzz-artifacts/$name
  mkdir -p "$artifacts"
  dict=()
  if [ -f "$root/fuzz/$short.dict" ]; then
    dict=("-dict=$root/fuzz/$short.dict")
  fi
  log=$work/fuzz.log
  start=$(date +%s)
  "$fuzzer" "$corpus" "${dict[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
    -artifact_prefix="$artifacts/" -print_final_stats=1 >"$log" 2>&1
  rc=$?
  elapsed=$(( $(date +%s) - start ))
  runs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | awk '{print $2}')
  units=$(find "$corpus" -type f | wc -l)
  if [ $rc -eq 0 ]; then
    echo "$name: OK — ${runs:-?} runs in ${elapsed}s, coverage ${cov:-?} edges, corpus $seeds -> $units inputs"
  else
    cp "$log" "$artifacts/last-run.log"
    crash=$(grep -oE "(crash|timeout|leak|oom|slow-unit)-[0-9a-f]+" "$log" | tail -1)
    echo "$name: FAILED (exit $rc) after ${elapsed}s — input: $artifacts/${crash:-?}; log: $artifacts/last-run.log"
    grep -E "ERROR: |SUMMARY: |^    #[0-9]+ " "$log" | head -25 | sed 's/^/    /'
    status=1
  fi
  rm -rf "$work"
done
exit $status
