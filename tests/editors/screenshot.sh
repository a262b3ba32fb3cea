#!/usr/bin/env bash
# Takes docs/editor.png, the README's screenshot: Neovim in tmux on
# docs/examples/editor.model with `premise lsp` attached, the pane captured
# with its colours, rendered to HTML (aha) and photographed by headless
# Chromium. Needs nvim, tmux, aha, chromium (Debian packages).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${PREMISE_BIN:-$PWD/target/debug/premise}
work=$(mktemp -d)
trap 'tmux kill-session -t premise-shot 2>/dev/null || true; rm -rf "$work"' EXIT
tmux new-session -d -s premise-shot -x 118 -y 25 \
  "PREMISE_BIN=$bin TERM=xterm-256color nvim --clean -u tests/editors/screenshot.lua docs/examples/editor.model"
sleep 4
tmux capture-pane -t premise-shot -e -p > "$work/pane.ansi"
aha --black --title "premise lsp in Neovim" < "$work/pane.ansi" > "$work/pane.html"
# A terminal's font and background for the page.
sed -i 's|<pre>|<pre style="font: 15px/1.25 DejaVu Sans Mono, monospace; margin: 0; padding: 12px; background: #1a1b26; color: #c0caf5">|' "$work/pane.html"
sed -i 's|<body[^>]*>|<body style="margin: 0; background: #1a1b26">|' "$work/pane.html"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --window-size=1090,650 --screenshot="$work/shot.png" "file://$work/pane.html" 2>/dev/null
cp "$work/shot.png" docs/editor.png
echo "wrote docs/editor.png"
