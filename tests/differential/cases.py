"""Which command lines run on which models: every command of the CLI and of
the REPL, with cells, inputs and scenarios picked from each model's outline.

Each function returns a list of `Case`; ids are `MODEL/COMMAND` and unique.
Picks use a random generator seeded by the model's id, so the cases are the
same on every run and do not shift when another model is added.
"""

import random
import re
import shlex

from corpus import BIG, FULL, LIGHT, Model, neighbour
from outline import outline
from sandbox import Case

GHOST = "ghost_cell"


class Builder:
    """Collects the cases of one model."""

    def __init__(self, model: Model, seed: int, extra_files=None):
        self.m = model
        self.p = model.path
        self.files = {model.path: model.data}
        self.files.update(extra_files or {})
        self.rng = random.Random(f"{seed}:{model.id}:cases")
        self.cases = []
        text = model.data.decode("utf-8", "replace")
        self.o = outline(text) if len(model.data) < 200_000 else None

    def add(self, tag, argv, stdin=None, files=None, timeout=60.0):
        self.cases.append(Case(f"{self.m.id}/{tag}", ["premise"] + argv,
                               files or self.files, stdin, [], timeout))

    def repl(self, tag, script: str, args=None):
        self.add(f"repl-{tag}", ["repl"] + (args if args is not None else [self.p]),
                 stdin=script.encode())


def _typo(name: str) -> str:
    return name[:-1] if len(name) > 1 else name + "x"


def _pairs(o, rng, count):
    """(output, input it reads) pairs for what-if questions."""
    pairs = []
    outputs = [c for c in o.outputs() if o.upstream(c.name)]
    rng.shuffle(outputs)
    for t in outputs[:count]:
        ups = o.upstream(t.name)
        pairs.append((t.name, rng.choice(ups).name))
    if not pairs and o.cells:
        pairs.append((o.cells[-1].name, o.cells[0].name))
    return pairs


# ---------------------------------------------------------------- the REPL


def script_queries(o, rng) -> str:
    names = o.names()
    lines = names[:15]
    if len(names) >= 2:
        a, b = rng.sample(names, 2)
        lines += [f"{a} + {b}", f"{a} * 2", f"-{b}", f"{a} == {b}", f"({a}\n  + 1)"]
    lines += ["1 + 1", "2 ^ 0.5", "$1B / 3", "1/3 as %", GHOST, "1 +", "(1 +\n 2)", ""]
    groups = sorted({n.rsplit(".", 1)[0] for n in names if "." in n})
    lines += [f"sum({g}.*)" for g in groups[:2]]
    pick = rng.choice(names) if names else GHOST
    inp = rng.choice(o.inputs()).name if o.inputs() else pick
    lines += [f":why {pick}", f":explain {pick}", f":why {GHOST}", ":why",
              f":deps {pick}", f":uses {inp}", f":deps {GHOST}", ":uses",
              ":inputs", ":inputs x", ":list", f":list {pick[:2]}*", f":list {pick[1:3]}",
              ":list nothing*", f":show {pick}", f":show {inp}", f":show {_typo(pick)}",
              ":help", ":?", ":bogus", ":shwo x", ":scenario", ":changes", ":undo"]
    for s in o.scenarios[:2]:
        lines += [f":scenario {s}", pick, ":list", ":scenario base"]
    lines += [":scenario nosuch", ":q", pick]
    return "\n".join(lines) + "\n"


def script_changes(o, rng) -> str:
    names = o.names()
    if not names:
        return "x = 1\nx\n:changes\n:save\n:save new.model\n:reload\n:undo\n:undo\n"
    inputs = [c.name for c in o.inputs()] or names
    i = rng.choice(inputs)
    t = rng.choice(o.outputs()).name if o.outputs() else rng.choice(names)
    lines = [f"{i} = 2", f"{i} = 50%", f"{i} = $3B", f"{i} = 7 [W]", f"{t} = {i} * 3",
             "new_cell = 1 + 1", f"new_cell2 = {i} + new_cell", "new_cell2", ":changes",
             f"{i} = {GHOST} + 1", f"{i} = 1 +", f"{i} = (1 +\n 2)", f"{i} = {t}", f"{i} = {i}",
             f"{_typo(i)} = 4", ":undo", ":changes", f":reset {i}", f":reset {GHOST}",
             ":reset", ":undo", ":reset all", ":changes", ":undo", ":undo", ":undo",
             ":undo", ":undo", ":undo", ":undo", ":undo", ":undo", ":undo", ":changes"]
    for s in o.scenarios[:1]:
        lines += [f":scenario {s}", f"{i} = 5", t, ":changes", ":scenario base", t]
    lines += [f"{i} = 11", ":save", ":save out.model", ":save!", ":save sub/none.model",
              f"{t} = 1", ":reload", ":changes", t, ":save! out.model", ":reset all", ":save"]
    return "\n".join(lines) + "\n"


def script_whatif(o, rng) -> str:
    lines = []
    for t, i in _pairs(o, rng, 2):
        lines += [f":solve {t}={t}*1.1 {i}", f":solve {t}=0 {i}", f":solve {t}={t} {i} {i}*0..{i}*10",
                  f":solve {t}=0 {GHOST}", f":solve {t} 0", f":sweep {i}={i}*0.5..{i}*1.5:{i}*0.25 {t}",
                  f":sweep {i}={i}..{i} {t}", f":sweep {i}=1..0:0 {t}", f":sweep {i}=0..10 {t},{i}",
                  f":sens {t}", f":sens {t} 50%", f":sens {t} 0", f":sens {i}", ":sens", ":sweep", ":solve",
                  f"{i} = 3", f":solve {t}={t}*1.1 {i}", f":sens {t}"]
    return "\n".join(lines) + "\n"


def script_random(o, rng) -> str:
    pool = (script_queries(o, rng) + script_changes(o, rng) + script_whatif(o, rng)).split("\n")
    pool = [line for line in pool if line and not line.startswith((":q", ":save"))]
    lines = [rng.choice(pool) for _ in range(25)] if pool else []
    return "\n".join(lines) + "\n:save\n"


# ---------------------------------------------------------------- per model


def full(b: Builder, limits):
    p, o, rng = b.p, b.o, b.rng
    names = o.names() if o else []
    add = b.add
    for fmt in ["table", "json", "csv"]:
        add(f"eval-{fmt}", ["eval", p, "--format", fmt])
        add(f"eval-{fmt}-exact", ["eval", p, "--format", fmt, "--exact"])
    if names:
        add("eval-first-last", ["eval", p, names[0], names[-1]])
        add("eval-ghost", ["eval", p, names[0], GHOST])
        add("eval-typo", ["eval", p, _typo(names[-1])])
    for k, s in enumerate(o.scenarios[:3] if o else []):
        add(f"eval-scenario{k}", ["eval", p, "--scenario", s])
        if names:
            add(f"get-scenario{k}", ["get", p, names[-1], "--scenario", s])
            add(f"explain-scenario{k}", ["explain", p, names[-1], "--scenario", s])
    if o and o.scenarios:
        every = ",".join(["base"] + o.scenarios[:3])
        for fmt in ["table", "json", "csv"]:
            add(f"eval-scenarios-{fmt}", ["eval", p, "--scenario", every, "--format", fmt])
    add("eval-scenario-nosuch", ["eval", p, "--scenario", "nosuch"])
    inputs = [c.name for c in o.inputs()] if o else []
    if inputs:
        i = rng.choice(inputs)
        t = names[-1]
        for k, v in enumerate(["2", "50%", "$1B", f"{i}*3", "(", GHOST, i, "1 [W]", "-0"]):
            add(f"eval-set{k}", ["eval", p, "--set", f"{i}={v}"])
        add("eval-set-two", ["eval", p, "--set", f"{i}=1", "--set", f"{t}={i}+1", "--format", "json"])
        add("eval-set-ghost", ["eval", p, "--set", f"{GHOST}=1"])
        add("eval-set-noeq", ["eval", p, "--set", i])
        add("get-set", ["get", p, t, "--set", f"{i}=0"])
    for k, n in enumerate(names[: limits["get"]]):
        add(f"get{k}", ["get", p, n])
        if k < 3:
            add(f"get{k}-exact", ["get", p, n, "--exact"])
    add("get-ghost", ["get", p, GHOST])
    add("check", ["check", p])
    for k, n in enumerate(names[: limits["explain"]]):
        add(f"explain{k}", ["explain", p, n])
    add("explain-ghost", ["explain", p, GHOST])
    add("graph-dot", ["graph", p])
    add("graph-json", ["graph", p, "--format", "json"])
    add("show", ["show", p])
    add("fmt", ["fmt", p])
    add("fmt-check", ["fmt", "--check", p])
    for k, (t, i) in enumerate(_pairs(o, rng, limits["whatif"]) if o else []):
        add(f"solve{k}", ["solve", p, "--target", f"{t}={t}*1.1", "--vary", i])
        add(f"solve{k}-zero", ["solve", p, "--target", f"{t}=0", "--vary", i])
        add(f"solve{k}-exact", ["solve", p, "--target", f"{t}={t}*2", "--vary", i, "--exact"])
        add(f"solve{k}-between", ["solve", p, "--target", f"{t}={t}*2", "--vary", i,
                                  "--between", f"{i}*0..{i}*10"])
        add(f"sweep{k}", ["sweep", p, "--vary", f"{i}={i}*0.5..{i}*1.5", "--show", t])
        for fmt in ["csv", "json"]:
            add(f"sweep{k}-{fmt}", ["sweep", p, "--vary", f"{i}={i}*0.5..{i}*1.5:{i}*0.25",
                                    "--show", f"{t},{i}", "--format", fmt])
        add(f"sweep{k}-exact-plot", ["sweep", p, "--vary", f"{i}=-2..2:0.5", "--show", t,
                                     "--exact", "--plot", "sweep.svg"])
        others = [c.name for c in o.upstream(t) if c.name != i]
        if others:
            j = rng.choice(others)
            add(f"sweep{k}-two-way", ["sweep", p, "--vary", f"{i}={i}*0.5..{i}*1.5:{i}*0.5",
                                      "--vary", f"{j}={j}..{j}*2", "--show", t, "--plot", "two.svg"])
        add(f"sens{k}", ["sensitivity", p, t])
        add(f"sens{k}-by-plot", ["sensitivity", p, t, "--by", "50%", "--plot", "tornado.svg"])
        for s in o.scenarios[:1]:
            add(f"sens{k}-scenario", ["sensitivity", p, t, "--scenario", s])
            add(f"solve{k}-scenario", ["solve", p, "--target", f"{t}=0", "--vary", i, "--scenario", s])
    if o is not None:
        b.repl("queries", script_queries(o, rng))
        b.repl("changes", script_changes(o, rng))
        b.repl("whatif", script_whatif(o, rng))
        for k in range(limits["random_repl"]):
            b.repl(f"random{k}", script_random(o, rng))
    diffs(b)


def light(b: Builder):
    p, o = b.p, b.o
    names = o.names() if o else []
    for argv, tag in [(["eval", p], "eval"), (["eval", p, "--format", "json"], "eval-json"),
                      (["check", p], "check"), (["show", p], "show"),
                      (["graph", p, "--format", "json"], "graph-json"), (["fmt", p], "fmt"),
                      (["fmt", "--check", p], "fmt-check")]:
        b.add(tag, argv)
    if names:
        b.add("explain", ["explain", p, names[0]])
        b.add("get", ["get", p, names[-1]])
        script = "\n".join(names[:3] + [f"{names[0]} = 1", ":changes", ":save", ":why " + names[-1]])
        b.repl("short", script + "\n")


def big(b: Builder, n: int):
    p, o = b.p, b.o
    names = o.names() if o else []
    first, last = (names[0], names[-1]) if names else ("x0", "x0")
    for argv, tag in [(["eval", p], "eval"), (["eval", p, "--format", "csv"], "eval-csv"),
                      (["check", p], "check"), (["graph", p, "--format", "json"], "graph-json"),
                      (["show", p], "show"), (["fmt", "--check", p], "fmt-check"),
                      (["get", p, last], "get-last"), (["get", p, last, "--exact"], "get-last-exact"),
                      (["eval", p, last, "--set", f"{first}=2"], "eval-set"),
                      (["solve", p, "--target", f"{last}={last}*2", "--vary", first], "solve"),
                      (["sweep", p, "--vary", f"{first}=0..10:1", "--show", last], "sweep")]:
        b.add(tag, argv, timeout=120.0)
    if n <= 1000:
        b.add("explain-last", ["explain", p, last])
        b.add("sens-last", ["sensitivity", p, last])
        b.add("fmt", ["fmt", p])
    b.repl("chain", f"{first} = 2\n{last}\n:undo\n{last}\n:why {names[min(1, len(names) - 1)] if names else first}\n"
                    f":changes\n:uses {first}\n{first} = {last}\n:save\n")
    diffs(b, with_json=True)


def diffs(b: Builder, with_json=True):
    """`diff` of the model against a neighbour, and the git diff driver on the pair."""
    p = b.p
    new = neighbour(b.m, 0)
    files = dict(b.files)
    files["new.model"] = new
    b.add("diff", ["diff", p, "new.model"], files=files)
    b.add("diff-reverse", ["diff", "new.model", p], files=files)
    if with_json:
        b.add("diff-json", ["diff", p, "new.model", "--format", "json"], files=files)
    b.add("diff-same", ["diff", p, p])
    for s in (b.o.scenarios[:1] if b.o else []):
        b.add("diff-scenario", ["diff", p, "new.model", "--scenario", s], files=files)
        b.add("diff-scenario-vs", ["diff", p, "--scenario-vs", "base", s])
        b.add("diff-scenario-vs-json", ["diff", p, "--scenario-vs", s, "base", "--format", "json"])
    b.add("git-diff-driver", ["git-diff", p, p, "1111111", "100644", "new.model", "2222222", "100644"],
          files=files)


def model_cases(model: Model, seed: int, limits: dict) -> list:
    b = Builder(model, seed)
    if model.tier == FULL:
        full(b, limits)
    elif model.tier == LIGHT:
        light(b)
    elif model.tier == BIG:
        big(b, len(model.data.split(b"\n")))
    return b.cases


# ---------------------------------------------------------------- git


GIT_SETUP = [
    ["git", "init", "-q", "-b", "main"],
    ["git", "config", "commit.gpgsign", "false"],
    ["git", "config", "diff.premise.command", "premise git-diff"],
    ["git", "config", "diff.premise.textconv", "premise show"],
]


def git_cases(model: Model, seed: int) -> list:
    """A repository where `m.model` went from the model to a neighbour, with a
    third version not committed; git and premise asked about it."""
    v2 = neighbour(model, 0)
    v3 = neighbour(Model(model.id + "~v2", model.path, v2, model.tier), 1)
    files = {".versions/v1": model.data, ".versions/v2": v2, ".versions/v3": v3,
             ".gitattributes": b"*.model diff=premise\n"}
    setup = GIT_SETUP + [
        ["cp", ".versions/v1", "m.model"], ["git", "add", "m.model", ".gitattributes"],
        ["git", "commit", "-q", "--allow-empty", "-m", "v1"],
        ["cp", ".versions/v2", "m.model"], ["git", "add", "m.model"],
        ["git", "commit", "-q", "--allow-empty", "-m", "v2"],
        ["cp", ".versions/v3", "m.model"],
    ]
    o = outline(model.data.decode("utf-8", "replace"))
    commands = {
        "git-diff-commits": ["git", "diff", "HEAD~1", "HEAD"],
        "git-diff-worktree": ["git", "diff"],
        "git-log-p": ["git", "log", "-p"],
        "git-log-p-ext": ["git", "log", "-p", "--ext-diff"],
        "git-show-ext": ["git", "show", "--ext-diff", "HEAD"],
        "diff-head": ["premise", "diff", "m.model"],
        "diff-rev-file": ["premise", "diff", "HEAD~1:m.model", "m.model"],
        "diff-revs-json": ["premise", "diff", "HEAD~1:m.model", "HEAD:m.model", "--format", "json"],
        "diff-dot-path": ["premise", "diff", "HEAD~1:./m.model", "HEAD:m.model"],
        "diff-bad-rev": ["premise", "diff", "HEAD~7:m.model", "m.model"],
        "diff-bad-path": ["premise", "diff", "HEAD:nosuch.model", "m.model"],
        "diff-rev-alone": ["premise", "diff", "HEAD~1:m.model"],
        "git-setup": ["premise", "git", "setup"],
    }
    for s in o.scenarios[:1]:
        commands["diff-revs-scenario"] = ["premise", "diff", "HEAD~1:m.model", "HEAD:m.model",
                                          "--scenario", s]
    return [Case(f"git-{model.id}/{tag}", argv, files, None, setup) for tag, argv in commands.items()]


def git_add_delete_cases() -> list:
    """A model added, another deleted: git passes /dev/null for the missing side."""
    files = {".versions/a": b"a = 1\nb = a * 2\n", ".versions/b": b"x = $5B\ny = x / 2\n",
             ".gitattributes": b"*.model diff=premise\n"}
    setup = GIT_SETUP + [
        ["cp", ".versions/a", "a.model"], ["git", "add", "-A", "a.model", ".gitattributes"],
        ["git", "commit", "-q", "-m", "add a"],
        ["git", "rm", "-q", "a.model"], ["cp", ".versions/b", "b.model"], ["git", "add", "b.model"],
        ["git", "commit", "-q", "-m", "a goes, b comes"],
    ]
    commands = {
        "diff-commits": ["git", "diff", "HEAD~1", "HEAD"],
        "log-p": ["git", "log", "-p"],
        "log-p-ext": ["git", "log", "-p", "--ext-diff"],
        "diff-deleted-rev": ["premise", "diff", "HEAD~1:a.model", "HEAD:a.model"],
    }
    return [Case(f"git-add-delete/{tag}", argv, files, None, setup) for tag, argv in commands.items()]


# ---------------------------------------------------------------- command lines


AI = "models/ai_200b.model"


def command_line_cases(root) -> list:
    """Bad and odd command lines, on the flagship model."""
    ai = (root / AI).read_bytes()
    files = {AI: ai, "m.model": b"a = 1\nb = a * 2\n", "folder/.keep": b"",
             "with space.model": b"a = 1\n", "\u00fcnicode.model": b"a = 2\n"}
    subcommands = ["eval", "get", "check", "explain", "graph", "repl", "fmt", "diff", "git-diff",
                   "show", "git", "solve", "sweep", "sensitivity", "gen"]
    lines = [
        [], ["--help"], ["-h"], ["--version"], ["-V"], ["help"], ["help", "eval"], ["bogus"],
        ["eval"], ["eval", "missing.model"], ["eval", "folder"], ["eval", AI, "--format", "xml"],
        ["eval", AI, "--bogus"], ["eval", AI, "--format"], ["eval", AI, "--scenario"],
        ["eval", AI, "--scenario", ""], ["eval", AI, "--scenario", "bear,,bull"],
        ["eval", AI, "--scenario", "bear,bear"], ["eval", AI, "--scenario", "Bear"],
        ["eval", AI, "--set", "=1"], ["eval", AI, "--set", "margin="], ["eval", AI, "--set", "margin=1 +"],
        ["eval", AI, "--set", "margin = 40%"], ["eval", AI, "--set", "margin=40%", "--set", "margin=30%"],
        ["eval", AI, "gap", "gap"], ["eval", AI, "revenue.*"], ["eval", "with space.model"],
        ["eval", "\u00fcnicode.model"], ["eval", "./m.model"], ["eval", "m.model", AI],
        ["get", AI], ["get", AI, "gap", "covered"], ["get", AI, "gapp"], ["get", AI, "Gap"],
        ["get", AI, ""], ["explain", AI], ["explain", AI, "revenue"], ["check"], ["check", AI, AI],
        ["graph", AI, "--format", "svg"], ["show"], ["show", "missing.model"],
        ["fmt"], ["fmt", "missing.model"], ["fmt", "m.model", "missing.model"], ["fmt", "--check"],
        ["fmt", "--check", "m.model", AI], ["fmt", "folder"],
        ["diff"], ["diff", AI, "missing.model"], ["diff", "missing.model", AI],
        ["diff", AI, AI, "--scenario", "nosuch"], ["diff", AI, AI, "--format", "xml"],
        ["diff", AI, "--scenario-vs", "base"], ["diff", AI, "--scenario-vs", "base", "nosuch"],
        ["diff", AI, "m.model", "--scenario-vs", "base", "bear"],
        ["git-diff"], ["git-diff", "m.model"], ["git-diff", "a", "b", "c"],
        ["git-diff", "m.model", "/dev/null", "0000000", "100644", "m.model", "1111111", "100644"],
        ["git-diff", "m.model", "m.model", "1111111", "100644", "/dev/null", "0000000", "100644"],
        ["git-diff", "m.model", "missing.model", "1", "100644", "m.model", "2", "100644"],
        ["git", "setup"], ["git"], ["git", "bogus"],
        ["solve", AI], ["solve", AI, "--target", "gap=0"], ["solve", AI, "--vary", "margin"],
        ["solve", AI, "--target", "gap", "--vary", "margin"],
        ["solve", AI, "--target", "gap=0", "--vary", "gpu_spen"],
        ["solve", AI, "--target", "gapp=0", "--vary", "gpu_spend"],
        ["solve", AI, "--target", "gap=50 [W]", "--vary", "margin"],
        ["solve", AI, "--target", "gap=0", "--vary", "margin", "--between", "90%..10%"],
        ["solve", AI, "--target", "gap=0", "--vary", "margin", "--between", "10%"],
        ["solve", AI, "--target", "gap=0", "--vary", "data_center"],
        ["solve", AI, "--target", "gap=0", "--vary", "margin", "--scenario", "bear,bull"],
        ["sweep", AI, "--vary", "margin=30%..70%"], ["sweep", AI, "--show", "gap"],
        ["sweep", AI, "--vary", "margin=30%..70%", "--show", "gapp"],
        ["sweep", AI, "--vary", "margin=$1..$2", "--show", "gap"],
        ["sweep", AI, "--vary", "margin=0..1:0", "--show", "gap"],
        ["sweep", AI, "--vary", "margin=0..1:0.00001", "--show", "gap"],
        ["sweep", AI, "--vary", "margin=1..0", "--show", "gap"],
        ["sweep", AI, "--vary", "margin", "--show", "gap"],
        ["sweep", AI, "--vary", "margin=30%..70%", "--show", "gap", "--plot", "folder"],
        ["sweep", AI, "--vary", "margin=30%..70%", "--show", "gap", "--plot", "nodir/x.svg"],
        ["sweep", AI, "--vary", "margin=30%..70%", "--vary", "margin=1..2", "--show", "gap"],
        ["sweep", AI, "--vary", "margin=1..2", "--vary", "gpu_spend=1..2", "--vary", "energy=1..2",
         "--show", "gap"],
        ["sensitivity", AI], ["sensitivity", AI, "gapp"], ["sensitivity", AI, "gap", "--by", "0"],
        ["sensitivity", AI, "gap", "--by", "abc"], ["sensitivity", AI, "gap", "--by", "-10%"],
        ["sensitivity", AI, "gap", "--by", "200%"], ["sensitivity", AI, "margin"],
        ["sensitivity", AI, "gap", "--plot", "folder"],
        ["repl", "missing.model"], ["repl", AI, "extra"],
        ["gen"], ["gen", "W4", "10"], ["gen", "w1", "x"], ["gen", "W1", "-1"], ["gen", "W1"],
    ]
    lines += [[s, "--help"] for s in subcommands]
    out = [Case(f"cli/{k:03d}-" + (re.sub(r"[^\w.-]+", "_", " ".join(argv))[:40] or "none"), ["premise"] + argv, files)
           for k, argv in enumerate(lines)]
    out.append(Case("cli/repl-no-file", ["premise", "repl"], files,
                    b"x = 2\ny = x * 3\nx = 3\ny\n:list\n:save\n:save n.model\n:reload\n:changes\n"))
    out.append(Case("cli/repl-empty-stdin", ["premise", "repl", AI], files, b""))
    out.append(Case("cli/repl-no-newline", ["premise", "repl", AI], files, b"gap"))
    out.append(Case("cli/repl-crlf", ["premise", "repl", AI], files, b"gap\r\nmargin = 40%\r\n:changes\r\n"))
    out.append(Case("cli/repl-bad-utf8", ["premise", "repl", AI], files, b"gap\n\xff\xfe\nmargin\n"))
    out.append(Case("cli/repl-nul", ["premise", "repl", AI], files, b"gap\x00\nmargin\n"))
    out.append(Case("cli/repl-open-paren", ["premise", "repl", AI], files, b"(gap +\n"))
    out.append(Case("cli/repl-long-line", ["premise", "repl", AI], files,
                    ("1" + " + 1" * 20000 + "\n").encode()))
    out.append(Case("cli/repl-save-small", ["premise", "repl", "m.model"], files,
                    b"a = 5\n:save\nb\n"))
    return out


def gen_cases(sizes) -> list:
    return [Case(f"gen/{w}-{n}", ["premise", "gen", w, str(n)], {}, None)
            for w in ["W1", "W2", "W3", "w1"] for n in sizes]


def describe(case: Case) -> str:
    """The case as a shell command line (stdin and setup noted)."""
    line = shlex.join(case.argv)
    if case.stdin is not None:
        line += " < stdin"
    return line
