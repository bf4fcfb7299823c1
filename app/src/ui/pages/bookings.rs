//! Bookings: find a free room (or car, or equipment) and book it, my
//! bookings, decisions for approvers, the week grid of a site, and the
//! check-in page a room's door QR code opens.

use super::assets::{LoadFailed, SkeletonRows};
use crate::api::bookings::{
    bookings_page, cancel_booking, check_in_booking, decide_booking, door_page, find_free,
    make_booking, week_grid, BookingsData, DoorData, GridQuery, WeekData,
};
use crate::api::ApiError;
use crate::domain::booking::{
    Booking, BookingInput, BookingStatus, Feature, FindQuery, FreeResource, ResourceKind,
    SeriesMode, Window,
};
use crate::domain::site::Site;
use crate::domain::{Arg, FieldError, FieldErrors, Lang, Zone};
use crate::i18n::{fill, use_lang};
use crate::ui::components::field::FieldErrorText;
use crate::ui::components::page_data::PageData;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Timelike, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use uuid::Uuid;

/// An instant from a date and a clock time read in a zone.
fn instant(day: NaiveDate, time: NaiveTime, zone: Zone) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_time(time)) - Duration::hours(i64::from(zone.offset_hours()))
}

/// `10:00` / `10.00` on a zone's clock.
fn clock(lang: Lang, zone: Zone, at: DateTime<Utc>) -> String {
    let t = at + Duration::hours(i64::from(zone.offset_hours()));
    let colon = if lang == Lang::Id { '.' } else { ':' };
    format!("{:02}{colon}{:02}", t.hour(), t.minute())
}

fn today_in(zone: Zone) -> NaiveDate {
    (Utc::now() + Duration::hours(i64::from(zone.offset_hours()))).date_naive()
}

fn status_class(s: BookingStatus) -> &'static str {
    match s {
        BookingStatus::Confirmed | BookingStatus::CheckedIn | BookingStatus::Returned => {
            "badge status-approved"
        }
        BookingStatus::Pending => "badge status-waiting_approval",
        _ => "badge status-closed",
    }
}

#[component]
fn Tabs(here: &'static str) -> impl IntoView {
    let t = BookT::get();
    let tabs = [
        ("/bookings", t.find_and_mine, "bookings-tab-find"),
        ("/bookings/week", t.week, "bookings-tab-week"),
    ];
    view! {
        <nav class="tabs account-tabs" aria-label=t.heading>
            <ul class="chips">
                {tabs.into_iter().map(|(href, text, test)| view! {
                    <li><a class="chip" href=href data-test=test aria-current=(href == here).then_some("page")>{text}</a></li>
                }).collect_view()}
            </ul>
        </nav>
    }
}

#[component]
pub fn BookingsPage() -> impl IntoView {
    let t = BookT::get();
    let data = PageData::new("bookings-data", || (), |_| bookings_page());
    let retry = Callback::new(move |_| data.refetch());
    // Outside the data's view, so the message outlives the reload it causes.
    let done = RwSignal::new(None::<String>);
    view! {
        <Title text=t.heading/>
        <div class="page-head"><h1>{t.heading}</h1><Tabs here="/bookings"/></div>
        <Transition fallback=|| view! { <SkeletonRows rows=3 columns=3/> }>
            {data.script()}
            {move || match data.get() {
                None => view! { <SkeletonRows rows=3 columns=3/> }.into_any(),
                Some(Err(e)) => view! { <LoadFailed error=e on_retry=retry/> }.into_any(),
                Some(Ok(p)) => view! { <Bookings page=p on_change=retry done/> }.into_any(),
            }}
        </Transition>
    }
}

#[component]
fn Bookings(
    page: BookingsData,
    on_change: Callback<()>,
    done: RwSignal<Option<String>>,
) -> impl IntoView {
    let t = BookT::get();
    let awaiting = (!page.awaiting.is_empty()).then(|| {
        view! {
            <section class="card" data-test="booking-approvals">
                <h2>{t.awaiting}</h2>
                <ul class="plain-list">
                    {page.awaiting.into_iter().map(|b| view! { <Decision booking=b on_change/> }).collect_view()}
                </ul>
            </section>
        }
    });
    view! {
        <div class="bookings">
            <FindForm sites=page.sites my_site=page.my_site on_booked=Callback::new(move |msg: String| {
                done.set(Some(msg));
                on_change.run(());
            })/>
            {move || done.get().map(|m| view! { <p class="notice" role="status" data-test="booked">{m}</p> })}
            {awaiting}
            <section class="card" data-test="my-bookings">
                <h2>{t.mine}</h2>
                {page.mine.is_empty().then(|| view! { <p class="muted">{t.none_yet}</p> })}
                <ul class="plain-list">
                    {page.mine.into_iter().map(|b| view! { <MyBooking booking=b on_change/> }).collect_view()}
                </ul>
                <details class="feed">
                    <summary>{t.feed}</summary>
                    <p class="muted small">{t.feed_help}</p>
                    <input type="text" readonly value=page.feed_url data-test="feed-url" aria-label=t.feed/>
                </details>
            </section>
        </div>
    }
}

#[component]
fn MyBooking(booking: Booking, on_change: Callback<()>) -> impl IntoView {
    let t = BookT::get();
    let lang = use_lang();
    let failure = RwSignal::new(None::<String>);
    let (id, version) = (booking.id, booking.version);
    let cancel = move |_| {
        spawn_local(async move {
            match cancel_booking(id, version).await {
                Ok(_) => on_change.run(()),
                Err(e) => failure.set(Some(e.phrase(lang))),
            }
        });
    };
    let zone = booking.zone.0;
    view! {
        <li class="booking-row" data-test="my-booking">
            <div>
                <strong>{booking.resource_name.clone()}</strong>
                {(!booking.floor.is_empty()).then(|| view! { <span class="muted">{fill(t.floor_n, &[&booking.floor])}</span> })}
                <div>{booking.window().phrase(lang)}</div>
                <div class="muted">{booking.title.clone()}</div>
                {booking.check_in_by.map(|by| view! {
                    <div class="small">{fill(t.check_in_by, &[&clock(lang, zone, by)])}</div>
                })}
                {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{f}</p> })}
            </div>
            <div class="row-actions">
                <span class=status_class(booking.status) data-test="booking-status">{booking.status.label_in(lang)}</span>
                {booking.status.holds().then(|| view! {
                    <button type="button" class="btn" data-test="cancel-booking" on:click=cancel>{t.cancel}</button>
                })}
            </div>
        </li>
    }
}

#[component]
fn Decision(booking: Booking, on_change: Callback<()>) -> impl IntoView {
    let t = BookT::get();
    let lang = use_lang();
    let note = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::new());
    let failure = RwSignal::new(None::<String>);
    let (id, version) = (booking.id, booking.version);
    let decide = move |approve: bool| {
        spawn_local(async move {
            match decide_booking(id, version, approve, note.get_untracked()).await {
                Ok(_) => on_change.run(()),
                Err(ApiError::Validation(e)) => errors.set(e),
                Err(e) => failure.set(Some(e.phrase(lang))),
            }
        });
    };
    let who = booking
        .booked_by
        .clone()
        .map(|u| u.name)
        .unwrap_or_default();
    view! {
        <li class="booking-row" data-test="booking-decision">
            <div>
                <strong>{booking.resource_name.clone()}</strong>
                <div>{booking.window().phrase(lang)}</div>
                <div class="muted">{fill(t.asked_by, &[&who, &booking.title, &booking.attendees])}</div>
                {(!booking.destination.is_empty()).then(|| view! { <div class="small">{fill(t.to_destination, &[&booking.destination])}</div> })}
                <div class="field">
                    <label for=format!("note-{id}")>{t.note}</label>
                    <input id=format!("note-{id}") type="text" maxlength="500" bind:value=note/>
                    <FieldErrorText errors field="note"/>
                </div>
                {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{f}</p> })}
            </div>
            <div class="row-actions">
                <button type="button" class="btn btn-primary" data-test="approve-booking" on:click=move |_| decide(true)>{t.approve}</button>
                <button type="button" class="btn btn-danger" data-test="reject-booking" on:click=move |_| decide(false)>{t.reject}</button>
            </div>
        </li>
    }
}

const DURATIONS: [i64; 8] = [30, 60, 90, 120, 180, 240, 480, 1440];

#[component]
fn FindForm(sites: Vec<Site>, my_site: Uuid, on_booked: Callback<String>) -> impl IntoView {
    let t = BookT::get();
    let lang = use_lang();
    let zone_of = {
        let sites = sites.clone();
        move |id: Uuid| {
            sites
                .iter()
                .find(|s| s.id == id)
                .map(Site::zone)
                .unwrap_or_default()
        }
    };
    let site = RwSignal::new(my_site.to_string());
    let kind = RwSignal::new(ResourceKind::Room);
    let tomorrow = today_in(zone_of(my_site)) + Duration::days(1);
    let day = RwSignal::new(tomorrow.format("%Y-%m-%d").to_string());
    let time = RwSignal::new("10:00".to_string());
    let minutes = RwSignal::new(60i64);
    let people = RwSignal::new("2".to_string());
    let features = RwSignal::new(Vec::<Feature>::new());
    let errors = RwSignal::new(FieldErrors::new());
    let failure = RwSignal::new(None::<String>);
    let results = RwSignal::new(None::<(Vec<FreeResource>, Window, i32)>);
    let busy = RwSignal::new(false);
    let zone_for_submit = zone_of.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut e = FieldErrors::new();
        let site_id = Uuid::parse_str(&site.get_untracked()).ok();
        let d = NaiveDate::parse_from_str(day.get_untracked().trim(), "%Y-%m-%d").ok();
        if d.is_none() {
            e.add("day", FieldError::NotADate);
        }
        let tm = NaiveTime::parse_from_str(time.get_untracked().trim(), "%H:%M").ok();
        if tm.is_none() {
            e.add("time", FieldError::Required);
        }
        let n = people
            .get_untracked()
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|n| (1..=1000).contains(n));
        if n.is_none() {
            e.add("attendees", FieldError::WholeNumber { min: 1, max: 1000 });
        }
        let (Some(site_id), Some(d), Some(tm), Some(n)) = (site_id, d, tm, n) else {
            errors.set(e);
            return;
        };
        errors.set(FieldErrors::new());
        let zone = zone_for_submit(site_id);
        let from = instant(d, tm, zone);
        let to = from + Duration::minutes(minutes.get_untracked());
        let query = FindQuery {
            site: site_id,
            kind: kind.get_untracked(),
            from,
            to,
            attendees: n,
            features: features.get_untracked(),
        };
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            let r = find_free(query).await;
            busy.set(false);
            match r {
                Ok(found) => results.set(Some((found, Window { from, to, zone }, n))),
                Err(ApiError::Validation(e)) => errors.set(e),
                Err(e) => failure.set(Some(e.phrase(lang))),
            }
        });
    };
    let toggle = move |f: Feature| {
        features.update(|v| {
            if let Some(i) = v.iter().position(|x| *x == f) {
                v.remove(i);
            } else {
                v.push(f);
            }
        })
    };
    view! {
        <form class="card form find-form" on:submit=submit novalidate data-test="find-form">
            <h2>{t.find}</h2>
            <div class="grid-3">
                <div class="field">
                    <label for="b-site">{t.site}</label>
                    <select id="b-site" data-test="find-site" on:change=move |ev| site.set(event_target_value(&ev))>
                        {sites.iter().map(|s| view! {
                            <option value=s.id.to_string() selected=s.id == my_site>{format!("{} ({})", s.name, s.code)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="b-kind">{t.what}</label>
                    <select id="b-kind" data-test="find-kind"
                        on:change=move |ev| if let Ok(k) = event_target_value(&ev).parse() { kind.set(k) }>
                        {ResourceKind::ALL.iter().map(|k| view! {
                            <option value=k.as_str() selected=*k == ResourceKind::Room>{k.label_in(lang)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="b-people">{t.people}</label>
                    <input id="b-people" type="number" min="1" max="1000" inputmode="numeric" bind:value=people data-test="find-people"/>
                    <FieldErrorText errors field="attendees"/>
                </div>
                <div class="field">
                    <label for="b-day">{t.day}</label>
                    <input id="b-day" type="date" bind:value=day data-test="find-day"/>
                    <FieldErrorText errors field="day"/>
                </div>
                <div class="field">
                    <label for="b-time">{t.from}</label>
                    <input id="b-time" type="time" step="900" bind:value=time data-test="find-time"/>
                    <FieldErrorText errors field="time"/>
                </div>
                <div class="field">
                    <label for="b-len">{t.duration}</label>
                    <select id="b-len" data-test="find-duration"
                        on:change=move |ev| if let Ok(m) = event_target_value(&ev).parse() { minutes.set(m) }>
                        {DURATIONS.iter().map(|m| view! {
                            <option value=m.to_string() selected=*m == 60>{duration_words(lang, *m)}</option>
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <Show when=move || kind.get() == ResourceKind::Room>
                <fieldset class="features">
                    <legend>{t.must_have}</legend>
                    {Feature::ALL.iter().map(|f| {
                        let f = *f;
                        view! {
                            <label class="check">
                                <input type="checkbox" data-test=format!("feature-{}", f.as_str())
                                    on:change=move |_| toggle(f)/>
                                {f.label_in(lang)}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
            </Show>
            <FieldErrorText errors field="to"/>
            {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{f}</p> })}
            <button type="submit" class="btn btn-primary" data-test="find-submit" disabled=move || busy.get()>{t.search}</button>
        </form>
        {move || results.get().map(|(found, window, n)| view! {
            <section class="card" data-test="find-results" aria-live="polite">
                <h2>{fill(t.free_at, &[&window.phrase(lang)])}</h2>
                {found.is_empty().then(|| view! { <p class="muted" data-test="nothing-free">{t.nothing_free}</p> })}
                <ul class="plain-list">
                    {found.into_iter().map(|f| view! {
                        <Candidate free=f window attendees=n on_booked=Callback::new(move |m: String| {
                            results.set(None);
                            on_booked.run(m);
                        })/>
                    }).collect_view()}
                </ul>
            </section>
        })}
    }
}

fn duration_words(lang: Lang, minutes: i64) -> String {
    let t = BookT::of(lang);
    match minutes {
        m if m < 60 => fill(t.n_minutes, &[&m]),
        60 => t.one_hour.to_string(),
        1440 => t.whole_day.to_string(),
        m if m % 60 == 0 => fill(t.n_hours, &[&(m / 60)]),
        m => fill(
            t.n_hours,
            &[&format!("{},5", m / 60).replace(",5", if lang == Lang::En { ".5" } else { ",5" })],
        ),
    }
}

#[component]
fn Candidate(
    free: FreeResource,
    window: Window,
    attendees: i32,
    on_booked: Callback<String>,
) -> impl IntoView {
    let t = BookT::get();
    let lang = use_lang();
    let r = free.resource.clone();
    let open = RwSignal::new(false);
    let title = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let mode = RwSignal::new(SeriesMode::FreeOnes);
    let destination = RwSignal::new(String::new());
    let out_of_town = RwSignal::new(false);
    let errors = RwSignal::new(FieldErrors::new());
    let failure = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let is_car = r.kind == ResourceKind::Car;
    let (rid, rname) = (r.id, StoredValue::new(r.name.clone()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = BookingInput {
            resource_id: rid,
            title: title.get_untracked(),
            starts_at: window.from,
            ends_at: window.to,
            attendees,
            repeat: Some(repeat.get_untracked()).filter(|r| !r.is_empty()),
            mode: mode.get_untracked(),
            destination: destination.get_untracked(),
            out_of_town: out_of_town.get_untracked(),
        };
        if input.title.trim().is_empty() {
            errors.set(FieldErrors::single("title", FieldError::Required));
            return;
        }
        busy.set(true);
        failure.set(None);
        let rname = rname.get_value();
        spawn_local(async move {
            let r = make_booking(input).await;
            busy.set(false);
            match r {
                Ok(booked) => {
                    let t = BookT::of(lang);
                    let mut msg = if booked.bookings.len() == 1 {
                        let b = &booked.bookings[0];
                        let words = if b.status == BookingStatus::Pending {
                            t.booked_pending
                        } else {
                            t.booked_one
                        };
                        fill(words, &[&rname, &b.window().phrase(lang)])
                    } else {
                        fill(t.booked_many, &[&booked.bookings.len(), &rname])
                    };
                    if !booked.skipped.is_empty() {
                        let list = booked
                            .skipped
                            .iter()
                            .map(|s| {
                                format!("{} ({})", s.window.phrase(lang), s.reason.label_in(lang))
                            })
                            .collect::<Vec<_>>()
                            .join("; ");
                        msg.push(' ');
                        msg.push_str(&fill(t.skipped, &[&list]));
                    }
                    on_booked.run(msg);
                }
                Err(ApiError::Validation(e)) => errors.set(e),
                Err(e) => failure.set(Some(e.phrase(lang))),
            }
        });
    };
    let features = r
        .features
        .iter()
        .map(|f| f.label_in(lang))
        .collect::<Vec<_>>()
        .join(" · ");
    view! {
        <li class="candidate" data-test="candidate" data-name=r.name.clone()>
            <div class="inline spread">
                <div>
                    <strong>{r.name.clone()}</strong>
                    {(!r.floor.is_empty()).then(|| view! { <span class="muted">{fill(t.floor_n, &[&r.floor])}</span> })}
                    <div class="muted small">
                        {fill(t.seats, &[&r.capacity])}
                        {r.plate.clone().map(|p| format!(" · {p}"))}
                        {(!features.is_empty()).then(|| format!(" · {features}"))}
                    </div>
                    {free.needs_approval.then(|| view! { <span class="badge status-waiting_approval">{t.needs_approval}</span> })}
                </div>
                <button type="button" class="btn" data-test="choose" aria-expanded=move || open.get().to_string()
                    on:click=move |_| open.update(|o| *o = !*o)>{t.book}</button>
            </div>
            <Show when=move || open.get()>
                <form class="form book-form" on:submit=submit novalidate data-test="book-form">
                    <div class="field">
                        <label for=format!("t-{rid}")>{t.what_for}</label>
                        <input id=format!("t-{rid}") type="text" maxlength="200" bind:value=title data-test="book-title"/>
                        <FieldErrorText errors field="title"/>
                    </div>
                    {is_car.then(|| view! {
                        <div class="field">
                            <label for=format!("d-{rid}")>{t.destination}</label>
                            <input id=format!("d-{rid}") type="text" maxlength="200" bind:value=destination/>
                            <FieldErrorText errors field="destination"/>
                        </div>
                        <label class="check"><input type="checkbox" bind:checked=out_of_town/>{t.out_of_town}</label>
                    })}
                    <div class="grid-2">
                        <div class="field">
                            <label for=format!("r-{rid}")>{t.repeat}</label>
                            <select id=format!("r-{rid}") data-test="book-repeat" on:change=move |ev| repeat.set(event_target_value(&ev))>
                                <option value="">{t.once}</option>
                                <option value="FREQ=DAILY;COUNT=5;BYDAY=MO,TU,WE,TH,FR">{t.five_workdays}</option>
                                <option value="FREQ=WEEKLY;COUNT=4">{t.weekly_4}</option>
                                <option value="FREQ=WEEKLY;COUNT=12">{t.weekly_12}</option>
                            </select>
                            <FieldErrorText errors field="repeat"/>
                        </div>
                        <Show when=move || !repeat.get().is_empty()>
                            <div class="field">
                                <label for=format!("m-{rid}")>{t.if_taken}</label>
                                <select id=format!("m-{rid}") on:change=move |ev| if let Ok(m) = event_target_value(&ev).parse() { mode.set(m) }>
                                    <option value="free_ones">{SeriesMode::FreeOnes.label_in(lang)}</option>
                                    <option value="all_or_nothing">{SeriesMode::AllOrNothing.label_in(lang)}</option>
                                </select>
                            </div>
                        </Show>
                    </div>
                    <FieldErrorText errors field="starts_at"/>
                    <FieldErrorText errors field="ends_at"/>
                    <FieldErrorText errors field="attendees"/>
                    <FieldErrorText errors field="resource_id"/>
                    {move || failure.get().map(|f| view! { <p class="form-error" role="alert" data-test="book-failure">{f}</p> })}
                    <button type="submit" class="btn btn-primary" data-test="book-submit" disabled=move || busy.get()>
                        {fill(t.book_it, &[&window.phrase(lang)])}
                    </button>
                </form>
            </Show>
        </li>
    }
}

// ---------------------------------------------------------------- the week grid

#[component]
pub fn WeekPage() -> impl IntoView {
    let t = BookT::get();
    let query = use_query_map();
    let key = Memo::new(move |_| {
        let q = query.read();
        GridQuery {
            site: q.get("site").and_then(|s| Uuid::parse_str(&s).ok()),
            kind: q
                .get("kind")
                .and_then(|k| k.parse().ok())
                .unwrap_or(ResourceKind::Room),
            floor: q.get("floor").filter(|f| !f.is_empty()),
            week_of: q
                .get("week")
                .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
        }
    });
    let data = PageData::new("week-data", move || key.get(), week_grid);
    let retry = Callback::new(move |_| data.refetch());
    view! {
        <Title text=t.week/>
        <div class="page-head"><h1>{t.heading}</h1><Tabs here="/bookings/week"/></div>
        <Transition fallback=|| view! { <SkeletonRows rows=4 columns=4/> }>
            {data.script()}
            {move || match data.get() {
                None => view! { <SkeletonRows rows=4 columns=4/> }.into_any(),
                Some(Err(e)) => view! { <LoadFailed error=e on_retry=retry/> }.into_any(),
                Some(Ok(w)) => view! { <Week data=w kind=key.get_untracked().kind/> }.into_any(),
            }}
        </Transition>
    }
}

#[component]
fn Week(data: WeekData, kind: ResourceKind) -> impl IntoView {
    let t = BookT::get();
    let lang = use_lang();
    let g = data.grid;
    let zone = g.zone;
    let days: Vec<NaiveDate> = (0..g.days)
        .map(|i| g.from + Duration::days(i64::from(i)))
        .collect();
    let link = |week: NaiveDate| {
        format!(
            "/bookings/week?site={}&kind={}&week={}",
            data.site,
            kind.as_str(),
            week.format("%Y-%m-%d")
        )
    };
    let on_day = |b: &Booking, d: NaiveDate| {
        let start = crate::domain::booking::Window {
            from: b.starts_at,
            to: b.ends_at,
            zone,
        };
        let day_start = instant(d, NaiveTime::MIN, zone);
        start.overlaps(&Window {
            from: day_start,
            to: day_start + Duration::days(1),
            zone,
        })
    };
    let chip = move |b: &Booking| {
        let who = if b.title.is_empty() {
            t.busy.to_string()
        } else {
            b.title.clone()
        };
        view! {
            <div class="slot" class:slot-pending=b.status == BookingStatus::Pending data-test="slot">
                <span class="slot-time">{format!("{}–{}", clock(lang, zone, b.starts_at), clock(lang, zone, b.ends_at))}</span>
                " " <span>{who}</span>
            </div>
        }
    };
    let today = today_in(zone);
    let head = days
        .iter()
        .map(|d| {
            view! {
                <th scope="col" class:today=*d == today>{weekday(lang, *d)}<br/><span class="muted small">{crate::ui::format::day_in(lang, *d)}</span></th>
            }
        })
        .collect_view();
    let rows = g
        .resources
        .iter()
        .map(|r| {
            let cells = days
                .iter()
                .map(|d| {
                    let mine: Vec<_> = g.bookings.iter().filter(|b| b.resource_id == r.id && on_day(b, *d)).collect();
                    view! { <td class:today=*d == today>{mine.into_iter().map(chip).collect_view()}</td> }
                })
                .collect_view();
            view! {
                <tr data-test="grid-row" data-name=r.name.clone()>
                    <th scope="row">{r.name.clone()}<br/><span class="muted small">{fill(t.seats, &[&r.capacity])}{(!r.floor.is_empty()).then(|| fill(t.floor_n, &[&r.floor]))}</span></th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    // On a phone: one list per resource, day by day.
    let lists = g
        .resources
        .iter()
        .map(|r| {
            let items: Vec<_> = g.bookings.iter().filter(|b| b.resource_id == r.id).collect();
            view! {
                <section class="week-list-item" data-test="list-resource" data-name=r.name.clone()>
                    <h3>{r.name.clone()}</h3>
                    {items.is_empty().then(|| view! { <p class="muted small">{t.free_all_week}</p> })}
                    <ul class="plain-list">
                        {items.into_iter().map(|b| {
                            let who = if b.title.is_empty() { t.busy.to_string() } else { b.title.clone() };
                            view! { <li><span class="slot-time">{b.window().phrase(lang)}</span>" · "{who}</li> }
                        }).collect_view()}
                    </ul>
                </section>
            }
        })
        .collect_view();
    let sites = data.sites.clone();
    view! {
        <form method="GET" action="/bookings/week" class="filters" data-test="week-filters">
            <div class="field">
                <label for="w-site">{t.site}</label>
                <select id="w-site" name="site">
                    {sites.into_iter().map(|s| view! {
                        <option value=s.id.to_string() selected=s.id == data.site>{s.name}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="w-kind">{t.what}</label>
                <select id="w-kind" name="kind">
                    {ResourceKind::ALL.iter().map(|k| view! {
                        <option value=k.as_str() selected=*k == kind>{k.label_in(lang)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="w-floor">{t.floor}</label>
                <select id="w-floor" name="floor">
                    <option value="">{t.all_floors}</option>
                    {g.floors.iter().filter(|f| !f.is_empty()).map(|f| view! { <option value=f.clone()>{f.clone()}</option> }).collect_view()}
                </select>
            </div>
            <input type="hidden" name="week" value=g.from.format("%Y-%m-%d").to_string()/>
            <button type="submit" class="btn">{t.show}</button>
        </form>
        <div class="week-nav">
            <a class="btn" href=link(g.from - Duration::days(7)) data-test="prev-week">{t.prev_week}</a>
            <strong>{fill(t.week_of, &[&crate::ui::format::day_in(lang, g.from)])}</strong>
            <a class="btn" href=link(g.from + Duration::days(7)) data-test="next-week">{t.next_week}</a>
        </div>
        {g.resources.is_empty().then(|| view! { <p class="muted">{t.no_resources}</p> })}
        <div class="table-wrap week-grid" role="region" tabindex="0" aria-label=t.week>
            <table data-test="week-grid">
                <thead><tr><th scope="col">{kind.label_in(lang)}</th>{head}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <div class="week-list">{lists}</div>
    }
}

fn weekday(lang: Lang, d: NaiveDate) -> &'static str {
    const EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const ID: [&str; 7] = ["Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min"];
    let i = d.weekday().num_days_from_monday() as usize;
    match lang {
        Lang::En => EN[i],
        Lang::Id => ID[i],
    }
}

// ---------------------------------------------------------------- the door

#[component]
pub fn DoorPage() -> impl IntoView {
    let t = BookT::get();
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|s| Uuid::parse_str(&s).ok())
    });
    let data = PageData::new(
        "door-data",
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => door_page(id).await,
                None => Err(ApiError::Refused(crate::domain::Refusal::NotFound)),
            }
        },
    );
    let retry = Callback::new(move |_| data.refetch());
    let done = RwSignal::new(None::<String>);
    view! {
        <Title text=t.check_in/>
        <div class="narrow">
            <Transition fallback=|| view! { <SkeletonRows rows=2 columns=1/> }>
                {data.script()}
                {move || match data.get() {
                    None => view! { <SkeletonRows rows=2 columns=1/> }.into_any(),
                    Some(Err(e)) => view! { <LoadFailed error=e on_retry=retry/> }.into_any(),
                    Some(Ok(d)) => view! { <Door data=d on_change=retry done/> }.into_any(),
                }}
            </Transition>
        </div>
    }
}

#[component]
fn Door(data: DoorData, on_change: Callback<()>, done: RwSignal<Option<String>>) -> impl IntoView {
    let t = BookT::get();
    let lang = use_lang();
    let r = data.resource;
    let zone = r.zone();
    let failure = RwSignal::new(None::<String>);
    let now = data.now;
    let me = data.me;
    let (mine, others): (Vec<Booking>, Vec<Booking>) = data
        .bookings
        .into_iter()
        .partition(|b| b.booked_by.as_ref().is_some_and(|u| u.id == me));
    let has_mine = !mine.is_empty();
    view! {
        <div class="card door" data-test="door">
            <h1>{r.name.clone()}</h1>
            <p class="muted">
                {(!r.floor.is_empty()).then(|| format!("{} · ", fill(t.floor_word, &[&r.floor])))}
                {fill(t.seats, &[&r.capacity])}
            </p>
            {move || done.get().map(|m| view! { <p class="notice" role="status" data-test="checked-in">{m}</p> })}
            {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{f}</p> })}
            <ul class="plain-list">
                {mine.into_iter().map(|b| {
                    let opens = b.starts_at - Duration::minutes(15);
                    let can = b.status == BookingStatus::Confirmed && now >= opens && now < b.ends_at;
                    let (id, version) = (b.id, b.version);
                    let when = b.window().phrase(lang);
                    let check_in = move |_| {
                        spawn_local(async move {
                            match check_in_booking(id, version).await {
                                Ok(_) => {
                                    done.set(Some(BookT::of(lang).checked_in.to_string()));
                                    on_change.run(());
                                }
                                Err(e) => failure.set(Some(e.phrase(lang))),
                            }
                        });
                    };
                    view! {
                        <li class="booking-row" data-test="door-mine">
                            <div>
                                <strong>{b.title.clone()}</strong>
                                <div>{when}</div>
                                {b.check_in_by.filter(|_| b.status == BookingStatus::Confirmed).map(|by| view! {
                                    <div class="small">{fill(t.check_in_by, &[&clock(lang, zone, by)])}</div>
                                })}
                            </div>
                            <div class="row-actions">
                                <span class=status_class(b.status)>{b.status.label_in(lang)}</span>
                                {can.then(|| view! {
                                    <button type="button" class="btn btn-primary btn-large" data-test="check-in" on:click=check_in>{t.check_in}</button>
                                })}
                                {(b.status == BookingStatus::Confirmed && now < opens).then(|| view! {
                                    <span class="small muted">{fill(t.opens_at, &[&clock(lang, zone, opens)])}</span>
                                })}
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {(!has_mine).then(|| view! {
                <p data-test="door-none">{t.no_booking_here}</p>
                <a class="btn btn-primary" href="/bookings">{t.book_a_room}</a>
            })}
            {(!others.is_empty()).then(|| view! {
                <h2>{t.today_here}</h2>
                <ul class="plain-list">
                    {others.into_iter().map(|b| {
                        let who = if b.title.is_empty() { t.busy.to_string() } else { b.title.clone() };
                        view! { <li>{format!("{}–{}", clock(lang, zone, b.starts_at), clock(lang, zone, b.ends_at))}" · "{who}</li> }
                    }).collect_view()}
                </ul>
            })}
        </div>
    }
}

crate::texts! {
    BookT {
        heading: "Bookings", "Pemesanan";
        find_and_mine: "Find and book", "Cari dan pesan";
        week: "Week", "Mingguan";
        find: "Find a free room, car or equipment", "Cari ruang, mobil, atau peralatan yang kosong";
        site: "Office", "Kantor";
        what: "What", "Jenis";
        people: "People", "Jumlah orang";
        day: "Day", "Tanggal";
        from: "From", "Mulai";
        duration: "For", "Selama";
        must_have: "Must have", "Harus ada";
        search: "Find", "Cari";
        free_at: "Free {0}", "Kosong {0}";
        nothing_free: "Nothing that fits is free then. Try another time or fewer requirements.", "Tidak ada yang sesuai dan kosong pada waktu itu. Coba waktu lain atau kurangi syaratnya.";
        n_minutes: "{0} minutes", "{0} menit";
        one_hour: "1 hour", "1 jam";
        n_hours: "{0} hours", "{0} jam";
        whole_day: "24 hours", "24 jam";
        floor_n: " · floor {0}", " · lantai {0}";
        floor_word: "Floor {0}", "Lantai {0}";
        floor: "Floor", "Lantai";
        all_floors: "All floors", "Semua lantai";
        seats: "{0} people", "{0} orang";
        needs_approval: "Needs approval", "Perlu persetujuan";
        book: "Book", "Pesan";
        book_it: "Book {0}", "Pesan {0}";
        what_for: "What for (shown on the door and in the grid)", "Untuk apa (tampil di pintu dan di jadwal)";
        destination: "Destination", "Tujuan";
        out_of_town: "Out of town", "Ke luar kota";
        repeat: "Repeat", "Ulangi";
        once: "Once", "Sekali";
        five_workdays: "Every working day this week (5)", "Setiap hari kerja minggu ini (5)";
        weekly_4: "Weekly, 4 times", "Mingguan, 4 kali";
        weekly_12: "Weekly, 12 times", "Mingguan, 12 kali";
        if_taken: "If some times are taken", "Jika sebagian waktu sudah terisi";
        booked_one: "Booked: {0}, {1}.", "Dipesan: {0}, {1}.";
        booked_pending: "Requested: {0}, {1}. The slot is held while your manager decides.", "Diajukan: {0}, {1}. Slot ditahan selama atasan Anda memutuskan.";
        booked_many: "Booked {0} times: {1}.", "Dipesan {0} kali: {1}.";
        skipped: "Not booked: {0}.", "Tidak dipesan: {0}.";
        mine: "My bookings", "Pemesanan saya";
        none_yet: "No coming bookings.", "Belum ada pemesanan mendatang.";
        cancel: "Cancel booking", "Batalkan";
        check_in_by: "Check in by {0}, or it is released.", "Check-in paling lambat {0}, atau dilepas.";
        awaiting: "Bookings waiting for your approval", "Pemesanan yang menunggu persetujuan Anda";
        asked_by: "{0}: {1} ({2} people)", "{0}: {1} ({2} orang)";
        to_destination: "To {0}", "Ke {0}";
        note: "Note (a reason is required to reject)", "Catatan (wajib diisi untuk menolak)";
        approve: "Approve", "Setujui";
        reject: "Reject", "Tolak";
        feed: "Show in my calendar", "Tampilkan di kalender saya";
        feed_help: "Subscribe to this private address in Google Calendar, Outlook or your phone's calendar. Keep it to yourself.", "Langganan alamat pribadi ini di Google Calendar, Outlook, atau kalender ponsel Anda. Jangan dibagikan.";
        busy: "Busy", "Terisi";
        show: "Show", "Tampilkan";
        prev_week: "← Previous week", "← Minggu sebelumnya";
        next_week: "Next week →", "Minggu berikutnya →";
        week_of: "Week of {0}", "Minggu {0}";
        free_all_week: "Free all week.", "Kosong sepanjang minggu.";
        no_resources: "Nothing of this kind at this office.", "Tidak ada yang sejenis di kantor ini.";
        check_in: "Check in", "Check-in";
        checked_in: "Checked in. The room is yours.", "Check-in berhasil. Ruang ini milik Anda.";
        opens_at: "Check-in opens at {0}.", "Check-in dibuka pukul {0}.";
        no_booking_here: "You have no booking of this room now.", "Anda tidak memiliki pemesanan ruang ini sekarang.";
        book_a_room: "Book a room", "Pesan ruang";
        today_here: "Booked here", "Jadwal di sini";
    }
}
