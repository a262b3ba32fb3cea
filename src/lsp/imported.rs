//! Names across imports (docs/language.md#several-files): `site.pue` in
//! the open model is `pue` in the file it imports as `site`. Go to
//! definition opens that file at `pue`'s definition; find references and
//! rename reach the places that file names it too.
//!
//! The imported file is read as the model importing it read it (its text
//! is in the model) and analysed as an open document of its own, so its
//! names are found exactly as in any open file.

use crate::syntax::Span;

use super::document::Document;
use super::names::{self, Target, Written};

/// An imported cell's own file, read as a document, and its name there.
pub struct Imported {
    /// The file's path, as the import found it.
    pub path: String,
    /// The file, read as the editor reads an open one.
    pub doc: Document,
    /// The cell's name in its file: `pue` for `site.pue`.
    pub local: Box<str>,
    /// What the open model writes before it: `site.`.
    pub prefix: Box<str>,
}

impl Imported {
    /// The places the imported file names the cell: its definition, the
    /// formulas that read it, overrides.
    pub fn places(&self) -> Vec<Written> {
        names::places_of(&self.doc, &Target::Cell(self.local.clone()))
    }

    /// Where the imported file defines the cell.
    pub fn definitions(&self) -> Vec<Span> {
        names::definitions_of(&self.doc, &Target::Cell(self.local.clone()))
    }
}

/// For `name`, a cell of `doc`'s model defined in an imported file: that
/// file and the cell's name there. `None` for the model's own cells (an
/// import block's override of an imported cell is the model's own).
pub fn imported(doc: &Document, name: &str) -> Option<Imported> {
    let model = doc.book().model();
    let def = model.definition(model.defined(name)?)?;
    if def.file.is_root() {
        return None;
    }
    let text = model.file_text(def.file);
    // The definition starts with the name as its file writes it.
    let local: String = text
        .get(def.span.start()..)?
        .chars()
        .take_while(|&c| c.is_alphanumeric() || c == '_' || c == '.')
        .collect();
    let prefix = name.strip_suffix(local.as_str())?;
    if local.is_empty() || !prefix.ends_with('.') {
        return None;
    }
    let path = model.file_path(def.file).to_string();
    Some(Imported {
        doc: Document::new(path.clone(), text.to_string()),
        path,
        local: local.into(),
        prefix: prefix.into(),
    })
}
