"""Random models: a port of tests/it/support/generate.rs, plus model-shaped noise.

`model(data)` reads every choice (which name, which operator, how deep) from a
string of bytes, exactly as the Rust generator does, so that the same bytes
give the same model here and there (the `.choices` files the fuzzers kept in
tests/fuzz/ replay here too). What comes out always parses; it may still fail
to evaluate (division by zero, cycles, unit mismatches, unknown names).

`noise(rng)` is the other kind of random input: pieces of the language
glued together with no regard for the grammar (the `modelish` strategy of
tests/it/randomised.rs), to exercise parse errors and their recovery.
"""

import random


class Choices:
    """Reads choices from bytes; once they run out every choice is 0."""

    def __init__(self, data: bytes):
        self.data = data
        self.pos = 0

    def byte(self) -> int:
        b = self.data[self.pos] if self.pos < len(self.data) else 0
        self.pos += 1
        return b

    def below(self, n: int) -> int:
        """A number in 0..n (0 when n is 0)."""
        if n == 0:
            return 0
        hi = self.byte()
        lo = self.byte()
        return ((hi << 8) | lo) % n

    def chance(self, percent: int) -> bool:
        """True `percent` times in a hundred; false once the bytes run out."""
        return self.byte() % 100 >= 100 - min(percent, 100)

    def pick(self, items):
        return items[self.below(len(items))]

    def exhausted(self) -> bool:
        return self.pos >= len(self.data)


FUNCTIONS_ANY = ["sum", "min", "max", "avg", "count"]
FUNCTIONS_ONE = ["abs", "floor", "ceil", "sqrt", "ln", "exp"]
UNITS = ["W", "USD/kWh", "GPU*h", "m/s^2", "/GPU", "1/GPU", "kg*m^2/s^3", "h", "USD"]
GROUPS = ["rev", "rev.eu", "cost", "nothing"]


def _names(c: Choices) -> list:
    count = 1 + c.below(14)
    cells = []
    for i in range(count):
        k = c.below(12)
        if k <= 3:
            name = f"x{i}"
        elif k <= 5:
            name = f"rev.c{i}"
        elif k == 6:
            name = f"rev.eu.c{i}"
        elif k == 7:
            name = f"margem_líquida{i}"
        elif k == 8:
            name = f"_u{i}"
        elif k == 9:
            name = f"ifx{i}"
        elif k == 10:
            name = ["count", "sum", "Δ", "e1", "notes", "as_of"][i % 6]
        else:
            name = f"cost.{c.pick(['gpu', 'power', 'T'])}{i}"
        if name not in cells:
            cells.append(name)
    return cells


def _literal(c: Choices) -> str:
    digits = ""
    whole = 1 + c.below(9)
    for i in range(whole):
        digits += chr(ord("0") + c.below(10))
        if i + 1 < whole and c.chance(5):
            digits += "_"
    if c.chance(35):
        digits += "."
        for _ in range(1 + c.below(8)):
            digits += chr(ord("0") + c.below(10))
    if c.chance(10):
        e = c.below(11) - 5
        digits += f"{c.pick(['e', 'E'])}{e}"
    if c.chance(15):
        digits += c.pick(["K", "M", "B", "T"])
    if c.chance(15):
        digits += "%"
    if c.chance(15):
        digits = "$" + digits
    if c.chance(12):
        space = " " if c.chance(50) else ""
        digits += f"{space}[{c.pick(UNITS)}]"
    return digits


class _Gen:
    def __init__(self, c: Choices, cells: list):
        self.c = c
        self.cells = cells
        self.parens = 0

    def reference(self) -> str:
        if self.c.chance(4):
            return self.c.pick(["ghost", "x", "rev"])
        return self.cells[self.c.below(len(self.cells))]

    def group(self) -> str:
        return GROUPS[self.c.below(len(GROUPS))] + ".*"

    def leaf(self) -> str:
        k = self.c.below(10)
        if k <= 4:
            return _literal(self.c)
        if k <= 8:
            return self.reference()
        return self.c.pick(["true", "false"])

    def space(self) -> str:
        if self.parens > 0 and self.c.chance(4):
            return "\n    "
        if self.c.chance(3):
            return "  "
        return " "

    def call(self, depth: int) -> str:
        c = self.c
        upper = c.chance(10)
        self.parens += 1
        k = c.below(4)
        if k <= 1:
            name = c.pick(FUNCTIONS_ANY)
            n = 1 + c.below(3)
            args = []
            for _ in range(n):
                if c.chance(40):
                    args.append(self.group())
                else:
                    args.append(self.expr(depth))
        elif k == 2:
            name = c.pick(FUNCTIONS_ONE)
            args = [self.expr(depth)]
        else:
            if c.chance(50):
                args = [self.expr(depth)]
                if c.chance(50):
                    args.append(c.pick(["0", "2", "-2", "1.5", "40"]))
                name = "round"
            else:
                name = "clamp"
                args = [self.expr(depth), self.expr(depth), self.expr(depth)]
        if upper:
            name = name.upper()
        self.parens -= 1
        return f"{name}({', '.join(args)})"

    def expr(self, depth: int) -> str:
        c = self.c
        if depth == 0 or c.exhausted():
            return self.leaf()
        d = depth - 1
        k = c.below(16)
        if k <= 3:
            return self.leaf()
        if k <= 7:
            op = c.pick(["+", "-", "*", "/", "^", "+", "*"])
            a = self.expr(d)
            s = self.space()
            b = self.expr(d)
            return f"{a}{s}{op} {b}"
        if k == 8:
            op = c.pick(["==", "!=", "<", "<=", ">", ">="])
            self.parens += 1
            a = self.expr(d)
            b = self.expr(d)
            self.parens -= 1
            return f"({a} {op} {b})"
        if k == 9:
            op = c.pick(["and", "or"])
            a = self.expr(d)
            b = self.expr(d)
            return f"{a} {op} {b}"
        if k == 10:
            op = c.pick(["-", "+", "not ", "-", "- "])
            return f"{op}{self.expr(d)}"
        if k == 11:
            self.parens += 1
            inner = self.expr(d)
            self.parens -= 1
            return f"({inner})"
        if k == 12:
            self.parens += 1
            cond = self.expr(d)
            self.parens -= 1
            then = self.expr(d)
            otherwise = self.expr(d)
            return f"if ({cond}) then {then} else {otherwise}"
        return self.call(d)


def _comment(c: Choices) -> str:
    return c.pick([
        "# a comment",
        "## doc text for the next cell",
        "",
        "   ",
        "# (an unclosed parenthesis in a comment",
        "## ünïcödé doc",
    ])


def model(data: bytes) -> str:
    """A model that parses, generated from `data` (the same text as generate.rs)."""
    c = Choices(data)
    crlf = c.chance(10)
    cells = _names(c)
    lines = []
    defined = []
    max_depth = 1 + c.below(5)
    for name in cells:
        if c.chance(25):
            lines.append(_comment(c))
        indent = c.pick(["", "", "  ", "\t"])
        formula = _Gen(c, cells).expr(max_depth)
        as_percent = " as %" if c.chance(10) else ""
        trailing = "   # note (" if c.chance(10) else ""
        lines.append(f"{indent}{name} = {formula}{as_percent}{trailing}")
        defined.append(name)
    for s in range(c.below(4)):
        scenario = c.pick(["bear", "bull", "s.high", "flat"]) + str(s)
        if c.chance(20):
            lines.append("## a scenario's doc")
        overrides = []
        for _ in range(c.below(4)):
            name = defined[c.below(len(defined))]
            if name in overrides:
                continue
            overrides.append(name)
        body = [f"{name} = {_Gen(c, cells).expr(2)}" for name in overrides]
        if len(body) == 1 and c.chance(40):
            lines.append(f"scenario {scenario} {{ {body[0]} }}")
        elif len(body) == 0 and c.chance(50):
            lines.append(f"scenario {scenario} {{ }}")
        else:
            lines.append(f"scenario {scenario} {{")
            lines.extend(f"  {b}" for b in body)
            lines.append("}")
    newline = "\r\n" if crlf else "\n"
    text = newline.join(lines)
    if not c.chance(10):
        text += newline
    return text


NOISE_PIECES = [
    "x = ", "y", " + ", "(", ")", "\n", "$1.5B", "[USD/kWh]", "scenario s {", "}",
    "sum(g.*)", "if ", " then ", " else ", "# c", "50%", " as %", "^", "<", "\u202e",
]
NOISE_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_. =*/,-"


def noise(rng: random.Random) -> str:
    """Model-shaped noise: up to 40 pieces of the language in any order."""
    out = []
    for _ in range(rng.randrange(40)):
        if rng.randrange(len(NOISE_PIECES) + 1) < len(NOISE_PIECES):
            out.append(rng.choice(NOISE_PIECES))
        else:
            out.append("".join(rng.choice(NOISE_CHARS) for _ in range(1 + rng.randrange(6))))
    return "".join(out)


# ---------------------------------------------------------------- clean models
#
# generate.rs aims at the corners, so most of its models have failing cells.
# The what-if commands and the REPL say most when a model evaluates, so these
# models are built to: every formula combines cells of compatible kinds
# (money, ratio, count), literals are never zero, and outputs read inputs.

INPUT_NAMES = ["price", "volume", "growth", "margin", "capex", "opex", "users", "churn",
               "tax_rate", "wage", "hours", "fleet", "pue", "preço_médio", "Δcost", "收入", "コスト"]


def _money(rng):
    v = rng.choice(["1.5", "50", "2", "999.99", "12", "3.25", "700", "80"])
    return "$" + v + rng.choice(["", "", "K", "M", "B"])


def _ratio(rng):
    return rng.choice(["50%", "12.5%", "0.3", "7%", "99%", "1.05", "40%", "0.85"])


def _count(rng):
    return rng.choice(["3", "1_000", "24", "8760", "2.5", "365", "12", "1e3", "1.5K"])


LITERAL = {"money": _money, "ratio": _ratio, "count": _count}


def clean_model(rng: random.Random) -> str:
    """A model whose cells all evaluate, with inputs, outputs, groups and scenarios."""
    lines = []
    cells = {"money": [], "ratio": [], "count": []}
    names = rng.sample(INPUT_NAMES, rng.randrange(2, 7))
    inputs = []
    for name in names:
        kind = rng.choice(list(cells))
        if rng.random() < 0.3:
            lines.append(f"## {name.replace('_', ' ')}, an assumption")
        lines.append(f"{name} = {LITERAL[kind](rng)}")
        cells[kind].append(name)
        inputs.append((name, kind))
    group = []
    for k in range(rng.randrange(0, 4)):
        name = f"rev.{rng.choice(['a', 'b', 'c', 'eu', 'us'])}{k}"
        lines.append(f"{name} = {_money(rng)}")
        group.append(name)
        inputs.append((name, "money"))
    if group:
        lines.append("revenue = sum(rev.*)")
        cells["money"].append("revenue")

    def ref(kind):
        pool = cells[kind]
        if not pool or rng.random() < 0.15:
            return LITERAL[kind](rng)
        return rng.choice(pool)

    for k in range(rng.randrange(2, 9)):
        kind = rng.choice(list(cells))
        r = rng.randrange(6)
        if kind == "money":
            formula = [f"{ref('money')} + {ref('money')}", f"{ref('money')} * {ref('ratio')}",
                       f"{ref('money')} * {ref('count')}", f"{ref('money')} / {ref('count')}",
                       f"max({ref('money')}, {ref('money')})",
                       f"if {ref('money')} > {ref('money')} then {ref('money')} else round({ref('money')}, 2)"][r]
        elif kind == "ratio":
            formula = [f"{ref('money')} / ({ref('money')} + $1)", f"{ref('ratio')} * {ref('ratio')}",
                       f"{ref('ratio')} + {ref('ratio')}", f"clamp({ref('ratio')}, 0, 1)",
                       f"{ref('count')} / ({ref('count')} + 1)", f"1 - {ref('ratio')}"][r]
        else:
            formula = [f"{ref('count')} * {ref('count')}", f"{ref('count')} + {ref('count')}",
                       f"round({ref('count')} * 1.5)", f"sqrt({ref('count')})",
                       f"{ref('count')} ^ 2", f"avg({ref('count')}, {ref('count')}, 1)"][r]
        name = f"{kind}_{k}"
        hint = " as %" if kind == "ratio" and rng.random() < 0.3 else ""
        lines.append(f"{name} = {formula}{hint}")
        cells[kind].append(name)
    for s in range(rng.randrange(0, 3)):
        picked = rng.sample(inputs, min(len(inputs), rng.randrange(1, 3)))
        body = [f"{n} = {LITERAL[k](rng)}" for n, k in picked]
        lines.append(f"scenario {['low', 'high', 'base_case', 'stress'][s]} {{")
        lines += [f"  {b}" for b in body]
        lines.append("}")
    return "\n".join(lines) + "\n"
