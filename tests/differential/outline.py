"""What a model defines, read from its text: cells, inputs, references, scenarios.

The harness picks the cells a command names (explain every cell, sweep an
input, solve for an output) from this outline instead of asking either
binary, so that the cases depend on nothing but the inputs. It is a rough
reading: a model it misreads still gives valid cases, only less pointed ones
(a command about a cell that turns out not to exist is an error case).
"""

import re
from dataclasses import dataclass, field

KEYWORDS = {
    "if", "then", "else", "and", "or", "not", "true", "false", "scenario", "as",
    "axis", "unit", "to", "import", "assert",
}
NAME = r"[^\W\d]\w*(?:\.\w+)*"
DEFINITION = re.compile(rf"^\s*({NAME})\s*=(?!=)\s*(.*?)\s*$", re.S)
SCENARIO_OPEN = re.compile(rf"^\s*scenario\s+({NAME})\s*\{{(.*)$", re.S)
# A name in a formula: not the tail of a number (50K, 1e-3) or of another name.
REFERENCE = re.compile(rf"(?<![\w.$])({NAME})(\.\*)?(\s*\()?")


@dataclass
class Cell:
    name: str
    formula: str
    line: int
    refs: list = field(default_factory=list)

    @property
    def is_input(self) -> bool:
        return not self.refs


@dataclass
class Outline:
    cells: list = field(default_factory=list)
    scenarios: list = field(default_factory=list)

    def names(self) -> list:
        return [c.name for c in self.cells]

    def inputs(self) -> list:
        return [c for c in self.cells if c.is_input]

    def outputs(self) -> list:
        return [c for c in self.cells if not c.is_input]

    def upstream(self, name: str) -> list:
        """The input cells `name` reads, directly or not, in file order."""
        by_name = {c.name: c for c in self.cells}
        seen, stack = set(), [name]
        while stack:
            n = stack.pop()
            if n in seen or n not in by_name:
                continue
            seen.add(n)
            stack.extend(by_name[n].refs)
        return [c for c in self.cells if c.name in seen and c.is_input and c.name != name]

    def downstream(self, name: str) -> list:
        """The cells that read `name`, directly or not, in file order."""
        return [c for c in self.cells if c.name != name and any(
            i.name == name for i in self.upstream(c.name))]


def _strip_comment(line: str) -> str:
    i = line.find("#")
    return line if i < 0 else line[:i]


def _statements(text: str):
    """(first line number, statement text) with comments removed, joined while a
    parenthesis is open."""
    pending, start, depth = [], 0, 0
    for number, raw in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        line = _strip_comment(raw)
        if not pending:
            start = number
        pending.append(line)
        depth += line.count("(") - line.count(")")
        if depth <= 0:
            yield start, " ".join(pending)
            pending, depth = [], 0
    if pending:
        yield start, " ".join(pending)


def references(formula: str, group_members) -> list:
    """The cell names a formula reads; a group `g.*` stands for its members."""
    formula = re.sub(r"\[[^\]]*\]", " ", formula)
    formula = re.sub(r"\bas\s*%\s*$", "", formula)
    out = []
    for m in REFERENCE.finditer(formula):
        name, star, call = m.group(1), m.group(2), m.group(3)
        if call and not star:
            continue
        if name in KEYWORDS:
            continue
        for n in group_members(name) if star else [name]:
            if n not in out:
                out.append(n)
    return out


def outline(text: str) -> Outline:
    """The outline of a model's text (anything that is not a definition is skipped)."""
    o = Outline()
    in_scenario = False
    raw = []
    for number, statement in _statements(text):
        if in_scenario:
            if "}" in statement:
                in_scenario = False
            continue
        m = SCENARIO_OPEN.match(statement)
        if m:
            if m.group(1) not in o.scenarios:
                o.scenarios.append(m.group(1))
            in_scenario = "}" not in m.group(2)
            continue
        m = DEFINITION.match(statement)
        if m and m.group(1) not in KEYWORDS and m.group(1) not in [c.name for c in raw]:
            raw.append(Cell(m.group(1), m.group(2), number))
    names = [c.name for c in raw]

    def members(prefix):
        return [n for n in names if n.startswith(prefix + ".")]

    for c in raw:
        c.refs = references(c.formula, members)
    o.cells = raw
    return o
