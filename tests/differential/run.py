#!/usr/bin/env python3
"""Differential test of two premise binaries: same cases, same output?

    tests/differential/run.py OLD_BIN NEW_BIN [--quick]

Runs both binaries on every case (a command line, its input files, maybe a
REPL script on stdin or a git repository), each in a fresh temporary copy
of its inputs, and compares stdout, stderr, the exit code and every file
the run left behind. Prints the number of cases and, for each difference,
the command line, the folder where its inputs are kept, and a short
unified diff. Exit 0 when the binaries agree on every case, 1 when they
differ on any, 2 on trouble. See README.md beside this file.
"""

import argparse
import difflib
import multiprocessing
import os
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree

import plan  # noqa: E402
import sandbox  # noqa: E402
from cases import describe  # noqa: E402

ROOT = HERE.parent.parent
DIFF_LINES = 40
LISTED = 40

# Set in each worker by _init.
_ctx = {}


def _init(old, new, scratch, out_dir):
    _ctx.update(old=old, new=new, scratch=scratch, out=out_dir,
                bin_old=os.path.join(scratch, "bin-old"), bin_new=os.path.join(scratch, "bin-new"))


def _text(b: bytes) -> list:
    return b.decode("utf-8", "backslashreplace").splitlines()


def short_diff(old: bytes, new: bytes, what: str) -> list:
    """A unified diff of the region where `old` and `new` part ways, cut short."""
    a, b = _text(old), _text(new)
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    lo = max(0, start - 3)
    a_mid, b_mid = a[lo: len(a) - max(0, end - 3)][:2000], b[lo: len(b) - max(0, end - 3)][:2000]
    lines = list(difflib.unified_diff(a_mid, b_mid, f"old {what}", f"new {what}", n=3, lineterm=""))
    lines = [re.sub(r"^@@ -(\d+)(,\d+)? \+(\d+)",
                    lambda m: f"@@ -{int(m[1]) + lo}{m[2] or ''} +{int(m[3]) + lo}", x)
             if x.startswith("@@") else x for x in lines]
    if not lines and old != new:
        lines = [f"old {what}: {old[-80:]!r}", f"new {what}: {new[-80:]!r}"]
    if len(lines) > DIFF_LINES:
        lines = lines[:DIFF_LINES] + [f"... ({len(lines) - DIFF_LINES} more diff lines)"]
    return lines


def differences(case, old, new) -> list:
    """What differs between two outcomes, as lines of a report."""
    out = []
    if old.exit != new.exit:
        out.append(f"exit code: old {old.exit}, new {new.exit}")
    if old.stdout != new.stdout:
        out += short_diff(old.stdout, new.stdout, "stdout")
    if old.stderr != new.stderr:
        out += short_diff(old.stderr, new.stderr, "stderr")
    for path in sorted(set(old.files) | set(new.files)):
        a, b = old.files.get(path), new.files.get(path)
        if a == b:
            continue
        if a is None or b is None:
            out.append(f"file {path}: written only by {'new' if a is None else 'old'}")
        else:
            out += short_diff(a, b, f"file {path}")
    return out


def _folder_name(case_id: str) -> str:
    return re.sub(r"[^\w.~-]", "_", case_id.replace("/", "__"))[:150]


def _keep(case, old, new) -> str:
    """Keeps a differing case's inputs and both outcomes; returns the folder."""
    folder = os.path.join(_ctx["out"], _folder_name(case.id))
    shutil.rmtree(folder, ignore_errors=True)
    inputs = os.path.join(folder, "case")
    os.makedirs(inputs)
    sandbox.write_files(inputs, case.files)
    with open(os.path.join(folder, "command"), "w") as f:
        f.write("# run inside case/ (a fresh copy: the command may change its files)\n")
        for step in case.setup:
            f.write(" ".join(step) + "\n")
        f.write(describe(case) + "\n")
    if case.stdin is not None:
        with open(os.path.join(folder, "stdin"), "wb") as f:
            f.write(case.stdin)
    for side, o in [("old", old), ("new", new)]:
        with open(os.path.join(folder, f"{side}.stdout"), "wb") as f:
            f.write(o.stdout)
        with open(os.path.join(folder, f"{side}.stderr"), "wb") as f:
            f.write(o.stderr)
        with open(os.path.join(folder, f"{side}.exit"), "w") as f:
            f.write(f"{o.exit}\n")
        written = {p: d for p, d in o.files.items() if case.files.get(p) != d}
        if written:
            sandbox.write_files(os.path.join(folder, f"{side}.files"), written)
    return folder


def compare(item):
    """Runs one case with both binaries (in the worker).

    Returns (index, report or None, trouble): trouble is "timeout" when a
    run ran out of time, or the message of a setup step that failed."""
    index, case = item
    # One folder per worker, the same for both binaries.
    root = os.path.join(_ctx["scratch"], f"case-{os.getpid()}")
    old = sandbox.run(case, _ctx["old"], _ctx["bin_old"], root)
    new = sandbox.run(case, _ctx["new"], _ctx["bin_new"], root)
    trouble = None
    for o in (old, new):
        if isinstance(o.exit, str):
            trouble = f"{case.id}: {o.exit}" if o.exit != "timeout" else "timeout"
    diff = differences(case, old, new)
    if not diff:
        return index, None, trouble
    folder = _keep(case, old, new)
    head = [f"DIFFERENCE {case.id}", f"  command: {describe(case)}",
            f"  inputs kept in {os.path.relpath(folder)}"]
    return index, "\n".join(head + ["  " + line for line in diff]), trouble


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("old", help="the reference binary")
    ap.add_argument("new", help="the binary under test")
    ap.add_argument("--quick", action="store_true", help="one of every kind of case, fewer random ones (about 4,700 cases)")
    ap.add_argument("--jobs", type=int, default=2, help="processes running cases (default 2)")
    ap.add_argument("--only", metavar="TEXT", help="only the cases whose id contains TEXT")
    ap.add_argument("--out", metavar="DIR", default=str(ROOT / "target" / "differential"),
                    help="where differing cases are kept (default target/differential)")
    ap.add_argument("--show", type=int, default=25, metavar="N",
                    help="print the diff of the first N differences (all are kept on disk)")
    ap.add_argument("--list", action="store_true", help="print the cases' ids and command lines, run nothing")
    args = ap.parse_args(argv)

    all_cases = plan.build(ROOT, args.quick)
    if args.only:
        all_cases = [c for c in all_cases if args.only in c.id]
    if args.list:
        for c in all_cases:
            print(f"{c.id}\t{describe(c)}")
        print(f"{len(all_cases)} cases")
        return 0
    binaries = []
    for b in (args.old, args.new):
        path = shutil.which(b) if os.sep not in b else b
        if not path or not os.access(path, os.X_OK):
            print(f"error: '{b}' is not an executable file", file=sys.stderr)
            return 2
        binaries.append(os.path.abspath(path))
    old, new = binaries

    out_dir = os.path.abspath(args.out)
    shutil.rmtree(out_dir, ignore_errors=True)
    os.makedirs(out_dir)
    scratch = tempfile.mkdtemp(prefix="premise-difftest-")
    for side, binary in [("old", old), ("new", new)]:
        os.makedirs(os.path.join(scratch, f"bin-{side}"))
        os.symlink(binary, os.path.join(scratch, f"bin-{side}", "premise"))

    mode = "quick" if args.quick else "full"
    print(f"{len(all_cases)} cases ({mode}), old {old}, new {new}", flush=True)
    started = time.monotonic()
    reports, timeouts, setup_failures, done, last = {}, 0, [], 0, started
    try:
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(args.jobs, _init, (old, new, scratch, out_dir)) as pool:
            for index, report, trouble in pool.imap_unordered(
                    compare, enumerate(all_cases), chunksize=4):
                done += 1
                if trouble == "timeout":
                    timeouts += 1
                elif trouble:
                    setup_failures.append(trouble)
                if report:
                    reports[index] = report
                now = time.monotonic()
                if now - last > 10 and sys.stderr.isatty() or now - last > 60:
                    last = now
                    print(f"  {done}/{len(all_cases)} cases, {len(reports)} differences, "
                          f"{now - started:.0f} s", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    elapsed = time.monotonic() - started

    ordered = [reports[i] for i in sorted(reports)]
    with open(os.path.join(out_dir, "report.txt"), "w") as f:
        f.write("\n\n".join(ordered) + "\n")
    for r in ordered[: args.show]:
        print(r + "\n")
    rest = sorted(reports)[args.show:]
    if rest:
        print(f"... and {len(rest)} more, all in {os.path.relpath(os.path.join(out_dir, 'report.txt'))}; "
              f"the first of them:")
        for i in rest[:LISTED]:
            print(f"  {all_cases[i].id}")
    if reports:
        kinds = Counter(re.sub(r"\d+", "", all_cases[i].id.split("/")[-1]) for i in reports)
        print("differences by command: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()))
    if setup_failures:
        print(f"error: {len(setup_failures)} cases could not be set up, e.g. {setup_failures[0]}")
    print(f"{len(all_cases)} cases, {len(ordered)} differences, {timeouts} timed out, "
          f"{elapsed:.0f} s with {args.jobs} processes")
    if ordered:
        return 1
    return 2 if setup_failures else 0


if __name__ == "__main__":
    sys.exit(main())
