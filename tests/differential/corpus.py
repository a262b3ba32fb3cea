"""The models the cases run on: the repository's own, the benchmark
workloads, hand-made ones for every kind of error and oddity, byte-level
variants (encodings, line ends), mutants, and random models.

Every model is produced deterministically from the repository's files and
fixed seeds; none is made by either binary under test.
"""

import random
import re
from dataclasses import dataclass
from pathlib import Path

import generate

# How much is asked of a model (see cases.py): "full" runs every command with
# every pick, "light" the commands that read a model once, "big" the commands
# that stay fast on large models.
FULL, LIGHT, BIG = "full", "light", "big"


@dataclass
class Model:
    id: str        # unique, also the case folder's name
    path: str      # where it sits in the case's folder (diagnostics print it)
    data: bytes
    tier: str


def repository(root: Path) -> list:
    """Every .model under models/ and tests/cases/, and the fuzzers' findings."""
    out = []
    for folder in ["models", "tests/cases"]:
        for p in sorted((root / folder).rglob("*.model")):
            rel = p.relative_to(root).as_posix()
            ident = "repo-" + re.sub(r"[^\w.-]", "_", rel)
            out.append(Model(ident, rel, p.read_bytes(), FULL))
    for p in sorted((root / "tests/fuzz").glob("*")):
        if p.suffix == ".choices":
            text = generate.model(p.read_bytes()).encode()
            out.append(Model("fuzz-" + p.stem, "m.model", text, FULL))
        elif p.suffix == ".model":
            out.append(Model("fuzz-" + p.stem, "m.model", p.read_bytes(), FULL))
    return out


def workload_text(kind: str, n: int) -> str:
    """The text `premise gen KIND N` writes (src/workload.rs), made here."""
    lines = []
    if kind == "W1":
        if n > 0:
            lines.append("x0 = 1")
        lines += [f"x{i} = x{i - 1} * 0.9999 + 1" for i in range(1, n)]
    elif kind == "W2":
        lines += [f"a.c{i} = {i}" for i in range(1, n + 1)]
        lines.append("total = sum(a.*)")
    else:
        for k in range(n // 10):
            lines.append(f"g{k}_0 = {k}")
            lines += [f"g{k}_{j} = g{k}_{j - 1} * 2 + 1" for j in range(1, 10)]
    return "".join(line + "\n" for line in lines)


def workloads(sizes) -> list:
    out = []
    for kind in ["W1", "W2", "W3"]:
        for n in sizes:
            tier = FULL if n <= 30 else BIG
            out.append(Model(f"gen-{kind}-{n}", f"{kind.lower()}.model",
                             workload_text(kind, n).encode(), tier))
    return out


def _deep(n, inner="1"):
    return "(" * n + inner + ")" * n


HAND = {
    # --- parse errors, one kind each
    "parse-trailing-op": "a = 1 +\n",
    "parse-unclosed": "a = (1\nb = 2\n",
    "parse-unmatched-close": "a = 1)\n",
    "parse-chained-cmp": "a = 1 < 2 < 3\n",
    "parse-unknown-fn": "a = summ(1)\nb = SQRTT(4)\nc = lnn(2)\n",
    "parse-bare-word-unit": "a = 5 apples\n",
    "parse-arity": "a = round(1, 2, 3)\nb = clamp(1, 2)\nc = sqrt(1, 2)\nd = abs()\ne = sum()\n",
    "parse-dollar-space": "a = $ 5\n",
    "parse-no-name": "= 1\n",
    "parse-no-formula": "a =\n",
    "parse-two-names": "a b = 1\n",
    "parse-digit-name": "1a = 2\n",
    "parse-two-values": "a = 1 2\n",
    "parse-unit-alone": "a = [W]\n",
    "parse-unit-unclosed": "a = 5 [W\nb = 2\n",
    "parse-unit-double-close": "a = 5 [W]]\n",
    "parse-unit-bad-power": "a = 5 [W^x]\nb = 5 [W^-1]\nc = 5 [W^0]\nd = 5 [W^99999999999]\n",
    "parse-unit-usd-twice": "a = $5 [USD]\nb = $0.08 [USD/kWh]\n",
    "parse-unit-empty": "a = 5 []\nb = 5 [/]\nc = 5 [1/]\nd = 5 [*W]\n",
    "parse-as": "a = 1 as\nb = 1 as %%\nc = 1 as percent\nd = 1 as % as %\n",
    "parse-if": "a = if true then 1\nb = if 1 then else 2\nc = if then 1 else 2\nd = if true 1 else 2\n",
    "parse-not": "a = not\nb = not not\n",
    "parse-cmp-end": "a = 1 ==\nb = == 1\nc = 1 = 1\nd = 1 => 1\ne = 1 <> 2\n",
    "parse-comma": "a = ,\nb = sum(1,,2)\nc = sum(1,)\nd = (1, 2)\n",
    "parse-many": "a = 1 +\nb = (\nc = )\nd = 1 < 2 < 3\ne = 1 2\nf = [W]\ng =\n= 3\nh = $\n",
    "parse-keyword-names": "if = 1\ntrue = 1\nscenario = 1\nnot = 2\nas = 3\nunit = 4\naxis = 5\nto = 6\n",
    "parse-keyword-dotted": "a.if = 1\nif.x = 1\nb = if.x\ntrue.x = 1\nnot.x = 2\nthen.y = 3\nc = then.y\n",
    "parse-keyword-refs": "x = true.x + 1\ny = not.x\nz = false.y * 2\nw = else.z\n",
    "parse-numbers": "a = 1e\nb = 1__0\nc = 1_\nd = .5\ne = 5.\nf = 1.2.3\ng = 50%%\nh = %5\ni = $$5\nj = $-3M\nk = 1K5\nl = 1k\nm = 1X\nn = 1e+\no = 0x10\np = 1,000\n",
    "numbers-ok": "a = -$3M\nb = 1_000_000\nc = 1e-3\nd = 2.5E6\ne = 50%\nf = $1.5B\ng = 1.50\nh = 007\ni = 1e0\nj = 12.5%\nk = $2 [/GPU]\nl = 3 [GPU*h]\nm = 9.81 [m/s^2]\nn = 700[W]\no = 1T\np = 0.000001\nq = 1e28\nr = 1e-28\n",
    "numbers-extreme": "a = 1e400\nb = 1e-400\nc = 79228162514264337593543950335\nd = 79228162514264337593543950336\ne = 0.0000000000000000000000000001\nf = 0.00000000000000000000000000001\ng = 1234567890123456789012345678901\nh = 7.9e28\ni = 1e28 * 10\nj = -79228162514264337593543950335 - 1\n",
    "parse-stray-brace": "}\na = 1\n{\n",
    "parse-scenario-bad": "scenario {\n}\nscenario s s2 { }\nscenario 1s { }\nscenario if { }\nscenario s {\nscenario t {\n}\n}\n",
    "parse-scenario-inline-many": "a = 1\nb = 2\nscenario s { a = 2 b = 3 }\n",
    "parse-scenario-text-after": "a = 1\nscenario s {\n a = 2\n} extra\n",
    "parse-assignment-in-formula": "a = b = 1\n",
    "parse-bidi-name": "a\u202e = 1\nb = 2\n",
    "parse-control-char": "a = 1\x07\nb = \x1b[31m2\n",
    "parse-nbsp": "a\u00a0= 1\nb =\u00a01\n",
    "parse-fullwidth-digit": "a = \uff11\nb = \u0661\u0662\n",
    "parse-zero-width": "a\u200d = 1\nb = a\u200b\n",
    "parse-emoji": "a = 1 # 🎉\nb💰 = 2\n",
    "parse-tab-inside": "a =\t1\t+\t2\n",
    # --- unknown names
    "unknown-name": "a = b + 1\n",
    "unknown-did-you-mean": "revenue = 1\nb = revenu * 2\nc = Revenue\nd = revenue.x\n",
    "unknown-group": "a = sum(nothing.*)\nx.a = 1\nb = sum(x.*)\nc = sum(x.y.*)\nd = sum(x.a.*)\n",
    "unknown-in-branch": "a = if true then 1 else ghost\nb = if false then ghost else 2\n",
    "unknown-fn-as-name": "count = 3\nsum = 4\nb = count + sum(1, 2) + sum\nc = COUNT\n",
    # --- cycles
    "cycle-self": "a = a + 1\n",
    "cycle-two": "a = b\nb = a\nc = 1\n",
    "cycle-three-dependent": "a = b + 1\nb = c + 1\nc = a + 1\nd = a * 2\ne = d + 1\nf = 5\n",
    "cycle-two-separate": "a = b\nb = a\nc = d\nd = c\ne = a + c\n",
    "cycle-group": "g.a = total\ng.b = 1\ntotal = sum(g.*)\n",
    "cycle-long": "".join(f"c{i} = c{(i + 1) % 50} + 1\n" for i in range(50)),
    "cycle-in-branch": "a = if true then 1 else b\nb = a\n",
    # --- units
    "units-mismatch": "a = 1 [W] + 1 [h]\nb = $1 + 1\nc = max(1 [W], 2)\nd = 1 [W] == 1 [h]\ne = clamp(1 [W], 0, 2)\nf = sum(1 [W], 1 [GPU])\n",
    "units-powers": "a = 2 [W] ^ 0.5\nb = 2 ^ 1 [W]\nc = 2 [W] ^ 2\nd = 2 [W] ^ -2\ne = (3 [m/s]) ^ 3\n",
    "units-functions": "a = ln(1 [W])\nb = exp(1 [h])\nc = sqrt(4 [W^2])\nd = abs(-2 [W])\ne = round(2.5 [W])\nf = floor(2.5 [h])\n",
    "units-if": "a = if true then 1 [W] else 2 [h]\nb = if false then 1 [W] else 2 [h]\n",
    "units-combine": "a = 700 [W] * 10 [h] * $0.08 [/kWh]\nb = 3 [GPU*h] / 3 [h]\nc = 9.81 [m/s^2] * 2 [s]\nd = $2 [/GPU] * 1000 [GPU]\ne = 1 [a/b*c] + 1 [a/b/c]\nf = 1 [kg*m^2/s^3]\ng = 2 [MW] / 500 [kW]\nh = 1 [W] / 1 [W]\n",
    "units-unknown-close": "a = 1 [kwh]\nb = 1 [Kwh]\nc = 2 [usd]\nd = 3 [gpu]\n",
    "units-canonical": "a = 1 [h*W]\nb = 1 [W*h]\nc = 1 [/b/a]\nd = 1 [z*a/y*b]\ne = 1 [W^2/W]\nf = 1 [W/W]\n",
    # --- evaluation errors
    "div-zero": "a = 1 / 0\nb = 0 / 0\nc = a + 1\nd = 5\ne = 1 / (d - 5)\n",
    "overflow": "a = 79228162514264337593543950335 + 1\nb = 10 ^ 30\nc = 2 ^ -1000\nd = exp(100)\ne = 79228162514264337593543950335 * 2\nf = -79228162514264337593543950335 - 1\n",
    "domain": "a = ln(0)\nb = sqrt(-1)\nc = 0 ^ -1\nd = (-8) ^ (1/3)\ne = ln(-1)\nf = 0 ^ 0\ng = (-2) ^ 0.5\n",
    "exactness": "a = 1 / 3 * 3\nb = 0.1 + 0.2 == 0.3\nc = 2 / 3\nd = 1 / 7\ne = sqrt(2)\nf = exp(1)\ng = ln(10)\nh = 2 ^ 0.5\ni = 10 ^ -28\nj = 1.1 ^ 100\n",
    "rounding": "a = round(2.5)\nb = round(-2.5)\nc = round(2.345, 2)\nd = round(1, 40)\ne = round(1, -40)\nf = round(1, 0.5)\ng = round(1234.5, -2)\nh = floor(-2.5)\ni = ceil(-2.5)\nj = round(0.5)\nk = round(-0.5)\n",
    "booleans": "a = true and false or not true\nb = 1 and true\nc = if 1 > 0 then $1 else $2\nd = not 5\ne = true == false\nf = true + 1\ng = true < false\nh = if 1 then 2 else 3\n",
    "functions": "a = SUM(1, 2)\nb = Sum(1)\nc = min(3, 1, 2)\nd = max(-1)\ne = avg(1, 2, 4)\nf = count(1, 2, 3)\ng = clamp(5, 3, 1)\nh = clamp(2, 1, 3)\ni = abs(-0)\nj = avg($1, $2)\n",
    "groups": "rev.a = $1\nrev.b = $2\nrev.eu.c = $3\nt = sum(rev.*)\nu = count(rev.*)\nv = avg(rev.eu.*)\nw = max(rev.*, $10)\nx = min(rev.*)\n",
    "percent-display": "a = 0.5 as %\nb = 50%\nc = 1 [W] as %\nd = true as %\ne = 1/3 as %\nf = 12.345%\ng = 50% + 0\nh = -0.00001 as %\n",
    # --- duplicates
    "dup-cell": "a = 1\na = 2\n",
    "dup-cell-far": "a = 1\nb = 2\na = 3\nb = 4\n",
    "dup-scenario": "a = 1\nscenario s {\n}\nscenario s {\n}\n",
    "dup-override": "a = 1\nscenario s {\n a = 2\n a = 3\n}\n",
    # --- scenarios
    "scenario-unknown-cell": "margin = 50%\nscenario bear {\n  margn = 40%\n}\n",
    "scenario-unterminated": "margin = 50%\nscenario bear {\n  margin = 40%\n",
    "scenario-nested": "a = 1\nscenario s {\n scenario t {\n a = 2\n }\n}\n",
    "scenario-keyword-name": "a = 1\nscenario base {\n a = 2\n}\n",
    "scenario-many": "a = 1\nb = a * 2\nc = b + a\nscenario s1 { a = 2 }\nscenario s2 { b = 3 }\nscenario s.3 {\n a = 0\n c = 1 / a\n}\nscenario empty { }\n",
    "scenario-cycle": "a = 1\nb = a\nscenario s {\n a = b\n}\n",
    "scenario-unknown-ref": "a = 1\nscenario s {\n a = ghost + 1\n}\n",
    "scenario-doc": "a = 1\n## the low case\nscenario low {\n  a = 0.5\n}\n",
    # --- layout
    "empty": "",
    "only-newline": "\n",
    "only-comment": "# only a comment\n",
    "blank-lines": "   \n\t\n\n\na = 1\n\n\n\nb = 2\n\n\n",
    "messy-spacing": "a=1\nb  =   a*2\n  c = (a+b)   /2   # note\n\td = -a\ne = a^-2\nf=a-(-b)\n",
    "multiline": "a = (1 +\n  2 + # comment\n  3)\nb = sum(\n  a,\n\n  2\n)\nc = (\n# only a comment\n1)\n",
    "docs": "## doc of a\na = 1\n## two lines\n## of doc\nb = a\n\n## detached doc\n\nc = 2\n# plain comment\n## doc then comment\n# comment\nd = 3\n",
    "unicode-names": "margem_líquida = 1\nΔ = 2\nnaïve = Δ * margem_líquida\n_x = 1\nx_ = _x\nÉcole.a = 1\ntotal = sum(École.*)\n",
    "wide-names": "收入 = $10B\n成本 = $4B\n利润 = 收入 - 成本\n利润率 = 利润 / 收入 as %\ncafe\u0301 = 2\nx = cafe\u0301 * 成本\nscenario 悲观 {\n  收入 = $8B\n}\n",
    "long-name": ("n" * 1000) + " = 1\nb = " + ("n" * 1000) + " + 1\n",
    "long-line": "a = " + " + ".join(str(i) for i in range(5000)) + "\n",
    "long-sum": "".join(f"v{i} = {i}\n" for i in range(300)) + "t = " + " + ".join(f"v{i}" for i in range(300)) + "\n",
    "long-number": "a = " + "1" * 10000 + "\nb = 0." + "3" * 10000 + "\n",
    "long-comment": "# " + "x" * 100000 + "\na = 1\n",
    "deep-parens-10": f"a = {_deep(10)}\n",
    "deep-parens-100": f"a = {_deep(100)}\n",
    "deep-parens-127": f"a = {_deep(127)}\n",
    "deep-parens-128": f"a = {_deep(128)}\n",
    "deep-parens-200": f"a = {_deep(200)}\n",
    "deep-parens-256": f"a = {_deep(256)}\n",
    "deep-parens-1000": f"a = {_deep(1000)}\n",
    "deep-parens-10000": f"a = {_deep(10000)}\n",
    "deep-parens-unclosed": "a = " + "(" * 500 + "1\n",
    "deep-parens-lines": "a = " + "(\n" * 300 + "1" + "\n)" * 300 + "\n",
    "deep-unary": "a = " + "-" * 1000 + "1\nb = " + "not " * 1000 + "true\n",
    "deep-if": "a = " + "if true then " * 200 + "1" + " else 2" * 200 + "\n",
    "deep-calls": "a = " + "abs(" * 300 + "1" + ")" * 300 + "\n",
    "pow-chain-100": "a = " + " ^ ".join(["1"] * 100) + "\n",
    "pow-chain-398": "a = " + " ^ ".join(["1"] * 398) + "\n",
    "pow-chain-399": "a = " + " ^ ".join(["1"] * 399) + "\n",
    "pow-chain-400": "a = " + " ^ ".join(["1"] * 400) + "\n",
    "pow-chain-401": "a = " + " ^ ".join(["1"] * 401) + "\n",
    "pow-chain-2000": "a = " + " ^ ".join(["1"] * 2000) + "\n",
    "unit-across-lines": "a = 5 [W\n]\nb = (5 [W\n])\nc = 1\n",
    "fast-path-shapes": "a = 1\nb = a\nc = a * 2\nd = $5B\ne = 5 [W]\nf = 5[W]\ng = 1.50\nh = a+1\ni = 50 %\nj = $ 5\nk = a .b\nl = 1e3 [W]\n",
    "display-values": "".join(
        f"v{i} = {v}\nm{i} = {'-$' + v[1:] if v[0] == '-' else '$' + v}\nw{i} = {v} [W]\nq{i} = {v} [USD/GPU]\np{i} = {v}%\n"
        for i, v in enumerate([
            "0", "1", "-1", "0.5", "0.125", "-0.125", "999.995", "999.994", "1000", "999999",
            "999999.999", "1000000", "1500000", "999999999", "1e12", "1.2345e15", "1e20",
            "0.0000001", "0.000001", "0.0000005", "123456.789", "12345678.9", "78125000000",
            "78.125", "0.001", "0.004", "0.005", "1234.5678", "25", "1e-10"])),
    "display-fractions": "a = 1/3\nb = 2/3\nc = -2/3\nd = $1/3\ne = 1/3 [W]\nf = $2B/3\ng = 1/3 as %\nh = 200/3 [GPU]\n",
}


def handmade() -> list:
    return [Model("hand-" + name, "m.model", text.encode(), FULL) for name, text in HAND.items()]


# --- byte-level variants of a model's file

def _crlf(b):
    return b.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


VARIANTS = {
    "crlf": _crlf,
    "bom": lambda b: b"\xef\xbb\xbf" + b,
    "bom-crlf": lambda b: b"\xef\xbb\xbf" + _crlf(b),
    "cr-only": lambda b: b.replace(b"\r\n", b"\n").replace(b"\n", b"\r"),
    "no-final-newline": lambda b: b.rstrip(b"\r\n"),
    "nul-middle": lambda b: b[: len(b) // 2] + b"\x00" + b[len(b) // 2:],
    "nul-end": lambda b: b + b"\x00",
    "bad-utf8": lambda b: b[: len(b) // 3] + b"\xff" + b[len(b) // 3:],
    "overlong-utf8": lambda b: b + b"x = \xc0\xaf\n",
    "cut-utf8": lambda b: b + "é".encode()[:1],
    "utf16": lambda b: b"\xff\xfe" + b.decode("utf-8", "replace").encode("utf-16-le"),
    "double-bom": lambda b: b"\xef\xbb\xbf\xef\xbb\xbf" + b,
    "tabs": lambda b: b.replace(b"\n", b"\n\t").rstrip(b"\t"),
    "trailing-space": lambda b: b.replace(b"\n", b"  \n"),
    "mixed-endings": lambda b: b"".join(
        line + (b"\r\n" if i % 2 else b"\n") for i, line in enumerate(b.split(b"\n"))),
}


def variants(models) -> list:
    out = []
    for m in models:
        for name, change in VARIANTS.items():
            out.append(Model(f"{m.id}~{name}", m.path, change(m.data), LIGHT))
    return out


# --- mutants: small random edits, mostly breaking the model

ALPHABET = "()[]=+-*/^,.$%#{}<>!&|_ \t\nabcxyzKMBTe0123456789\u00e9\u202e"


def _mutate(text: str, rng: random.Random, op=None) -> str:
    lines = text.split("\n")
    op = rng.randrange(12) if op is None else op
    if not text:
        return rng.choice(ALPHABET)
    i = rng.randrange(len(text))
    if op == 0:
        return text[:i] + text[i + 1:]
    if op == 1:
        return text[:i] + rng.choice(ALPHABET) + text[i:]
    if op == 2:
        return text[:i] + rng.choice(ALPHABET) + text[i + 1:]
    j = rng.randrange(len(lines))
    if op == 3:
        return "\n".join(lines[:j] + [lines[j]] + lines[j:])
    if op == 4:
        return "\n".join(lines[:j] + lines[j + 1:])
    if op == 5 and len(lines) > 1:
        k = rng.randrange(len(lines))
        lines[j], lines[k] = lines[k], lines[j]
        return "\n".join(lines)
    if op == 6:
        return text[:i] + "\n" + text[i:]
    if op == 7:
        return text.replace("\n", " ", 1) if rng.random() < 0.5 else text[:i] + text[i:].replace("\n", "", 1)
    if op == 8:
        # a literal changes value: a semantic edit that still parses
        nums = list(re.finditer(r"\d+(?:\.\d+)?", text))
        if nums:
            m = rng.choice(nums)
            return text[: m.start()] + str(rng.choice([0, 1, 2, 7, 40, 1000, 0.5])) + text[m.end():]
    if op == 9:
        # a name is misspelt where it is used or defined
        names = list(re.finditer(r"(?<![\w.])[a-z_][\w]*(?:\.\w+)*", text))
        if names:
            m = rng.choice(names)
            return text[: m.start()] + m.group(0)[:-1] + text[m.end():]
    if op == 10:
        return "\n".join(lines[:j] + [f"new_cell{j} = {rng.choice(['1', '$2B', '50%', 'x', '1 / 0'])}"] + lines[j:])
    ops = ["+", "-", "*", "/", "^"]
    k = text.find(rng.choice(ops), i)
    if k >= 0:
        return text[:k] + rng.choice(ops) + text[k + 1:]
    return text


def mutants(model: Model, count: int, seed: int) -> list:
    rng = random.Random(f"{seed}:{model.id}")
    text = model.data.decode("utf-8", "replace")
    out = []
    for n in range(count):
        t = text
        for _ in range(1 + (rng.randrange(3) if rng.random() < 0.3 else 0)):
            t = _mutate(t, rng)
        out.append(Model(f"{model.id}~mut{n}", model.path, t.encode(), LIGHT))
    return out


def random_models(count: int, seed: int) -> list:
    """Random models: of every five, two of generate.rs's kind (they parse,
    many cells fail), two clean ones (every cell evaluates) and one of noise."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        kind = n % 5
        if kind == 4:
            text = generate.noise(rng)
            out.append(Model(f"noise-{n:05d}", "m.model", text.encode(), LIGHT))
        elif kind in (1, 3):
            text = generate.clean_model(rng)
            out.append(Model(f"clean-{n:05d}", "m.model", text.encode(), FULL))
        else:
            data = rng.randbytes(rng.randrange(50, 1500))
            text = generate.model(data)
            out.append(Model(f"rand-{n:05d}", "m.model", text.encode(), FULL))
    return out


def neighbour(model: Model, seed: int) -> bytes:
    """A model like `model`, for diffs: one or two semantic edits (a literal,
    a name, a new cell, a line gone, an operator), tried again while the
    edits leave the text as it was."""
    rng = random.Random(f"{seed}:{model.id}:neighbour")
    original = model.data.decode("utf-8", "replace")
    text = original
    for _ in range(10):
        for _ in range(1 + rng.randrange(2)):
            op = rng.choice([8, 8, 9, 10, 4, 11])
            text = _mutate(text, rng, op)
        if text != original:
            break
    return text.encode()
