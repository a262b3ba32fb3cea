//! Arbitrary bytes as a model file: whatever they are, premise must answer
//! with values or diagnostics, never a crash, a hang or a broken invariant.

#[path = "../../tests/it/support/pipeline.rs"]
#[allow(dead_code)]
mod pipeline;

/// Inputs larger than this teach the fuzzer nothing new and only slow it.
const MAX_LEN: usize = 4096;

fn main() {
    afl::fuzz!(|data: &[u8]| {
        if data.len() > MAX_LEN {
            return;
        }
        // Files that are not UTF-8 are refused before parsing (docs/language.md#files);
        // lossy decoding still feeds the parser their valid parts.
        let text = String::from_utf8_lossy(data);
        pipeline::run(&text);
    });
}
