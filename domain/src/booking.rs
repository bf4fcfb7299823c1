//! Bookings of meeting rooms, pool cars and shared equipment: the resources
//! and their booking policy, what a booking says, the checks a request must
//! pass before the database is asked, the free slots offered when the
//! database says "taken", and recurring series.

use crate::errors::{check_text, FieldError, FieldErrors};
use crate::lang::{Lang, Zone};
use crate::message::Arg;
use crate::user::UserRef;
use crate::working_time::Calendar;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

string_enum!(
    /// What can be booked.
    ResourceKind {
        Room => "room", "Meeting room", "Ruang rapat";
        Car => "car", "Pool car", "Mobil operasional";
        Equipment => "equipment", "Equipment", "Peralatan";
    }
);

string_enum!(
    /// What a room has (or a car, or a piece of equipment).
    Feature {
        Projector => "projector", "Projector", "Proyektor";
        VideoConference => "video_conference", "Video conference", "Konferensi video";
        Whiteboard => "whiteboard", "Whiteboard", "Papan tulis";
        Screen => "screen", "TV screen", "Layar TV";
        Speaker => "speaker", "Speakers", "Pengeras suara";
        Accessible => "accessible", "Wheelchair access", "Akses kursi roda";
    }
);

string_enum!(
    /// Who may book a resource.
    WhoBooks {
        Everyone => "everyone", "Everyone", "Semua karyawan";
        Staff => "staff", "GA staff only", "Hanya staf GA";
    }
);

string_enum!(
    /// When a booking must be approved before it is confirmed.
    ApprovalRule {
        Never => "never", "Never", "Tidak perlu";
        Always => "always", "Always", "Selalu";
        OutOfTown => "out_of_town", "Trips out of town", "Perjalanan ke luar kota";
        AboveAttendees => "above_attendees", "Above a number of people", "Di atas jumlah orang tertentu";
    }
);

string_enum!(
    /// Where a booking stands. Pending, confirmed and checked-in bookings
    /// hold their slot; the others have let it go.
    BookingStatus {
        Pending => "pending", "Waiting for approval", "Menunggu persetujuan";
        Confirmed => "confirmed", "Confirmed", "Terkonfirmasi";
        CheckedIn => "checked_in", "Checked in", "Sudah check-in";
        Cancelled => "cancelled", "Cancelled", "Dibatalkan";
        Released => "released", "Released (nobody checked in)", "Dilepas (tidak ada yang check-in)";
        Rejected => "rejected", "Rejected", "Ditolak";
        Returned => "returned", "Returned", "Sudah kembali";
    }
);

impl BookingStatus {
    /// Whether the booking still holds its slot.
    pub fn holds(self) -> bool {
        matches!(
            self,
            BookingStatus::Pending | BookingStatus::Confirmed | BookingStatus::CheckedIn
        )
    }
}

string_enum!(
    /// For a recurring booking whose occurrences are not all free.
    SeriesMode {
        AllOrNothing => "all_or_nothing", "All or nothing", "Semua atau tidak sama sekali";
        FreeOnes => "free_ones", "Book the free ones", "Pesan yang kosong saja";
    }
);

/// The rules a resource is booked by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct BookingPolicy {
    pub who_books: WhoBooks,
    /// Longest booking, in minutes.
    pub max_minutes: i32,
    /// How many days ahead it may be booked.
    pub ahead_days: i32,
    /// Only inside the site's opening hours on working days.
    pub working_hours_only: bool,
    pub approval: ApprovalRule,
    /// With `above_attendees`: bookings for more people than this need approval.
    pub approval_above: Option<i32>,
    /// Whether others see who booked, or only "busy".
    pub show_booker: bool,
    /// Minutes after the start a booking nobody checked in to is released;
    /// `null`: no check-in needed.
    pub release_after: Option<i32>,
}

impl Default for BookingPolicy {
    fn default() -> Self {
        BookingPolicy {
            who_books: WhoBooks::Everyone,
            max_minutes: 480,
            ahead_days: 60,
            working_hours_only: true,
            approval: ApprovalRule::Never,
            approval_above: None,
            show_booker: true,
            release_after: None,
        }
    }
}

/// A room, a car or a piece of equipment at a site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Resource {
    pub id: Uuid,
    pub site_id: Uuid,
    pub site_code: String,
    /// The site's zone: times of this resource read in it.
    pub time_zone: String,
    pub kind: ResourceKind,
    pub name: String,
    pub floor: String,
    /// People in a room, seats in a car.
    pub capacity: i32,
    pub features: Vec<Feature>,
    /// A car's number plate.
    pub plate: Option<String>,
    /// The asset-register entry of a car or a piece of equipment.
    pub asset_id: Option<Uuid>,
    #[cfg_attr(feature = "sqlx", sqlx(flatten))]
    #[serde(flatten)]
    pub policy: BookingPolicy,
    pub active: bool,
    pub version: i32,
}

impl Resource {
    pub fn zone(&self) -> Zone {
        Zone::from_code(&self.time_zone).unwrap_or_default()
    }
}

/// A new resource, or a change of one (administrators and GA staff).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResourceInput {
    pub site_id: Uuid,
    pub kind: ResourceKind,
    pub name: String,
    #[serde(default)]
    pub floor: String,
    pub capacity: i32,
    #[serde(default)]
    pub features: Vec<Feature>,
    #[serde(default)]
    pub plate: Option<String>,
    #[serde(default)]
    pub asset_id: Option<Uuid>,
    #[serde(flatten)]
    pub policy: BookingPolicy,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

impl ResourceInput {
    pub fn validate(mut self) -> Result<ResourceInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        self.name = self.name.trim().to_string();
        check_text(&mut errors, "name", &self.name, true, 120);
        self.floor = self.floor.trim().to_string();
        check_text(&mut errors, "floor", &self.floor, false, 40);
        whole(&mut errors, "capacity", self.capacity, 1, 1000);
        self.features.sort();
        self.features.dedup();
        self.plate = self
            .plate
            .take()
            .map(|p| p.trim().to_uppercase())
            .filter(|p| !p.is_empty());
        match (&self.plate, self.kind) {
            (Some(_), k) if k != ResourceKind::Car => {
                errors.add("plate", FieldError::PlateOnlyCars)
            }
            (None, ResourceKind::Car) => errors.add("plate", FieldError::Required),
            (Some(p), _) if !plate_ok(p) => errors.add("plate", FieldError::Plate),
            _ => {}
        }
        let p = &self.policy;
        whole(&mut errors, "max_minutes", p.max_minutes, 15, 20160);
        whole(&mut errors, "ahead_days", p.ahead_days, 0, 366);
        if let Some(r) = p.release_after {
            whole(&mut errors, "release_after", r, 5, 240);
        }
        match (p.approval, p.approval_above) {
            (ApprovalRule::AboveAttendees, None) => {
                errors.add("approval_above", FieldError::Required)
            }
            (ApprovalRule::AboveAttendees, Some(n)) => {
                whole(&mut errors, "approval_above", n, 1, 1000)
            }
            _ => self.policy.approval_above = None,
        }
        errors.into_result(self)
    }
}

fn plate_ok(p: &str) -> bool {
    (3..=16).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ')
}

fn whole(errors: &mut FieldErrors, field: &str, value: i32, min: i64, max: i64) {
    if !(min..=max).contains(&i64::from(value)) {
        errors.add(field, FieldError::WholeNumber { min, max });
    }
}

/// A driver of the pool cars.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Driver {
    pub id: Uuid,
    pub site_id: Uuid,
    pub name: String,
    pub phone: String,
    pub active: bool,
}

/// A stretch of time, read in a zone: `3 Dec 2026, 10:00–11:00 WIB`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Window {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub zone: Zone,
}

impl Window {
    pub fn minutes(&self) -> i64 {
        (self.to - self.from).num_minutes()
    }

    pub fn overlaps(&self, other: &Window) -> bool {
        self.from < other.to && other.from < self.to
    }
}

impl Arg for Window {
    fn phrase(&self, lang: Lang) -> String {
        let offset = Duration::hours(i64::from(self.zone.offset_hours()));
        let (a, b) = (self.from + offset, self.to + offset);
        let colon = match lang {
            Lang::En => ':',
            Lang::Id => '.',
        };
        let clock = |t: DateTime<Utc>| {
            use chrono::Timelike;
            format!("{:02}{colon}{:02}", t.hour(), t.minute())
        };
        let sep = if lang == Lang::En { "," } else { "" };
        if a.date_naive() == b.date_naive() || (b - a <= Duration::hours(24) && clock(b) == "00:00")
        {
            format!(
                "{}{sep} {}–{} {}",
                crate::lang::day_in(lang, a.date_naive()),
                clock(a),
                clock(b),
                self.zone.abbreviation()
            )
        } else {
            format!(
                "{} – {}",
                crate::lang::moment_in(lang, self.zone, self.from),
                crate::lang::moment_in(lang, self.zone, self.to)
            )
        }
    }
}

/// A list of windows reads as "none" when empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Slots(pub Vec<Window>);

impl Arg for Slots {
    fn phrase(&self, lang: Lang) -> String {
        if self.0.is_empty() {
            return NoneWord::None.render(lang);
        }
        self.0
            .iter()
            .map(|w| w.phrase(lang))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Names that read as "none" when there are none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Names(pub Vec<String>);

impl Arg for Names {
    fn phrase(&self, lang: Lang) -> String {
        if self.0.is_empty() {
            NoneWord::None.render(lang)
        } else {
            self.0.join(", ")
        }
    }
}

messages! {
    enum NoneWord {
        None = "none" => "none", "tidak ada";
    }
}

/// A booking as people see it. `booked_by` is absent when the resource
/// hides who booked and the reader is neither the booker nor GA staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Booking {
    pub id: Uuid,
    pub resource_id: Uuid,
    pub resource_name: String,
    pub resource_kind: ResourceKind,
    pub floor: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    #[cfg_attr(feature = "sqlx", sqlx(try_from = "String"))]
    pub zone: ZoneCode,
    pub series_id: Option<Uuid>,
    #[cfg_attr(feature = "sqlx", sqlx(json(nullable)))]
    pub booked_by: Option<UserRef>,
    /// "Busy" when the booker is hidden from the reader.
    pub title: String,
    pub attendees: i32,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub status: BookingStatus,
    #[cfg_attr(feature = "sqlx", sqlx(json(nullable)))]
    pub approver: Option<UserRef>,
    pub decision_note: String,
    pub destination: String,
    pub out_of_town: bool,
    #[cfg_attr(feature = "sqlx", sqlx(json(nullable)))]
    pub driver: Option<DriverRef>,
    pub odometer_out: Option<i32>,
    pub odometer_in: Option<i32>,
    pub fuel_eighths: Option<i16>,
    pub checked_in_at: Option<DateTime<Utc>>,
    /// When the booking must be checked in to, if it must.
    pub check_in_by: Option<DateTime<Utc>>,
    pub version: i32,
}

impl Booking {
    pub fn window(&self) -> Window {
        Window {
            from: self.starts_at,
            to: self.ends_at,
            zone: self.zone.0,
        }
    }
}

/// A zone read from its code in a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct ZoneCode(pub Zone);

impl TryFrom<String> for ZoneCode {
    type Error = String;
    fn try_from(code: String) -> Result<Self, String> {
        Zone::from_code(&code)
            .map(ZoneCode)
            .ok_or_else(|| format!("unknown time zone {code}"))
    }
}

impl From<ZoneCode> for String {
    fn from(z: ZoneCode) -> String {
        z.0.code().to_string()
    }
}

/// A driver as a booking names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DriverRef {
    pub id: Uuid,
    pub name: String,
    pub phone: String,
}

/// A request to book. With `repeat`, the first occurrence is
/// `starts_at`–`ends_at` and the rule (RFC 5545 RRULE, for example
/// `FREQ=WEEKLY;COUNT=12`) gives the others, at the same local time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingInput {
    pub resource_id: Uuid,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    #[serde(default = "one")]
    pub attendees: i32,
    #[serde(default)]
    pub repeat: Option<String>,
    #[serde(default = "all_or_nothing")]
    pub mode: SeriesMode,
    /// Cars: where to.
    #[serde(default)]
    pub destination: String,
    /// Cars: a trip out of town (may need approval).
    #[serde(default)]
    pub out_of_town: bool,
}

fn one() -> i32 {
    1
}

fn all_or_nothing() -> SeriesMode {
    SeriesMode::AllOrNothing
}

/// Most occurrences one series may make, and how far it may reach.
pub const MAX_OCCURRENCES: usize = 200;

impl BookingInput {
    /// Checks what needs only the request itself.
    pub fn validate(mut self) -> Result<BookingInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        self.title = self.title.trim().to_string();
        check_text(&mut errors, "title", &self.title, true, 200);
        self.destination = self.destination.trim().to_string();
        check_text(&mut errors, "destination", &self.destination, false, 200);
        whole(&mut errors, "attendees", self.attendees, 1, 1000);
        if self.ends_at <= self.starts_at {
            errors.add("ends_at", FieldError::EndsBeforeStart);
        }
        let in_range = |t: DateTime<Utc>| crate::errors::sane_date(t.date_naive());
        if !in_range(self.starts_at) {
            errors.add("starts_at", FieldError::date_out_of_range());
        }
        if !in_range(self.ends_at) {
            errors.add("ends_at", FieldError::date_out_of_range());
        }
        self.repeat = self
            .repeat
            .take()
            .map(|r| r.trim().trim_start_matches("RRULE:").to_string())
            .filter(|r| !r.is_empty());
        if let Some(r) = &self.repeat {
            check_text(&mut errors, "repeat", r, false, 500);
        }
        errors.into_result(self)
    }

    pub fn window(&self, zone: Zone) -> Window {
        Window {
            from: self.starts_at,
            to: self.ends_at,
            zone,
        }
    }
}

/// What a booking request must satisfy under a resource's policy. Returns
/// whether it needs approval.
pub fn check_policy(
    resource: &Resource,
    window: &Window,
    attendees: i32,
    out_of_town: bool,
    is_staff: bool,
    now: DateTime<Utc>,
    calendar: Option<&Calendar>,
) -> Result<bool, FieldErrors> {
    let p = &resource.policy;
    let mut errors = FieldErrors::new();
    if !resource.active {
        errors.add("resource_id", FieldError::ResourceInactive);
    }
    if p.who_books == WhoBooks::Staff && !is_staff {
        errors.add("resource_id", FieldError::ResourceStaffOnly);
    }
    if window.minutes() > i64::from(p.max_minutes) {
        errors.add(
            "ends_at",
            FieldError::BookingTooLong {
                minutes: p.max_minutes,
            },
        );
    }
    // A few minutes' grace: a form filled at 10:00 for "now".
    if window.to <= now || window.from < now - Duration::minutes(15) {
        errors.add("starts_at", FieldError::BookingInPast);
    }
    if window.from > now + Duration::days(i64::from(p.ahead_days)) {
        errors.add(
            "starts_at",
            FieldError::BookingTooFarAhead { days: p.ahead_days },
        );
    }
    if attendees > resource.capacity {
        errors.add(
            "attendees",
            FieldError::OverCapacity {
                capacity: resource.capacity,
            },
        );
    }
    if p.working_hours_only {
        if let Some(cal) = calendar {
            let day = cal.local_date(window.from);
            let inside = cal
                .opening_on(day)
                .is_some_and(|(open, close)| open <= window.from && window.to <= close);
            if !inside {
                errors.add("starts_at", FieldError::OutsideOpeningHours);
            }
        }
    }
    let needs = match p.approval {
        ApprovalRule::Never => false,
        ApprovalRule::Always => true,
        ApprovalRule::OutOfTown => out_of_town,
        ApprovalRule::AboveAttendees => p.approval_above.is_some_and(|n| attendees > n),
    };
    errors.into_result(needs)
}

/// Up to `n` windows as long as `want`, free of `busy`, inside `open`,
/// starting on a 15-minute step, nearest to `want` first, then in time
/// order: what to offer when `want` is taken.
pub fn nearby_free(busy: &[Window], want: &Window, open: &Window, n: usize) -> Vec<Window> {
    let step = Duration::minutes(15);
    let length = want.to - want.from;
    let mut found = Vec::new();
    let fits =
        |w: &Window| open.from <= w.from && w.to <= open.to && !busy.iter().any(|b| b.overlaps(w));
    // Every quarter hour earlier and later, up to the opening window's span.
    let span = (open.to - open.from).num_minutes() / 15 + 1;
    for k in 1..=span {
        for sign in [-1, 1] {
            let shift = step * (k as i32) * sign;
            let w = Window {
                from: want.from + shift,
                to: want.from + shift + length,
                zone: want.zone,
            };
            if fits(&w) && !found.iter().any(|f: &Window| f.overlaps(&w)) {
                found.push(w);
            }
            if found.len() == n {
                found.sort_by_key(|w| w.from);
                return found;
            }
        }
    }
    found.sort_by_key(|w| w.from);
    found
}

/// The occurrences of a recurring booking: the start times of each, at
/// the first one's local time of day in `zone` (Indonesia keeps no
/// daylight saving, so a fixed offset is exact).
#[cfg(feature = "recurrence")]
pub fn occurrences(
    rule: &str,
    first: DateTime<Utc>,
    zone: Zone,
) -> Result<Vec<DateTime<Utc>>, FieldError> {
    use rrule::{RRule, Tz, Unvalidated};
    let parsed: RRule<Unvalidated> = rule.parse().map_err(|_| FieldError::RepeatRule)?;
    let offset = Duration::hours(i64::from(zone.offset_hours()));
    // Wall-clock time as if it were UTC, expanded, then shifted back.
    let local = (first + offset).naive_utc();
    let start = chrono::TimeZone::from_utc_datetime(&Tz::UTC, &local);
    let set = parsed.build(start).map_err(|_| FieldError::RepeatRule)?;
    let limit = first + Duration::days(366);
    let result = set.all((MAX_OCCURRENCES + 1) as u16);
    let dates: Vec<DateTime<Utc>> = result
        .dates
        .into_iter()
        .map(|d| d.with_timezone(&Utc) - offset)
        .collect();
    if dates.len() > MAX_OCCURRENCES || dates.iter().any(|d| *d > limit) {
        return Err(FieldError::RepeatTooMany {
            max: MAX_OCCURRENCES as u32,
        });
    }
    if dates.is_empty() {
        return Err(FieldError::RepeatRule);
    }
    Ok(dates)
}

/// One occurrence of a series that could not be booked, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Skipped {
    pub window: Window,
    pub reason: SkipReason,
}

string_enum!(
    /// Why an occurrence of a series was not booked.
    SkipReason {
        Taken => "taken", "Already booked", "Sudah dipesan";
        Closed => "closed", "The office is closed (holiday)", "Kantor tutup (hari libur)";
    }
);

/// What a booking request made: the bookings, and in a series the
/// occurrences left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Booked {
    pub bookings: Vec<Booking>,
    pub skipped: Vec<Skipped>,
}

/// A free resource for a search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FreeResource {
    pub resource: Resource,
    /// Whether booking it at that time would wait for approval.
    pub needs_approval: bool,
}

/// "Find a room": what is free at a time for so many people with what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FindQuery {
    pub site: Uuid,
    #[serde(default = "room")]
    pub kind: ResourceKind,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    #[serde(default = "one")]
    pub attendees: i32,
    #[serde(default)]
    pub features: Vec<Feature>,
}

fn room() -> ResourceKind {
    ResourceKind::Room
}

/// A day or a week of a site's resources, for the grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Grid {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub zone: Zone,
    pub from: chrono::NaiveDate,
    pub days: u32,
    pub resources: Vec<Resource>,
    pub bookings: Vec<Booking>,
    /// Floors of the site's resources of this kind, for the filter.
    pub floors: Vec<String>,
}

messages! {
    /// What happened to a booking, for its history.
    pub enum BookingEvent {
        Booked { status: BookingStatus } = "booked" => "booked it ({status})", "memesan ({status})";
        Approved = "approved" => "approved it", "menyetujui";
        Rejected { reason: String } = "rejected" => "rejected it: {reason}", "menolak: {reason}";
        Cancelled { reason: String } = "cancelled" => "cancelled it {reason}", "membatalkan {reason}";
        CheckedIn = "checked_in" => "checked in", "check-in";
        Released { minutes: i32 } = "released" => "released: nobody checked in within {minutes} minutes", "dilepas: tidak ada yang check-in dalam {minutes} menit";
        DriverAssigned { driver: String } = "driver_assigned" => "assigned driver {driver}", "menugaskan pengemudi {driver}";
        Returned { odometer: i32, fuel_eighths: i16 } = "returned" => "returned the car at {odometer} km, fuel {fuel_eighths}/8", "mengembalikan mobil pada {odometer} km, bensin {fuel_eighths}/8";
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::working_time::WeeklyHours;
    use chrono::TimeZone;
    use std::collections::BTreeSet;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        // 3 December 2026 in Jakarta (UTC+7)
        Utc.with_ymd_and_hms(2026, 12, 3, h, m, 0).unwrap() - Duration::hours(7)
    }

    fn w(a: (u32, u32), b: (u32, u32)) -> Window {
        Window {
            from: at(a.0, a.1),
            to: at(b.0, b.1),
            zone: Zone::Wib,
        }
    }

    fn room() -> Resource {
        Resource {
            id: Uuid::now_v7(),
            site_id: crate::site::HEAD_OFFICE,
            site_code: "JKT".into(),
            time_zone: "Asia/Jakarta".into(),
            kind: ResourceKind::Room,
            name: "Ruang Rapat Merapi".into(),
            floor: "3".into(),
            capacity: 10,
            features: vec![Feature::Projector],
            plate: None,
            asset_id: None,
            policy: BookingPolicy::default(),
            active: true,
            version: 1,
        }
    }

    #[test]
    fn a_window_reads_as_one_day_with_two_clock_times() {
        let x = w((10, 0), (11, 30));
        assert_eq!(x.phrase(Lang::En), "3 Dec 2026, 10:00–11:30 WIB");
        assert_eq!(x.phrase(Lang::Id), "3 Des 2026 10.00–11.30 WIB");
        assert_eq!(Slots(vec![]).phrase(Lang::Id), "tidak ada");
    }

    #[test]
    fn the_policy_checks_length_capacity_hours_and_approval() {
        let cal = Calendar {
            zone: Zone::Wib,
            hours: WeeklyHours::indonesian_office(),
            closed: BTreeSet::new(),
        };
        let now = at(7, 0);
        let mut r = room();
        assert_eq!(
            check_policy(&r, &w((10, 0), (11, 0)), 8, false, false, now, Some(&cal)),
            Ok(false)
        );
        // Over lunch is fine: the room is open from 08.00 to 17.00.
        assert!(check_policy(&r, &w((11, 30), (13, 30)), 8, false, false, now, Some(&cal)).is_ok());
        let e =
            check_policy(&r, &w((16, 0), (18, 0)), 12, false, false, now, Some(&cal)).unwrap_err();
        assert_eq!(e.get("starts_at"), Some(&FieldError::OutsideOpeningHours));
        assert_eq!(
            e.get("attendees"),
            Some(&FieldError::OverCapacity { capacity: 10 })
        );
        r.policy.max_minutes = 60;
        r.policy.approval = ApprovalRule::AboveAttendees;
        r.policy.approval_above = Some(6);
        let e =
            check_policy(&r, &w((9, 0), (11, 0)), 2, false, false, now, Some(&cal)).unwrap_err();
        assert_eq!(
            e.get("ends_at"),
            Some(&FieldError::BookingTooLong { minutes: 60 })
        );
        assert_eq!(
            check_policy(&r, &w((9, 0), (10, 0)), 8, false, false, now, Some(&cal)),
            Ok(true)
        );
        let late = at(12, 0);
        let e =
            check_policy(&r, &w((9, 0), (10, 0)), 2, false, false, late, Some(&cal)).unwrap_err();
        assert_eq!(e.get("starts_at"), Some(&FieldError::BookingInPast));
        r.policy.who_books = WhoBooks::Staff;
        let e = check_policy(&r, &w((9, 0), (10, 0)), 2, false, false, now, None).unwrap_err();
        assert_eq!(e.get("resource_id"), Some(&FieldError::ResourceStaffOnly));
        assert!(check_policy(&r, &w((9, 0), (10, 0)), 2, false, true, now, None).is_ok());
    }

    #[test]
    fn free_slots_are_offered_nearest_first_and_never_overlap_what_is_busy() {
        let busy = vec![
            w((9, 0), (10, 0)),
            w((10, 0), (11, 30)),
            w((13, 0), (14, 0)),
        ];
        let want = w((10, 0), (11, 0));
        let open = w((8, 0), (17, 0));
        let free = nearby_free(&busy, &want, &open, 3);
        // Distinct offers: 12.00–13.00 would overlap 11.30–12.30.
        assert_eq!(
            free,
            vec![
                w((8, 0), (9, 0)),
                w((11, 30), (12, 30)),
                w((14, 0), (15, 0))
            ]
        );
        for f in &free {
            assert!(busy.iter().all(|b| !b.overlaps(f)), "{f:?}");
            assert!(open.from <= f.from && f.to <= open.to);
            assert_eq!(f.minutes(), 60);
        }
        assert_eq!(free.len(), 3);
        // A fully booked day offers nothing.
        assert!(nearby_free(&[open], &want, &open, 3).is_empty());
    }

    #[cfg(feature = "recurrence")]
    #[test]
    fn a_weekly_series_keeps_its_local_time() {
        let first = at(9, 0);
        let all = occurrences("FREQ=WEEKLY;COUNT=12", first, Zone::Wib).unwrap();
        assert_eq!(all.len(), 12);
        assert_eq!(all[0], first);
        assert_eq!(all[11], first + Duration::weeks(11));
        assert_eq!(
            occurrences("FREQ=DAILY;COUNT=500", first, Zone::Wib),
            Err(FieldError::RepeatTooMany { max: 200 })
        );
        assert_eq!(
            occurrences("FREQ=SOMETIMES", first, Zone::Wib),
            Err(FieldError::RepeatRule)
        );
        // Without an end, a daily rule would go on for ever: refused.
        assert!(occurrences("FREQ=DAILY", first, Zone::Wib).is_err());
    }
}
