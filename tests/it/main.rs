//! The integration tests, in one binary: each area of labgen is a module,
//! `util` holds what several areas share, and `browser` drives the built
//! pages in headless Chromium. One binary links the library (and Typst)
//! once instead of once per area.

mod util;

mod book;
mod browser;
mod claims;
mod cli;
mod figures;
mod grade;
mod keys;
mod pdf;
mod registry;
mod search;
mod tasks;
