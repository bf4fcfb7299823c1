string_enum!(
    /// What kind of help is asked for.
    Category {
        OfficeSupplies => "office_supplies", "Office supplies", "Alat tulis kantor";
        FacilityMaintenance => "facility_maintenance", "Facility maintenance", "Perbaikan fasilitas";
        PantrySupplies => "pantry_supplies", "Pantry supplies", "Kebutuhan pantry";
        MeetingRoom => "meeting_room", "Meeting room", "Ruang rapat";
        OfficeFurniture => "office_furniture", "Office furniture", "Perabot kantor";
        GeneralService => "general_service", "General service", "Layanan umum";
    }
);

string_enum!(
    Priority {
        Low => "low", "Low", "Rendah";
        Medium => "medium", "Medium", "Sedang";
        High => "high", "High", "Tinggi";
    }
);

string_enum!(
    /// Where a ticket is in its life (DESIGN §3).
    TicketStatus {
        Pending => "pending", "Pending", "Baru";
        WaitingApproval => "waiting_approval", "Waiting for approval", "Menunggu persetujuan";
        Approved => "approved", "Approved", "Disetujui";
        Rejected => "rejected", "Rejected", "Ditolak";
        InProgress => "in_progress", "In progress", "Dikerjakan";
        Completed => "completed", "Completed", "Selesai dikerjakan";
        Closed => "closed", "Closed", "Ditutup";
    }
);

string_enum!(
    /// Why a closed ticket is closed.
    Resolution {
        Done => "done", "Done", "Selesai";
        Cancelled => "cancelled", "Cancelled", "Dibatalkan";
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
