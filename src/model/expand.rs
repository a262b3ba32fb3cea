//! Imports expanded into the importing model (docs/language.md#several-files).
//!
//! Each `import "PATH" as NAME` is a copy of the file's cells under the
//! alias: its `pue` is the model's `site.pue`, and the names its formulas
//! read are qualified the same way, so that references resolve within the
//! copy. Two imports of one file are two copies. A file is read and parsed
//! once however many copies are made (its statements are kept, and each
//! copy qualifies them anew); its own mistakes are reported once, from its
//! first copy.
//!
//! Copies are made from a stack of work, not by recursion, so a chain of a
//! thousand files does not grow the Rust stack. A copy's import block
//! overrides apply once the copy, with everything it imports, is complete.
//! An import that would copy a file into itself (a cycle) is refused with
//! the chain of files, and so is a model whose imports would make more than
//! [`MAX_COPIES`] copies.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use super::build::{
    check_scenario, override_slot, qualify, Builder, PendingImport, Prepared, Rule,
};
use super::import::{Import, Reader};
use super::{AxisId, Slot};
use super::{Model, ModelError};
use crate::source::{FileId, SourceFile};
use crate::syntax::ast::Part;
use crate::syntax::ast::MAX_SOURCE;
use crate::syntax::{parse_each_with, Located, Span, Statement};

/// The most copies of files one model's imports may make: a file that
/// imports another twice, twenty levels deep, would make a million.
pub const MAX_COPIES: usize = 100_000;

/// Where the model's own file is, and how the files it imports are read.
pub(super) struct Origin<'a> {
    /// Reads imported files.
    pub reader: &'a dyn Reader,
    /// The model's own file, as the reader knows it.
    pub location: &'a Path,
}

/// An imported file, read and parsed once.
struct Parsed {
    /// Where it is, for the paths it imports.
    location: PathBuf,
    /// Its statements that parsed, ready to be copied.
    statements: Vec<Prepared>,
    /// The names of the axes it declares: they are the model's, not the copy's.
    axes: Rc<[Box<str>]>,
    /// Copies made of it so far.
    copies: usize,
}

/// The files on the way from the model's own file to a copy: a file met
/// again on its own way is a cycle.
struct Chain {
    file: FileId,
    up: Option<Rc<Chain>>,
}

impl Chain {
    /// The files from `file` (if it is on the chain) down to this one.
    fn from(self: &Rc<Chain>, file: FileId) -> Option<Vec<FileId>> {
        let mut files = Vec::new();
        let mut at = Some(self);
        while let Some(link) = at {
            files.push(link.file);
            if link.file == file {
                files.reverse();
                return Some(files);
            }
            at = link.up.as_ref();
        }
        None
    }
}

/// What is left to do, last pushed first.
enum Work {
    /// Copy `file`'s statements under `prefix` (`site.`).
    Copy {
        file: FileId,
        prefix: String,
        chain: Rc<Chain>,
    },
    /// Apply an import's overrides, once its copy is complete.
    Overrides {
        /// Boxed: an import with its block is large beside a copy's work.
        import: Box<PendingImport>,
        /// The importing copy's prefix and file.
        parent: (String, FileId),
        /// The import's copy's prefix.
        prefix: String,
        /// The importing copy is its file's first: report mistakes.
        report: bool,
    },
}

/// The expansion under way.
struct Expansion<'a> {
    reader: &'a dyn Reader,
    /// Imported files by identity.
    by_key: HashMap<PathBuf, FileId>,
    /// Imported file `n` is `parsed[n - 1]`.
    parsed: Vec<Parsed>,
    /// Where the model's own file is.
    root: &'a Path,
    work: Vec<Work>,
    copies: usize,
    /// Mistakes of import statements already reported (a file met twice
    /// has the same ones).
    reported: HashSet<(FileId, Span)>,
    /// The `unit` statements of the imported files, each file's once.
    units: Vec<super::units::Pending>,
    /// The series' rules of every copy, their axes looked up once every file is read.
    rules: Vec<Rule>,
}

/// What the expansion hands back to loading: the model's own imports, the
/// imported files' `unit` statements and the rules of the imported series.
pub(super) struct Expanded {
    pub(super) imports: Vec<Import>,
    pub(super) units: Vec<super::units::Pending>,
    pub(super) rules: Vec<Rule>,
}

/// Copies every file `imports` (the model's own imports) reads, and what
/// those import in turn, into `model`.
pub(super) fn expand(
    model: &mut Model,
    imports: Vec<PendingImport>,
    origin: Origin<'_>,
    errors: &mut Vec<ModelError>,
) -> Expanded {
    if imports.is_empty() {
        return Expanded {
            imports: Vec::new(),
            units: Vec::new(),
            rules: Vec::new(),
        };
    }
    let mut x = Expansion {
        reader: origin.reader,
        by_key: HashMap::new(),
        parsed: Vec::new(),
        root: origin.location,
        work: Vec::new(),
        copies: 0,
        reported: HashSet::new(),
        units: Vec::new(),
        rules: Vec::new(),
    };
    if let Some(key) = origin.reader.identify(origin.location) {
        x.by_key.insert(key, FileId::ROOT);
    }
    let root = Rc::new(Chain {
        file: FileId::ROOT,
        up: None,
    });
    let own = x.imports(model, imports, ("", FileId::ROOT), &root, true, errors);
    while let Some(work) = x.work.pop() {
        match work {
            Work::Copy {
                file,
                prefix,
                chain,
            } => x.copy(model, file, prefix, chain, errors),
            Work::Overrides {
                import,
                parent,
                prefix,
                report,
            } => {
                let axes = x.axes(parent.1);
                overrides(model, *import, (parent, &axes), &prefix, report, errors);
            }
        }
    }
    Expanded {
        imports: own,
        units: x.units,
        rules: x.rules,
    }
}

impl Expansion<'_> {
    /// The names of the axes file `file` declares (none for the model's
    /// own file, whose names are never put under a prefix).
    fn axes(&self, file: FileId) -> Rc<[Box<str>]> {
        file.index()
            .checked_sub(1)
            .and_then(|i| self.parsed.get(i))
            .map_or_else(|| Rc::from(Vec::new()), |p| Rc::clone(&p.axes))
    }

    /// Where file `file` is, for the paths it imports.
    fn location(&self, file: FileId) -> &Path {
        match file.index().checked_sub(1) {
            None => self.root,
            Some(i) => self.parsed.get(i).map_or(self.root, |p| &p.location),
        }
    }

    /// Reads the files a copy imports and puts their copies (and the
    /// overrides after them) on the stack; returns what the model keeps of
    /// these imports.
    fn imports(
        &mut self,
        model: &mut Model,
        imports: Vec<PendingImport>,
        parent: (&str, FileId),
        chain: &Rc<Chain>,
        report: bool,
        errors: &mut Vec<ModelError>,
    ) -> Vec<Import> {
        let (parent_prefix, parent_file) = parent;
        let mut kept = Vec::new();
        let mut work = Vec::new();
        for import in imports {
            let at = import.def.path_span;
            let alias = format!("{parent_prefix}{}", import.def.alias);
            let file = match self.file(model, parent_file, &import.def.path, &alias, at, errors) {
                Ok(file) => file,
                Err(e) => {
                    self.report(errors, parent_file, e);
                    continue;
                }
            };
            if let Some(cycle) = chain.from(file) {
                let mut files: Vec<&str> = cycle.iter().map(|&f| model.file_path(f)).collect();
                files.push(model.file_path(file));
                let e = ModelError::ImportCycle {
                    chain: files.join(" -> "),
                    at,
                };
                self.report(errors, parent_file, e);
                continue;
            }
            kept.push(Import {
                alias: import.def.alias.clone(),
                path: import.def.path.clone(),
                file,
                line: import.line,
                span: import.span,
            });
            let prefix = format!("{parent_prefix}{}.", import.def.alias);
            let chain = Rc::new(Chain {
                file,
                up: Some(Rc::clone(chain)),
            });
            work.push((
                Work::Copy {
                    file,
                    prefix: prefix.clone(),
                    chain,
                },
                Work::Overrides {
                    import: Box::new(import),
                    parent: (parent_prefix.to_string(), parent_file),
                    prefix,
                    report,
                },
            ));
        }
        // The first import's copy on top, its overrides under it.
        for (copy, overrides) in work.into_iter().rev() {
            self.work.push(overrides);
            self.work.push(copy);
        }
        kept
    }

    /// Reports a mistake of an import statement once, however many copies
    /// of its file there are.
    fn report(&mut self, errors: &mut Vec<ModelError>, file: FileId, e: ModelError) {
        if self.reported.insert((file, e.span())) {
            errors.push(e.in_file(file));
        }
    }

    /// The file an import in `from` names, read and parsed if it is new.
    fn file(
        &mut self,
        model: &mut Model,
        from: FileId,
        written: &str,
        imported_as: &str,
        at: Span,
        errors: &mut Vec<ModelError>,
    ) -> Result<FileId, ModelError> {
        let cannot = |why: String| ModelError::ImportUnreadable {
            path: written.to_string(),
            at,
            why,
        };
        let found = self
            .reader
            .find(self.location(from), written)
            .map_err(|e| cannot(e.0))?;
        if let Some(&file) = self.by_key.get(&found.key) {
            return Ok(file);
        }
        let bytes = self.reader.read(&found).map_err(|e| cannot(e.0))?;
        let (key, location, shown) = (found.key, found.location, found.shown);
        let text = super::text_of(&shown, bytes).map_err(|e| cannot(e.to_string()))?;
        if text.len() > MAX_SOURCE {
            return Err(cannot(ModelError::TooLarge.to_string()));
        }
        let text: std::sync::Arc<str> = text.into();
        let Some(file) = model.add_file(SourceFile {
            path: shown,
            text: std::sync::Arc::clone(&text),
            imported_as: imported_as.to_string(),
        }) else {
            return Err(ModelError::TooManyFiles { at });
        };
        let mut statements = Vec::new();
        let mut axes = Vec::new();
        parse_each_with(&text, Prepared::of, |r| match r {
            Ok(mut prepared) => {
                match &mut prepared {
                    Prepared::Cell { def, .. } => def.file = file,
                    Prepared::Other(Located {
                        statement: Statement::Axis { name, .. },
                        ..
                    }) => axes.push(name.clone()),
                    Prepared::Other(_) => {}
                }
                statements.push(prepared);
            }
            Err(e) => errors.push(ModelError::from(e).in_file(file)),
        });
        self.by_key.insert(key, file);
        self.parsed.push(Parsed {
            location,
            statements,
            axes: axes.into(),
            copies: 0,
        });
        Ok(file)
    }

    /// Copies `file`'s statements into the model under `prefix`, and puts
    /// what it imports on the stack.
    fn copy(
        &mut self,
        model: &mut Model,
        file: FileId,
        prefix: String,
        chain: Rc<Chain>,
        errors: &mut Vec<ModelError>,
    ) {
        self.copies += 1;
        if self.copies > MAX_COPIES {
            if self.copies == MAX_COPIES + 1 {
                errors.push(ModelError::TooManyCopies);
            }
            return;
        }
        let Some(parsed) = file
            .index()
            .checked_sub(1)
            .and_then(|i| self.parsed.get_mut(i))
        else {
            return;
        };
        parsed.copies += 1;
        let first = parsed.copies == 1;
        // A file's own mistakes are the same in every copy: said once.
        let mut mine = Vec::new();
        let mut builder = Builder::new(prefix.clone(), file, Rc::clone(&parsed.axes));
        for statement in &parsed.statements {
            builder.statement(model, statement.clone(), &mut mine);
        }
        let gathered = builder.close(model, &mut mine);
        self.rules.extend(gathered.rules);
        if first {
            let mut checked = Vec::new();
            for s in gathered.scenarios {
                checked.extend(check_scenario(model, &prefix, s, &checked, &mut mine));
            }
            errors.extend(mine.into_iter().map(|e| e.in_file(file)));
            self.units.extend(gathered.units);
        }
        model.assertions.extend(gathered.assertions);
        self.imports(
            model,
            gathered.imports,
            (&prefix, file),
            &chain,
            first,
            errors,
        );
    }
}

/// Applies an import block's overrides (`import "dc.model" as site { pue =
/// 1.4 }`, `capex[2026] = $60B`) to its complete copy: `site.pue` takes the
/// formula, whose names are the importing file's (`parent`: its prefix and
/// file, and the axes that file declares).
fn overrides(
    model: &mut Model,
    import: PendingImport,
    parent: ((String, FileId), &[Box<str>]),
    prefix: &str,
    report: bool,
    errors: &mut Vec<ModelError>,
) {
    let ((parent_prefix, parent_file), parent_axes) = parent;
    let mut seen: HashMap<Box<str>, Span> = HashMap::new();
    let mut mistakes = Vec::new();
    for o in import.overrides {
        let target = format!("{prefix}{}", o.name);
        let Some(id) = model.defined(&target) else {
            mistakes.push(ModelError::UnknownImportOverride {
                alias: import.def.alias.to_string(),
                cell: o.name.to_string(),
                at: o.name_span,
                suggestion: model.suggest_within(prefix, &o.name),
            });
            continue;
        };
        let whose = format!("import '{}'", import.def.alias);
        let slot = match override_slot(model, &whose, id, &o) {
            Ok(slot) => slot,
            Err(e) => {
                mistakes.push(e);
                continue;
            }
        };
        let key: Box<str> = match &o.part {
            Some(part) => format!("{}[{part}]", o.name).into(),
            None => o.name.clone(),
        };
        if let Some(&first) = seen.get(&key) {
            mistakes.push(ModelError::ImportOverriddenTwice {
                alias: import.def.alias.to_string(),
                cell: key.to_string(),
                at: o.name_span,
                first,
            });
            continue;
        }
        seen.insert(key, o.name_span);
        let mut def = o.def;
        qualify(&mut def.expr, &parent_prefix, parent_axes);
        def.file = parent_file;
        def.doc = model.slot(id, slot).and_then(|d| d.doc.clone());
        match (slot, &o.part) {
            (Slot::Whole, _) => {
                model.define_boxed(&target, def);
            }
            (_, part) => {
                // The axis of a new rule is the one it names; a pin keeps the series'.
                let axis = match part {
                    Some(Part::Rule { axis }) => model.axis_named(axis),
                    _ => model.series(id).map(|s| s.axis),
                };
                model.define_slot_at(id, slot, axis.unwrap_or(AxisId(u32::MAX)), *def);
            }
        }
    }
    if report {
        errors.extend(mistakes.into_iter().map(|e| e.in_file(parent_file)));
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::collections::HashMap;
    use std::path::{Path, PathBuf};

    use super::super::import::{joined, normal, Found, ReadError, Reader};
    use super::super::{LoadError, Model};

    /// Files held in memory, counting how often each is read.
    struct Memory {
        files: HashMap<String, String>,
        reads: RefCell<HashMap<String, usize>>,
    }

    impl Memory {
        fn new(files: &[(&str, &str)]) -> Memory {
            Memory {
                files: files
                    .iter()
                    .map(|(p, t)| (p.to_string(), t.to_string()))
                    .collect(),
                reads: RefCell::default(),
            }
        }

        fn load(&self, root: &str) -> Result<Model, LoadError> {
            let text = self.files.get(root).cloned().unwrap_or_default();
            Model::parse_with(root, text, self, Path::new(root))
        }
    }

    impl Reader for Memory {
        fn find(&self, importer: &Path, written: &str) -> Result<Found, ReadError> {
            let path = normal(&joined(importer, written));
            let key = path.display().to_string();
            if !self.files.contains_key(&key) {
                return Err(ReadError("no such file".into()));
            }
            Ok(Found {
                key: path.clone(),
                location: path,
                shown: key,
            })
        }

        fn read(&self, found: &Found) -> Result<Vec<u8>, ReadError> {
            let text = self
                .files
                .get(&found.shown)
                .ok_or_else(|| ReadError("no such file".into()))?;
            *self
                .reads
                .borrow_mut()
                .entry(found.shown.clone())
                .or_default() += 1;
            Ok(text.as_bytes().to_vec())
        }

        fn identify(&self, location: &Path) -> Option<PathBuf> {
            Some(normal(location))
        }
    }

    fn messages(e: LoadError) -> Vec<String> {
        match e {
            LoadError::Invalid { errors, model } => errors
                .iter()
                .map(|e| format!("{}: {e}", model.file_path(e.file())))
                .collect(),
            other => vec![other.to_string()],
        }
    }

    #[test]
    fn a_file_imported_many_times_is_read_once_and_copied_each_time() {
        let files = Memory::new(&[
            ("d.model", "x = 1\ny = x * 2\n"),
            (
                "b.model",
                "import \"d.model\" as d\nimport \"d.model\" as e { x = 5 }\n",
            ),
            (
                "a.model",
                "import \"b.model\" as b\nimport \"b.model\" as c\nimport \"d.model\" as d\n",
            ),
        ]);
        let model = files.load("a.model").unwrap();
        assert_eq!(files.reads.borrow().get("d.model"), Some(&1));
        assert_eq!(files.reads.borrow().get("b.model"), Some(&1));
        assert_eq!(model.imported_files().len(), 2);
        // Five copies of d: b.d, b.e, c.d, c.e, d.
        let copies = ["b.d.y", "b.e.y", "c.d.y", "c.e.y", "d.y"];
        for name in copies {
            assert!(model.defined(name).is_some(), "{name}");
        }
        let book = crate::eval::Workbook::new(model);
        let y = |n: &str| crate::explain::shown(&book, book.model().defined(n).unwrap());
        assert_eq!(y("b.e.y"), "10");
        assert_eq!(y("c.d.y"), "2");
    }

    #[test]
    fn overrides_apply_from_the_inside_out_and_read_the_importing_files_names() {
        let files = Memory::new(&[
            ("d.model", "x = 1\ny = x + 100\n"),
            ("b.model", "k = 7\nimport \"d.model\" as d { x = k }\n"),
            (
                "a.model",
                "k = 3\nimport \"b.model\" as b { d.y = k * 1000 }\nz = b.d.x\n",
            ),
        ]);
        let book = crate::eval::Workbook::new(files.load("a.model").unwrap());
        let v = |n: &str| crate::explain::shown(&book, book.model().defined(n).unwrap());
        assert_eq!(v("b.d.x"), "7");
        assert_eq!(v("b.d.y"), "3000");
        assert_eq!(v("z"), "7");
    }

    #[test]
    fn an_imported_files_mistakes_are_reported_once_whatever_its_copies() {
        let files = Memory::new(&[
            (
                "d.model",
                "x = 1\nx = 2\nimport \"gone.model\" as g\nscenario s { nope = 1 }\n",
            ),
            (
                "a.model",
                "import \"d.model\" as one\nimport \"d.model\" as two\n",
            ),
        ]);
        let found = messages(files.load("a.model").unwrap_err());
        assert_eq!(
            found,
            [
                "d.model: 'x' is defined twice (lines 1 and 2)",
                "d.model: cannot import 'gone.model': no such file",
                "d.model: scenario 's' overrides 'nope', which is not a cell of the model",
            ]
        );
    }

    #[test]
    fn cycles_are_found_through_the_model_itself_and_deeper() {
        let files = Memory::new(&[
            ("a.model", "import \"b.model\" as b\n"),
            ("b.model", "import \"a.model\" as a\n"),
        ]);
        assert_eq!(
            messages(files.load("a.model").unwrap_err()),
            ["b.model: import cycle: a.model -> b.model -> a.model"]
        );
        let files = Memory::new(&[
            ("a.model", "import \"b.model\" as b\n"),
            ("b.model", "import \"c.model\" as c\n"),
            ("c.model", "import \"b.model\" as b\n"),
        ]);
        assert_eq!(
            messages(files.load("a.model").unwrap_err()),
            ["c.model: import cycle: b.model -> c.model -> b.model"]
        );
    }

    #[test]
    fn imports_that_would_copy_files_without_end_are_refused() {
        // Each file imports the next twice: 2^20 copies of the last.
        let mut files = Vec::new();
        for i in 0..20 {
            files.push((
                format!("f{i}.model"),
                format!(
                    "import \"f{n}.model\" as a\nimport \"f{n}.model\" as b\n",
                    n = i + 1
                ),
            ));
        }
        files.push(("f20.model".to_string(), "x = 1\n".to_string()));
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let memory = Memory::new(&refs);
        assert_eq!(
            messages(memory.load("f0.model").unwrap_err()),
            ["f0.model: these imports make more than 100000 copies of files"]
        );
    }
}
