//! End-to-end: the built site, served by a plain static file server, in headless Chromium.

mod explore;
mod page;
mod search;
