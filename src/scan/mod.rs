//! Counting from scanned ballots (issue 23): the scanner's files read back as pages.

pub mod image;
