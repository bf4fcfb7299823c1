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
