//! What need not wait for an answer goes out with what came before it. tokio-xmpp writes a
//! stream header, flushes it, and waits for the server's features before anything else can be
//! written; but the STARTTLS request (Natter requires TLS whatever the features say) and a
//! fresh session's resource binding (which every server must offer after SASL, RFC 6120 §7)
//! need nothing from them. Queued here before the header is written, they leave with its
//! flush, and the login waits one round trip less for each (README, Performance: round trips
//! to online).

use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, ready};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Bytes waiting for the next flush of an [`Ahead`] stream; a clone is a handle to the same
/// queue.
#[derive(Debug, Clone, Default)]
pub(super) struct Queue(Arc<Mutex<Vec<u8>>>);

impl Queue {
    /// `bytes` go out with the next flush, after everything written before it.
    pub(super) fn push(&self, bytes: &[u8]) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(bytes);
    }

    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// A byte stream that writes its [`Queue`] at each flush; reading passes through.
pub(super) struct Ahead<Io> {
    io: Io,
    queue: Queue,
    /// Taken from the queue and not yet written, from `written` on.
    out: Vec<u8>,
    written: usize,
}

impl<Io> Ahead<Io> {
    pub(super) fn new(io: Io, queue: Queue) -> Self {
        Ahead {
            io,
            queue,
            out: Vec::new(),
            written: 0,
        }
    }

    /// The stream underneath; what was queued and not flushed is dropped.
    pub(super) fn into_inner(self) -> Io {
        self.io
    }
}

impl<Io: AsyncWrite + Unpin> Ahead<Io> {
    /// Writes what was taken from the queue, so later bytes cannot overtake it.
    fn poll_out(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.written < self.out.len() {
            let n = ready!(Pin::new(&mut self.io).poll_write(cx, &self.out[self.written..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.written += n;
        }
        self.out.clear();
        self.written = 0;
        Poll::Ready(Ok(()))
    }
}

impl<Io: AsyncRead + Unpin> AsyncRead for Ahead<Io> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
    }
}

impl<Io: AsyncWrite + Unpin> AsyncWrite for Ahead<Io> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        ready!(this.poll_out(cx))?;
        Pin::new(&mut this.io).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let queued = this.queue.take();
        this.out.extend_from_slice(&queued);
        ready!(this.poll_out(cx))?;
        Pin::new(&mut this.io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_out(cx))?;
        Pin::new(&mut this.io).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[tokio::test]
    async fn queued_bytes_leave_with_the_next_flush_right_behind_what_was_written() {
        let (near, mut far) = tokio::io::duplex(1024);
        let queue = Queue::default();
        let mut stream = Ahead::new(near, queue.clone());
        queue.push(b"<starttls/>");
        stream.write_all(b"<stream>").await.expect("written");
        stream.flush().await.expect("flushed");
        stream.write_all(b"<later/>").await.expect("written");
        stream.flush().await.expect("flushed");
        drop(stream);
        let mut seen = String::new();
        far.read_to_string(&mut seen).await.expect("read");
        assert_eq!(seen, "<stream><starttls/><later/>");
    }
}
