//! `:save`: writes a REPL session's changes back into its model file (docs/language.md#saving).
//!
//! Only the lines of the cells whose formula changed are rewritten (their
//! indentation and trailing comments kept); new cells go before the first
//! scenario block, or at the end when there is none; every other byte of
//! the file stays as it was, comments included. A definition the analyst
//! typed over several lines keeps its line breaks, laid out as `fmt` does.
//! Only the model's own file is written: a change to a cell of an imported
//! file is left out and named ([`Saved::elsewhere`]), unless the cell is
//! overridden in an import's block, which is a line of the model's own file.
//! The write is atomic ([`write_atomic`]) and refuses to overwrite a file
//! that changed on disk since it was loaded, unless forced (`:save!`).
//!
//! The REPL calls [`save`]; the pieces ([`session_edits`], [`saved_text`],
//! [`save_file`]) are public for other front ends and for tests.

use std::path::{Path, PathBuf};

use crate::file::{io_words, line_ending, write_atomic, Access};
use crate::fmt::lay_out;
use crate::internal::InternalError;
use crate::model::{Definition, Model};
use crate::syntax::{parse_statement, Statement};

/// A cell the session gave a new formula, or a cell it added.
#[derive(Clone, Debug, PartialEq)]
pub struct CellEdit {
    /// The cell's name; for a part of a series, with the period or the axis
    /// in brackets (`capex[2025]`, `capex[year]`), as the file writes it.
    pub name: String,
    /// Its formula now.
    pub def: Definition,
    /// The definition as typed, when it took several lines: saved with its
    /// line breaks (`None`: one line, printed from the formula).
    pub written: Option<String>,
}

/// The session's edits against the file: every cell of `session` (the base
/// model, without scenario overrides) whose formula or `as %` mark reads
/// differently from `loaded`'s, and every cell `loaded` does not define, in
/// the session's order. A cell whose formulas cannot be named is an
/// internal error.
pub fn session_edits(loaded: &Model, session: &Model) -> Result<Vec<CellEdit>, InternalError> {
    let mut edits = Vec::new();
    for (id, _, _) in session.defined_cells() {
        for (name, def) in session.keyed_formulas(id)? {
            if !reads_as_in(loaded, &name, def) {
                edits.push(CellEdit {
                    name,
                    def: def.clone(),
                    written: None,
                });
            }
        }
    }
    Ok(edits)
}

/// Whether `loaded` defines `name` (or the part of a series it names:
/// `capex[2025]`) with this very formula (as written canonically, with its `as %`).
fn reads_as_in(loaded: &Model, name: &str, def: &Definition) -> bool {
    loaded
        .definition_by_key(name)
        .is_some_and(|old| old.written() == def.written())
}

/// Whether a cell is defined in a file the model imports (not in its own
/// file, where an import block may override it): a save leaves it alone.
pub fn elsewhere(loaded: &Model, name: &str) -> bool {
    loaded.import_of(name).is_some()
        && loaded
            .defined(name)
            .and_then(|id| loaded.definition(id))
            .is_none_or(|d| !d.file.is_root() || d.line == 0)
}

/// Why a save did not happen.
#[derive(Debug)]
pub enum SaveError {
    /// The file is no longer what was loaded: someone else changed it.
    ChangedOnDisk(PathBuf),
    /// The file was loaded, but is gone now.
    Removed(PathBuf),
    /// Saving to another path that already holds a file.
    Exists(PathBuf),
    /// The text the model was loaded from does not match the model.
    Stale(String),
    /// No path given, and the session was not loaded from a file.
    NoPath,
    /// The system refused the write.
    Io(PathBuf, std::io::Error),
    /// premise's own failure, met while listing the session's changes.
    Internal(InternalError),
}

impl std::fmt::Display for SaveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SaveError::ChangedOnDisk(p) => write!(
                f,
                "{} changed on disk since it was loaded; not saved (:reload takes the new file and keeps your changes; :save! overwrites it)",
                p.display()
            ),
            SaveError::Removed(p) => write!(
                f,
                "{} was removed since it was loaded; not saved (:save! writes it again)",
                p.display()
            ),
            SaveError::Exists(p) => write!(
                f,
                "{} already exists; not saved (:save! {} overwrites it)",
                p.display(),
                p.display()
            ),
            SaveError::NoPath => write!(f, "no file to save to: give one (:save PATH)"),
            SaveError::Stale(why) => write!(f, "cannot save: {why}"),
            SaveError::Io(p, e) => write!(
                f,
                "cannot write {}: {}",
                p.display(),
                io_words(e, Access::Write)
            ),
            SaveError::Internal(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for SaveError {}

/// The lines of an edit's definition, the first without indentation, the
/// others indented from `indent` spaces: as typed when it took several lines
/// and still reads as the edit's formula (laid out as `fmt` does), else
/// `name = formula` on one line, with its hint (` as %`, ` as [UNIT]`).
/// `name` is the name as the file writes it (an import block's override:
/// without the alias).
fn definition_lines(edit: &CellEdit, name: &str, indent: usize) -> Vec<String> {
    let typed = edit.written.as_deref().and_then(|text| {
        let statement = parse_statement(text).ok()?;
        let Statement::Cell(c) = &statement else {
            return None;
        };
        let same = *c.name == *name
            && crate::syntax::print::written_with(&c.expr, c.hint.as_deref()) == edit.def.written();
        same.then(|| lay_out(text, &statement, indent))
    });
    let mut lines = typed.unwrap_or_else(|| vec![format!("{name} = {}", edit.def.written())]);
    if let Some(first) = lines.first_mut() {
        *first = first.trim_start().to_string();
    }
    lines
}

/// The file's text with the edits applied: each edited cell's definition
/// replaced in place (indentation and trailing comment kept; comments inside
/// a definition written over several lines are kept on lines of their own
/// below it), new cells with their `##` doc, if any, before the first
/// scenario block (or at the end). Everything else is byte-for-byte
/// `original`, the text `loaded` was read from.
pub fn saved_text(original: &str, loaded: &Model, edits: &[CellEdit]) -> Result<String, SaveError> {
    let newline = line_ending(original);
    let mut replacements: Vec<(usize, usize, String)> = Vec::new();
    let mut added: Vec<String> = Vec::new();
    for edit in edits
        .iter()
        .filter(|e| !reads_as_in(loaded, &e.name, &e.def) && !elsewhere(loaded, &e.name))
    {
        let old = loaded.definition_by_key(&edit.name).filter(|d| d.line > 0);
        match old {
            Some(old) => replacements.push(replacement(original, &edit.name, old, edit, newline)?),
            None => {
                if let Some(doc) = &edit.def.doc {
                    for line in doc.lines() {
                        added.push(format!("## {line}").trim_end().to_string());
                    }
                }
                added.extend(definition_lines(edit, &edit.name, 0));
            }
        }
    }
    if !added.is_empty() {
        let mut block: String = added.iter().map(|l| format!("{l}{newline}")).collect();
        let at = match new_cells_place(original, loaded) {
            Some(NewCells { at, blank_after }) => {
                if blank_after {
                    block.push_str(newline);
                }
                at
            }
            None => {
                if !original.is_empty() && !original.ends_with('\n') {
                    block.insert_str(0, newline);
                }
                original.len()
            }
        };
        replacements.push((at, at, block));
    }
    // From the end backwards, so that earlier offsets stay valid; an
    // insertion sorts before a replacement starting at the same place.
    replacements.sort_by_key(|r| std::cmp::Reverse((r.0, r.1)));
    let mut text = original.to_string();
    for (start, end, new) in replacements {
        text.replace_range(start..end, &new);
    }
    Ok(text)
}

/// Where new cells go in a file with scenarios.
struct NewCells {
    /// The byte offset they are inserted at.
    at: usize,
    /// Whether a blank line must follow them to keep them apart from the scenario.
    blank_after: bool,
}

/// Before the first scenario block: above its doc and comment lines and
/// the blank lines above those, right after the last line of cells.
/// `None` when the file has no scenario.
fn new_cells_place(original: &str, loaded: &Model) -> Option<NewCells> {
    let first = loaded.scenarios.iter().map(|s| s.line).min()?;
    let mut starts = vec![0];
    starts.extend(
        original
            .match_indices('\n')
            .map(|(i, _)| i + 1)
            .filter(|&i| i < original.len()),
    );
    let line = |i: usize| {
        let start = starts.get(i).copied().unwrap_or(original.len());
        let end = starts.get(i + 1).copied().unwrap_or(original.len());
        original.get(start..end).unwrap_or("").trim()
    };
    let mut top = usize::try_from(first).ok()?.checked_sub(1)?;
    while top > 0 && line(top - 1).starts_with('#') {
        top -= 1;
    }
    let mut above = top;
    while above > 0 && line(above - 1).is_empty() {
        above -= 1;
    }
    Some(NewCells {
        at: starts.get(above).copied()?,
        blank_after: above == top,
    })
}

/// The byte range of `old`'s definition up to the end of its last line, and its new text.
fn replacement(
    original: &str,
    name: &str,
    old: &Definition,
    edit: &CellEdit,
    newline: &str,
) -> Result<(usize, usize, String), SaveError> {
    let stale = || {
        SaveError::Stale(format!(
            "the file's text no longer matches the loaded model at '{name}' (reload it first)"
        ))
    };
    let start = old.span.start();
    let written = original.get(start..old.span.end()).ok_or_else(stale)?;
    // An import block's override names the imported cell without its alias.
    let name = match parse_statement(written) {
        Ok(Statement::Cell(c))
            if key_of(&c) == name || name.ends_with(&format!(".{}", key_of(&c))) =>
        {
            c.name
        }
        _ => return Err(stale()),
    };
    let name = &*name;
    let line_end = original
        .get(old.span.end()..)
        .and_then(|rest| rest.find('\n'))
        .map_or(original.len(), |i| old.span.end() + i);
    let line_end = if original.get(..line_end).is_some_and(|s| s.ends_with('\r')) {
        line_end - 1
    } else {
        line_end
    };
    // The rest of the line (a comment) is kept: a slice that does not fit
    // the text means it is not the text the model was read from.
    let tail = original.get(old.span.end()..line_end).ok_or_else(stale)?;
    let line_start = original
        .get(..start)
        .and_then(|s| s.rfind('\n'))
        .map_or(0, |i| i + 1);
    let indent: String = original
        .get(line_start..start)
        .ok_or_else(stale)?
        .chars()
        .take_while(|c| c.is_whitespace())
        .collect();
    let mut new = definition_lines(edit, name, indent.chars().count()).join(newline);
    new.push_str(tail);
    for comment in inner_comments(written).ok_or_else(stale)? {
        new.push_str(newline);
        new.push_str(&indent);
        new.push_str(comment);
    }
    Ok((start, line_end, new))
}

/// A definition's key: its name, with the brackets of a series' part.
fn key_of(c: &crate::syntax::CellDef) -> String {
    match &c.part {
        Some(part) => format!("{}[{part}]", c.name),
        None => c.name.to_string(),
    }
}

/// The comments inside a definition written over several lines (`None`
/// only if one could not be cut out, which would lose it).
fn inner_comments(text: &str) -> Option<Vec<&str>> {
    text.split('\n')
        .filter_map(|line| Some(line.get(line.find('#')?..).map(str::trim_end)))
        .collect()
}

/// What the file on disk must be for a save to go ahead.
#[derive(Clone, Copy, Debug)]
pub enum Expect<'a> {
    /// The file the model was loaded from: it must still hold exactly these bytes.
    Unchanged(&'a [u8]),
    /// Another path: nothing may be there yet.
    Absent,
    /// Overwrite whatever is there (`:save!`).
    Anything,
}

/// Writes `text` to `path` atomically, after checking what is there now.
pub fn save_file(path: &Path, text: &str, expect: Expect<'_>) -> Result<(), SaveError> {
    let now = std::fs::read(path);
    match (expect, now) {
        (Expect::Anything, _) => {}
        (Expect::Unchanged(loaded), Ok(bytes)) if bytes == loaded => {}
        (Expect::Unchanged(_), Ok(_)) => return Err(SaveError::ChangedOnDisk(path.to_path_buf())),
        (Expect::Unchanged(_), Err(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(SaveError::Removed(path.to_path_buf()))
        }
        (Expect::Absent, Err(e)) if e.kind() == std::io::ErrorKind::NotFound => {}
        (Expect::Absent, Ok(_)) => return Err(SaveError::Exists(path.to_path_buf())),
        (_, Err(e)) => return Err(SaveError::Io(path.to_path_buf(), e)),
    }
    write_atomic(path, text.as_bytes()).map_err(|e| SaveError::Io(path.to_path_buf(), e))
}

/// What a save did.
#[derive(Clone, Debug, PartialEq)]
pub struct Saved {
    /// Where the model was written.
    pub path: PathBuf,
    /// The text written: the session's new "loaded" text.
    pub text: String,
    /// Cells whose formula was rewritten in place.
    pub changed: Vec<String>,
    /// Cells added (before the first scenario, or at the end).
    pub added: Vec<String>,
    /// Changed cells of imported files, not written (see [`elsewhere`]).
    pub elsewhere: Vec<String>,
}

/// `:save [PATH]` / `:save!` for a session holding the base model with its
/// changes applied: see [`save_edits`].
pub fn save(
    loaded: &Model,
    session: &Model,
    path: Option<&Path>,
    force: bool,
) -> Result<Saved, SaveError> {
    let edits = session_edits(loaded, session).map_err(SaveError::Internal)?;
    save_edits(loaded, &edits, path, force)
}

/// `:save [PATH]` / `:save!`: writes the session's `edits` into the text
/// `loaded` was read from, at `path` or the loaded file. Edits that give a
/// cell the formula it has in the file are no change. Refuses when the
/// loaded file changed on disk since, or when another `path` already
/// exists, unless `force`. After a save, the returned text is what the
/// session should count as loaded (for the next `:save` and `:changes`).
pub fn save_edits(
    loaded: &Model,
    edits: &[CellEdit],
    path: Option<&Path>,
    force: bool,
) -> Result<Saved, SaveError> {
    if path.is_none() && loaded.path.is_empty() {
        return Err(SaveError::NoPath);
    }
    let text = saved_text(&loaded.source, loaded, edits)?;
    let home = Path::new(&loaded.path);
    let target = path.unwrap_or(home);
    let expect = if force {
        Expect::Anything
    } else if !loaded.path.is_empty() && same_file(target, home) {
        Expect::Unchanged(loaded.source.as_bytes())
    } else {
        Expect::Absent
    };
    save_file(target, &text, expect)?;
    let mut changed = Vec::new();
    let mut added = Vec::new();
    let mut not_here = Vec::new();
    for e in edits
        .iter()
        .filter(|e| !reads_as_in(loaded, &e.name, &e.def))
    {
        match loaded.definition_by_key(&e.name) {
            _ if elsewhere(loaded, &e.name) => not_here.push(e.name.clone()),
            Some(_) => changed.push(e.name.clone()),
            None => added.push(e.name.clone()),
        }
    }
    Ok(Saved {
        path: target.to_path_buf(),
        text,
        changed,
        added,
        elsewhere: not_here,
    })
}

/// Whether two paths name one file (by their real paths when both exist).
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

#[cfg(test)]
mod tests;
