//! The video validation call, below the desk and the simulator (decision 0006).
//!
//! WebKitGTK has no `RTCPeerConnection`, so the call lives in Rust: [`peer`] runs one WebRTC peer — str0m,
//! sans-IO, driven here over a tokio UDP socket — that sends and receives VP8 frames and Opus audio (and requests a key
//! frame when it needs one); signalling is SDP text that the caller carries (over the central's WebSocket).
//! [`barcode`] stamps each frame's number and capture time into its pixels and reads them back, from the
//! decoded frame or from the desk's canvas, which is how latency is measured glass to glass. [`frame`] is a
//! raw I420 picture and the simulator's synthetic test pattern; [`vp8`] (feature `vp8`) encodes and decodes
//! through libvpx. [`turn`] is the TURN client that gives a peer a relay candidate (str0m has none). [`bitrate`] is the
//! sender's rate, adapted to the loss the other side reports. [`audio`] is the call's audio format and the
//! reporter's test tone; [`opus`] (feature `opus`) encodes and decodes it through libopus.
//!
//! Nothing here knows Tauri, the UI or the central: the desk and the simulator both use it.

pub mod audio;
pub mod barcode;
pub mod bitrate;
pub mod frame;
#[cfg(feature = "opus")]
pub mod opus;
pub mod peer;
pub mod turn;
#[cfg(feature = "vp8")]
pub mod vp8;

pub use barcode::Stamp;
pub use bitrate::SendRate;
pub use frame::I420Frame;
pub use peer::{Offering, Peer, PeerConfig, PeerError, PeerEvent, ReceivedAudio, ReceivedFrame};
pub use turn::{TurnError, TurnServer};
