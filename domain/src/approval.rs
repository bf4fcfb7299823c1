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
    /// How far (per cent) the actual cost may exceed the approved total
    /// before completing needs a new decision.
    #[serde(default = "default_tolerance")]
    pub cost_tolerance_percent: u32,
    /// Route a requester's open tickets in one category within
    /// [`SPLIT_WINDOW_DAYS`] to approval when together they reach a
    /// threshold that each alone stays under.
    #[serde(default)]
    pub route_split_purchases: bool,
}

/// The window in which tickets of one requester and category count as one
/// purchase when looking for split purchases.
pub const SPLIT_WINDOW_DAYS: i64 = 7;
pub const DEFAULT_TOLERANCE_PERCENT: u32 = 10;
pub const MAX_TOLERANCE_PERCENT: u32 = 1000;

fn default_tolerance() -> u32 {
    DEFAULT_TOLERANCE_PERCENT
}

impl Default for ApprovalPolicy {
    /// Level 1 from Rp 1.000.000, level 2 from Rp 10.000.000.
    fn default() -> Self {
        Self {
            thresholds: vec![
                Money::from_rupiah(1_000_000).expect("in range"),
                Money::from_rupiah(10_000_000).expect("in range"),
            ],
            cost_tolerance_percent: DEFAULT_TOLERANCE_PERCENT,
            route_split_purchases: false,
        }
    }
}

impl ApprovalPolicy {
    /// How many approval levels a ticket of this total needs.
    pub fn required_levels(&self, total: Money) -> u8 {
        self.thresholds.iter().filter(|t| total >= **t).count() as u8
    }

    /// Levels a combined amount needs that the ticket's own total does not:
    /// more than zero means the tickets together were split under a
    /// threshold.
    pub fn split_levels(&self, own: Money, combined: Money) -> u8 {
        self.required_levels(combined)
            .saturating_sub(self.required_levels(own))
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

/// One ticket's total with others counted as the same purchase (capped at
/// the largest amount rather than failing).
pub fn combined_total(own: Money, others: impl IntoIterator<Item = Money>) -> Money {
    others
        .into_iter()
        .try_fold(own, Money::checked_add)
        .unwrap_or_else(|_| Money::max())
}

/// A policy inside a sentence (the security log's before and after).
impl crate::message::Arg for ApprovalPolicy {
    fn phrase(&self, lang: crate::Lang) -> String {
        let levels = self.thresholds.phrase(lang);
        let t = self.cost_tolerance_percent;
        match (lang, self.route_split_purchases) {
            (crate::Lang::En, split) => format!(
                "levels from {levels}, cost tolerance {t} %, split purchases {}",
                if split {
                    "routed to approval"
                } else {
                    "shown only"
                }
            ),
            (crate::Lang::Id, split) => format!(
                "tingkat mulai {levels}, toleransi biaya {t} %, pembelian terpecah {}",
                if split {
                    "diarahkan ke persetujuan"
                } else {
                    "hanya ditampilkan"
                }
            ),
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
        assert_eq!(p.split_levels(rp(600_000), rp(1_200_000)), 1);
        assert_eq!(p.split_levels(rp(600_000), rp(900_000)), 0);
        assert_eq!(p.split_levels(rp(1_500_000), rp(3_000_000)), 0);
    }
}
