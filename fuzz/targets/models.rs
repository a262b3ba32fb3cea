//! Generated models that always parse: the fuzzer mutates the choices
//! (names, operators, depth, units, scenarios) rather than the text.

#[path = "../../tests/it/support/generate.rs"]
mod generate;
#[path = "../../tests/it/support/pipeline.rs"]
#[allow(dead_code)]
mod pipeline;

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let text = generate::model(data);
        match pipeline::run(&text) {
            pipeline::Outcome::Loaded { .. } => {}
            pipeline::Outcome::ParseError { line, column } => {
                panic!("a generated model does not parse ({line}:{column}):\n{text}")
            }
        }
    });
}
