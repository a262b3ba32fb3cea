//! `premise diff`, `premise git-diff` (git's external diff driver),
//! `premise show` (git's textconv) and `premise git setup`.

use std::io::Write;
use std::path::Path;

use clap::{Args, Subcommand, ValueEnum};

use super::common::{internal_error, output_written, report_load_error, sound, usage_error, Exit};
use crate::diagnostic::stdout_color;
use crate::diff::git::{self, DriverCall, Source};
use crate::diff::{diff as compare, header, render_json, render_text, Diff};
use crate::eval::Workbook;
use crate::model::{text_of, FileSystem, LoadError, Model, Reader};

/// Output formats of `diff`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DiffFormat {
    /// Sections for a reviewer.
    #[default]
    #[value(alias = "table")]
    Text,
    /// The same content as data.
    Json,
}

/// `premise diff OLD [NEW]`
#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The old version: a file, or REV:PATH from git (PATH from the repository's root, or ./-relative).
    pub old: String,
    /// The new version (default: compare the file OLD with its version at HEAD).
    pub new: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: DiffFormat,
    /// Compare both versions under this scenario.
    #[arg(long, value_name = "NAME")]
    pub scenario: Option<String>,
    /// Compare two scenarios of one model (OLD): what B changes against A (`base` is the model itself).
    #[arg(long, num_args = 2, value_names = ["A", "B"], conflicts_with_all = ["new", "scenario"])]
    pub scenario_vs: Option<Vec<String>>,
}

/// `premise git ...`
#[derive(Subcommand, Debug, Clone, Copy)]
pub enum GitAction {
    /// Make `git diff` and `git log -p` show semantic diffs of *.model files in this repository.
    Setup,
}

/// `premise diff OLD NEW`: exit 0 when they mean the same, 1 when they differ, 2 on trouble.
pub fn diff(out: &mut dyn Write, args: &DiffArgs) -> Exit {
    if let Some([a, b]) = args.scenario_vs.as_deref() {
        return scenario_vs(out, args, a, b);
    }
    if args.new.is_none() {
        if let Source::Revision { path, .. } = Source::parse(&args.old) {
            return usage_error(format!(
                "'{}' is a version in git; give the version to compare it with too, \
                 e.g. premise diff {} {path}",
                args.old, args.old
            ));
        }
    }
    let sides = match &args.new {
        Some(new) => [
            (Source::parse(&args.old), args.old.clone()),
            (Source::parse(new), new.clone()),
        ],
        None => [
            (Source::head_of(&args.old), format!("HEAD:{}", args.old)),
            (Source::File(args.old.clone().into()), args.old.clone()),
        ],
    };
    // The new side first: for `premise diff FILE`, a missing FILE is the clearer message.
    let [(old_source, old_label), (new_source, new_label)] = sides;
    let new = match load(&new_source, &new_label) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let old = match load(&old_source, &old_label) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let scenario = args.scenario.as_deref().unwrap_or("base");
    let (old, new) = match under(old, scenario).and_then(|o| Ok((o, under(new, scenario)?))) {
        Ok(pair) => pair,
        Err(code) => return code,
    };
    let mut d = match compared(old, new) {
        Ok(d) => d,
        Err(code) => return code,
    };
    d.old = old_label;
    d.new = new_label;
    d.scenario = scenario.to_string();
    write_diff(out, &d, args.format)
}

/// `premise diff FILE --scenario-vs A B`: scenario B against scenario A of one model.
fn scenario_vs(out: &mut dyn Write, args: &DiffArgs, a: &str, b: &str) -> Exit {
    let model = match load(&Source::parse(&args.old), &args.old) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let (old, new) = match under(model.clone(), a).and_then(|o| Ok((o, under(model, b)?))) {
        Ok(pair) => pair,
        Err(code) => return code,
    };
    let mut d = match compared(old, new) {
        Ok(d) => d,
        Err(code) => return code,
    };
    d.old = format!("{} scenario {a}", args.old);
    d.new = format!("scenario {b}");
    d.scenario = String::new();
    write_diff(out, &d, args.format)
}

/// Evaluates both versions and compares them; an internal error in either
/// stops the command with it.
fn compared(old: Model, new: Model) -> Result<Diff, Exit> {
    let (old, new) = (sound(Workbook::new(old))?, sound(Workbook::new(new))?);
    compare(&old, &new).map_err(|e| internal_error(&e))
}

/// Writes a diff in the chosen format; exit 1 when there are differences.
fn write_diff(out: &mut dyn Write, d: &crate::diff::Diff, format: DiffFormat) -> Exit {
    let text = match format {
        DiffFormat::Text => render_text(d, stdout_color()),
        DiffFormat::Json => format!("{}\n", render_json(d)),
    };
    if let Err(code) = output_written(out.write_all(text.as_bytes())) {
        return code;
    }
    if d.is_empty() {
        Exit::Ok
    } else {
        Exit::Failed
    }
}

/// Reads and builds one side, printing diagnostics on failure; its imports
/// come from the same place (a revision's from that revision).
fn load(source: &Source, label: &str) -> Result<Model, Exit> {
    let bytes = source.read().map_err(usage_error)?;
    let (reader, location) = source.imports();
    parse_with(label, bytes, &*reader, &location).map_err(report_load_error)
}

fn parse(label: &str, bytes: Vec<u8>) -> Result<Model, LoadError> {
    Model::parse(label, text_of(label, bytes)?)
}

fn parse_with(
    label: &str,
    bytes: Vec<u8>,
    reader: &dyn Reader,
    location: &Path,
) -> Result<Model, LoadError> {
    Model::parse_with(label, text_of(label, bytes)?, reader, location)
}

/// Where one side of git's diff reads its imports: the working tree for the
/// working tree's file, else the revision that holds the side's blob (see
/// [`git::revision_holding`]), else the working tree (said in `notes`).
fn driver_imports(
    path: &str,
    hex: &str,
    side: git::Side,
    bytes: &[u8],
    notes: &mut Vec<String>,
) -> Box<dyn Reader> {
    // Only a model that imports needs to know its revision.
    if !bytes.windows(6).any(|w| w == b"import") {
        return Box::new(FileSystem);
    }
    if hex.bytes().all(|b| b == b'0' || b == b'.') {
        return Box::new(FileSystem);
    }
    match git::revision_holding(path, hex, side) {
        Some(rev) => Box::new(git::Revision { rev, dir: None }),
        None => {
            notes.push(format!(
                "imports of the {} version read from the working tree (git did not say which revision it is)",
                match side {
                    git::Side::Old => "old",
                    git::Side::New => "new",
                }
            ));
            Box::new(FileSystem)
        }
    }
}

/// The model under a scenario; a usage error naming the side when it has no such scenario.
fn under(model: Model, scenario: &str) -> Result<Model, Exit> {
    if scenario == "base" {
        return Ok(model);
    }
    model
        .with_scenario(scenario)
        .ok_or_else(|| usage_error(model.unknown_scenario(scenario)))
}

/// Colours for the driver: on a terminal, or in the pager git started; never with `NO_COLOR`.
fn driver_color() -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let pager = std::env::var_os("GIT_PAGER_IN_USE").is_some_and(|v| v == "true" || v == "1");
    !no_color && (stdout_color() || pager)
}

/// `premise git-diff ...`: git's external diff protocol. Exits 0 whenever it
/// printed a diff (git stops at any other exit code).
pub fn git_diff(out: &mut dyn Write, args: &[String]) -> Exit {
    let Some(call) = DriverCall::parse(args) else {
        return usage_error(format!(
            "premise git-diff is run by git as a diff driver, with 7 arguments \
             (path old-file old-hex old-mode new-file new-hex new-mode) or 9 (a rename); got {}. \
             Run 'premise git setup' once, then use git diff",
            args.len()
        ));
    };
    let DriverCall::Pair {
        path,
        old_file,
        new_file,
        old_hex,
        new_hex,
        new_path,
        header: git_header,
    } = call
    else {
        let path = args.first().map_or("", String::as_str);
        let _ = writeln!(out, "* Unmerged path {path}");
        return Exit::Ok;
    };
    let new_path = new_path.unwrap_or_else(|| path.clone());
    let side = |file: &str, label: String| {
        if file == "/dev/null" {
            (Source::Empty, "/dev/null".to_string())
        } else {
            (Source::File(file.into()), label)
        }
    };
    let (old_source, old_label) = side(&old_file, format!("a/{path}"));
    let (new_source, new_label) = side(&new_file, format!("b/{new_path}"));
    let (old_bytes, new_bytes) = match (old_source.read(), new_source.read()) {
        (Ok(o), Ok(n)) => (o, n),
        (Err(e), _) | (_, Err(e)) => return usage_error(e),
    };
    let mut notes: Vec<String> = Vec::new();
    if old_source == Source::Empty {
        notes.push("new file".to_string());
    }
    if new_source == Source::Empty {
        notes.push("deleted file".to_string());
    }
    if let Some(h) = git_header {
        notes.extend(
            h.lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_string),
        );
    }
    let color = driver_color();
    let old_reader = driver_imports(&path, &old_hex, git::Side::Old, &old_bytes, &mut notes);
    let new_reader = driver_imports(&new_path, &new_hex, git::Side::New, &new_bytes, &mut notes);
    let old = parse_with(
        &old_label,
        old_bytes.clone(),
        &*old_reader,
        Path::new(&path),
    );
    let new = parse_with(
        &new_label,
        new_bytes.clone(),
        &*new_reader,
        Path::new(&new_path),
    );
    let body = match (old, new) {
        (Ok(old), Ok(new)) => {
            let mut d = match compared(old, new) {
                Ok(d) => d,
                Err(code) => return code,
            };
            d.old = old_label.clone();
            d.new = new_label.clone();
            let mut text = with_notes(render_text(&d, color), &notes);
            if d.is_empty() && old_bytes != new_bytes {
                text.push_str("\nonly comments or layout changed:\n");
                text.push_str(&text_diff(&old_bytes, &new_bytes, &old_label, &new_label));
            }
            text
        }
        (old, new) => {
            let mut text = with_notes(header(&old_label, &new_label, "base", color), &notes);
            for (label, result) in [(&old_label, &old), (&new_label, &new)] {
                if let Err(e) = result {
                    text.push_str(&format!(
                        "premise: {label} is not a valid model ({}); showing the text diff\n",
                        e.first_problem()
                    ));
                }
            }
            text.push_str(&text_diff(&old_bytes, &new_bytes, &old_label, &new_label));
            text
        }
    };
    let _ = out.write_all(body.as_bytes());
    Exit::Ok
}

/// The rendered diff with git's notes (new file, rename ...) under its header line.
fn with_notes(rendered: String, notes: &[String]) -> String {
    if notes.is_empty() {
        return rendered;
    }
    let (head, rest) = rendered.split_once('\n').unwrap_or((&rendered, ""));
    let mut out = format!("{head}\n");
    for n in notes {
        out.push_str(n);
        out.push('\n');
    }
    out.push_str(rest);
    out
}

/// A unified text diff, for when the versions cannot be compared as models.
fn text_diff(old: &[u8], new: &[u8], old_label: &str, new_label: &str) -> String {
    let old = String::from_utf8_lossy(old);
    let new = String::from_utf8_lossy(new);
    similar::TextDiff::from_lines(old.as_ref(), new.as_ref())
        .unified_diff()
        .header(old_label, new_label)
        .to_string()
}

/// `premise show FILE`: one line per cell, `name = formula  ⇒ value`, then
/// the scenarios' overrides, each below its `##` doc lines; git's textconv,
/// for `git log -p` and `git blame`, where a changed doc is a change too.
/// A file that is not a valid model is shown as written (git needs some text).
pub fn show(out: &mut dyn Write, file: &str) -> Exit {
    let bytes = match Source::File(file.into()).read() {
        Ok(b) => b,
        Err(e) => return usage_error(e),
    };
    let model = match parse(file, bytes.clone()) {
        Ok(m) => m,
        Err(_) => {
            eprintln!("note: {file} is not a valid model; shown as written");
            let _ = out.write_all(&bytes);
            return Exit::Ok;
        }
    };
    let book = match sound(Workbook::new(model)) {
        Ok(book) => book,
        Err(code) => return code,
    };
    let model = book.model();
    let mut text = String::new();
    for a in model.axes() {
        text.push_str(&format!("axis {} = {}..{}\n", a.name, a.first, a.last));
    }
    for (id, name, def) in model.own_cells() {
        if model.series(id).is_some() {
            // Each pin with its period's value, the rule with the series'.
            let keyed = match model.keyed_formulas(id) {
                Ok(keyed) => keyed,
                Err(e) => return internal_error(&e),
            };
            for (key, def) in keyed {
                let at = model
                    .address(&key)
                    .unwrap_or(crate::model::Address::cell(id));
                text.push_str(&format!(
                    "{key} = {}  ⇒ {}\n",
                    def.written(),
                    crate::explain::shown_at(&book, at)
                ));
            }
            continue;
        }
        push_doc(&mut text, def.doc.as_deref());
        text.push_str(&format!(
            "{name} = {}  ⇒ {}\n",
            def.written(),
            crate::explain::shown(&book, id)
        ));
    }
    for s in &model.scenarios {
        push_doc(&mut text, s.doc.as_deref());
        for o in &s.overrides {
            let cell = match model.slot_key(o.cell, o.slot) {
                Ok(cell) => cell,
                Err(e) => return internal_error(&e),
            };
            text.push_str(&format!(
                "scenario {}: {cell} = {}\n",
                s.name,
                o.def.written()
            ));
        }
    }
    let _ = out.write_all(text.as_bytes());
    Exit::Ok
}

/// Writes `## line` for each line of a doc text.
fn push_doc(text: &mut String, doc: Option<&str>) {
    for line in doc.into_iter().flat_map(str::lines) {
        text.push_str(format!("## {line}").trim_end());
        text.push('\n');
    }
}

/// `premise git setup`
pub fn git(out: &mut dyn Write, action: GitAction) -> Exit {
    match action {
        GitAction::Setup => match git::setup(Path::new(".")) {
            Ok(done) => {
                for line in done {
                    let _ = writeln!(out, "{line}");
                }
                if !on_path("premise") {
                    eprintln!(
                        "note: git runs 'premise' from PATH, and it is not there yet \
                         (install it, e.g. cargo install --path .)"
                    );
                }
                Exit::Ok
            }
            Err(e) => usage_error(e),
        },
    }
}

/// Whether a program of this name is in a folder of PATH.
fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|paths| {
        std::env::split_paths(&paths)
            .any(|dir| dir.join(program).is_file() || dir.join(format!("{program}.exe")).is_file())
    })
}
