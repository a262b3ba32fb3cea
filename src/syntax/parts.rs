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
fn parse_part(source: &str, part: Part, out: &mut impl FnMut(Result<Located, SyntaxError>)) {
    parse::batch(source, &statements_of(source, part), out);
}

/// Parses `source` in parts of about `size` bytes, in file order, handing
/// each result through `prepare` (run by the parsing threads) to `sink`.
pub(super) fn parse_in_parts<T: Send>(
    source: &str,
    size: usize,
    prepare: impl Fn(Result<Located, SyntaxError>) -> T + Sync,
    mut sink: impl FnMut(T),
) {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let mut parts = parts(source, size);
    if threads == 1 || source.len() <= size {
        for part in parts {
            parse_part(source, part, &mut |r| sink(prepare(r)));
        }
        return;
    }
    let failed = std::sync::atomic::AtomicBool::new(false);
    // Workers take numbered parts from one queue and send back results;
    // this thread puts them back in file order.
    let (job_tx, job_rx) = std::sync::mpsc::sync_channel::<(usize, Part)>(threads);
    let job_rx = std::sync::Mutex::new(job_rx);
    let (done_tx, done_rx) = std::sync::mpsc::channel::<(usize, Vec<_>)>();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .filter_map(|_| {
                let done_tx = done_tx.clone();
                let (job_rx, failed, prepare) = (&job_rx, &failed, &prepare);
                // Named, so that profiles and debuggers tell them apart.
                let worker = std::thread::Builder::new().name("premise-parse".into());
                let spawned = worker.spawn_scoped(scope, move || loop {
                    let job = match job_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => break,
                    };
                    let Ok((number, part)) = job else { break };
                    let raws = statements_of(source, part);
                    let mut parsed: Vec<T> = Vec::with_capacity(raws.len());
                    parse::batch(source, &raws, &mut |r| parsed.push(prepare(r)));
                    if done_tx.send((number, parsed)).is_err() {
                        failed.store(true, std::sync::atomic::Ordering::Relaxed);
                        break;
                    }
                });
                spawned.ok()
            })
            .collect();
        drop(done_tx);
        if workers.is_empty() {
            // No thread could be started: parse here, one part after another.
            for part in parts.by_ref() {
                parse_part(source, part, &mut |r| sink(prepare(r)));
            }
            return;
        }
        let mut sent = 0;
        let mut next = 0;
        let mut waiting: std::collections::BTreeMap<usize, Vec<_>> = Default::default();
        let mut more = true;
        loop {
            // Keep every worker fed, a little ahead of what is sunk.
            while more && sent < next + 2 * threads {
                match parts.next() {
                    Some(part) => {
                        if job_tx.send((sent, part)).is_err() {
                            more = false;
                        }
                        sent += 1;
                    }
                    None => more = false,
                }
            }
            if next == sent && !more {
                break;
            }
            if let Some(parsed) = waiting.remove(&next) {
                parsed.into_iter().for_each(&mut sink);
                next += 1;
                continue;
            }
            match done_rx.recv() {
                Ok((number, parsed)) => {
                    waiting.insert(number, parsed);
                }
                Err(_) => {
                    failed.store(true, std::sync::atomic::Ordering::Relaxed);
                    break;
                }
            }
        }
        drop(job_tx);
        for worker in workers {
            if worker.join().is_err() {
                failed.store(true, std::sync::atomic::Ordering::Relaxed);
            }
        }
    });
    if failed.load(std::sync::atomic::Ordering::Relaxed) {
        sink(prepare(Err(SyntaxError::new(
            Span::default(),
            "premise could not read this file (internal error)",
            "here",
        ))));
    }
}
