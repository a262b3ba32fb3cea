//! Loading a model: its own file parsed into the model as it is read, then
//! the files it imports copied in ([`super::expand`]), then its scenarios
//! and assertions, once every cell is known.

use std::path::Path;

use super::build::{check_scenario, Builder, LoadError, Prepared};
use super::import::{FileSystem, Reader};
use super::{text_of, Model, ModelError};
use crate::file::FileError;
use crate::source::FileId;
use crate::syntax::ast::MAX_SOURCE;
use crate::syntax::parse_each_with;

/// Reads and builds a model from a file.
pub fn load_file(path: &str) -> Result<Model, LoadError> {
    let bytes = std::fs::read(path).map_err(|error| LoadError::Io(FileError::read(path, error)))?;
    let source = text_of(path, bytes)?;
    Model::parse(path, source)
}

impl Model {
    /// Parses and builds a model from its text; `path` is used in diagnostics,
    /// and the files it imports are read from disk beside it.
    pub fn parse(path: &str, source: String) -> Result<Model, LoadError> {
        Model::parse_with(path, source, &FileSystem, Path::new(path))
    }

    /// [`Model::parse`], its imports read by `reader` from beside `location`
    /// (where the model's own file is, as the reader knows it: a path on
    /// disk, or in a git revision).
    pub fn parse_with(
        path: &str,
        source: String,
        reader: &dyn Reader,
        location: &Path,
    ) -> Result<Model, LoadError> {
        if source.len() > MAX_SOURCE {
            return Err(LoadError::Invalid {
                model: Box::new(Model::new(path, String::new())),
                errors: vec![ModelError::TooLarge],
            });
        }
        let mut errors: Vec<ModelError> = Vec::new();
        let mut model = Model::new(path, String::new());
        // At most one cell per line: an upper bound worth reserving for, and
        // one counted many bytes at a time (blank and comment lines are few
        // in the files big enough for this to matter).
        let lines = source.bytes().filter(|&b| b == b'\n').count() + 1;
        model.reserve(lines);
        let mut builder = Builder::new(String::new(), FileId::ROOT, Vec::new().into());
        parse_each_with(&source, Prepared::of, |r| match r {
            Ok(prepared) => builder.statement(&mut model, prepared, &mut errors),
            Err(e) => errors.push(e.into()),
        });
        model.source = source;
        let own = builder.close(&mut model, &mut errors);
        let expanded = super::expand::expand(
            &mut model,
            own.imports,
            super::expand::Origin { reader, location },
            &mut errors,
        );
        model.imports = expanded.imports;
        // Declarations may follow their use, and come from any file: units
        // are looked up once all are known.
        let mut units = own.units;
        units.extend(expanded.units);
        let units = super::units::merge_files(units, &model, &mut errors);
        model.units = super::units::declare(units, &mut errors);
        model.resolve_declared_units();
        let mut rules = own.rules;
        rules.extend(expanded.rules);
        if model.has_axes() || !rules.is_empty() {
            super::build::check_series(&mut model, &rules, &mut errors);
        }
        for s in own.scenarios {
            let earlier = std::mem::take(&mut model.scenarios);
            let checked = check_scenario(&mut model, "", s, &earlier, &mut errors);
            model.scenarios = earlier;
            model.scenarios.extend(checked);
        }
        // The model's own assertions first, then those of the files it imports.
        let mut assertions = own.assertions;
        assertions.append(&mut model.assertions);
        if !model.units.is_empty() {
            for a in &mut assertions {
                model.units.resolve_expr(&mut a.condition);
            }
        }
        model.assertions = assertions;
        if errors.is_empty() {
            Ok(model)
        } else {
            errors.sort_by_key(|e| (e.file(), e.span().start()));
            Err(LoadError::Invalid {
                model: Box::new(model),
                errors,
            })
        }
    }
}
