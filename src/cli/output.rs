//! What the commands print on standard output. A reader that stops early
//! (`shukudai remind | head -3`) closes the pipe; that is no error of ours: the
//! command stops printing and goes on with its work (a `remind` still sends its
//! mails), where `println!` would panic with exit 101, possibly before sending.
//! Any other write error also stops the printing but not the work, and fails the
//! command at [`Output::finish`].
use std::{
    fmt,
    io::{self, Write},
};

/// Standard output that falls silent once it cannot be written.
#[derive(Debug, Default)]
pub struct Output {
    silent: bool,
    error: Option<io::Error>,
}

impl Output {
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes `text` and a newline.
    pub fn line(&mut self, text: impl fmt::Display) {
        self.write(format_args!("{text}\n"));
    }

    /// Writes `text` as it is.
    pub fn text(&mut self, text: impl fmt::Display) {
        self.write(format_args!("{text}"));
    }

    fn write(&mut self, args: fmt::Arguments<'_>) {
        if self.silent {
            return;
        }
        let mut stdout = io::stdout().lock();
        if let Err(error) = stdout.write_fmt(args).and_then(|()| stdout.flush()) {
            self.silent = true;
            if error.kind() != io::ErrorKind::BrokenPipe {
                self.error = Some(error);
            }
        }
    }

    /// Whether everything was written, or its reader left early.
    pub fn finish(self) -> io::Result<()> {
        self.error.map_or(Ok(()), Err)
    }
}

/// A one-line message on standard error; if even that cannot be written, there
/// is no one left to tell.
pub fn complain(text: impl fmt::Display) {
    let _ = writeln!(io::stderr().lock(), "{text}");
}
