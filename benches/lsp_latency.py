#!/usr/bin/env python3
"""End to end: `premise lsp` with a 100,000-cell model open, one keystroke
(a didChange of a few characters) at a time, timed from sending it to the
diagnostics published for it, as an editor waits for them; then an inlay
hint request for a screenful. Usage: benches/lsp_latency.py [PREMISE] [ROUNDS]
(PREMISE defaults to target/release/premise). Prints the median and the
slowest round of each workload."""
import json, statistics, subprocess, sys, time

premise = sys.argv[1] if len(sys.argv) > 1 else "target/release/premise"
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 20
URI = "file:///tmp/bench.model"


class Server:
    def __init__(self):
        self.p = subprocess.Popen([premise, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.id = 0

    def send(self, obj):
        body = json.dumps(obj).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.p.stdin.flush()

    def recv(self):
        n = None
        while True:
            line = self.p.stdout.readline()
            if line in (b"\r\n", b""):
                break
            if line.lower().startswith(b"content-length"):
                n = int(line.split(b":")[1])
        return json.loads(self.p.stdout.read(n))

    def request(self, method, params):
        self.id += 1
        self.send({"jsonrpc": "2.0", "id": self.id, "method": method, "params": params})
        while True:
            m = self.recv()
            if m.get("id") == self.id:
                return m

    def until_diagnostics(self):
        while True:
            if self.recv().get("method") == "textDocument/publishDiagnostics":
                return


def run(name, workload, line, col, texts):
    text = subprocess.run([premise, "gen", workload, "100000"], capture_output=True, text=True).stdout
    s = Server()
    s.request("initialize", {"capabilities": {}})
    s.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    s.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": URI, "languageId": "premise", "version": 1, "text": text}}})
    s.until_diagnostics()
    times = []
    for k in range(rounds):
        old, new = texts if k % 2 == 0 else texts[::-1]
        start = time.perf_counter()
        s.send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": URI, "version": k + 2},
            "contentChanges": [{"range": {"start": {"line": line, "character": col},
                                          "end": {"line": line, "character": col + len(old)}},
                                "text": new}]}})
        s.until_diagnostics()
        s.request("textDocument/inlayHint", {"textDocument": {"uri": URI}, "range": {
            "start": {"line": max(0, line - 30), "character": 0}, "end": {"line": line + 30, "character": 0}}})
        times.append((time.perf_counter() - start) * 1000)
    s.request("shutdown", None)
    s.send({"jsonrpc": "2.0", "method": "exit"})
    s.p.wait()
    print(f"{name}: median {statistics.median(times):.1f} ms, slowest {max(times):.1f} ms ({rounds} keystrokes)")


run("W3 group of 10", "w3", 50000, len("g5000_0 = "), ("5000", "5001"))
run("W2 member of a 100,000-cell sum", "w2", 49999, len("a.c50000 = "), ("50000", "50001"))
run("W1 chain, near the end", "w1", 99990, len("x99990 = x99989 * "), ("0.9999", "0.9998"))
run("W1 chain, the middle (50,000 cells move)", "w1", 50000, len("x50000 = x49999 * "), ("0.9999", "0.9998"))
