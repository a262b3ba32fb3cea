#!/usr/bin/env bash
# `premise simulate` against issue 16's targets: 10,000 samples of a
# 1,000-cell model (W5: 100 ranges and a chain of 900 formulas over them,
# every cell varying in full 28-digit decimals) in at most 1 s, one cell
# shown and every cell shown; 100,000 samples of models/ai_200b_ranges.model
# in at most 1 s. Wall and user time (median of 3), peak memory (largest of
# 3). Run it on an idle machine: wall time is what the targets name.
# Usage: benches/simulate.sh (PREMISE_BIN=path/to/premise measures another
# build, e.g. an older commit's, on the same models)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
bin=${PREMISE_BIN:-target/release/premise}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
target/release/premise gen W5 1000 > "$dir/w5.model"
# run ARGS...: prints "wall user kilobytes" (medians of 3, largest RSS)
run() {
  local walls=() users=() mem=0
  for _ in 1 2 3; do
    if ! /usr/bin/time -f "%e %U %M" -o "$dir/time" "$@" > /dev/null 2> "$dir/err"; then
      echo "failed: $*" >&2
      cat "$dir/err" >&2
      exit 1
    fi
    read -r wall user kb < <(tail -n 1 "$dir/time")
    walls+=("$wall")
    users+=("$user")
    mem=$(( kb > mem ? kb : mem ))
  done
  echo "$(printf '%s\n' "${walls[@]}" | sort -n | sed -n 2p) $(printf '%s\n' "${users[@]}" | sort -n | sed -n 2p) $mem"
}
echo "| simulation | wall s | user s | peak MiB |"
echo "|---|---:|---:|---:|"
for case in one all ranges; do
  case $case in
    one) what="W5 1,000 cells, 10,000 samples, one cell shown"; args=(simulate "$dir/w5.model" c899) ;;
    all) what="W5 1,000 cells, 10,000 samples, every cell shown"; args=(simulate "$dir/w5.model") ;;
    ranges) what="ai_200b_ranges, 100,000 samples"; args=(simulate --samples 100000 models/ai_200b_ranges.model) ;;
  esac
  read -r wall user kb < <(run "$bin" "${args[@]}")
  echo "| $what | $wall | $user | $((kb / 1024)) |"
done
