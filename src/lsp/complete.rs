//! Completion: cell names, groups, functions, scenario names, and unit names
//! inside `[...]`, filtered by what is typed before the cursor.

use lsp_types::{CompletionItem, CompletionItemKind};

use crate::syntax::ast::Function;
use crate::value::Value;

use super::document::Document;
use super::values::brief;

/// At most this many items are offered at once (a model may have a million
/// names); the list says it is incomplete, and the editor asks again as the
/// analyst types more.
const MAX_ITEMS: usize = 200;

/// The items for a cursor at byte `offset`, and whether the list was cut.
pub fn complete(doc: &Document, offset: usize) -> (Vec<CompletionItem>, bool) {
    let text = doc.text();
    let before = text.get(..offset.min(text.len())).unwrap_or("");
    let typed_len = before
        .chars()
        .rev()
        .take_while(|&c| c.is_alphanumeric() || c == '_' || c == '.')
        .map(char::len_utf8)
        .sum::<usize>();
    let typed = before.get(before.len() - typed_len..).unwrap_or("");
    let in_unit = before
        .get(..before.len() - typed_len)
        .is_some_and(super::names::in_brackets);
    let matches = |name: &str| starts_with_ignoring_case(name, typed);
    let book = doc.book();
    let model = book.model();
    let mut items = Vec::new();
    if in_unit {
        // The built-in units, the declared ones, and those the model's values carry.
        let mut units: Vec<String> = crate::value::unit::built_in_names()
            .chain(model.units.declared().iter().map(|d| &*d.name))
            .map(str::to_string)
            .collect();
        for &id in model.cells_in_order() {
            if let Some(Ok(Value::Number { unit, .. })) = book.value(id) {
                for (name, _) in unit.factors() {
                    if !units.iter().any(|u| u == name) {
                        units.push(name.to_string());
                    }
                }
            }
        }
        units.sort();
        units.dedup();
        items.extend(
            units
                .into_iter()
                .filter(|u| matches(u))
                .map(|u| CompletionItem {
                    label: u,
                    kind: Some(CompletionItemKind::UNIT),
                    ..CompletionItem::default()
                }),
        );
        return (items, false);
    }
    let mut cut = false;
    for (id, name, def) in model.defined_cells() {
        if !matches(name) {
            continue;
        }
        if items.len() >= MAX_ITEMS {
            cut = true;
            break;
        }
        items.push(CompletionItem {
            label: name.to_string(),
            kind: Some(CompletionItemKind::VARIABLE),
            detail: Some(brief(book.value(id), def.percent)),
            ..CompletionItem::default()
        });
    }
    let mut groups: Vec<&str> = model.group_names().filter(|g| matches(g)).collect();
    groups.sort_unstable();
    items.extend(groups.into_iter().take(MAX_ITEMS).map(|g| CompletionItem {
        label: format!("{g}.*"),
        kind: Some(CompletionItemKind::MODULE),
        detail: Some(format!("the {} cells of group {g}", model.group(g).len())),
        ..CompletionItem::default()
    }));
    items.extend(
        Function::ALL
            .into_iter()
            .filter(|f| matches(f.name()))
            .map(|f| CompletionItem {
                label: f.name().to_string(),
                kind: Some(CompletionItemKind::FUNCTION),
                detail: Some("function".to_string()),
                ..CompletionItem::default()
            }),
    );
    items.extend(
        model
            .scenarios
            .iter()
            .filter(|s| matches(&s.name))
            .map(|s| CompletionItem {
                label: s.name.to_string(),
                kind: Some(CompletionItemKind::ENUM_MEMBER),
                detail: Some("scenario".to_string()),
                ..CompletionItem::default()
            }),
    );
    (items, cut)
}

/// Whether `name` starts with `prefix`, ignoring case.
fn starts_with_ignoring_case(name: &str, prefix: &str) -> bool {
    let mut n = name.chars().flat_map(char::to_lowercase);
    prefix
        .chars()
        .flat_map(char::to_lowercase)
        .all(|p| n.next() == Some(p))
}
