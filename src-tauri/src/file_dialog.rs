//! The system's own "open file" dialog, for settings that name a file on this computer (the street map's
//! extract). The webview never names a path: it asks for a dialog, and only a file the operator picked in
//! it reaches the desk — so a page that misbehaves cannot probe the file system through a setting.
//!
//! [`FilePicker::native`] is the real dialog (GTK on Linux, the common item dialog on Windows, through
//! `rfd`); tests with the mock runtime give a [`FilePicker::answering`] picker instead, and the e2e suite
//! answers the real dialog through X (`tests/e2e/tests/streets.rs`).

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};

/// What the dialog asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileQuestion {
    /// The dialog's title, in the operator's language.
    pub title: String,
    /// The name of the kind of file, e.g. "PMTiles".
    pub kind: String,
    /// The extensions offered (without the dot); the operator may still switch to every file.
    pub extensions: Vec<String>,
}

/// The file the operator picked, or `None` when the dialog was cancelled.
pub type Picked = Pin<Box<dyn Future<Output = Option<PathBuf>> + Send>>;

/// Opens a file dialog; one at a time.
pub struct FilePicker {
    open: Box<dyn Fn(FileQuestion) -> Picked + Send + Sync>,
    showing: AtomicBool,
}

impl std::fmt::Debug for FilePicker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FilePicker")
            .field("showing", &self.showing)
            .finish_non_exhaustive()
    }
}

/// Another dialog of the desk is still open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a file dialog is already open")]
pub struct AlreadyOpen;

impl FilePicker {
    /// The platform's dialog.
    pub fn native() -> FilePicker {
        FilePicker::new(|question: FileQuestion| {
            let home = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE"));
            let mut dialog = rfd::AsyncFileDialog::new()
                .set_title(&question.title)
                .add_filter(&question.kind, &question.extensions)
                .add_filter("*", &["*"]);
            if let Some(home) = home {
                dialog = dialog.set_directory(home);
            }
            Box::pin(async move { dialog.pick_file().await.map(|file| file.path().to_owned()) })
        })
    }

    /// A picker that answers every question with `answer` at once (the mock runtime's tests).
    pub fn answering(answer: Option<PathBuf>) -> FilePicker {
        FilePicker::new(move |_| {
            let answer = answer.clone();
            Box::pin(async move { answer })
        })
    }

    fn new(open: impl Fn(FileQuestion) -> Picked + Send + Sync + 'static) -> FilePicker {
        FilePicker {
            open: Box::new(open),
            showing: AtomicBool::new(false),
        }
    }

    /// Shows the dialog and waits for the operator's choice; refused while another is open.
    pub async fn pick(&self, question: FileQuestion) -> Result<Option<PathBuf>, AlreadyOpen> {
        if self.showing.swap(true, Ordering::AcqRel) {
            return Err(AlreadyOpen);
        }
        let _closed = Showing(&self.showing);
        Ok((self.open)(question).await)
    }
}

/// Marks the dialog closed when the wait ends (also when the command's future is dropped).
struct Showing<'a>(&'a AtomicBool);

impl Drop for Showing<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question() -> FileQuestion {
        FileQuestion {
            title: "Pilih".into(),
            kind: "PMTiles".into(),
            extensions: vec!["pmtiles".into()],
        }
    }

    #[tokio::test]
    async fn one_dialog_at_a_time_and_the_next_after_it_closed() {
        let (release, wait) = tokio::sync::oneshot::channel::<()>();
        let wait = std::sync::Mutex::new(Some(wait));
        let picker = FilePicker::new(move |_| {
            let wait = wait.lock().unwrap().take();
            Box::pin(async move {
                if let Some(wait) = wait {
                    let _ = wait.await;
                }
                Some(PathBuf::from("/picked.pmtiles"))
            })
        });
        let first = picker.pick(question());
        tokio::pin!(first);
        // The first dialog is open (its future started and waits for the operator).
        assert!(futures_poll_once(first.as_mut()).await.is_none());
        assert_eq!(picker.pick(question()).await, Err(AlreadyOpen));
        release.send(()).unwrap();
        assert_eq!(first.await, Ok(Some(PathBuf::from("/picked.pmtiles"))));
        assert_eq!(
            picker.pick(question()).await,
            Ok(Some(PathBuf::from("/picked.pmtiles")))
        );
    }

    /// Polls `future` once: `Some` if it finished.
    async fn futures_poll_once<F: Future + Unpin>(mut future: F) -> Option<F::Output> {
        std::future::poll_fn(|cx| match Pin::new(&mut future).poll(cx) {
            std::task::Poll::Ready(v) => std::task::Poll::Ready(Some(v)),
            std::task::Poll::Pending => std::task::Poll::Ready(None),
        })
        .await
    }
}
