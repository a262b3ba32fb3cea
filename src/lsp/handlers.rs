//! Each request the server answers, from protocol types to the document's
//! analysis and back. A request about a document that is not open gets an
//! empty answer (`null`), never an error that would bother the analyst.

use std::collections::HashMap;

use lsp_server::ErrorCode;
use lsp_types as lsp;
use serde::de::DeserializeOwned;
use serde_json::Value as Json;

use super::document::{Document, Kind};
use super::imported::{imported, Imported};
use super::names::{self, Role, Target};
use super::problems::{problems, Level};
use super::uri::uri_of;
use super::{complete, values};
use crate::internal::InternalError;

/// The open documents, by URI.
pub type Documents = HashMap<String, Document>;

/// Why a request has no answer.
pub struct Failure {
    /// The JSON-RPC error code.
    pub code: ErrorCode,
    /// What went wrong, in words.
    pub message: String,
}

impl Failure {
    /// The request's parameters are not what its method takes.
    pub fn params(e: impl std::fmt::Display) -> Failure {
        Failure {
            code: ErrorCode::InvalidParams,
            message: format!("invalid parameters: {e}"),
        }
    }

    /// premise's own failure while answering: said as it is, never
    /// answered with a made-up name.
    pub fn internal(e: &InternalError) -> Failure {
        Failure {
            code: ErrorCode::InternalError,
            message: e.to_string(),
        }
    }

    /// The request cannot be done (a rename to a name that is taken).
    pub fn refused(message: impl Into<String>) -> Failure {
        Failure {
            code: ErrorCode::RequestFailed,
            message: message.into(),
        }
    }
}

/// A span of a document as a protocol range.
fn range(doc: &Document, span: crate::syntax::Span) -> lsp::Range {
    doc.lines().range(doc.text(), span)
}

/// A protocol position as a byte offset of a document.
fn offset(doc: &Document, position: lsp::Position) -> usize {
    doc.lines().offset(doc.text(), position)
}

/// The open document named by `uri`, brought up to date with its edits.
fn document<'a>(docs: &'a mut Documents, uri: &lsp::Uri) -> Option<&'a Document> {
    let doc = docs.get_mut(uri.as_str())?;
    doc.refresh();
    Some(doc)
}

/// The answer to request `method`, as JSON.
pub fn answer(docs: &mut Documents, method: &str, params: Json) -> Result<Json, Failure> {
    match method {
        "textDocument/hover" => {
            let p: lsp::HoverParams = parse(params)?;
            let tdp = p.text_document_position_params;
            match document(docs, &tdp.text_document.uri) {
                Some(doc) => hover(doc, tdp.position),
                None => Ok(Json::Null),
            }
        }
        "textDocument/inlayHint" => {
            let p: lsp::InlayHintParams = parse(params)?;
            match document(docs, &p.text_document.uri) {
                Some(doc) => inlay_hints(doc, p.range),
                None => Ok(Json::Null),
            }
        }
        "textDocument/definition" => {
            let p: lsp::GotoDefinitionParams = parse(params)?;
            let tdp = p.text_document_position_params;
            let uri = tdp.text_document.uri.clone();
            on_doc(docs, &tdp.text_document.uri, |doc| {
                definition(doc, &uri, tdp.position)
            })
        }
        "textDocument/references" => {
            let p: lsp::ReferenceParams = parse(params)?;
            let tdp = p.text_document_position;
            let uri = tdp.text_document.uri.clone();
            let with_definition = p.context.include_declaration;
            on_doc(docs, &tdp.text_document.uri, |doc| {
                references(doc, &uri, tdp.position, with_definition)
            })
        }
        "textDocument/prepareRename" => {
            let p: lsp::TextDocumentPositionParams = parse(params)?;
            on_doc(docs, &p.text_document.uri, |doc| {
                prepare_rename(doc, p.position)
            })
        }
        "textDocument/rename" => {
            let p: lsp::RenameParams = parse(params)?;
            let tdp = p.text_document_position;
            let uri = tdp.text_document.uri.clone();
            let doc = document(docs, &tdp.text_document.uri);
            match doc {
                Some(doc) => rename(doc, &uri, tdp.position, &p.new_name),
                None => Ok(Json::Null),
            }
        }
        "textDocument/completion" => {
            let p: lsp::CompletionParams = parse(params)?;
            let tdp = p.text_document_position;
            on_doc(docs, &tdp.text_document.uri, |doc| {
                let (items, cut) = complete::complete(doc, offset(doc, tdp.position));
                to_json(lsp::CompletionResponse::List(lsp::CompletionList {
                    is_incomplete: cut,
                    items,
                }))
            })
        }
        "textDocument/formatting" => {
            let p: lsp::DocumentFormattingParams = parse(params)?;
            on_doc(docs, &p.text_document.uri, formatting)
        }
        "textDocument/documentSymbol" => {
            let p: lsp::DocumentSymbolParams = parse(params)?;
            match document(docs, &p.text_document.uri) {
                Some(doc) => symbols(doc),
                None => Ok(Json::Null),
            }
        }
        _ => Err(Failure {
            code: ErrorCode::MethodNotFound,
            message: format!("premise does not answer '{method}'"),
        }),
    }
}

fn parse<P: DeserializeOwned>(params: Json) -> Result<P, Failure> {
    serde_json::from_value(params).map_err(Failure::params)
}

fn to_json(value: impl serde::Serialize) -> Json {
    serde_json::to_value(value).unwrap_or(Json::Null)
}

/// Runs `f` on the open document `uri`; `null` when it is not open.
fn on_doc(
    docs: &mut Documents,
    uri: &lsp::Uri,
    f: impl FnOnce(&Document) -> Json,
) -> Result<Json, Failure> {
    Ok(document(docs, uri).map_or(Json::Null, f))
}

/// The document's problems as protocol diagnostics.
pub fn diagnostics(doc: &Document, uri: &lsp::Uri) -> Vec<lsp::Diagnostic> {
    problems(doc)
        .into_iter()
        .map(|(level, d)| {
            let (severity, tags) = match level {
                Level::Error => (lsp::DiagnosticSeverity::ERROR, None),
                Level::Warning => (lsp::DiagnosticSeverity::WARNING, None),
                Level::Hint => (
                    lsp::DiagnosticSeverity::HINT,
                    Some(vec![lsp::DiagnosticTag::UNNECESSARY]),
                ),
            };
            let related: Vec<lsp::DiagnosticRelatedInformation> = d
                .related
                .iter()
                .map(|(span, label)| lsp::DiagnosticRelatedInformation {
                    location: lsp::Location::new(uri.clone(), range(doc, *span)),
                    message: label.clone(),
                })
                .collect();
            lsp::Diagnostic {
                range: range(doc, d.span),
                severity: Some(severity),
                source: Some("premise".to_string()),
                message: d.to_string(),
                related_information: (!related.is_empty()).then_some(related),
                tags,
                ..lsp::Diagnostic::default()
            }
        })
        .collect()
}

fn hover(doc: &Document, position: lsp::Position) -> Result<Json, Failure> {
    let at = offset(doc, position);
    let Some(written) = names::name_at(doc, at) else {
        // A unit name between brackets: what it measures.
        let Some(span) = names::unit_at(doc.text(), at) else {
            return Ok(Json::Null);
        };
        let name = doc.text().get(span.start()..span.end()).unwrap_or_default();
        return Ok(to_json(lsp::Hover {
            contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: values::unit_hover(doc, name),
            }),
            range: Some(range(doc, span)),
        }));
    };
    let found = values::hover(doc, &written.target).map_err(|e| Failure::internal(&e))?;
    let Some(text) = found else {
        return Ok(Json::Null);
    };
    Ok(to_json(lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: text,
        }),
        range: Some(range(doc, written.span)),
    }))
}

fn inlay_hints(doc: &Document, within: lsp::Range) -> Result<Json, Failure> {
    let (start, end) = (offset(doc, within.start), offset(doc, within.end));
    let hints: Vec<lsp::InlayHint> = values::hints(doc, start, end)
        .map_err(|e| Failure::internal(&e))?
        .into_iter()
        .map(|h| lsp::InlayHint {
            position: doc.lines().position(doc.text(), h.at),
            label: lsp::InlayHintLabel::String(h.label),
            kind: None,
            text_edits: None,
            tooltip: Some(lsp::InlayHintTooltip::String(h.tooltip)),
            padding_left: Some(true),
            padding_right: None,
            data: None,
        })
        .collect();
    Ok(to_json(hints))
}

fn definition(doc: &Document, uri: &lsp::Uri, position: lsp::Position) -> Json {
    let Some(written) = names::name_at(doc, offset(doc, position)) else {
        return Json::Null;
    };
    let mut locations: Vec<lsp::Location> = names::definitions_of(doc, &written.target)
        .into_iter()
        .map(|span| lsp::Location::new(uri.clone(), range(doc, span)))
        .collect();
    if let Some((there, uri)) = imported_of(doc, &written.target) {
        locations.extend(
            there
                .definitions()
                .into_iter()
                .map(|span| lsp::Location::new(uri.clone(), range(&there.doc, span))),
        );
    }
    to_json(lsp::GotoDefinitionResponse::Array(locations))
}

/// The imported file that defines a cell target, with its URI.
fn imported_of(doc: &Document, target: &Target) -> Option<(Imported, lsp::Uri)> {
    let Target::Cell(name) = target else {
        return None;
    };
    let there = imported(doc, name)?;
    let uri = uri_of(&there.path)?;
    Some((there, uri))
}

fn references(
    doc: &Document,
    uri: &lsp::Uri,
    position: lsp::Position,
    with_definition: bool,
) -> Json {
    let Some(written) = names::name_at(doc, offset(doc, position)) else {
        return Json::Null;
    };
    let mut locations: Vec<lsp::Location> = names::places_of(doc, &written.target)
        .into_iter()
        .filter(|w| with_definition || w.role != Role::Definition)
        .map(|w| lsp::Location::new(uri.clone(), range(doc, w.span)))
        .collect();
    if let Some((there, uri)) = imported_of(doc, &written.target) {
        locations.extend(
            there
                .places()
                .into_iter()
                .filter(|w| with_definition || w.role != Role::Definition)
                .map(|w| lsp::Location::new(uri.clone(), range(&there.doc, w.span))),
        );
    }
    to_json(locations)
}

fn prepare_rename(doc: &Document, position: lsp::Position) -> Json {
    match names::name_at(doc, offset(doc, position)) {
        Some(
            w @ names::Written {
                target: Target::Cell(_),
                ..
            },
        ) => to_json(lsp::PrepareRenameResponse::Range(range(doc, w.span))),
        _ => Json::Null,
    }
}

fn rename(
    doc: &Document,
    uri: &lsp::Uri,
    position: lsp::Position,
    new_name: &str,
) -> Result<Json, Failure> {
    let Some(written) = names::name_at(doc, offset(doc, position)) else {
        return Ok(Json::Null);
    };
    let Target::Cell(old) = &written.target else {
        return Err(Failure::refused("only cells can be renamed"));
    };
    if let Some(why) = names::rename_refusal(doc, old, new_name) {
        return Err(Failure::refused(why));
    }
    let edits: Vec<lsp::TextEdit> = names::places_of(doc, &written.target)
        .into_iter()
        .map(|w| lsp::TextEdit::new(range(doc, w.span), new_name.to_string()))
        .collect();
    // lsp-types keys the edit by `Uri`, whose parsed form clippy takes for mutable.
    #[allow(clippy::mutable_key_type)]
    let mut changes = HashMap::from([(uri.clone(), edits)]);
    // An imported cell is renamed in its own file too, without the alias.
    if let Some((there, there_uri)) = imported_of(doc, &written.target) {
        let Some(local) = new_name.strip_prefix(&*there.prefix) else {
            return Err(Failure::refused(format!(
                "'{old}' is defined in {}: its new name starts with '{}' as well",
                there.path, there.prefix
            )));
        };
        if let Some(why) = names::rename_refusal(&there.doc, &there.local, local) {
            return Err(Failure::refused(format!("in {}: {why}", there.path)));
        }
        let edits = there
            .places()
            .into_iter()
            .map(|w| lsp::TextEdit::new(range(&there.doc, w.span), local.to_string()))
            .collect();
        changes.insert(there_uri, edits);
    }
    Ok(to_json(lsp::WorkspaceEdit::new(changes)))
}

fn formatting(doc: &Document) -> Json {
    match crate::fmt::format_source(doc.text()) {
        Ok(formatted) if formatted != doc.text() => {
            let whole = range(doc, crate::syntax::Span::new(0, doc.text().len()));
            to_json(vec![lsp::TextEdit::new(whole, formatted)])
        }
        // Unchanged, or it does not parse: a file with errors is never reformatted.
        _ => to_json(Vec::<lsp::TextEdit>::new()),
    }
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must be given, though deprecated.
fn symbols(doc: &Document) -> Result<Json, Failure> {
    let book = doc.book();
    let model = book.model();
    let mut out: Vec<lsp::DocumentSymbol> = Vec::new();
    for stmt in doc.statements() {
        let whole = range(doc, stmt.span);
        match &stmt.kind {
            Kind::Cell { id, .. } => {
                let Some(def) = model.definition(*id) else {
                    continue;
                };
                let name_range = names::name_span(doc, *id).map_or(whole, |s| range(doc, s));
                out.push(lsp::DocumentSymbol {
                    name: model
                        .name(*id)
                        .map_err(|e| Failure::internal(&e))?
                        .to_string(),
                    detail: Some(values::brief(book.value(*id), def.percent)),
                    kind: if def.is_input() {
                        lsp::SymbolKind::CONSTANT
                    } else {
                        lsp::SymbolKind::VARIABLE
                    },
                    tags: None,
                    deprecated: None,
                    range: whole,
                    selection_range: name_range,
                    children: None,
                });
            }
            Kind::ScenarioOpen { name } => out.push(lsp::DocumentSymbol {
                name: name.to_string(),
                detail: Some("scenario".to_string()),
                kind: lsp::SymbolKind::NAMESPACE,
                tags: None,
                deprecated: None,
                range: whole,
                selection_range: whole,
                children: Some(Vec::new()),
            }),
            Kind::Override { .. } => {
                let Some(located) = doc.parse_statement(stmt) else {
                    continue;
                };
                let Some(w) = names::names_in(stmt, &located)
                    .into_iter()
                    .find(|w| w.role == Role::Override)
                else {
                    continue;
                };
                let Target::Cell(name) = w.target else {
                    continue;
                };
                let symbol = lsp::DocumentSymbol {
                    name: name.to_string(),
                    detail: Some("override".to_string()),
                    kind: lsp::SymbolKind::FIELD,
                    tags: None,
                    deprecated: None,
                    range: whole,
                    selection_range: range(doc, w.span),
                    children: None,
                };
                match out.last_mut().and_then(|s| s.children.as_mut()) {
                    Some(children) => {
                        children.push(symbol);
                        // The scenario's range runs to its last override.
                        if let Some(scenario) = out.last_mut() {
                            scenario.range.end = whole.end;
                        }
                    }
                    None => out.push(symbol),
                }
            }
            Kind::Close => {
                if let Some(scenario) = out.last_mut().filter(|s| s.children.is_some()) {
                    scenario.range.end = whole.end;
                }
            }
            Kind::Other => {}
        }
    }
    Ok(to_json(lsp::DocumentSymbolResponse::Nested(out)))
}
