use serde::{Deserialize, Serialize};

string_enum!(
    /// What a person does in GA Desk (DESIGN §2).
    Role {
        Requester => "requester", "Requester", "Pemohon";
        Approver => "approver", "Approver", "Pemberi persetujuan";
        Agent => "agent", "GA agent", "Petugas GA";
        Admin => "admin", "Administrator", "Administrator";
    }
);

/// Named capabilities carried in the access token and checked on every call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Permission {
    #[serde(rename = "tickets:create")]
    TicketsCreate,
    #[serde(rename = "tickets:read")]
    TicketsRead,
    #[serde(rename = "tickets:read_all")]
    TicketsReadAll,
    #[serde(rename = "tickets:update")]
    TicketsUpdate,
    #[serde(rename = "tickets:approve")]
    TicketsApprove,
    #[serde(rename = "tickets:assign")]
    TicketsAssign,
    #[serde(rename = "tickets:fulfil")]
    TicketsFulfil,
    #[serde(rename = "assets:read")]
    AssetsRead,
    #[serde(rename = "assets:manage")]
    AssetsManage,
    #[serde(rename = "users:manage")]
    UsersManage,
    #[serde(rename = "reports:read")]
    ReportsRead,
}

impl Permission {
    pub const ALL: [Permission; 11] = [
        Permission::TicketsCreate,
        Permission::TicketsRead,
        Permission::TicketsReadAll,
        Permission::TicketsUpdate,
        Permission::TicketsApprove,
        Permission::TicketsAssign,
        Permission::TicketsFulfil,
        Permission::AssetsRead,
        Permission::AssetsManage,
        Permission::UsersManage,
        Permission::ReportsRead,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Permission::TicketsCreate => "tickets:create",
            Permission::TicketsRead => "tickets:read",
            Permission::TicketsReadAll => "tickets:read_all",
            Permission::TicketsUpdate => "tickets:update",
            Permission::TicketsApprove => "tickets:approve",
            Permission::TicketsAssign => "tickets:assign",
            Permission::TicketsFulfil => "tickets:fulfil",
            Permission::AssetsRead => "assets:read",
            Permission::AssetsManage => "assets:manage",
            Permission::UsersManage => "users:manage",
            Permission::ReportsRead => "reports:read",
        }
    }
}

impl Role {
    /// The permissions a role grants (DESIGN §2). Admin has all of them.
    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            Role::Requester => &[TicketsCreate, TicketsRead, AssetsRead],
            Role::Approver => &[
                TicketsCreate,
                TicketsRead,
                TicketsApprove,
                AssetsRead,
                ReportsRead,
            ],
            Role::Agent => &[
                TicketsCreate,
                TicketsRead,
                TicketsReadAll,
                TicketsUpdate,
                TicketsAssign,
                TicketsFulfil,
                AssetsRead,
                AssetsManage,
            ],
            Role::Admin => &Permission::ALL,
        }
    }

    pub fn has(self, permission: Permission) -> bool {
        self.permissions().contains(&permission)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_round_trip() {
        for r in Role::ALL.iter().copied() {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), r);
            assert_eq!(serde_json::to_value(r).unwrap(), r.as_str());
        }
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn permission_strings_match_serde() {
        for p in Permission::ALL {
            assert_eq!(serde_json::to_value(p).unwrap(), p.as_str());
        }
    }

    #[test]
    fn permissions_follow_the_design_table() {
        use Permission::*;
        assert!(Role::Requester.has(TicketsCreate));
        assert!(!Role::Requester.has(TicketsReadAll));
        assert!(!Role::Requester.has(TicketsApprove));
        assert!(Role::Approver.has(TicketsApprove));
        assert!(!Role::Approver.has(TicketsReadAll));
        assert!(Role::Agent.has(TicketsReadAll));
        assert!(Role::Agent.has(AssetsManage));
        assert!(!Role::Agent.has(TicketsApprove));
        assert!(!Role::Agent.has(UsersManage));
        for p in Permission::ALL {
            assert!(Role::Admin.has(p));
        }
    }
}
