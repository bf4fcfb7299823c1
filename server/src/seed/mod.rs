//! Data GA Desk makes for itself: the demo accounts and requests of a
//! development install, and bulk synthetic data for benchmarks and plan
//! tests. Neither is a use case of the product, so neither is a service.

pub mod demo;
pub mod generate;
