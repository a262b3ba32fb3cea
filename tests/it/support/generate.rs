//! Syntactically valid models from a string of bytes.
//!
//! Every byte is a choice (which name, which operator, how deep), so that a
//! fuzzer mutating the bytes explores models rather than line noise, and a
//! property test feeding random bytes gets a different valid model each time.
//! What comes out always parses (docs/language.md): names are unique and never
//! keywords, functions get the arguments they take, comparisons are in
//! parentheses (they do not chain), scenarios override only cells that exist.
//! It may still fail to evaluate (division by zero, cycles, unit mismatches,
//! unknown names): that is the point.

/// Reads choices from bytes; once they run out every choice is 0.
pub struct Choices<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Choices<'a> {
    /// Choices read from `bytes`.
    pub fn new(bytes: &'a [u8]) -> Choices<'a> {
        Choices { bytes, pos: 0 }
    }

    fn byte(&mut self) -> u8 {
        let b = self.bytes.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        let wide = (usize::from(self.byte()) << 8) | usize::from(self.byte());
        wide % n
    }

    /// True `percent` times in a hundred; false once the bytes run out.
    pub fn chance(&mut self, percent: u8) -> bool {
        self.byte() % 100 >= 100 - percent.min(100)
    }

    /// One of `items`.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    fn exhausted(&self) -> bool {
        self.pos >= self.bytes.len()
    }
}

const FUNCTIONS_ANY: [&str; 5] = ["sum", "min", "max", "avg", "count"];
const FUNCTIONS_ONE: [&str; 6] = ["abs", "floor", "ceil", "sqrt", "ln", "exp"];
const UNITS: [&str; 14] = [
    "W",
    "USD/kWh",
    "GPU*h",
    "m/s^2",
    "/GPU",
    "1/GPU",
    "kg*m^2/s^3",
    "h",
    "USD",
    "kWh",
    "MW",
    "/GPU/h",
    "kW/rack/h",
    "min",
];

/// The names a generated model uses: cells to define, and group prefixes.
struct Names {
    cells: Vec<String>,
    groups: Vec<String>,
}

fn names(c: &mut Choices) -> Names {
    let count = 1 + c.below(14);
    let mut cells: Vec<String> = Vec::new();
    for i in 0..count {
        let name = match c.below(12) {
            0..=3 => format!("x{i}"),
            4 | 5 => format!("rev.c{i}"),
            6 => format!("rev.eu.c{i}"),
            7 => format!("margem_líquida{i}"),
            8 => format!("_u{i}"),
            9 => format!("ifx{i}"),
            10 => ["count", "sum", "Δ", "e1", "notes", "as_of"][i % 6].to_string(),
            _ => format!("cost.{}{i}", c.pick(&["gpu", "power", "T"])),
        };
        if !cells.contains(&name) {
            cells.push(name);
        }
    }
    Names {
        cells,
        groups: ["rev", "rev.eu", "cost", "nothing"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
    }
}

/// A number literal in one of the written forms of docs/language.md#numbers, possibly with a unit.
fn literal(c: &mut Choices) -> String {
    let mut digits = String::new();
    let whole = 1 + c.below(9);
    for i in 0..whole {
        let d = c.below(10);
        digits.push(char::from(b'0' + d as u8));
        if i + 1 < whole && c.chance(5) {
            digits.push('_');
        }
    }
    if c.chance(35) {
        digits.push('.');
        for _ in 0..1 + c.below(8) {
            digits.push(char::from(b'0' + c.below(10) as u8));
        }
    }
    if c.chance(10) {
        let e = c.below(11) as i32 - 5;
        digits.push_str(&format!("{}{e}", c.pick(&["e", "E"])));
    }
    if c.chance(15) {
        digits.push_str(c.pick(&["K", "M", "B", "T"]));
    }
    if c.chance(15) {
        digits.push('%');
    }
    if c.chance(15) {
        digits.insert(0, '$');
    }
    if c.chance(12) {
        let space = if c.chance(50) { " " } else { "" };
        let unit = c.pick(&UNITS);
        if unit.contains("USD") {
            // A `$` number whose brackets name USD again is refused.
            digits = digits.trim_start_matches('$').to_string();
        }
        digits.push_str(&format!("{space}[{unit}]"));
    }
    digits
}

struct Gen<'n, 'c, 'b> {
    c: &'c mut Choices<'b>,
    names: &'n Names,
    /// Open parentheses, so that a line break inside one continues the statement.
    parens: usize,
}

impl Gen<'_, '_, '_> {
    fn reference(&mut self) -> String {
        if self.c.chance(4) {
            return self.c.pick(&["ghost", "x", "rev"]).to_string();
        }
        let i = self.c.below(self.names.cells.len());
        self.names.cells[i].clone()
    }

    fn group(&mut self) -> String {
        let i = self.c.below(self.names.groups.len());
        format!("{}.*", self.names.groups[i])
    }

    fn leaf(&mut self) -> String {
        match self.c.below(10) {
            0..=4 => literal(self.c),
            5..=8 => self.reference(),
            _ => self.c.pick(&["true", "false"]).to_string(),
        }
    }

    fn space(&mut self) -> &'static str {
        if self.parens > 0 && self.c.chance(4) {
            "\n    "
        } else if self.c.chance(3) {
            "  "
        } else {
            " "
        }
    }

    fn call(&mut self, depth: usize) -> String {
        let upper = self.c.chance(10);
        self.parens += 1;
        let (name, args): (&str, Vec<String>) = match self.c.below(4) {
            0 | 1 => {
                let f = self.c.pick(&FUNCTIONS_ANY);
                let n = 1 + self.c.below(3);
                let mut args = Vec::new();
                for _ in 0..n {
                    if self.c.chance(40) {
                        args.push(self.group());
                    } else {
                        args.push(self.expr(depth));
                    }
                }
                (f, args)
            }
            2 => (self.c.pick(&FUNCTIONS_ONE), vec![self.expr(depth)]),
            _ => {
                if self.c.chance(50) {
                    let mut args = vec![self.expr(depth)];
                    if self.c.chance(50) {
                        args.push(self.c.pick(&["0", "2", "-2", "1.5", "40"]).to_string());
                    }
                    ("round", args)
                } else {
                    (
                        "clamp",
                        vec![self.expr(depth), self.expr(depth), self.expr(depth)],
                    )
                }
            }
        };
        let name = if upper {
            name.to_uppercase()
        } else {
            name.to_string()
        };
        self.parens -= 1;
        format!("{name}({})", args.join(", "))
    }

    /// An expression at most `depth` levels deep.
    fn expr(&mut self, depth: usize) -> String {
        if depth == 0 || self.c.exhausted() {
            return self.leaf();
        }
        let d = depth - 1;
        match self.c.below(16) {
            0..=3 => self.leaf(),
            4..=7 => {
                let op = self.c.pick(&["+", "-", "*", "/", "^", "+", "*"]);
                let a = self.expr(d);
                let s = self.space();
                let b = self.expr(d);
                format!("{a}{s}{op} {b}")
            }
            8 => {
                let op = self.c.pick(&["==", "!=", "<", "<=", ">", ">="]);
                self.parens += 1;
                let a = self.expr(d);
                let b = self.expr(d);
                self.parens -= 1;
                format!("({a} {op} {b})")
            }
            9 => {
                let op = self.c.pick(&["and", "or"]);
                let a = self.expr(d);
                let b = self.expr(d);
                format!("{a} {op} {b}")
            }
            10 => {
                let op = self.c.pick(&["-", "+", "not ", "-", "- "]);
                format!("{op}{}", self.expr(d))
            }
            11 => {
                self.parens += 1;
                let inner = self.expr(d);
                self.parens -= 1;
                format!("({inner})")
            }
            12 => {
                self.parens += 1;
                let cond = self.expr(d);
                self.parens -= 1;
                let then = self.expr(d);
                let otherwise = self.expr(d);
                format!("if ({cond}) then {then} else {otherwise}")
            }
            _ => self.call(d),
        }
    }
}

fn comment(c: &mut Choices) -> &'static str {
    c.pick(&[
        "# a comment",
        "## doc text for the next cell",
        "",
        "   ",
        "# (an unclosed parenthesis in a comment",
        "## ünïcödé doc",
    ])
}

/// A model that parses, generated from `bytes`.
pub fn model(bytes: &[u8]) -> String {
    let mut c = Choices::new(bytes);
    let crlf = c.chance(10);
    let names = names(&mut c);
    let mut lines: Vec<String> = Vec::new();
    let mut defined: Vec<String> = Vec::new();
    let max_depth = 1 + c.below(5);
    for name in &names.cells {
        if c.chance(25) {
            lines.push(comment(&mut c).to_string());
        }
        let indent = c.pick(&["", "", "  ", "\t"]);
        let mut g = Gen {
            c: &mut c,
            names: &names,
            parens: 0,
        };
        let formula = g.expr(max_depth);
        let as_percent = if c.chance(10) { " as %" } else { "" };
        let trailing = if c.chance(10) { "   # note (" } else { "" };
        lines.push(format!("{indent}{name} = {formula}{as_percent}{trailing}"));
        defined.push(name.clone());
    }
    let scenarios = c.below(4);
    for s in 0..scenarios {
        let scenario = c.pick(&["bear", "bull", "s.high", "flat"]);
        let scenario = format!("{scenario}{s}");
        if c.chance(20) {
            lines.push("## a scenario's doc".to_string());
        }
        let mut overrides: Vec<String> = Vec::new();
        for _ in 0..c.below(4) {
            let i = c.below(defined.len());
            let name = defined[i].clone();
            if overrides.contains(&name) {
                continue;
            }
            overrides.push(name);
        }
        let mut body = Vec::new();
        for name in &overrides {
            let mut g = Gen {
                c: &mut c,
                names: &names,
                parens: 0,
            };
            let formula = g.expr(2);
            body.push(format!("{name} = {formula}"));
        }
        match body.as_slice() {
            [one] if c.chance(40) => lines.push(format!("scenario {scenario} {{ {one} }}")),
            [] if c.chance(50) => lines.push(format!("scenario {scenario} {{ }}")),
            _ => {
                lines.push(format!("scenario {scenario} {{"));
                for b in body {
                    lines.push(format!("  {b}"));
                }
                lines.push("}".to_string());
            }
        }
    }
    let newline = if crlf { "\r\n" } else { "\n" };
    let mut text = lines.join(newline);
    if !c.chance(10) {
        text.push_str(newline);
    }
    text
}
