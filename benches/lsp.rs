//! The language server's answer to one keystroke in a 100,000-cell model:
//! the edit applied to the open document, the touched statement read again
//! and its cell redefined (what it reaches recomputes), then what the
//! server sends back: every diagnostic of the model and the inlay values of
//! a screenful of lines. The budget is 50 ms (docs/editors.md).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use criterion::{criterion_group, criterion_main, Criterion};

// The allocator the `premise` binary uses: what is measured is what ships.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use premise::lsp::{problems::problems, values::hints, Document};
use premise::workload::{workload_text, Workload};

const N: usize = 100_000;

/// One keystroke: `old` in `line` becomes `new` (and back on the next call),
/// followed by the diagnostics and the hints of 60 lines around it.
fn keystroke(doc: &mut Document, at: usize, texts: [&str; 2], k: &mut usize) -> usize {
    let [old, new] = if k.is_multiple_of(2) {
        texts
    } else {
        [texts[1], texts[0]]
    };
    *k += 1;
    doc.edit(at, at + old.len(), new);
    doc.refresh();
    let screen = doc.text().len().min(at + 3_000);
    problems(doc).len() + hints(doc, at.saturating_sub(3_000), screen).map_or(0, |h| h.len())
}

fn edits(c: &mut Criterion) {
    let mut group = c.benchmark_group("lsp_keystroke_100k");
    group.sample_size(20);
    // (workload, the line's text before the changed part, the two versions of it)
    let cases: [(&str, Workload, &str, [&str; 2]); 4] = [
        // W3: a group's first cell; its 9 readers recompute.
        (
            "W3_group_of_10",
            Workload::W3,
            "g5000_0 = ",
            ["5000", "5001"],
        ),
        // W2: one of 100,000 members of a sum, updated by difference.
        (
            "W2_member_of_sum",
            Workload::W2,
            "a.c50000 = ",
            ["50000", "50001"],
        ),
        // W1: near the end of the chain: 10 cells recompute.
        (
            "W1_chain_end",
            Workload::W1,
            "x99990 = x99989 * ",
            ["0.9999", "0.9998"],
        ),
        // W1: the middle of the chain: 50,000 cells recompute.
        (
            "W1_chain_middle",
            Workload::W1,
            "x50000 = x49999 * ",
            ["0.9999", "0.9998"],
        ),
    ];
    for (name, w, before, texts) in cases {
        let text = workload_text(w, N);
        let at = text.find(&format!("\n{before}")).unwrap() + 1 + before.len();
        let mut doc = Document::new("bench.model", text);
        let mut k = 0;
        group.bench_function(name, |b| b.iter(|| keystroke(&mut doc, at, texts, &mut k)));
        assert_eq!(
            doc.counts.loads, 1,
            "{name}: every edit was followed incrementally"
        );
    }
    group.finish();
}

criterion_group!(benches, edits);
criterion_main!(benches);
