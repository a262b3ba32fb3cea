//! A [`Diff`] as text for a reviewer: one section per kind of change, in
//! the order of docs/language.md#diff, names aligned within a section, colours only when
//! asked for (a terminal without `NO_COLOR`).

use anstyle::{AnsiColor, Style};

use super::{Diff, ScenarioStatus, Shown};
use crate::table::{pad_right, width};

/// Terminal colours, or none.
#[derive(Clone, Copy)]
struct Paint(bool);

impl Paint {
    fn wrap(self, style: Style, s: &str) -> String {
        if self.0 {
            format!("{}{s}{}", style.render(), style.render_reset())
        } else {
            s.to_string()
        }
    }
    fn bold(self, s: &str) -> String {
        self.wrap(Style::new().bold(), s)
    }
    fn removed(self, s: &str) -> String {
        self.wrap(AnsiColor::Red.on_default(), s)
    }
    fn added(self, s: &str) -> String {
        self.wrap(AnsiColor::Green.on_default(), s)
    }
    fn dim(self, s: &str) -> String {
        self.wrap(Style::new().dimmed(), s)
    }
}

/// The first line of a doc text, as a `##` line.
fn doc_line(doc: Option<&String>) -> Option<String> {
    doc.and_then(|d| d.lines().next())
        .filter(|l| !l.trim().is_empty())
        .map(|l| format!("## {l}"))
}

/// The first line of a diff: `diff OLD → NEW`, with the scenario unless it is `base`.
pub fn header(old: &str, new: &str, scenario: &str, color: bool) -> String {
    let mut line = format!("diff {old} → {new}");
    if !scenario.is_empty() && scenario != "base" {
        line.push_str(&format!(" (scenario {scenario})"));
    }
    format!("{}\n", Paint(color).bold(&line))
}

/// The diff as text: a header naming both sides, the sections that are not
/// empty, and the count of unchanged cells.
pub fn render_text(diff: &Diff, color: bool) -> String {
    let p = Paint(color);
    let mut out = header(&diff.old, &diff.new, &diff.scenario, color);
    let mut section = |title: &str, lines: Vec<String>| {
        if lines.is_empty() {
            return;
        }
        out.push('\n');
        out.push_str(&p.bold(title));
        out.push('\n');
        for l in lines {
            out.push_str("  ");
            out.push_str(&l);
            out.push('\n');
        }
    };

    let lines = diff
        .axes
        .iter()
        .map(|a| match (&a.old, &a.new) {
            (Some(o), Some(n)) => format!("{} {} → {}", a.name, p.removed(o), p.added(n)),
            (None, Some(n)) => p.added(&format!("+ axis {} = {n}", a.name)),
            (Some(o), None) => p.removed(&format!("- axis {} = {o}", a.name)),
            (None, None) => String::new(),
        })
        .collect();
    section("changed axes", lines);

    let w = diff
        .inputs
        .iter()
        .map(|c| width(&c.name))
        .max()
        .unwrap_or(0);
    let mut lines = Vec::new();
    for c in &diff.inputs {
        let same = if c.same_value {
            format!("  {}", p.dim("(the same value)"))
        } else if c.uncertain {
            let formulas = format!("({} → {})", c.old_formula, c.new_formula);
            format!("  {}", p.dim(&formulas))
        } else {
            String::new()
        };
        lines.push(format!(
            "{}  {} → {}{same}",
            pad_right(&c.name, w),
            p.removed(&c.old.display()),
            p.added(&c.new.display())
        ));
        if let Some(doc) = doc_line(c.doc.as_ref()) {
            lines.push(format!("{}  {}", pad_right("", w), p.dim(&doc)));
        }
    }
    section("changed inputs", lines);

    let w = diff
        .formulas
        .iter()
        .map(|c| width(&c.name))
        .max()
        .unwrap_or(0);
    let mut lines = Vec::new();
    for c in &diff.formulas {
        lines.push(format!(
            "{}  {} → {}",
            pad_right(&c.name, w),
            p.removed(&c.old),
            p.added(&c.new)
        ));
        if let Some(doc) = doc_line(c.doc.as_ref()) {
            lines.push(format!("{}  {}", pad_right("", w), p.dim(&doc)));
        }
    }
    section("changed formulas", lines);

    let mut lines = Vec::new();
    for c in &diff.added {
        lines.push(p.added(&format!(
            "+ {} = {}  ⇒ {}",
            c.name,
            c.formula,
            c.value.display()
        )));
        if let Some(doc) = doc_line(c.doc.as_ref()) {
            lines.push(format!("  {}", p.dim(&doc)));
        }
    }
    section("added cells", lines);

    let lines = diff
        .removed
        .iter()
        .map(|c| {
            p.removed(&format!(
                "- {} = {}  ⇒ {}",
                c.name,
                c.formula,
                c.value.display()
            ))
        })
        .collect();
    section("removed cells", lines);

    let lines = diff
        .renamed
        .iter()
        .map(|r| {
            format!(
                "{} → {}  = {}",
                p.removed(&r.old),
                p.added(&r.new),
                r.formula
            )
        })
        .collect();
    section("renamed cells", lines);

    let mut lines = Vec::new();
    for s in &diff.scenarios {
        match s.status {
            ScenarioStatus::Added => lines.push(p.added(&format!("+ scenario {}", s.name))),
            ScenarioStatus::Removed => lines.push(p.removed(&format!("- scenario {}", s.name))),
            ScenarioStatus::Changed => lines.push(format!("scenario {}", s.name)),
        }
        for o in &s.overrides {
            let line = match (&o.old, &o.new) {
                (Some(a), Some(b)) => format!("{}  {} → {}", o.cell, p.removed(a), p.added(b)),
                (None, Some(b)) => p.added(&format!("+ {} = {b}", o.cell)),
                (Some(a), None) => p.removed(&format!("- {} = {a}", o.cell)),
                (None, None) => continue,
            };
            lines.push(format!("  {line}"));
        }
    }
    section("changed scenarios", lines);

    let rows: Vec<[String; 5]> = diff
        .values
        .iter()
        .map(|v| {
            [
                v.name.clone(),
                v.old.display(),
                v.new.display(),
                v.difference
                    .as_ref()
                    .map(Shown::display)
                    .unwrap_or_default(),
                v.change_percent
                    .as_ref()
                    .map(|c| c.display.clone())
                    .unwrap_or_default(),
            ]
        })
        .collect();
    let w = |i: usize| {
        rows.iter()
            .map(|r| r.get(i).map_or(0, |s| width(s)))
            .max()
            .unwrap_or(0)
    };
    let (wn, wo, wv, wd) = (w(0), w(1), w(2), w(3));
    let lines = rows
        .iter()
        .map(|[name, old, new, delta, percent]| {
            let line = format!(
                "{}  {} → {}  {}  {percent}",
                pad_right(name, wn),
                p.removed(&pad_right(old, wo)),
                p.added(&pad_right(new, wv)),
                pad_right(delta, wd),
            );
            line.trim_end().to_string()
        })
        .collect();
    section("changed values", lines);

    let n = diff.unchanged;
    let cells = if n == 1 { "cell" } else { "cells" };
    out.push('\n');
    if diff.is_empty() {
        out.push_str(&format!("no differences; {n} {cells} unchanged\n"));
    } else {
        out.push_str(&format!("{n} {cells} unchanged\n"));
    }
    out
}
