//! The GA desk board: pending, approved, in progress and completed tickets
//! side by side, filtered from the address, refreshed live when anyone
//! changes a ticket.

use crate::api::queues::load_desk;
use crate::api::tickets::act_on_ticket;
use crate::api::ApiError;
use crate::domain::desk::{Board, BoardCard, BoardColumn};
use crate::domain::ticket::lifecycle::{Action, Command};
use crate::domain::ticket::{Category, Priority, TicketStatus, TicketSummary};
use crate::domain::{FieldErrors, Money, UserRef};
use crate::i18n::{fill, Common};
use crate::i18n::{Localized, Text};
use crate::ui::components::badges::PriorityBadge;
use crate::ui::components::field::FieldErrorText;
use crate::ui::components::modal::Modal;
use crate::ui::CurrentUser;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

/// The filters as the address has them: category, priority, assignee,
/// overdue. The server validates them.
#[derive(Debug, Clone, Default, PartialEq)]
struct Filters {
    category: String,
    priority: String,
    assignee: String,
    overdue: String,
}

impl Filters {
    fn is_narrowed(&self) -> bool {
        *self != Filters::default()
    }
}

/// How the live connection is doing, shown next to the title in words.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Live {
    /// Not started (the server's render, or no WebAssembly).
    Off,
    Connecting,
    On,
    Reconnecting,
}

#[component]
pub fn DeskPage() -> impl IntoView {
    let t = DeskT::get();
    let query = use_query_map();
    let filters = Memo::new(move |_| {
        let q = query.read();
        Filters {
            category: q.get("category").unwrap_or_default(),
            priority: q.get("priority").unwrap_or_default(),
            assignee: q.get("assignee").unwrap_or_default(),
            overdue: q.get("overdue").unwrap_or_default(),
        }
    });
    let data = Resource::new(
        move || filters.get(),
        |f| load_desk(f.category, f.priority, f.assignee, f.overdue),
    );
    let CurrentUser(user) = expect_context::<CurrentUser>();
    let message = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let live = RwSignal::new(Live::Off);

    // After hydration only: the server's render and the first browser
    // render both show no live status, so they match.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| live::follow(live, move || data.refetch()));

    let run = move |ticket: TicketSummary, command: Command| {
        busy.set(true);
        spawn_local(async move {
            let result = act_on_ticket(ticket.id, ticket.version, command).await;
            busy.set(false);
            message.set(Some(match result {
                Ok(done) => fill(t.done, &[&done.number, &done.status.text().to_lowercase()]),
                Err(ApiError::Conflict { .. }) => fill(t.changed, &[&ticket.number]),
                Err(e) => fill(t.failed, &[&ticket.number, &e.localized()]),
            }));
            data.refetch();
        });
    };

    let completing = RwSignal::new(None::<TicketSummary>);
    let cost = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let cost_error = RwSignal::new(FieldErrors::new());
    let begin_complete = move |ticket: TicketSummary| {
        cost.set(ticket.estimated_total.input_text());
        note.set(String::new());
        cost_error.set(FieldErrors::new());
        completing.set(Some(ticket));
    };

    let column = move |col: BoardColumn, narrowed: bool, me: Option<Uuid>| {
        let (test, empty) = match col.status {
            TicketStatus::Pending => ("desk-triage", t.empty_pending),
            TicketStatus::Approved => ("desk-approved", t.empty_approved),
            TicketStatus::InProgress => ("desk-progress", t.empty_progress),
            _ => ("desk-completed", t.empty_completed),
        };
        let empty = if narrowed { t.empty_filtered } else { empty };
        let heading = format!("{test}-title");
        let labelled_by = heading.clone();
        // Counting stops at a thousand: "1000+".
        let plus = if col.counted_all { "" } else { "+" };
        let total = format!("{}{plus}", col.total);
        let hidden = col.total - col.cards.len() as i64;
        let hidden_text = format!("{hidden}{plus}");
        view! {
            <section class="desk-column" data-test=test aria-labelledby=labelled_by>
                <h2 id=heading>
                    {col.status.text()}
                    <span class="count" aria-hidden="true" data-test="column-count">{total.clone()}</span>
                    <span class="sr-only">{fill(t.count_label, &[&total])}</span>
                </h2>
                {col.cards.is_empty().then(|| view! {
                    <p class="muted desk-empty" data-test="column-empty">{empty}</p>
                })}
                <ul class="cards">
                    {col.cards.into_iter().map(|card| view! {
                        <BoardCard card me busy run begin_complete/>
                    }).collect_view()}
                </ul>
                {(hidden > 0).then(|| view! {
                    <p class="muted desk-more" data-test="column-more">{fill(t.more, &[&hidden_text])}</p>
                })}
            </section>
        }
    };

    view! {
        <Title text=t.title/>
        <div class="page-head desk-head">
            <h1>{t.title}</h1>
            <LiveStatus live/>
        </div>
        {move || view! { <FilterForm filters=filters.get() board=data/> }}
        {move || message.get().map(|m| view! { <p class="notice" role="status" data-test="notice">{m}</p> })}
        <Transition fallback=move || view! { <BoardSkeleton/> }>
            {move || Suspend::new(async move {
                let me = user.get_untracked().flatten().map(|a| a.id);
                match data.await {
                    Err(e) => view! { <BoardError error=e retry=move || data.refetch()/> }.into_any(),
                    Ok(Board { columns, .. }) => {
                        let narrowed = filters.get_untracked().is_narrowed();
                        view! {
                            <div class="desk desk-board" data-test="desk-board">
                                {columns.into_iter().map(|c| column(c, narrowed, me)).collect_view()}
                            </div>
                        }.into_any()
                    }
                }
            })}
        </Transition>
        {move || completing.get().map(|ticket| {
            let title = fill(t.complete_title, &[&ticket.number]);
            let submit = move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                match Money::parse_input(&cost.get()) {
                    Ok(actual_cost) => {
                        completing.set(None);
                        run(ticket.clone(), Command::complete(actual_cost, note.get(), None));
                    }
                    Err(e) => cost_error.set(FieldErrors::single("actual_cost", e.into())),
                }
            };
            view! {
                <Modal title test_id="complete-dialog" on_close=Callback::new(move |_| completing.set(None))>
                    <form class="form" on:submit=submit novalidate>
                        <div class="field">
                            <label for="dc-cost">{t.actual_cost}</label>
                            <input id="dc-cost" type="text" inputmode="decimal" bind:value=cost data-test="dialog-cost"/>
                            <FieldErrorText errors=cost_error field="actual_cost"/>
                        </div>
                        <div class="field">
                            <label for="dc-note">{t.what_was_done}</label>
                            <textarea id="dc-note" rows="3" bind:value=note data-test="dialog-text"></textarea>
                        </div>
                        <div class="actions">
                            <button type="button" class="btn btn-quiet" on:click=move |_| completing.set(None)>{Common::get().back}</button>
                            <button type="submit" class="btn btn-primary" data-test="dialog-confirm">{Action::Complete.text()}</button>
                        </div>
                    </form>
                </Modal>
            }
        })}
    }
}

/// "Live" or "Reconnecting…", in words: colour is only a hint. Every text
/// is in the markup and only shown or hidden, so the page hydrates the same
/// whether or not the connection changed its state first.
#[component]
fn LiveStatus(live: RwSignal<Live>) -> impl IntoView {
    let t = DeskT::get();
    let hidden_unless = move |state: Live| move || live.get() != state;
    view! {
        <p class="live-status" role="status" data-test="live-status"
            data-state=move || match live.get() {
                Live::Off => "off",
                Live::Connecting => "connecting",
                Live::On => "live",
                Live::Reconnecting => "reconnecting",
            }>
            <span hidden=hidden_unless(Live::Connecting)>{t.connecting}</span>
            <span hidden=hidden_unless(Live::On)>{t.live}</span>
            <span hidden=hidden_unless(Live::Reconnecting)>{t.reconnecting}</span>
        </p>
    }
}

/// The filters as a plain GET form: they live in the address, survive a
/// reload and work before (or without) WebAssembly.
#[component]
fn FilterForm(filters: Filters, board: Resource<Result<Board, ApiError>>) -> impl IntoView {
    let t = DeskT::get();
    let narrowed = filters.is_narrowed();
    let chosen = filters.assignee.clone();
    let Filters {
        category,
        priority,
        assignee,
        overdue,
    } = filters;
    view! {
        <Form method="GET" action="/desk" attr:class="desk-filters" attr:aria-label=t.filters attr:data-test="desk-filters">
            <div class="field">
                <label for="desk-category">{t.category}</label>
                <select id="desk-category" name="category" data-test="filter-category" prop:value=category.clone()>
                    <option value="" selected=category.is_empty()>{t.any_category}</option>
                    {Category::ALL.iter().map(|c| view! {
                        <option value=c.as_str() selected=category == c.as_str()>{c.text()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="desk-priority">{t.priority}</label>
                <select id="desk-priority" name="priority" data-test="filter-priority" prop:value=priority.clone()>
                    <option value="" selected=priority.is_empty()>{t.any_priority}</option>
                    {Priority::ALL.iter().map(|p| view! {
                        <option value=p.as_str() selected=priority == p.as_str()>{p.text()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="desk-assignee">{t.assignee}</label>
                <select id="desk-assignee" name="assignee" data-test="filter-assignee" prop:value=assignee.clone()>
                    <option value="" selected=assignee.is_empty()>{t.anyone}</option>
                    <option value="me" selected=assignee == "me">{t.me}</option>
                    <option value="unassigned" selected=assignee == "unassigned">{t.nobody}</option>
                    // GA staff come with the board: one request, and the
                    // page has a single resource to hydrate.
                    <Transition fallback=|| ()>
                        {
                            let assignee = chosen.clone();
                            move || {
                                let assignee = assignee.clone();
                                Suspend::new(async move {
                                    let people = board.await.map(|b| b.assignees).unwrap_or_default();
                                    view! { <PersonOptions people assignee/> }
                                })
                            }
                        }
                    </Transition>
                </select>
            </div>
            <label class="desk-check">
                <input type="checkbox" name="overdue" value="true" checked=overdue == "true" prop:checked=overdue == "true"
                    data-test="filter-overdue"/>
                <span>{t.overdue_only}</span>
            </label>
            <div class="desk-filter-actions">
                <button type="submit" class="btn" data-test="filter-apply">{t.apply}</button>
                {narrowed.then(|| view! {
                    <a class="btn btn-quiet" href="/desk" data-test="filter-clear">{t.clear}</a>
                })}
            </div>
        </Form>
    }
}

/// The people the assignee filter offers; someone named in the address
/// but not offered (no longer on the staff) stays selected.
#[component]
fn PersonOptions(people: Vec<UserRef>, assignee: String) -> impl IntoView {
    let unknown = (!assignee.is_empty()
        && assignee != "me"
        && assignee != "unassigned"
        && !people.iter().any(|p| p.id.to_string() == assignee))
    .then(|| assignee.clone());
    view! {
        {people.into_iter().map(|p| {
            let id = p.id.to_string();
            let selected = assignee == id;
            view! { <option value=id selected=selected>{p.name}</option> }
        }).collect_view()}
        {unknown.map(|id| {
            let label = id.clone();
            view! { <option value=id selected=true>{label}</option> }
        })}
    }
}

/// "waiting 5 h", "3 hari": how long a ticket has been open.
fn waited(t: &DeskT, since: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let minutes = (now - since).num_minutes().max(0);
    match minutes {
        0..=59 => fill(t.minutes, &[&minutes]),
        60..=1439 => fill(t.hours, &[&(minutes / 60)]),
        _ => fill(t.days, &[&(minutes / 1440)]),
    }
}

#[component]
fn BoardCard<R, C>(
    card: BoardCard,
    me: Option<Uuid>,
    busy: RwSignal<bool>,
    run: R,
    begin_complete: C,
) -> impl IntoView
where
    R: Fn(TicketSummary, Command) + Copy + Send + Sync + 'static,
    C: Fn(TicketSummary) + Copy + Send + Sync + 'static,
{
    let t = DeskT::get();
    let BoardCard {
        ticket,
        assignee_id,
        overdue,
    } = card;
    let now = Utc::now();
    let mine = me.is_some() && assignee_id == me;
    let status = ticket.status;
    let open = status != TicketStatus::Completed;
    let href = format!("/tickets/{}", ticket.id);
    let lang = crate::i18n::use_lang();
    let (sla, waiting) = if let Some(due) = ticket.due {
        let (words, class) = crate::ui::components::queue::due_text(lang, due);
        (class, words)
    } else if overdue {
        (
            "sla sla-late",
            fill(t.overdue_for, &[&waited(t, ticket.created_at, now)]),
        )
    } else {
        let class = if (now - ticket.created_at).num_hours() >= 24 {
            "sla sla-soon"
        } else {
            "sla sla-ok"
        };
        (
            class,
            fill(t.waiting, &[&waited(t, ticket.created_at, now)]),
        )
    };
    let assignee = match &ticket.assignee_name {
        Some(name) => fill(t.assigned_to, &[name]),
        None => t.unassigned.to_string(),
    };
    let accept = (status == TicketStatus::Pending).then(|| ticket.clone());
    let take = me
        .filter(|_| open && assignee_id.is_none())
        .map(|me| (ticket.clone(), me));
    let start = (mine && status == TicketStatus::Approved).then(|| ticket.clone());
    let complete = (mine && status == TicketStatus::InProgress).then(|| ticket.clone());
    view! {
        <li class="ticket-card" class:is-overdue=overdue data-test="queue-item"
            data-ticket=ticket.id.to_string() data-version=ticket.version>
            <div class="card-top">
                <a href=href data-test="ticket-number">{ticket.number.clone()}</a>
                <PriorityBadge priority=ticket.priority/>
            </div>
            <p class="card-title" data-test="ticket-title">{ticket.title.clone()}</p>
            <p class="card-meta">
                <span>{ticket.requester_name.clone()}</span>
                " · " <span data-test="card-category">{ticket.category.text()}</span>
            </p>
            <div class="card-bottom">
                <strong class="amount" data-test="ticket-total">{ticket.estimated_total.to_string()}</strong>
                <span class=sla title=t.since_request data-test=if overdue { "overdue" } else { "waiting" }>{waiting}</span>
            </div>
            <p class="card-meta" data-test="card-assignee">{assignee}</p>
            <div class="card-actions">
                {accept.map(|tk| view! {
                    <button class="btn btn-primary" data-test="accept" disabled=move || busy.get()
                        on:click=move |_| run(tk.clone(), Command::Accept)>{Action::Accept.text()}</button>
                })}
                {take.map(|(tk, me)| view! {
                    <button class="btn" data-test="assign-me" disabled=move || busy.get()
                        on:click=move |_| run(tk.clone(), Command::Assign { assignee_id: me })>{t.assign_me}</button>
                })}
                {start.map(|tk| view! {
                    <button class="btn btn-primary" data-test="start" disabled=move || busy.get()
                        on:click=move |_| run(tk.clone(), Command::Start)>{Action::Start.text()}</button>
                })}
                {complete.map(|tk| view! {
                    <button class="btn btn-primary" data-test="complete" disabled=move || busy.get()
                        on:click=move |_| begin_complete(tk.clone())>{Action::Complete.text()}</button>
                })}
            </div>
        </li>
    }
}

/// Four columns of grey cards while the board loads.
#[component]
fn BoardSkeleton() -> impl IntoView {
    let common = Common::get();
    view! {
        <div class="desk desk-board" aria-busy="true" data-test="desk-loading">
            <span class="sr-only" role="status">{common.loading}</span>
            {(0..4).map(|_| view! {
                <div class="desk-column" aria-hidden="true">
                    <div class="skeleton-line"></div>
                    <div class="skeleton-card"></div>
                    <div class="skeleton-card"></div>
                </div>
            }).collect_view()}
        </div>
    }
}

/// The board could not be loaded: why, and the ways out.
#[component]
fn BoardError(error: ApiError, retry: impl Fn() + Send + Sync + 'static) -> impl IntoView {
    let t = DeskT::get();
    let common = Common::get();
    let lang = crate::i18n::use_lang();
    let fields: Vec<String> = error
        .field_errors()
        .map(|f| f.iter().map(|(_, m)| m.render(lang)).collect())
        .unwrap_or_default();
    let bad_filter = !fields.is_empty();
    view! {
        <section class="empty" role="alert" data-test="desk-error">
            <h2>{if bad_filter { t.bad_filter } else { t.load_failed }}</h2>
            <p>{error.localized()}</p>
            {(!fields.is_empty()).then(|| view! {
                <ul class="desk-error-list">
                    {fields.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                </ul>
            })}
            {if bad_filter {
                view! { <a class="btn btn-primary" href="/desk" data-test="filter-clear">{t.clear}</a> }.into_any()
            } else {
                view! {
                    <button class="btn btn-primary" data-test="desk-retry" on:click=move |_| retry()>{common.retry}</button>
                }.into_any()
            }}
        </section>
    }
}

/// The browser's side of the live board: an `EventSource` on the ticket
/// events that reloads the board (at most every 300 ms) and reports how the
/// connection is doing. The browser reconnects by itself after a dropped
/// stream; when it gives up (the server refused, say while restarting) we
/// open a new one a little later. Closed when the page is left.
#[cfg(feature = "hydrate")]
mod live {
    use super::Live;
    use leptos::prelude::*;
    use leptos::wasm_bindgen::closure::Closure;
    use leptos::wasm_bindgen::JsCast;
    use std::cell::{Cell, RefCell};
    use std::collections::HashMap;
    use std::rc::Rc;
    use std::time::Duration;
    use web_sys::EventSource;

    const DEBOUNCE: Duration = Duration::from_millis(300);
    const REOPEN: Duration = Duration::from_secs(5);

    type Handler = Closure<dyn FnMut(web_sys::Event)>;

    struct Stream {
        source: RefCell<Option<EventSource>>,
        handlers: RefCell<Vec<Handler>>,
        stopped: Cell<bool>,
        opened_before: Cell<bool>,
        reload_pending: Cell<bool>,
        status: RwSignal<Live>,
        reload: Box<dyn Fn()>,
    }

    thread_local! {
        // The page's cleanup must be Send; it names its stream by number.
        static STREAMS: RefCell<HashMap<u64, Rc<Stream>>> = RefCell::new(HashMap::new());
        static NEXT: Cell<u64> = const { Cell::new(0) };
    }

    pub fn follow(status: RwSignal<Live>, reload: impl Fn() + 'static) {
        let id = NEXT.with(|n| n.replace(n.get() + 1));
        let stream = Rc::new(Stream {
            source: RefCell::new(None),
            handlers: RefCell::new(Vec::new()),
            stopped: Cell::new(false),
            opened_before: Cell::new(false),
            reload_pending: Cell::new(false),
            status,
            reload: Box::new(reload),
        });
        open(&stream);
        STREAMS.with(|s| s.borrow_mut().insert(id, stream));
        on_cleanup(move || {
            if let Some(stream) = STREAMS.with(|s| s.borrow_mut().remove(&id)) {
                stream.stopped.set(true);
                stream.close();
            }
        });
    }

    impl Stream {
        fn set(&self, live: Live) {
            if !self.stopped.get() {
                self.status.try_set(live);
            }
        }

        fn close(&self) {
            if let Some(source) = self.source.borrow_mut().take() {
                source.set_onopen(None);
                source.set_onmessage(None);
                source.set_onerror(None);
                source.close();
            }
        }

        /// Reloads the board once for a burst of events.
        fn changed(self: &Rc<Self>) {
            if self.reload_pending.replace(true) {
                return;
            }
            let weak = Rc::downgrade(self);
            set_timeout(
                move || {
                    if let Some(s) = weak.upgrade() {
                        s.reload_pending.set(false);
                        if !s.stopped.get() {
                            (s.reload)();
                        }
                    }
                },
                DEBOUNCE,
            );
        }
    }

    fn open(stream: &Rc<Stream>) {
        // Handlers of an earlier source are not running now: drop them.
        stream.handlers.borrow_mut().clear();
        stream.set(Live::Connecting);
        let Ok(source) = EventSource::new(crate::api::queues::TICKET_EVENTS_PATH) else {
            stream.set(Live::Reconnecting);
            return;
        };
        let weak = Rc::downgrade(stream);
        let on_open: Handler = Closure::new({
            let weak = weak.clone();
            move |_| {
                if let Some(s) = weak.upgrade() {
                    s.set(Live::On);
                    // Whatever changed while we were away was not heard.
                    if s.opened_before.replace(true) {
                        s.changed();
                    }
                }
            }
        });
        let on_message: Handler = Closure::new({
            let weak = weak.clone();
            move |_| {
                if let Some(s) = weak.upgrade() {
                    s.changed();
                }
            }
        });
        let on_error: Handler = Closure::new(move |_| {
            let Some(s) = weak.upgrade() else { return };
            s.set(Live::Reconnecting);
            let gave_up = s
                .source
                .borrow()
                .as_ref()
                .is_some_and(|es| es.ready_state() == EventSource::CLOSED);
            if gave_up {
                s.close();
                let weak = Rc::downgrade(&s);
                set_timeout(
                    move || {
                        if let Some(s) = weak.upgrade() {
                            if !s.stopped.get() {
                                open(&s);
                            }
                        }
                    },
                    REOPEN,
                );
            }
        });
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        *stream.source.borrow_mut() = Some(source);
        stream
            .handlers
            .borrow_mut()
            .extend([on_open, on_message, on_error]);
    }
}

crate::texts! {
    DeskT {
        title: "GA desk", "Meja GA";
        live: "● Live", "● Terhubung";
        connecting: "Connecting…", "Menghubungkan…";
        reconnecting: "Reconnecting…", "Menghubungkan ulang…";
        filters: "Filter the board", "Saring papan";
        category: "Category", "Kategori";
        any_category: "All categories", "Semua kategori";
        priority: "Priority", "Prioritas";
        any_priority: "All priorities", "Semua prioritas";
        assignee: "Assignee", "Petugas";
        anyone: "Anyone", "Siapa saja";
        me: "Me", "Saya";
        nobody: "Unassigned", "Belum ditugaskan";
        overdue_only: "Overdue only", "Hanya yang terlambat";
        apply: "Apply", "Terapkan";
        clear: "Clear filters", "Hapus saringan";
        count_label: "{0} tickets", "{0} tiket";
        empty_pending: "No new requests.", "Tidak ada permintaan baru.";
        empty_approved: "Nothing approved is waiting.", "Tidak ada permintaan disetujui yang menunggu.";
        empty_progress: "Nothing in progress.", "Tidak ada yang sedang dikerjakan.";
        empty_completed: "Nothing completed awaits confirmation.", "Tidak ada pekerjaan selesai yang menunggu konfirmasi.";
        empty_filtered: "No ticket here matches the filters.", "Tidak ada tiket di sini yang cocok dengan saringan.";
        more: "{0} more, oldest shown first.", "{0} lagi; yang terlama ditampilkan dulu.";
        waiting: "waiting {0}", "menunggu {0}";
        overdue_for: "overdue, {0}", "terlambat, {0}";
        since_request: "Time since the request was made", "Waktu sejak permintaan dibuat";
        minutes: "{0} min", "{0} mnt";
        hours: "{0} h", "{0} jam";
        days: "{0} d", "{0} hari";
        assigned_to: "Assigned to {0}", "Ditugaskan ke {0}";
        unassigned: "Not assigned yet", "Belum ditugaskan";
        assign_me: "Assign to me", "Tugaskan ke saya";
        done: "{0}: {1}.", "{0}: {1}.";
        changed: "{0} was changed by someone else meanwhile; the board is refreshed.", "{0} telah diubah orang lain; papan sudah diperbarui.";
        failed: "{0}: {1}", "{0}: {1}";
        complete_title: "Complete {0}", "Selesaikan {0}";
        actual_cost: "Actual cost (Rp)", "Biaya sebenarnya (Rp)";
        what_was_done: "What was done? (optional)", "Apa yang dikerjakan? (opsional)";
        bad_filter: "These filters cannot be used", "Saringan ini tidak bisa dipakai";
        load_failed: "The board could not be loaded", "Papan tidak dapat dimuat";
    }
}
