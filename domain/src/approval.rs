//! Amount-based approval policy.

use super::money::Money;
use super::ticket::TicketStatus;
use serde::{Deserialize, Serialize};

/// Ordered approval levels: level `n` is needed when the estimated total
/// reaches `thresholds[n-1]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApprovalPolicy {
    pub thresholds: Vec<Money>,
}

impl Default for ApprovalPolicy {
    /// Level 1 from Rp 1.000.000, level 2 from Rp 10.000.000.
    fn default() -> Self {
        Self {
            thresholds: vec![
                Money::from_rupiah(1_000_000).expect("in range"),
                Money::from_rupiah(10_000_000).expect("in range"),
            ],
        }
    }
}

impl ApprovalPolicy {
    /// How many approval levels a ticket of this total needs.
    pub fn required_levels(&self, total: Money) -> u8 {
        self.thresholds.iter().filter(|t| total >= **t).count() as u8
    }

    /// Where a new ticket starts: waiting for approval when it costs enough,
    /// else pending GA triage.
    pub fn initial_status(&self, total: Money) -> TicketStatus {
        if self.required_levels(total) > 0 {
            TicketStatus::WaitingApproval
        } else {
            TicketStatus::Pending
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_by_amount() {
        let p = ApprovalPolicy::default();
        let rp = |n| Money::from_rupiah(n).unwrap();
        assert_eq!(p.required_levels(rp(999_999)), 0);
        assert_eq!(p.required_levels(rp(1_000_000)), 1);
        assert_eq!(p.required_levels(rp(9_999_999)), 1);
        assert_eq!(p.required_levels(rp(10_000_000)), 2);
        assert_eq!(p.initial_status(rp(0)), TicketStatus::Pending);
        assert_eq!(
            p.initial_status(rp(12_500_000)),
            TicketStatus::WaitingApproval
        );
    }
}
