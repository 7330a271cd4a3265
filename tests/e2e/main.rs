//! End-to-end: the built site, served by a plain static file server, in headless Chromium.

mod embed;
mod explore;
mod hostile;
mod hostile_index;
mod hosting;
mod offline;
mod page;
mod publish;
mod scale;
mod search;
