#!/usr/bin/env bash
# Measures `premise get FILE CELL --exact` as a whole process (wall time and
# peak memory, /usr/bin/time -v; median of 3) on the W1/W2/W3/W4 workloads from
# 10K to 1M cells, and prints a Markdown table. Usage: benches/growth.sh [SIZES...]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
bin=target/release/premise
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
if [ $# -gt 0 ]; then sizes=("$@"); else sizes=(10000 100000 1000000); fi
echo "| workload | cells | wall (s, median of 3) | peak memory (MiB) |"
echo "|---|---:|---:|---:|"
for w in W1 W2 W3 W4; do
  for n in "${sizes[@]}"; do
    "$bin" gen "$w" "$n" > "$dir/$w.model"
    case $w in
      W1) cell="x$((n - 1))" ;;
      W2) cell="total" ;;
      W3) cell="g$((n / 10 - 1))_9" ;;
      W4) cell="s_$((n / 100))[100]" ;;
    esac
    runs=()
    mem=0
    for _ in 1 2 3; do
      /usr/bin/time -v -o "$dir/time" "$bin" get "$dir/$w.model" "$cell" --exact > /dev/null
      wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$dir/time")
      kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$dir/time")
      secs=$(echo "$wall" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
      runs+=("$secs")
      mem=$(( kb > mem ? kb : mem ))
    done
    median=$(printf '%s\n' "${runs[@]}" | sort -n | sed -n 2p)
    echo "| $w | $n | $median | $((mem / 1024)) |"
  done
done
