use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Declares a string-backed enumeration with its wire name and English label,
/// so the database CHECK, JSON and UI all use the same spelling.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $wire:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $wire)] $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire,)+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }
        }

        /// In the API description: a string with the wire names.
        #[cfg(feature = "ssr")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($wire),+]))
                    .into()
            }
        }

        #[cfg(feature = "ssr")]
        impl utoipa::ToSchema for $name {}

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($wire => Ok($name::$variant),)+
                    _ => Err(format!(concat!("unknown ", stringify!($name), " {:?}"), s)),
                }
            }
        }
    };
}

string_enum!(
    /// What kind of help is asked for.
    Category {
        OfficeSupplies => "office_supplies", "Office supplies";
        FacilityMaintenance => "facility_maintenance", "Facility maintenance";
        PantrySupplies => "pantry_supplies", "Pantry supplies";
        MeetingRoom => "meeting_room", "Meeting room";
        OfficeFurniture => "office_furniture", "Office furniture";
        GeneralService => "general_service", "General service";
    }
);

string_enum!(
    Priority {
        Low => "low", "Low";
        Medium => "medium", "Medium";
        High => "high", "High";
    }
);

string_enum!(
    /// Where a ticket is in its life (DESIGN §3).
    TicketStatus {
        Pending => "pending", "Pending";
        WaitingApproval => "waiting_approval", "Waiting for approval";
        Approved => "approved", "Approved";
        Rejected => "rejected", "Rejected";
        InProgress => "in_progress", "In progress";
        Completed => "completed", "Completed";
        Closed => "closed", "Closed";
    }
);

string_enum!(
    /// Why a closed ticket is closed.
    Resolution {
        Done => "done", "Done";
        Cancelled => "cancelled", "Cancelled";
    }
);

impl TicketStatus {
    /// Final states accept no further transitions.
    pub fn is_final(self) -> bool {
        matches!(self, TicketStatus::Rejected | TicketStatus::Closed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_str_and_json() {
        for c in Category::ALL {
            assert_eq!(c.as_str().parse::<Category>().unwrap(), *c);
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
        }
        for s in TicketStatus::ALL {
            assert_eq!(s.as_str().parse::<TicketStatus>().unwrap(), *s);
        }
        for p in Priority::ALL {
            assert_eq!(
                serde_json::from_value::<Priority>(p.as_str().into()).unwrap(),
                *p
            );
        }
        assert!("urgent".parse::<Priority>().is_err());
        assert!(serde_json::from_str::<Category>("\"Office supplies\"").is_err());
    }

    #[test]
    fn only_rejected_and_closed_are_final() {
        let finals: Vec<_> = TicketStatus::ALL.iter().filter(|s| s.is_final()).collect();
        assert_eq!(finals, [&TicketStatus::Rejected, &TicketStatus::Closed]);
        assert_eq!(
            TicketStatus::WaitingApproval.label(),
            "Waiting for approval"
        );
        assert_eq!(Resolution::Cancelled.to_string(), "cancelled");
    }
}
