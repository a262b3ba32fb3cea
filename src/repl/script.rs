//! Piped scripts (stdin not a terminal): no prompt, banner or colours;
//! results on stdout, each error on stderr as `error: ...`; on to the end
//! after errors; exit 1 if any input failed (docs/language.md#repl).
//!
//! rustyline is not used here: its non-terminal path still runs the
//! validator, and the statements are read exactly as a model file's are —
//! one line, or several while a parenthesis is open.

use std::io::{BufRead, Write};

use super::input::{handle, Joiner};
use super::reply::Stream;
use super::session::Session;

/// Whether every input of a script was answered without an error; the
/// command line turns it into the exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// No input failed.
    Ok,
    /// Some input failed (its error is on the error stream).
    Failed,
}

impl Verdict {
    fn of(failed: bool) -> Verdict {
        if failed {
            Verdict::Failed
        } else {
            Verdict::Ok
        }
    }
}

/// Reads inputs from `input` until its end (or `:quit`) and answers each.
pub fn run(
    session: &mut Session,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Verdict {
    let mut joiner = Joiner::default();
    let mut failed = false;
    let mut number = 0usize;
    let mut bytes = Vec::new();
    loop {
        bytes.clear();
        let inputs = match input.read_until(b'\n', &mut bytes) {
            Ok(0) => {
                let last: Vec<String> = joiner.finish().into_iter().collect();
                if last.is_empty() {
                    break;
                }
                last
            }
            Ok(_) => {
                number += 1;
                if bytes.last() == Some(&b'\n') {
                    bytes.pop();
                    if bytes.last() == Some(&b'\r') {
                        bytes.pop();
                    }
                }
                match std::str::from_utf8(&bytes) {
                    Ok(line) => joiner.feed(line),
                    Err(_) => {
                        failed = true;
                        let message = format!("input line {number} is not valid UTF-8 text");
                        if writeln!(err, "error: {message}").is_err() {
                            break;
                        }
                        continue;
                    }
                }
            }
            Err(e) => {
                failed = true;
                let _ = writeln!(err, "error: cannot read the input: {e}");
                break;
            }
        };
        for text in inputs {
            match answer(session, &text, out, err) {
                Answer::Ok => {}
                Answer::Failed => failed = true,
                Answer::Stop => {
                    let _ = out.flush();
                    return Verdict::of(failed);
                }
            }
        }
    }
    let _ = out.flush();
    Verdict::of(failed)
}

enum Answer {
    Ok,
    Failed,
    /// `:quit`, or the output is gone.
    Stop,
}

/// Runs one input and writes its reply: results to `out`, errors and notes to `err`.
fn answer(session: &mut Session, text: &str, out: &mut dyn Write, err: &mut dyn Write) -> Answer {
    let reply = handle(session, text);
    let mut written = Ok(());
    for line in &reply.lines {
        written = match line.stream {
            Stream::Out => writeln!(out, "{}", line.plain()),
            // stdout first, so that a transcript of both streams keeps the order.
            Stream::Err | Stream::Warning => {
                out.flush().and_then(|()| writeln!(err, "{}", line.plain()))
            }
            Stream::Note => out
                .flush()
                .and_then(|()| writeln!(err, "note: {}", line.plain())),
            Stream::Hint => Ok(()),
        };
        if written.is_err() {
            break;
        }
    }
    // Results go out as each input is answered, for programs that drive the REPL.
    if written.and_then(|()| out.flush()).is_err() || reply.quit {
        Answer::Stop
    } else if reply.failed() {
        Answer::Failed
    } else {
        Answer::Ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;

    /// Runs a script on a small model; returns (stdout, stderr, exit).
    fn script(model: &str, input: &str) -> (String, String, Verdict) {
        let model = Model::parse("m.model", model.to_string()).unwrap();
        let mut session = Session::new(model, None);
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let exit = run(
            &mut session,
            &mut std::io::Cursor::new(input.as_bytes()),
            &mut out,
            &mut err,
        );
        (
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
            exit,
        )
    }

    #[test]
    fn an_open_parenthesis_continues_the_input() {
        let (out, err, exit) = script("a = 2\n", "(a +\n  1) * 2\nb = (a\n * 3)\nb\n");
        assert_eq!(out, "6\nb  6\n6\n");
        assert_eq!(err, "");
        assert_eq!(exit, Verdict::Ok);
    }

    #[test]
    fn an_unclosed_input_stops_at_the_next_definition_or_command() {
        let (out, err, exit) = script("a = 2\n", "b = (a +\nc = 5\n:list\n(1 +\n:inputs\n");
        assert_eq!(out, "c  5\na  2\nc  5\na  2\nc  5\n");
        assert_eq!(
            err,
            "error: this '(' is never closed (add the matching ')')\n\
             error: this '(' is never closed (add the matching ')')\n"
        );
        assert_eq!(exit, Verdict::Failed);
    }

    #[test]
    fn goes_on_after_errors_and_fails_at_the_end() {
        let (out, err, exit) = script("a = 2\n", "nope\na * 2\n");
        assert_eq!(out, "4\n");
        assert_eq!(err, "error: unknown name 'nope'\n");
        assert_eq!(exit, Verdict::Failed);
    }

    #[test]
    fn quit_stops_reading_and_crlf_is_accepted() {
        let (out, _, exit) = script("a = 2\n", "a\r\n:quit\r\na * 100\r\n");
        assert_eq!(out, "2\n");
        assert_eq!(exit, Verdict::Ok);
    }

    #[test]
    fn a_line_that_is_not_utf8_is_an_error_and_the_rest_runs() {
        let model = Model::parse("m.model", "a = 2\n".to_string()).unwrap();
        let mut session = Session::new(model, None);
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let input: &[u8] = b"a\n\xff\xfe\na + 1\n";
        let exit = run(
            &mut session,
            &mut std::io::Cursor::new(input),
            &mut out,
            &mut err,
        );
        assert_eq!(String::from_utf8(out).unwrap(), "2\n3\n");
        assert_eq!(
            String::from_utf8(err).unwrap(),
            "error: input line 2 is not valid UTF-8 text\n"
        );
        assert_eq!(exit, Verdict::Failed);
    }
}
