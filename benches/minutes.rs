//! Benchmark of the minutes for 200 cadres: not yet written.
fn main() {}
