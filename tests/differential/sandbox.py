"""Running one case with one binary, in a folder of its own.

Everything the process can see is fixed: the working folder holds only the
case's input files, HOME is that folder, the clock git stamps commits with is
a constant, and `premise` on PATH (for git's diff driver and textconv) is the
binary under test. What comes back is all the run produced: stdout, stderr,
the exit code and every file in the folder afterwards, so that files written
by `fmt`, `:save` and `--plot` are compared like the output.

Both binaries run a case in the same folder (emptied in between), with the
same TMPDIR beside it, so an absolute path in a message is the same for
both. What is random whatever the harness does are the names of temporary
files: the one an atomic save writes first (`.premise-` and six random
characters, named in some I/O errors) and the ones git hands to a diff driver
or textconv (`git-blob-` and six characters, or TMPDIR/ and six characters
and `_`, named in premise's notes about them). Those six characters are
masked as XXXXXX in the output and in file names; nothing else is rewritten.
"""

import os
import re
import shutil
import signal
import subprocess
from dataclasses import dataclass, field

# Files git keeps for itself change with every run (index stat data, logs);
# of the .git folder only the configuration is something premise writes.
GIT_KEPT = {".git/config"}

RANDOM_NAMES = [
    (re.compile(rb"\.premise-[A-Za-z0-9]{6}\.tmp"), b".premise-XXXXXX.tmp"),
    (re.compile(rb"git-blob-[A-Za-z0-9]{6}"), b"git-blob-XXXXXX"),
]

FIXED_ENV = {
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "TZ": "UTC",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Analyst",
    "GIT_AUTHOR_EMAIL": "analyst@example.com",
    "GIT_COMMITTER_NAME": "Analyst",
    "GIT_COMMITTER_EMAIL": "analyst@example.com",
    "GIT_AUTHOR_DATE": "2024-01-01T00:00:00+0000",
    "GIT_COMMITTER_DATE": "2024-01-01T00:00:00+0000",
    "GIT_PAGER": "cat",
    "PAGER": "cat",
}


@dataclass
class Case:
    """One command line on one set of input files."""
    id: str
    argv: list
    files: dict
    stdin: bytes = None
    # Commands run first, in the same folder: git and cp, never premise, so
    # that both binaries start from the same state.
    setup: list = field(default_factory=list)
    timeout: float = 60.0


@dataclass
class Outcome:
    """What one run produced."""
    exit: object  # an int, or "timeout", or "setup failed: ..."
    stdout: bytes
    stderr: bytes
    files: dict  # path relative to the folder -> bytes, after the run


def environment(bin_dir: str, home: str, tmp: str) -> dict:
    env = dict(FIXED_ENV)
    env["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "/usr/bin:/bin")
    env["HOME"] = home
    env["TMPDIR"] = tmp
    return env


def _masker(tmp: str):
    """Masks the random part of temporary file names (see above)."""
    tmp_b = os.fsencode(tmp)
    patterns = RANDOM_NAMES + [(re.compile(re.escape(tmp_b) + rb"/[A-Za-z0-9]{6}_"), tmp_b + b"/XXXXXX_")]

    def mask(b: bytes) -> bytes:
        for pattern, replacement in patterns:
            b = pattern.sub(replacement, b)
        return b
    return mask


def _run(argv, executable, cwd, env, stdin, timeout):
    """Runs a process in its own group, so that a timeout ends its children too."""
    proc = subprocess.Popen(
        argv, executable=executable, cwd=cwd, env=env,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = proc.communicate(stdin, timeout=timeout)
        return proc.returncode, out, err
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        return "timeout", out, err


def write_files(root: str, files: dict):
    """Writes a case's input files under `root` (None stands for a folder)."""
    for rel, data in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if data is None:
            os.makedirs(path, exist_ok=True)
            continue
        with open(path, "wb") as f:
            f.write(data)


def _collect(root: str) -> dict:
    found = {}
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, root)
            if rel.startswith(".git" + os.sep) and rel not in GIT_KEPT:
                continue
            if os.path.islink(path):
                found[rel] = b"symlink -> " + os.fsencode(os.readlink(path))
                continue
            try:
                with open(path, "rb") as f:
                    found[rel] = f.read()
            except OSError as e:
                found[rel] = f"unreadable: {e.strerror}".encode()
    return found


def run(case: Case, binary: str, bin_dir: str, root: str) -> Outcome:
    """Runs `case` with `binary` (reached as `premise` through `bin_dir`) in
    the folder `root`, which must not exist yet and is removed afterwards
    (as is its temporary folder, `root` + "-tmp")."""
    tmp = root + "-tmp"
    os.makedirs(root)
    os.makedirs(tmp)
    mask = _masker(tmp)
    try:
        write_files(root, case.files)
        env = environment(bin_dir, root, tmp)
        for step in case.setup:
            try:
                code, out, err = _run(step, None, root, env, None, case.timeout)
            except OSError as e:
                code, err = e.strerror, b""
            if code != 0:
                msg = f"setup failed: {' '.join(step)}: {code} {err.decode(errors='replace')}"
                return Outcome(msg.strip(), b"", b"", {})
        executable = binary if case.argv[0] == "premise" else None
        try:
            code, out, err = _run(case.argv, executable, root, env, case.stdin, case.timeout)
        except OSError as e:
            return Outcome(f"cannot run {case.argv[0]}: {e.strerror}", b"", b"", {})
        files = {os.fsdecode(mask(os.fsencode(p))): d for p, d in _collect(root).items()}
        return Outcome(code, mask(out), mask(err), files)
    finally:
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)
