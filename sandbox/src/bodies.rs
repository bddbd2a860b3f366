//! Response bodies that misbehave on purpose, as streams, so neither needs the whole answer in memory.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::body::{Body, Bytes, Frame, SizeHint};
use tokio::time::Sleep;

/// Size of each padding chunk of a huge body.
const CHUNK: usize = 64 * 1024;
static PADDING: [u8; CHUNK] = [b' '; CHUNK];

/// A huge JSON answer: the transaction with a long "padding" string inside, streamed in 64 KiB chunks.
/// Exact size hint when `declared` (hyper then sends Content-Length), none otherwise (chunked).
pub struct PaddedJson {
    head: Option<Bytes>,
    padding_left: u64,
    tail: Option<Bytes>,
    total: u64,
    declared: bool,
}

impl PaddedJson {
    /// `object_json` is a serialized JSON object (trailing whitespace allowed); the result is `total` bytes
    /// long (if that is larger).
    pub fn new(object_json: &[u8], total: u64, declared: bool) -> PaddedJson {
        // Drop the closing brace, add `,"padding":"     ..."}`: still a valid JSON object.
        let trimmed = object_json.trim_ascii_end();
        let open = &trimmed[..trimmed.len().saturating_sub(1)];
        let mut head = open.to_vec();
        head.extend_from_slice(b",\"padding\":\"");
        let tail = Bytes::from_static(b"\"}");
        let fixed = (head.len() + tail.len()) as u64;
        let total = total.max(fixed);
        PaddedJson { head: Some(Bytes::from(head)), padding_left: total - fixed, tail: Some(tail), total, declared }
    }
}

impl Body for PaddedJson {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        let this = self.get_mut();
        let chunk = if let Some(head) = this.head.take() {
            head
        } else if this.padding_left > 0 {
            let n = this.padding_left.min(CHUNK as u64);
            this.padding_left -= n;
            Bytes::from_static(&PADDING[..n as usize])
        } else if let Some(tail) = this.tail.take() {
            tail
        } else {
            return Poll::Ready(None);
        };
        Poll::Ready(Some(Ok(Frame::data(chunk))))
    }

    fn is_end_stream(&self) -> bool {
        self.head.is_none() && self.padding_left == 0 && self.tail.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        if self.declared {
            SizeHint::with_exact(self.total)
        } else {
            SizeHint::default()
        }
    }
}

/// Declares the full length, sends the first half, waits a moment (so hyper flushes that half to the socket),
/// then fails, which makes hyper close the connection mid-body.
pub struct Truncated {
    half: Option<Bytes>,
    full_len: u64,
    pause: Option<Pin<Box<Sleep>>>,
}

impl Truncated {
    pub fn new(full: Bytes) -> Truncated {
        let full_len = full.len() as u64;
        Truncated { half: Some(full.slice(..full.len() / 2)), full_len, pause: None }
    }
}

impl Body for Truncated {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        let this = self.get_mut();
        if let Some(half) = this.half.take() {
            return Poll::Ready(Some(Ok(Frame::data(half))));
        }
        let pause = this.pause.get_or_insert_with(|| Box::pin(tokio::time::sleep(Duration::from_millis(50))));
        match pause.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(()) => Poll::Ready(Some(Err(io::Error::other("sandbox: body truncated on purpose")))),
        }
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.full_len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::future::poll_fn;

    async fn collect(mut body: Pin<&mut PaddedJson>) -> Vec<u8> {
        let mut out = Vec::new();
        while let Some(frame) = poll_fn(|cx| body.as_mut().poll_frame(cx)).await {
            out.extend_from_slice(frame.unwrap().data_ref().unwrap());
        }
        out
    }

    #[tokio::test]
    async fn padded_json_has_the_exact_size_and_stays_valid_json() {
        let total = 3 * CHUNK as u64 + 17;
        let mut body = PaddedJson::new(b"{\"id\":\"STX_1\",\n \"status\": \"ok\"\n}\n", total, true);
        assert_eq!(body.size_hint().exact(), Some(total));
        let bytes = collect(Pin::new(&mut body)).await;
        assert_eq!(bytes.len() as u64, total);
        let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(value["status"], "ok");
        assert!(body.is_end_stream());
    }

    #[tokio::test]
    async fn undeclared_padded_json_gives_no_size() {
        let mut body = PaddedJson::new(b"{}", 1000, false);
        assert_eq!(body.size_hint().exact(), None);
        assert_eq!(collect(Pin::new(&mut body)).await.len(), 1000);
    }

    #[tokio::test]
    async fn truncated_sends_half_then_fails() {
        let mut body = Truncated::new(Bytes::from_static(b"0123456789"));
        assert_eq!(body.size_hint().exact(), Some(10));
        let mut body = Pin::new(&mut body);
        let first = poll_fn(|cx| body.as_mut().poll_frame(cx)).await.unwrap();
        assert_eq!(first.unwrap().into_data().unwrap(), Bytes::from_static(b"01234"));
        let second = poll_fn(|cx| body.as_mut().poll_frame(cx)).await.unwrap();
        assert!(second.is_err());
    }
}
