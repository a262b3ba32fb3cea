//! Reading a whole file: cut into parts at lines where a statement must
//! begin, the parts split into statements and parsed on all cores, the
//! results handed on in file order.

use super::ast::Span;
use super::error::SyntaxError;
use super::parse;
use super::split::{self, Piece};
use super::Located;

/// Bytes of the file per part handed to a parsing thread (about 13,000
/// one-line statements): large enough that handing parts between threads
/// costs nothing, small enough that the threads parsing and the one
/// building the model stay busy together and that few trees are in flight.
pub(super) const PART: usize = 1 << 18;

/// A part of the file: bytes `start..end`, beginning on line `line`.
#[derive(Clone, Copy)]
struct Part {
    start: usize,
    end: usize,
    line: u32,
}

/// The file cut into parts of about `size` bytes where statements may
/// begin (see [`split::cut_after`]), each with its first line's number.
fn parts(source: &str, size: usize) -> impl Iterator<Item = Part> + '_ {
    let (mut start, mut line) = (0, 1u32);
    std::iter::from_fn(move || {
        if start >= source.len() {
            return None;
        }
        let end = split::cut_after(source, start, size);
        let part = Part { start, end, line };
        let breaks = source
            .as_bytes()
            .get(start..end)
            .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count());
        line = line.saturating_add(u32::try_from(breaks).unwrap_or(u32::MAX));
        start = end;
        Some(part)
    })
}

/// The statements of one part, in file order.
fn statements_of(source: &str, part: Part) -> Vec<split::RawStatement<'_>> {
    split::pieces_between(source, part.start, part.end, part.line)
        .filter_map(|p| match p {
            Piece::Statement(raw) => Some(raw),
            Piece::Trivia(_) => None,
        })
        .collect()
}

/// Splits one part into statements and parses them, in file order.
fn parse_part<T>(
    source: &str,
    part: Part,
    prepare: &impl Fn(Result<Located, SyntaxError>) -> T,
) -> Vec<T> {
    let statements = statements_of(source, part);
    let mut parsed = Vec::with_capacity(statements.len());
    parse::batch(source, &statements, &mut |r| parsed.push(prepare(r)));
    parsed
}

/// Parses `source` in parts of about `size` bytes, in file order, handing
/// each result through `prepare` (run by the parsing threads) to `sink`.
///
/// With several cores, one scoped thread a core takes every n-th part, and
/// hands each part's results over a channel of its own that holds one part:
/// this thread takes them from the threads in turn, so in file order, and
/// runs `sink` on one part while the threads parse the next ones.
pub(super) fn parse_in_parts<T: Send>(
    source: &str,
    size: usize,
    prepare: impl Fn(Result<Located, SyntaxError>) -> T + Sync,
    mut sink: impl FnMut(T),
) {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let parts: Vec<Part> = parts(source, size).collect();
    let here = |sink: &mut dyn FnMut(T)| {
        for &part in &parts {
            parse_part(source, part, &prepare)
                .into_iter()
                .for_each(&mut *sink);
        }
    };
    if threads == 1 || parts.len() == 1 {
        return here(&mut sink);
    }
    let failed = std::thread::scope(|scope| {
        let stripes = threads.min(parts.len());
        let mut workers = Vec::with_capacity(stripes);
        for first in 0..stripes {
            let (done, results) = std::sync::mpsc::sync_channel::<Vec<T>>(1);
            let (parts, prepare) = (&parts, &prepare);
            // Named, so that profiles and debuggers tell them apart.
            let spawned = std::thread::Builder::new()
                .name("premise-parse".into())
                .spawn_scoped(scope, move || {
                    for &part in parts.iter().skip(first).step_by(stripes) {
                        if done.send(parse_part(source, part, prepare)).is_err() {
                            break;
                        }
                    }
                });
            match spawned {
                Ok(handle) => workers.push((handle, results)),
                Err(_) => {
                    // Not every thread could be started: stop those that
                    // were (nothing is sunk yet), and parse here instead.
                    for (handle, results) in workers {
                        drop(results);
                        let _ = handle.join();
                    }
                    return None;
                }
            }
        }
        let mut failed = false;
        for at in 0..parts.len() {
            let parsed = workers
                .get(at % stripes)
                .and_then(|(_, results)| results.recv().ok());
            match parsed {
                Some(parsed) => parsed.into_iter().for_each(&mut sink),
                None => {
                    failed = true;
                    break;
                }
            }
        }
        let (handles, results): (Vec<_>, Vec<_>) = workers.into_iter().unzip();
        drop(results); // a thread still waiting to hand over a part stops
        for handle in handles {
            failed |= handle.join().is_err();
        }
        Some(failed)
    });
    match failed {
        None => here(&mut sink),
        Some(false) => {}
        Some(true) => sink(prepare(Err(SyntaxError::new(
            Span::default(),
            "premise could not read this file (internal error)",
            "here",
        )))),
    }
}
