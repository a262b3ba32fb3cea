#!/usr/bin/env bash
# Every command that reads a whole model, against `premise get` on the same
# file: wall time (median of 3) and peak resident memory (the largest of 3),
# each with its ratio to `get`'s, on W1/W2/W3 (issue 18: every command within
# 1.5x the time and 1.25x the memory of `get`). The REPL reads one
# redefinition from a pipe (`g1_0 = 7`: in W3 it moves ten cells; in W1 and
# W2 it defines a new cell). Usage: benches/commands.sh [CELLS] (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
bin=target/release/premise
n=${1:-1000000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
echo "g1_0 = 7" > "$dir/line"
# run NAME ARGS...: prints "seconds kilobytes" (median wall, largest RSS)
run() {
  local runs=() mem=0
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$dir/time" "$@" < "$dir/line" > /dev/null 2>&1 || true
    read -r secs kb < "$dir/time"
    runs+=("$secs")
    mem=$(( kb > mem ? kb : mem ))
  done
  echo "$(printf '%s\n' "${runs[@]}" | sort -n | sed -n 2p) $mem"
}
echo "| workload | command | wall s | × get | peak MiB | × get |"
echo "|---|---|---:|---:|---:|---:|"
for w in W1 W2 W3; do
  "$bin" gen "$w" "$n" > "$dir/$w.model"
  case $w in
    W1) cell="x$((n - 1))" ;;
    W2) cell="total" ;;
    W3) cell="g$((n / 10 - 1))_9" ;;
  esac
  read -r get_s get_kb < <(run "$bin" get "$dir/$w.model" "$cell" --exact)
  echo "| $w | get | $get_s | 1 | $((get_kb / 1024)) | 1 |"
  for c in eval json csv check repl; do
    case $c in
      eval) args=(eval "$dir/$w.model") ;;
      json) args=(eval "$dir/$w.model" --format json) ;;
      csv) args=(eval "$dir/$w.model" --format csv) ;;
      check) args=(check "$dir/$w.model") ;;
      repl) args=(repl "$dir/$w.model") ;;
    esac
    read -r s kb < <(run "$bin" "${args[@]}")
    echo "| $w | $c | $s | $(echo "$s $get_s" | awk '{printf "%.2f", $1 / $2}') | $((kb / 1024)) | $(echo "$kb $get_kb" | awk '{printf "%.2f", $1 / $2}') |"
  done
done
