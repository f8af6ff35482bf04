//! Counting from scanned ballots (issue 23): the pages a scanner writes, read against the
//! forms tinnhiem printed.

pub mod batch;
pub mod files;
pub mod image;
pub mod read;
