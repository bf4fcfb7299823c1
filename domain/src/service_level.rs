//! Service levels: how long each step of a request may take, in working
//! minutes of its site, and which clock runs now. Pure: the anchors
//! (when each clock started, how long the ticket waited for its
//! requester) go in, due times come out, so the server recomputes them
//! whenever a policy or a calendar changes.

use crate::errors::{FieldError, FieldErrors};
use crate::ticket::{Category, Priority, TicketStatus};
use crate::working_time::{Amount, Calendar, TimeLeft};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Reminders go out when this share of a target has passed.
pub const REMIND_PERCENT: u32 = 75;
/// The longest target anyone may set: 100 000 working minutes is about
/// four working months.
pub const MAX_TARGET_MINUTES: u32 = 100_000;

string_enum!(
    /// The three clocks of a request.
    Clock {
        Approval => "approval", "Approval decision", "Keputusan persetujuan";
        Response => "response", "First response", "Tanggapan pertama";
        Resolution => "resolution", "Resolution", "Penyelesaian";
    }
);

string_enum!(
    /// The steps of the escalation ladder.
    Step {
        Remind => "remind", "Reminder", "Pengingat";
        Breach => "breach", "Target missed", "Target terlewati";
    }
);

/// Targets of one category and priority, in working minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Targets {
    pub approval_minutes: u32,
    pub response_minutes: u32,
    pub resolution_minutes: u32,
}

impl Targets {
    pub fn minutes(&self, clock: Clock) -> u32 {
        match clock {
            Clock::Approval => self.approval_minutes,
            Clock::Response => self.response_minutes,
            Clock::Resolution => self.resolution_minutes,
        }
    }

    /// Each target between 1 and [`MAX_TARGET_MINUTES`], and a first
    /// response never due after the resolution.
    pub fn check(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        for (field, v) in [
            ("approval_minutes", self.approval_minutes),
            ("response_minutes", self.response_minutes),
            ("resolution_minutes", self.resolution_minutes),
        ] {
            if !(1..=MAX_TARGET_MINUTES).contains(&v) {
                errors.add(
                    field,
                    FieldError::WholeNumber {
                        min: 1,
                        max: i64::from(MAX_TARGET_MINUTES),
                    },
                );
            }
        }
        if errors.is_empty() && self.response_minutes > self.resolution_minutes {
            errors.add("response_minutes", FieldError::ResponseAfterResolution);
        }
        errors.into_result(())
    }
}

/// A policy row as admins see and edit it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Policy {
    pub category: Category,
    pub priority: Priority,
    #[serde(flatten)]
    pub targets: Targets,
    pub version: i32,
}

/// When a ticket's clocks started and stopped: what the due times are
/// computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Anchors {
    pub approval_started_at: Option<DateTime<Utc>>,
    pub approval_decided_at: Option<DateTime<Utc>>,
    pub work_started_at: Option<DateTime<Utc>>,
    pub responded_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub paused_at: Option<DateTime<Utc>>,
    /// Working minutes spent waiting for the requester, over all pauses.
    pub paused_minutes: u32,
}

/// The clock running now, with its due time and when to remind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Running {
    pub clock: Clock,
    pub started_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub remind_at: DateTime<Utc>,
}

/// Every due time of a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Schedule {
    pub approval_due_at: Option<DateTime<Utc>>,
    pub response_due_at: Option<DateTime<Utc>>,
    pub resolution_due_at: Option<DateTime<Utc>>,
    pub running: Option<Running>,
}

/// Which clock a ticket in `status` runs: approval while it waits for a
/// decision, first response until GA takes it up, then resolution; none
/// while it waits for the requester or once the work is done.
pub fn running_clock(status: TicketStatus, anchors: &Anchors) -> Option<Clock> {
    use TicketStatus::*;
    if anchors.paused_at.is_some() {
        return None;
    }
    match status {
        WaitingApproval => Some(Clock::Approval),
        Pending | Approved if anchors.responded_at.is_none() => Some(Clock::Response),
        Pending | Approved | InProgress => Some(Clock::Resolution),
        Rejected | Completed | Closed => None,
    }
}

/// The due times of a ticket on its site's calendar. Work clocks move
/// later by the working time spent waiting for the requester.
pub fn schedule(
    status: TicketStatus,
    anchors: &Anchors,
    targets: &Targets,
    calendar: &Calendar,
) -> Schedule {
    let add = |from: Option<DateTime<Utc>>, minutes: u32| {
        from.and_then(|f| calendar.add_working_minutes(f, minutes))
    };
    let paused = anchors.paused_minutes;
    let approval_due_at = add(anchors.approval_started_at, targets.approval_minutes);
    let response_due_at = add(
        anchors.work_started_at,
        targets.response_minutes.saturating_add(paused),
    );
    let resolution_due_at = add(
        anchors.work_started_at,
        targets.resolution_minutes.saturating_add(paused),
    );
    let running = running_clock(status, anchors).and_then(|clock| {
        let (started_at, due_at, extra) = match clock {
            Clock::Approval => (anchors.approval_started_at?, approval_due_at?, 0),
            Clock::Response => (anchors.work_started_at?, response_due_at?, paused),
            Clock::Resolution => (anchors.work_started_at?, resolution_due_at?, paused),
        };
        let share = targets.minutes(clock) * REMIND_PERCENT / 100;
        let remind_at = calendar.add_working_minutes(started_at, share.saturating_add(extra))?;
        Some(Running {
            clock,
            started_at,
            due_at,
            remind_at,
        })
    });
    Schedule {
        approval_due_at,
        response_due_at,
        resolution_due_at,
        running,
    }
}

/// What the board, the queue and the ticket page say about a due time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum DueState {
    /// Waiting for the requester: no clock runs.
    Paused,
    Running {
        clock: Clock,
        due_at: DateTime<Utc>,
        left: TimeLeft,
    },
}

impl DueState {
    pub fn overdue(&self) -> bool {
        matches!(
            self,
            DueState::Running {
                left: TimeLeft::Overdue(_),
                ..
            }
        )
    }
}

impl crate::message::Arg for Amount {
    fn phrase(&self, lang: crate::Lang) -> String {
        use crate::Lang::{En, Id};
        let (n, unit) = match *self {
            Amount::Minutes(n) => (n, ["working minute", "working minutes", "menit kerja"]),
            Amount::Hours(n) => (n, ["working hour", "working hours", "jam kerja"]),
            Amount::Days(n) => (n, ["working day", "working days", "hari kerja"]),
        };
        let unit = match lang {
            En if n == 1 => unit[0],
            En => unit[1],
            Id => unit[2],
        };
        format!("{n} {unit}")
    }
}

messages! {
    /// Where a ticket stands against its service level, in words.
    pub enum DueText {
        DueIn { left: Amount } = "due_in" => "Due in {left}", "Jatuh tempo dalam {left}";
        DueNow = "due_now" => "Due now", "Jatuh tempo sekarang";
        Overdue { by: Amount } = "overdue" => "Overdue {by}", "Terlambat {by}";
        Paused = "paused" => "Waiting for the requester", "Menunggu pemohon";
    }
}

impl DueState {
    pub fn text(&self) -> DueText {
        match *self {
            DueState::Paused => DueText::Paused,
            DueState::Running {
                left: TimeLeft::Due(Amount::Minutes(0)),
                ..
            } => DueText::DueNow,
            DueState::Running {
                left: TimeLeft::Due(left),
                ..
            } => DueText::DueIn { left },
            DueState::Running {
                left: TimeLeft::Overdue(by),
                ..
            } => DueText::Overdue { by },
        }
    }
}

/// A ticket's due state now, from what is stored on it.
pub fn due_state(
    clock: Option<Clock>,
    due_at: Option<DateTime<Utc>>,
    paused: bool,
    calendar: &Calendar,
    now: DateTime<Utc>,
) -> Option<DueState> {
    if paused {
        return Some(DueState::Paused);
    }
    let (clock, due_at) = (clock?, due_at?);
    Some(DueState::Running {
        clock,
        due_at,
        left: calendar.time_left(now, due_at),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::working_time::WeeklyHours;
    use crate::Zone;
    use chrono::{Duration, NaiveDate, TimeZone};

    fn at(zone: Zone, y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        let local = NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap();
        Utc.from_utc_datetime(&local) - Duration::hours(i64::from(zone.offset_hours()))
    }

    fn office(zone: Zone) -> Calendar {
        Calendar {
            zone,
            hours: WeeklyHours::indonesian_office(),
            closed: crate::holidays::indonesia(2026)
                .unwrap()
                .into_iter()
                .map(|h| h.date)
                .collect(),
        }
    }

    const EIGHT_HOURS: Targets = Targets {
        approval_minutes: 240,
        response_minutes: 60,
        resolution_minutes: 480,
    };

    #[test]
    fn friday_afternoon_in_makassar_is_due_after_the_holiday() {
        // Friday 29 May 2026 16.30 WITA; Sunday is Waisak and Monday
        // 1 June Hari Lahir Pancasila. Eight working hours: 30 minutes on
        // Friday, the Saturday morning, then Tuesday 08.00–11.30.
        let created = at(Zone::Wita, 2026, 5, 29, 16, 30);
        let cal = office(Zone::Wita);
        let anchors = Anchors {
            work_started_at: Some(created),
            ..Anchors::default()
        };
        let s = schedule(TicketStatus::Pending, &anchors, &EIGHT_HOURS, &cal);
        assert_eq!(
            s.resolution_due_at,
            Some(at(Zone::Wita, 2026, 6, 2, 11, 30))
        );
        // The hour to first response: 30 minutes Friday, 30 on Saturday.
        assert_eq!(s.response_due_at, Some(at(Zone::Wita, 2026, 5, 30, 8, 30)));
        let running = s.running.unwrap();
        assert_eq!(running.clock, Clock::Response);
        // 75 % of 60 minutes.
        assert_eq!(running.remind_at, at(Zone::Wita, 2026, 5, 30, 8, 15));
    }

    #[test]
    fn the_same_hours_in_jakarta_are_an_hour_later_in_utc() {
        let cal_jkt = office(Zone::Wib);
        let cal_mks = office(Zone::Wita);
        // An ordinary Friday, 16.30 local time in each city.
        let targets = EIGHT_HOURS;
        let due = |cal: &Calendar, zone| {
            let anchors = Anchors {
                work_started_at: Some(at(zone, 2026, 5, 8, 16, 30)),
                ..Anchors::default()
            };
            schedule(TicketStatus::Pending, &anchors, &targets, cal)
                .resolution_due_at
                .unwrap()
        };
        let jkt = due(&cal_jkt, Zone::Wib);
        let mks = due(&cal_mks, Zone::Wita);
        // 30 minutes Friday, 4 hours Saturday, 3.5 hours Monday: 11.30 local.
        assert_eq!(jkt, at(Zone::Wib, 2026, 5, 11, 11, 30));
        assert_eq!(mks, at(Zone::Wita, 2026, 5, 11, 11, 30));
        assert_eq!(jkt - mks, Duration::hours(1));
    }

    #[test]
    fn waiting_for_the_requester_moves_work_due_times_by_the_pause() {
        let cal = office(Zone::Wib);
        let start = at(Zone::Wib, 2026, 5, 11, 8, 0);
        let mut anchors = Anchors {
            work_started_at: Some(start),
            responded_at: Some(start),
            ..Anchors::default()
        };
        let before = schedule(TicketStatus::InProgress, &anchors, &EIGHT_HOURS, &cal);
        anchors.paused_at = Some(at(Zone::Wib, 2026, 5, 11, 10, 0));
        let paused = schedule(TicketStatus::InProgress, &anchors, &EIGHT_HOURS, &cal);
        assert_eq!(paused.running, None, "no clock runs while paused");
        // Resumed at 15.00: 4 working hours paused (10–12, 13–15).
        anchors.paused_minutes += cal.working_minutes_between(
            anchors.paused_at.take().unwrap(),
            at(Zone::Wib, 2026, 5, 11, 15, 0),
        );
        assert_eq!(anchors.paused_minutes, 240);
        let after = schedule(TicketStatus::InProgress, &anchors, &EIGHT_HOURS, &cal);
        assert_eq!(
            cal.working_minutes_between(
                before.resolution_due_at.unwrap(),
                after.resolution_due_at.unwrap()
            ),
            240
        );
        assert_eq!(after.running.unwrap().clock, Clock::Resolution);
    }

    #[test]
    fn clocks_follow_the_status() {
        let a = Anchors::default();
        assert_eq!(
            running_clock(TicketStatus::WaitingApproval, &a),
            Some(Clock::Approval)
        );
        assert_eq!(
            running_clock(TicketStatus::Approved, &a),
            Some(Clock::Response)
        );
        let responded = Anchors {
            responded_at: Some(Utc::now()),
            ..a
        };
        assert_eq!(
            running_clock(TicketStatus::Approved, &responded),
            Some(Clock::Resolution)
        );
        assert_eq!(running_clock(TicketStatus::Completed, &responded), None);
        assert_eq!(running_clock(TicketStatus::Rejected, &a), None);
    }

    #[test]
    fn due_state_reads_in_working_time() {
        let cal = office(Zone::Wib);
        let due = at(Zone::Wib, 2026, 5, 11, 16, 0);
        let now = at(Zone::Wib, 2026, 5, 11, 13, 0);
        let s = due_state(Some(Clock::Resolution), Some(due), false, &cal, now).unwrap();
        assert_eq!(
            s,
            DueState::Running {
                clock: Clock::Resolution,
                due_at: due,
                left: TimeLeft::Due(Amount::Hours(3))
            }
        );
        assert!(!s.overdue());
        assert_eq!(s.text().render(crate::Lang::En), "Due in 3 working hours");
        assert_eq!(
            s.text().render(crate::Lang::Id),
            "Jatuh tempo dalam 3 jam kerja"
        );
        // Monday 16.00 to Tuesday 16.00 is one working day of 8 hours.
        let late = due_state(
            Some(Clock::Resolution),
            Some(due),
            false,
            &cal,
            at(Zone::Wib, 2026, 5, 12, 16, 0),
        )
        .unwrap();
        assert!(late.overdue());
        assert_eq!(late.text().render(crate::Lang::En), "Overdue 1 working day");
        assert_eq!(
            late.text().render(crate::Lang::Id),
            "Terlambat 1 hari kerja"
        );
        assert_eq!(
            due_state(Some(Clock::Resolution), Some(due), true, &cal, now),
            Some(DueState::Paused)
        );
    }

    #[test]
    fn targets_are_checked() {
        assert!(EIGHT_HOURS.check().is_ok());
        let bad = Targets {
            approval_minutes: 0,
            ..EIGHT_HOURS
        };
        assert!(bad.check().unwrap_err().get("approval_minutes").is_some());
        let inverted = Targets {
            response_minutes: 600,
            ..EIGHT_HOURS
        };
        assert_eq!(
            inverted.check().unwrap_err().get("response_minutes"),
            Some(&FieldError::ResponseAfterResolution)
        );
    }
}
