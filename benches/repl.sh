#!/usr/bin/env bash
# Measures the REPL's incremental redefinition at N cells (default 1,000,000):
# `premise repl FILE < script` with a script of 100,000 redefinitions against a
# script of one, 3 times; prints the cost per line, printing included.
# W3: `g1_0 = K` (10 cells move, 10 lines printed); W2: `a.c1 = K` (a member of
# the one `sum`, which updates by difference; 2 lines printed); W4: `s_1[1] = K`
# (a re-pin: the 100 periods of one series move, one line printed).
# Usage: benches/repl.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
bin=target/release/premise
n=${1:-1000000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
lines=100000
for spec in "W3 g1_0" "W2 a.c1" "W4 s_1[1]"; do
  read -r w cell <<< "$spec"
  "$bin" gen "$w" "$n" > "$dir/$w.model"
  echo "$cell = 5" > "$dir/one.txt"
  for ((i = 0; i < lines; i++)); do echo "$cell = $((i % 7 + 2))"; done > "$dir/many.txt"
  for _ in 1 2 3; do
    /usr/bin/time -f "%e" -o "$dir/t1" "$bin" repl "$dir/$w.model" < "$dir/one.txt" > /dev/null 2>&1
    /usr/bin/time -f "%e" -o "$dir/t2" "$bin" repl "$dir/$w.model" < "$dir/many.txt" > /dev/null 2>&1
    awk -v w="$w" -v c="$cell" -v n="$lines" -v a="$(tail -1 "$dir/t1")" -v b="$(tail -1 "$dir/t2")" \
      'BEGIN { printf "%s %s: %.1f us per line\n", w, c, (b - a) / (n - 1) * 1e6 }'
  done
done
