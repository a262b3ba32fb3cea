//! The REPL on a terminal: rustyline with history kept across sessions, Tab
//! completion, multi-line input while a parenthesis is open, and colours.

use std::borrow::Cow;
use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;

use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::highlight::{CmdKind, Highlighter, MatchingBracketHighlighter};
use rustyline::hint::Hinter;
use rustyline::history::DefaultHistory;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{CompletionType, Config, Context, Editor, Helper};

use crate::diagnostic::{stderr_color, stdout_color};

use super::complete::complete;
use super::input::{handle, Joiner};
use super::reply::{Reply, Stream};
use super::session::Session;

/// What rustyline asks of the REPL while a line is edited.
struct ReplHelper {
    session: Rc<RefCell<Session>>,
    color: bool,
    brackets: MatchingBracketHighlighter,
}

impl Completer for ReplHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let (start, candidates) = match self.session.try_borrow() {
            Ok(session) => complete(&session, line, pos),
            Err(_) => (pos, Vec::new()),
        };
        let pairs = candidates
            .into_iter()
            .map(|c| Pair {
                display: c.trim_end().to_string(),
                replacement: c,
            })
            .collect();
        Ok((start, pairs))
    }
}

impl Hinter for ReplHelper {
    type Hint = String;
}

impl Validator for ReplHelper {
    /// Enter while a parenthesis is open starts a new line of the same input.
    /// Never `Invalid`: that would hold the input back for good.
    fn validate(&self, ctx: &mut ValidationContext<'_>) -> rustyline::Result<ValidationResult> {
        Ok(if Joiner::is_unfinished(ctx.input()) {
            ValidationResult::Incomplete
        } else {
            ValidationResult::Valid(None)
        })
    }
}

impl Highlighter for ReplHelper {
    fn highlight<'l>(&self, line: &'l str, pos: usize) -> Cow<'l, str> {
        if self.color {
            self.brackets.highlight(line, pos)
        } else {
            Cow::Borrowed(line)
        }
    }

    fn highlight_prompt<'b, 's: 'b, 'p: 'b>(
        &'s self,
        prompt: &'p str,
        _default: bool,
    ) -> Cow<'b, str> {
        if self.color {
            let style = anstyle::AnsiColor::Cyan.on_default().bold();
            Cow::Owned(format!(
                "{}{prompt}{}",
                style.render(),
                style.render_reset()
            ))
        } else {
            Cow::Borrowed(prompt)
        }
    }

    fn highlight_char(&self, line: &str, pos: usize, kind: CmdKind) -> bool {
        self.color && self.brackets.highlight_char(line, pos, kind)
    }
}

impl Helper for ReplHelper {}

/// Where the history is kept: `premise/history.txt` in the user's data directory.
fn history_path() -> Option<PathBuf> {
    let dir = dirs::data_dir()?.join("premise");
    std::fs::create_dir_all(&dir).ok()?;
    Some(dir.join("history.txt"))
}

/// Why the terminal front end stopped before `:quit` or Ctrl-D.
#[derive(Debug, thiserror::Error)]
pub enum TerminalError {
    /// The line editor could not take the terminal.
    #[error("cannot use the terminal: {0}")]
    Unusable(ReadlineError),
    /// Reading a line failed.
    #[error("{0}")]
    Read(ReadlineError),
}

/// Runs the REPL on the terminal until `:quit` or Ctrl-D.
pub fn run(session: Session) -> Result<(), TerminalError> {
    let out_color = stdout_color();
    let err_color = stderr_color();
    let session = Rc::new(RefCell::new(session));
    let config = Config::builder()
        .max_history_size(10_000)
        .and_then(|b| b.history_ignore_dups(true))
        .map(|b| {
            b.history_ignore_space(true)
                .auto_add_history(false)
                .completion_type(CompletionType::List)
                .build()
        })
        .unwrap_or_default();
    let mut editor: Editor<ReplHelper, DefaultHistory> = match Editor::with_config(config) {
        Ok(e) => e,
        Err(e) => return Err(TerminalError::Unusable(e)),
    };
    editor.set_helper(Some(ReplHelper {
        session: Rc::clone(&session),
        color: out_color,
        brackets: MatchingBracketHighlighter::new(),
    }));
    let history = history_path();
    if let Some(path) = &history {
        // A first session has no history yet.
        let _ = editor.load_history(path);
    }
    banner(&session.borrow(), out_color);
    loop {
        let prompt = match session.borrow().scenario() {
            "base" => "premise> ".to_string(),
            s => format!("premise ({s})> "),
        };
        match editor.readline(&prompt) {
            Ok(text) => {
                if !text.trim().is_empty() {
                    let _ = editor.add_history_entry(text.as_str());
                    if let Some(path) = &history {
                        // Saved at once, so that a closed window loses nothing.
                        let _ = editor.append_history(path);
                    }
                }
                // A pasted block may hold several inputs: each is answered in turn.
                for input in Joiner::split(&text) {
                    let reply = handle(&mut session.borrow_mut(), &input);
                    print(&reply, out_color, err_color);
                    if reply.quit {
                        return Ok(());
                    }
                }
            }
            // Ctrl-C clears the line being edited.
            Err(ReadlineError::Interrupted) => {}
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(TerminalError::Read(e)),
        }
    }
    Ok(())
}

fn banner(session: &Session, color: bool) {
    let cells = session.model().cells_in_order().len();
    let what = match session.path() {
        Some(p) => format!("{p}: {cells} cells"),
        None => "no file: define cells with name = expression".to_string(),
    };
    let scenarios = session.scenario_names();
    let scenarios = if scenarios.len() > 1 {
        format!("; scenarios {}", scenarios.join(", "))
    } else {
        String::new()
    };
    let text = format!("premise repl — {what}{scenarios}\n:help lists the commands, Tab completes names, Ctrl-D leaves");
    if color {
        let style = anstyle::Style::new().dimmed();
        println!("{}{text}{}", style.render(), style.render_reset());
    } else {
        println!("{text}");
    }
}

fn print(reply: &Reply, out_color: bool, err_color: bool) {
    for line in &reply.lines {
        match line.stream {
            Stream::Out | Stream::Note | Stream::Hint => println!("{}", line.render(out_color)),
            Stream::Err | Stream::Warning => eprintln!("{}", line.render(err_color)),
        }
    }
}
