//! Where the command line's text goes.
//!
//! Standard output is written through one locked, buffered writer whose errors come back
//! like any other error, so a reader that goes away (`folio stats DIR --json | head`) ends
//! the command instead of panicking inside `println!`; `main` then exits quietly, as
//! ripgrep does. Messages to standard error never fail a command: when even standard
//! error is gone there is nobody left to tell.

use std::io::{self, BufWriter, StdoutLock, Write};

use anyhow::{Context, Result};

/// Runs `write` on a locked, buffered standard output and flushes it. A failed write is
/// an error that keeps its [`io::Error`] in the chain, for [`is_broken_pipe`].
pub fn print(
    write: impl FnOnce(&mut BufWriter<StdoutLock<'static>>) -> io::Result<()>,
) -> Result<()> {
    let mut out = BufWriter::new(io::stdout().lock());
    write(&mut out)
        .and_then(|()| out.flush())
        .context("cannot write to standard output")
}

/// Writes `value` as pretty JSON and a newline.
pub fn json(out: &mut impl Write, value: &impl serde::Serialize) -> io::Result<()> {
    // serde_json wraps write errors; turning them back into io::Error keeps their kind.
    serde_json::to_writer_pretty(&mut *out, value).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

/// Whether `err` comes from writing to a reader that went away, which is no error at all
/// for a command line tool in a pipe.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// Prints one line to standard error, ignoring failure (unlike `eprintln!`, which panics).
pub fn warn(line: &str) {
    let mut stderr = io::stderr().lock();
    let _ = writeln!(stderr, "{line}");
}
