//! One client connection: a TCP socket, plain or TLS, with the output it
//! has not written yet.
//!
//! A driver waits on the connection for whichever comes first: input, room
//! to write, or a deadline ([`Connection::exchange`]). Reading and writing
//! are polled together, so a client that pipelines commands while a long
//! response goes out can neither stall the session nor make it buffer
//! without bound.

use std::collections::VecDeque;
use std::future::poll_fn;
use std::io::{self, IoSlice};
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::{Duration, Instant};

use bytes::{Buf, Bytes};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::Sleep;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

use crate::deflate::Deflate;

/// Octets read from the socket at a time.
const READ_CHUNK: usize = 16 * 1024;
/// Output the driver pulls from a machine before it waits for the socket.
pub(crate) const OUTBOX_HIGH_WATER: usize = 256 * 1024;
/// Pieces gathered into one vectored write.
const MAX_IOVECS: usize = 64;

/// What a wait on the connection brought.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Io {
    /// `n` octets arrived; they are in [`Connection::input`].
    Input(usize),
    /// The client closed its side.
    Eof,
    /// Some output went out.
    Wrote,
    /// The deadline passed.
    Deadline,
    /// The driver's other wake-up source (a mailbox's change feed) is
    /// ready.
    Woken,
}

enum Stream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
    /// Only while a TLS handshake has the socket.
    Upgrading,
}

/// A client connection.
pub(crate) struct Connection {
    stream: Stream,
    peer: SocketAddr,
    local: SocketAddr,
    input: Box<[u8]>,
    outbox: Outbox,
    /// Output was handed to the stream and not flushed yet (TLS buffers
    /// records until flushed).
    unflushed: bool,
    /// The machine's deadline, kept registered with the runtime's timer and
    /// moved rather than made anew for every wait.
    timer: Pin<Box<Sleep>>,
    /// COMPRESS=DEFLATE, once started: the streams, and the buffer raw
    /// (compressed) input is read into.
    deflate: Option<(Box<Deflate>, Box<[u8]>)>,
}

/// Output waiting for the socket: pieces as the machine handed them out,
/// so message bodies go out as slices of the store's [`Bytes`].
#[derive(Debug, Default)]
pub(crate) struct Outbox {
    pieces: VecDeque<Bytes>,
    len: usize,
}

impl Outbox {
    /// Queues a piece of output.
    pub(crate) fn push(&mut self, piece: Bytes) {
        if !piece.is_empty() {
            self.len += piece.len();
            self.pieces.push_back(piece);
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether the driver should pull more output from its machine.
    pub(crate) fn has_room(&self) -> bool {
        self.len < OUTBOX_HIGH_WATER
    }

    fn advance(&mut self, mut n: usize) {
        self.len -= n;
        while n > 0 {
            let Some(front) = self.pieces.front_mut() else {
                return;
            };
            if n >= front.len() {
                n -= front.len();
                self.pieces.pop_front();
            } else {
                front.advance(n);
                n = 0;
            }
        }
    }
}

impl Connection {
    /// A plain connection.
    pub(crate) fn new(stream: TcpStream, peer: SocketAddr) -> io::Result<Self> {
        let local = stream.local_addr()?;
        stream.set_nodelay(true)?;
        Ok(Self {
            stream: Stream::Plain(stream),
            peer,
            local,
            input: vec![0; READ_CHUNK].into_boxed_slice(),
            outbox: Outbox::default(),
            unflushed: false,
            timer: Box::pin(tokio::time::sleep(Duration::from_secs(3600))),
            deflate: None,
        })
    }

    /// Starts COMPRESS=DEFLATE (RFC 4978): everything queued from now on is
    /// deflated, everything read inflated. `input` is what the client sent
    /// compressed before the switch; it is read first. Unsent output must
    /// have been written first: it belongs to the uncompressed stream.
    pub(crate) fn start_deflate(&mut self, input: &[u8]) -> io::Result<()> {
        debug_assert!(self.outbox.is_empty());
        if self.deflate.is_some() {
            return Err(io::Error::other("compression is already active"));
        }
        self.deflate = Some((
            Box::new(Deflate::new(input)),
            vec![0; READ_CHUNK].into_boxed_slice(),
        ));
        Ok(())
    }

    /// Whether output waits to be written: queued, or compressed and not
    /// yet sent.
    pub(crate) fn has_output(&self) -> bool {
        !self.outbox.is_empty() || self.deflate.as_ref().is_some_and(|(d, _)| d.has_output())
    }

    /// Runs the TLS handshake on the socket (implicit TLS at accept, or
    /// after STARTTLS/STLS), within `timeout`. Unsent output must have been
    /// written first; any plaintext the client sent after its STARTTLS is
    /// read by the handshake as garbage, never as a command.
    pub(crate) async fn start_tls(
        &mut self,
        acceptor: &TlsAcceptor,
        timeout: Duration,
    ) -> io::Result<()> {
        debug_assert!(self.outbox.is_empty());
        let Stream::Plain(tcp) = std::mem::replace(&mut self.stream, Stream::Upgrading) else {
            return Err(io::Error::other("TLS is already active"));
        };
        let tls = tokio::time::timeout(timeout, acceptor.accept(tcp))
            .await
            .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "TLS handshake timed out"))??;
        self.stream = Stream::Tls(Box::new(tls));
        Ok(())
    }

    /// The output queue.
    pub(crate) fn outbox(&mut self) -> &mut Outbox {
        &mut self.outbox
    }

    /// The `n` octets an [`Io::Input`] reported.
    pub(crate) fn input(&self, n: usize) -> &[u8] {
        &self.input[..n]
    }

    /// The client's address.
    pub(crate) fn peer(&self) -> SocketAddr {
        self.peer
    }

    /// The address the client connected to.
    pub(crate) fn local(&self) -> SocketAddr {
        self.local
    }

    /// Whether TLS is active.
    pub(crate) fn is_tls(&self) -> bool {
        matches!(self.stream, Stream::Tls(_))
    }

    /// Waits until input arrives (if `read`), some output is written,
    /// `deadline` passes, or `wake` is ready, whichever is first.
    pub(crate) async fn exchange(
        &mut self,
        read: bool,
        deadline: Option<Instant>,
        wake: &mut (dyn FnMut(&mut Context<'_>) -> Poll<()> + Send),
    ) -> io::Result<Io> {
        if let Some(deadline) = deadline {
            let deadline = tokio::time::Instant::from_std(deadline);
            if self.timer.deadline() != deadline {
                self.timer.as_mut().reset(deadline);
            }
        }
        let Self {
            stream,
            input,
            outbox,
            unflushed,
            timer,
            deflate,
            ..
        } = self;
        poll_fn(|cx| {
            if let Some((z, _)) = deflate.as_mut() {
                if !z.has_output() && !outbox.is_empty() {
                    // One burst: all that is queued, then a sync flush.
                    for piece in outbox.pieces.drain(..) {
                        z.deflate(&piece, false)?;
                    }
                    outbox.len = 0;
                    z.deflate(b"", true)?;
                }
                if z.has_output() {
                    if let Poll::Ready(n) = stream.poll_write(cx, z.output())? {
                        if n == 0 {
                            return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
                        }
                        z.advance(n);
                        *unflushed = true;
                        return Poll::Ready(Ok(Io::Wrote));
                    }
                } else if *unflushed && stream.poll_flush(cx)?.is_ready() {
                    *unflushed = false;
                    return Poll::Ready(Ok(Io::Wrote));
                }
            } else if !outbox.is_empty() {
                let mut slices = [IoSlice::new(&[]); MAX_IOVECS];
                let count = outbox.pieces.len().min(MAX_IOVECS);
                for (slot, piece) in slices.iter_mut().zip(&outbox.pieces) {
                    *slot = IoSlice::new(piece);
                }
                if let Poll::Ready(n) = stream.poll_write_vectored(cx, &slices[..count])? {
                    if n == 0 {
                        return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
                    }
                    outbox.advance(n);
                    *unflushed = true;
                    return Poll::Ready(Ok(Io::Wrote));
                }
            } else if *unflushed && stream.poll_flush(cx)?.is_ready() {
                *unflushed = false;
                return Poll::Ready(Ok(Io::Wrote));
            }
            if read {
                match deflate.as_mut() {
                    None => {
                        let mut buf = ReadBuf::new(input);
                        if stream.poll_read(cx, &mut buf)?.is_ready() {
                            let n = buf.filled().len();
                            return Poll::Ready(Ok(if n == 0 { Io::Eof } else { Io::Input(n) }));
                        }
                    }
                    Some((z, raw)) => loop {
                        let n = z.inflate(input)?;
                        if n > 0 {
                            return Poll::Ready(Ok(Io::Input(n)));
                        }
                        let mut buf = ReadBuf::new(raw);
                        if stream.poll_read(cx, &mut buf)?.is_pending() {
                            break;
                        }
                        if buf.filled().is_empty() {
                            return Poll::Ready(Ok(Io::Eof));
                        }
                        z.push_input(buf.filled());
                    },
                }
            }
            if wake(cx).is_ready() {
                return Poll::Ready(Ok(Io::Woken));
            }
            if deadline.is_some() {
                ready!(timer.as_mut().poll(cx));
                return Poll::Ready(Ok(Io::Deadline));
            }
            Poll::Pending
        })
        .await
    }

    /// Writes and flushes all queued output, within `timeout`.
    pub(crate) async fn flush_all(&mut self, timeout: Duration) -> io::Result<()> {
        let deadline = Instant::now() + timeout;
        while self.has_output() || self.unflushed {
            if self
                .exchange(false, Some(deadline), &mut |_| Poll::Pending)
                .await?
                == Io::Deadline
            {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "the client does not read",
                ));
            }
        }
        Ok(())
    }

    /// Sends what is queued and closes: TLS `close_notify`, then FIN.
    pub(crate) async fn close(&mut self, timeout: Duration) -> io::Result<()> {
        self.flush_all(timeout).await?;
        let shutdown = async {
            match &mut self.stream {
                Stream::Plain(s) => s.shutdown().await,
                Stream::Tls(s) => s.shutdown().await,
                Stream::Upgrading => Ok(()),
            }
        };
        tokio::time::timeout(timeout, shutdown)
            .await
            .unwrap_or(Ok(()))
    }
}

impl Stream {
    fn poll_write(&mut self, cx: &mut Context<'_>, data: &[u8]) -> Poll<io::Result<usize>> {
        match self {
            Self::Plain(s) => Pin::new(s).poll_write(cx, data),
            Self::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, data),
            Self::Upgrading => Poll::Ready(Err(upgrading())),
        }
    }

    fn poll_write_vectored(
        &mut self,
        cx: &mut Context<'_>,
        slices: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match self {
            Self::Plain(s) => Pin::new(s).poll_write_vectored(cx, slices),
            Self::Tls(s) => Pin::new(s.as_mut()).poll_write_vectored(cx, slices),
            Self::Upgrading => Poll::Ready(Err(upgrading())),
        }
    }

    fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self {
            Self::Plain(s) => Pin::new(s).poll_flush(cx),
            Self::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
            Self::Upgrading => Poll::Ready(Err(upgrading())),
        }
    }

    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        match self {
            Self::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Self::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
            Self::Upgrading => Poll::Ready(Err(upgrading())),
        }
    }
}

fn upgrading() -> io::Error {
    io::Error::other("the connection was lost in a TLS handshake")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outbox_advances_across_pieces() {
        let mut outbox = Outbox::default();
        outbox.push(Bytes::from_static(b"+OK 5 octets\r\n"));
        outbox.push(Bytes::new());
        outbox.push(Bytes::from_static(b"hello"));
        outbox.push(Bytes::from_static(b"\r\n.\r\n"));
        assert_eq!(outbox.len, 24);
        assert_eq!(outbox.pieces.len(), 3);
        outbox.advance(16);
        assert_eq!(outbox.len, 8);
        assert_eq!(&outbox.pieces[0][..], b"llo");
        outbox.advance(8);
        assert!(outbox.is_empty());
        assert!(outbox.pieces.is_empty());
    }
}
