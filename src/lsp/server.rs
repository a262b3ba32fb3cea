//! The protocol: JSON-RPC messages over a byte stream, framed by
//! `Content-Length` headers, answered one at a time.
//!
//! Reading is done here rather than by `lsp-server`'s stdio transport,
//! whose reader stops for good at the first malformed message: a message
//! that is not JSON gets a parse error (id `null`), one that is not a
//! request or notification an invalid-request error, and the server reads
//! on. Every failure inside a request is an error response; nothing a client
//! sends stops the server but `exit` (or the end of its input).

use std::io::{BufRead, Read, Write};

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use serde_json::{json, Value as Json};

use super::document::Document;
use super::handlers::{self, Documents, Failure};
use super::uri::path_of;

/// A header line longer than this is not a header.
const MAX_HEADER_LINE: u64 = 8 * 1024;

/// One thing read from the client.
#[derive(Debug)]
pub enum Incoming {
    /// A well-formed message.
    Message(Message),
    /// Something that is not one, and the error to answer it with.
    Malformed {
        /// The request's id when it could be read, else the answer's id is `null`.
        id: Option<RequestId>,
        /// Parse error or invalid request.
        code: ErrorCode,
        /// What was wrong.
        message: String,
    },
}

/// Reads the next framed message; `None` at the end of the input.
pub fn read_incoming(input: &mut impl BufRead) -> std::io::Result<Option<Incoming>> {
    let mut length: Option<usize> = None;
    let mut bad_header: Option<String> = None;
    loop {
        let mut line = Vec::new();
        let n = input
            .by_ref()
            .take(MAX_HEADER_LINE)
            .read_until(b'\n', &mut line)?;
        if n == 0 {
            return Ok(None);
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if length.is_some() || bad_header.is_some() {
                break;
            }
            continue;
        }
        match text.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                match value.trim().parse::<usize>() {
                    Ok(n) => length = Some(n),
                    Err(_) => bad_header = Some(format!("bad Content-Length: {value:?}")),
                }
            }
            Some(_) => {} // Content-Type and any other header
            None => bad_header = Some(format!("not a header line: {text:?}")),
        }
    }
    let Some(length) = length.filter(|_| bad_header.is_none()) else {
        return Ok(Some(Incoming::Malformed {
            id: None,
            code: ErrorCode::ParseError,
            message: bad_header.unwrap_or_else(|| "no Content-Length header".into()),
        }));
    };
    // Read as the bytes arrive: a Content-Length that lies costs no memory up front.
    let mut body = Vec::new();
    input.by_ref().take(length as u64).read_to_end(&mut body)?;
    if body.len() < length {
        return Ok(None);
    }
    Ok(Some(parse_body(&body)))
}

/// A message from its JSON text, or what is wrong with it.
fn parse_body(body: &[u8]) -> Incoming {
    let json: Json = match serde_json::from_slice(body) {
        Ok(json) => json,
        Err(e) => {
            return Incoming::Malformed {
                id: None,
                code: ErrorCode::ParseError,
                message: format!("the message is not JSON: {e}"),
            }
        }
    };
    let id = match json.get("id") {
        Some(Json::Number(n)) => n
            .as_i64()
            .and_then(|n| i32::try_from(n).ok())
            .map(RequestId::from),
        Some(Json::String(s)) => Some(RequestId::from(s.clone())),
        _ => None,
    };
    match serde_json::from_value::<Message>(json) {
        Ok(message) => Incoming::Message(message),
        Err(e) => Incoming::Malformed {
            id,
            code: ErrorCode::InvalidRequest,
            message: format!("not a request, response or notification: {e}"),
        },
    }
}

/// Where the server is in the protocol's life cycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Before `initialize`: requests are answered with an error.
    Waiting,
    /// Serving.
    Running,
    /// After `shutdown`: only `exit` is expected.
    ShutDown,
}

/// What to do after a message.
enum Flow {
    Continue,
    /// `exit`: stop with this process exit code.
    Exit(i32),
}

/// The server's state: the open documents and where the protocol stands.
pub struct Server<W: Write> {
    out: W,
    phase: Phase,
    docs: Documents,
    /// Documents whose diagnostics are to be published once the queue is empty.
    dirty: Vec<String>,
}

impl<W: Write> Server<W> {
    /// A server writing its messages to `out`.
    pub fn new(out: W) -> Server<W> {
        Server {
            out,
            phase: Phase::Waiting,
            docs: Documents::new(),
            dirty: Vec::new(),
        }
    }

    /// Serves messages from `incoming` until `exit` or the end of the input;
    /// returns the process exit code (0 after a clean shutdown, else 1).
    pub fn serve(&mut self, incoming: std::sync::mpsc::Receiver<Incoming>) -> i32 {
        while let Ok(first) = incoming.recv() {
            if let Flow::Exit(code) = self.guarded(first) {
                return code;
            }
            // Work through everything already queued (a burst of typing)
            // before publishing: a document changed ten times is analysed once.
            while let Ok(next) = incoming.try_recv() {
                if let Flow::Exit(code) = self.guarded(next) {
                    return code;
                }
            }
            let published = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                self.publish();
            }));
            if published.is_err() {
                self.docs.values_mut().for_each(Document::reload);
            }
        }
        i32::from(self.phase != Phase::ShutDown)
    }

    fn send(&mut self, message: Message) {
        // A client that has gone away ends the input too; nothing to do here.
        let _ = message.write(&mut self.out);
    }

    fn reply_error(&mut self, id: RequestId, code: ErrorCode, message: impl Into<String>) {
        self.send(Message::Response(Response::new_err(
            id,
            code as i32,
            message.into(),
        )));
    }

    /// [`Server::handle`], where a bug in following an edit costs the
    /// documents' analysis (worked out again from their text), not the server.
    fn guarded(&mut self, incoming: Incoming) -> Flow {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.handle(incoming))) {
            Ok(flow) => flow,
            Err(_) => {
                self.docs.values_mut().for_each(Document::reload);
                Flow::Continue
            }
        }
    }

    fn handle(&mut self, incoming: Incoming) -> Flow {
        match incoming {
            Incoming::Message(Message::Request(req)) => self.request(req),
            Incoming::Message(Message::Notification(n)) => return self.notification(n),
            Incoming::Message(Message::Response(_)) => {}
            Incoming::Malformed { id, code, message } => match id {
                Some(id) => self.reply_error(id, code, message),
                None => {
                    // JSON-RPC answers an unreadable message with id null.
                    let body = json!({
                        "jsonrpc": "2.0",
                        "id": null,
                        "error": {"code": code as i32, "message": message},
                    })
                    .to_string();
                    let _ = write!(self.out, "Content-Length: {}\r\n\r\n{body}", body.len());
                    let _ = self.out.flush();
                }
            },
        }
        Flow::Continue
    }

    fn request(&mut self, req: Request) {
        let Request { id, method, params } = req;
        match (self.phase, method.as_str()) {
            (Phase::Waiting, "initialize") => {
                self.phase = Phase::Running;
                let result = json!({
                    "capabilities": capabilities(),
                    "serverInfo": {"name": "premise", "version": env!("CARGO_PKG_VERSION")},
                });
                self.send(Message::Response(Response::new_ok(id, result)));
            }
            (Phase::Waiting, _) => self.reply_error(
                id,
                ErrorCode::ServerNotInitialized,
                "the server is not initialized yet: send 'initialize' first",
            ),
            (Phase::ShutDown, _) => self.reply_error(
                id,
                ErrorCode::InvalidRequest,
                "the server is shut down: only 'exit' is expected",
            ),
            (Phase::Running, "initialize") => {
                self.reply_error(id, ErrorCode::InvalidRequest, "already initialized")
            }
            (Phase::Running, "shutdown") => {
                self.phase = Phase::ShutDown;
                self.send(Message::Response(Response::new_ok(id, Json::Null)));
            }
            (Phase::Running, _) => {
                // A bug must cost one answer, not the analyst's session: the
                // documents are read again from their text afterwards.
                let docs = &mut self.docs;
                let answer = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    handlers::answer(docs, &method, params)
                }));
                let response = match answer {
                    Ok(Ok(result)) => Response::new_ok(id, result),
                    Ok(Err(Failure { code, message })) => {
                        Response::new_err(id, code as i32, message)
                    }
                    Err(_) => {
                        self.docs.values_mut().for_each(Document::reload);
                        Response::new_err(
                            id,
                            ErrorCode::InternalError as i32,
                            format!("premise failed to answer '{method}'; please report it"),
                        )
                    }
                };
                self.send(Message::Response(response));
            }
        }
    }

    fn notification(&mut self, n: Notification) -> Flow {
        match n.method.as_str() {
            "exit" => return Flow::Exit(i32::from(self.phase != Phase::ShutDown)),
            _ if self.phase != Phase::Running => {}
            "textDocument/didOpen" => {
                if let Ok(p) = serde_json::from_value::<lsp::DidOpenTextDocumentParams>(n.params) {
                    let key = p.text_document.uri.as_str().to_string();
                    let doc = Document::new(path_of(&p.text_document.uri), p.text_document.text);
                    self.docs.insert(key.clone(), doc);
                    self.dirty.push(key);
                }
            }
            "textDocument/didChange" => {
                if let Ok(p) = serde_json::from_value::<lsp::DidChangeTextDocumentParams>(n.params)
                {
                    let key = p.text_document.uri.as_str().to_string();
                    if let Some(doc) = self.docs.get_mut(&key) {
                        for change in p.content_changes {
                            match change.range {
                                Some(range) => {
                                    let start = doc.lines().offset(doc.text(), range.start);
                                    let end = doc.lines().offset(doc.text(), range.end);
                                    doc.edit(start, end, &change.text);
                                }
                                None => doc.replace(change.text),
                            }
                        }
                        self.dirty.push(key);
                    }
                }
            }
            "textDocument/didClose" => {
                if let Ok(p) = serde_json::from_value::<lsp::DidCloseTextDocumentParams>(n.params) {
                    let key = p.text_document.uri.as_str().to_string();
                    self.docs.remove(&key);
                    self.dirty.retain(|d| *d != key);
                    // Its problems leave the editor's list with it.
                    self.publish_for(p.text_document.uri, Vec::new());
                }
            }
            _ => {}
        }
        Flow::Continue
    }

    /// Publishes the diagnostics of every document changed since the last time.
    fn publish(&mut self) {
        let mut dirty = std::mem::take(&mut self.dirty);
        dirty.sort();
        dirty.dedup();
        for key in dirty {
            let Ok(uri) = key.parse::<lsp::Uri>() else {
                continue;
            };
            let Some(doc) = self.docs.get_mut(&key) else {
                continue;
            };
            doc.refresh();
            let diagnostics = handlers::diagnostics(doc, &uri);
            self.publish_for(uri, diagnostics);
        }
    }

    fn publish_for(&mut self, uri: lsp::Uri, diagnostics: Vec<lsp::Diagnostic>) {
        let params = lsp::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version: None,
        };
        let Ok(params) = serde_json::to_value(params) else {
            return;
        };
        self.send(Message::Notification(Notification::new(
            "textDocument/publishDiagnostics".to_string(),
            params,
        )));
    }
}

/// What the server can do, as the `initialize` answer says it.
fn capabilities() -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        position_encoding: Some(lsp::PositionEncodingKind::UTF16),
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Kind(
            lsp::TextDocumentSyncKind::INCREMENTAL,
        )),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        inlay_hint_provider: Some(lsp::OneOf::Left(true)),
        definition_provider: Some(lsp::OneOf::Left(true)),
        references_provider: Some(lsp::OneOf::Left(true)),
        rename_provider: Some(lsp::OneOf::Right(lsp::RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: lsp::WorkDoneProgressOptions::default(),
        })),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(vec![".".to_string(), "[".to_string()]),
            ..lsp::CompletionOptions::default()
        }),
        document_formatting_provider: Some(lsp::OneOf::Left(true)),
        document_symbol_provider: Some(lsp::OneOf::Left(true)),
        ..lsp::ServerCapabilities::default()
    }
}

/// Serves the protocol on stdin and stdout; returns the process exit code.
pub fn serve_stdio() -> i32 {
    let (tx, rx) = std::sync::mpsc::channel::<Incoming>();
    let reader = std::thread::Builder::new()
        .name("premise-lsp-reader".into())
        .spawn(move || {
            let stdin = std::io::stdin();
            let mut input = stdin.lock();
            while let Ok(Some(incoming)) = read_incoming(&mut input) {
                let exit = matches!(&incoming, Incoming::Message(Message::Notification(n)) if n.method == "exit");
                if tx.send(incoming).is_err() || exit {
                    break;
                }
            }
        });
    if reader.is_err() {
        eprintln!("error: premise lsp could not start reading its input");
        return 1;
    }
    let stdout = std::io::stdout();
    let mut server = Server::new(stdout.lock());
    // The reader thread is left to end with the process: it may be blocked on stdin.
    server.serve(rx)
}
