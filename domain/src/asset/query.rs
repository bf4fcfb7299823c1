//! What the asset list is filtered by.

use super::{AssetCategory, AssetStatus};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Filters of the asset list and its CSV export, as the address or the
/// query string gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct AssetQuery {
    /// Words in tag, name, serial number or location; an exact tag or serial also matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(max_length = 100))]
    pub q: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<AssetStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<AssetCategory>,
    /// Part of the location, e.g. "Lantai 3".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(max_length = 200))]
    pub location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder: Option<Uuid>,
    /// Only assets the caller holds ("my assets").
    #[serde(default)]
    pub mine: bool,
    /// Warranty ends within this many days from today (Jakarta).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 0, maximum = 3650))]
    pub warranty_days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100))]
    pub limit: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

impl AssetQuery {
    /// The filters as a query string (for links such as the CSV export);
    /// blank text is no filter.
    pub fn to_query(&self) -> String {
        let enc = crate::page::encode_query_value;
        let text = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(enc)
        };
        let mut parts: Vec<String> = Vec::new();
        if let Some(q) = text(&self.q) {
            parts.push(format!("q={q}"));
        }
        if let Some(s) = self.status {
            parts.push(format!("status={}", s.as_str()));
        }
        if let Some(c) = self.category {
            parts.push(format!("category={}", c.as_str()));
        }
        if let Some(l) = text(&self.location) {
            parts.push(format!("location={l}"));
        }
        if let Some(h) = self.holder {
            parts.push(format!("holder={h}"));
        }
        if self.mine {
            parts.push("mine=true".into());
        }
        if let Some(d) = self.warranty_days {
            parts.push(format!("warranty_days={d}"));
        }
        parts.join("&")
    }

    /// Blank text filters are none.
    pub fn normalized(mut self) -> Self {
        let blank = |v: Option<String>| v.filter(|t| !t.trim().is_empty());
        self.q = blank(self.q);
        self.location = blank(self.location);
        self.cursor = blank(self.cursor);
        self
    }
}
