use crate::api::tickets::{search_my_tickets, MY_FILTERS, MY_MAX_PAGES};
use crate::api::ApiError;
use crate::domain::page::encode_query_value;
use crate::domain::ticket::TicketSummary;
use crate::i18n::Common;
use crate::i18n::{Localized, Text};
use crate::ui::components::badges::StatusBadge;
use crate::ui::format::date_time;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

#[component]
fn TicketRow(ticket: TicketSummary) -> impl IntoView {
    let href = format!("/tickets/{}", ticket.id);
    view! {
        <tr data-test="ticket-row">
            <td class="c-number nowrap"><a href=href data-test="ticket-number">{ticket.number}</a></td>
            <td class="c-title" data-test="ticket-title">{ticket.title}</td>
            <td class="c-category">{ticket.category.text()}</td>
            <td class="c-status"><StatusBadge status=ticket.status/></td>
            <td class="c-total num nowrap" data-test="ticket-total">{ticket.estimated_total.to_string()}</td>
            <td class="c-created nowrap muted">{date_time(ticket.created_at)}</td>
        </tr>
    }
}

/// Grey rows shaped like the list, while it loads.
#[component]
pub fn ListSkeleton(
    #[prop(into)] label: String,
    #[prop(default = 6)] rows: usize,
) -> impl IntoView {
    view! {
        <div class="skeleton skeleton-list" aria-busy="true" role="status" data-test="skeleton">
            <span class="sr-only">{label}</span>
            {(0..rows).map(|i| view! {
                <div class="skeleton-row" aria-hidden="true">
                    <span class="skeleton-bar"></span>
                    <span class="skeleton-bar" class:short=i % 2 == 1></span>
                    <span class="skeleton-bar short hide-narrow"></span>
                    <span class="skeleton-bar pill"></span>
                    <span class="skeleton-bar hide-narrow"></span>
                    <span class="skeleton-bar hide-narrow"></span>
                </div>
            }).collect_view()}
        </div>
    }
}

fn chip_label(t: &MyRequestsT, key: &str) -> &'static str {
    match key {
        "open" => t.chip_open,
        "waiting" => t.chip_waiting,
        "done" => t.chip_done,
        "closed" => t.chip_closed,
        _ => t.chip_all,
    }
}

/// The address of this list: search, chip and how many pages are shown.
fn address(q: &str, status: &str, pages: u32) -> String {
    let mut parts = Vec::new();
    if !q.trim().is_empty() {
        parts.push(format!("q={}", encode_query_value(q.trim())));
    }
    if !status.is_empty() {
        parts.push(format!("status={}", encode_query_value(status)));
    }
    if pages > 1 {
        parts.push(format!("pages={pages}"));
    }
    if parts.is_empty() {
        "/".to_string()
    } else {
        format!("/?{}", parts.join("&"))
    }
}

#[component]
pub fn MyRequestsPage() -> impl IntoView {
    let t = MyRequestsT::get();
    let c = Common::get();
    let query = use_query_map();
    let navigate = use_navigate();
    let filters = Memo::new(move |_| {
        let q = query.read();
        (
            q.get("q").unwrap_or_default(),
            q.get("status").unwrap_or_default(),
        )
    });
    // Position on back navigation: the number of pages shown is kept in the
    // address (`?pages=3`, replaced without a new history entry or a jump).
    // Coming back to that address, the server (or the browser, after a
    // client-side Back) loads the same rows in one call, so the list is as
    // long as it was and the scroll position can be put back. A store in a
    // context would lose the rows on a reload or when the browser discards
    // the page; the address survives both and can be shared.
    let pages_in_address = move || {
        query.with_untracked(|q| {
            q.get("pages")
                .and_then(|p| p.parse::<u32>().ok())
                .unwrap_or(1)
                .clamp(1, MY_MAX_PAGES)
        })
    };
    // Only the search and the chip refetch: "Load more" changes `pages` in
    // the address, and its rows are appended here without reloading the rest.
    let first = Resource::new(
        move || filters.get(),
        move |(q, status)| search_my_tickets(q, status, None, Some(pages_in_address())),
    );
    let more = RwSignal::new(Vec::<TicketSummary>::new());
    let cursor = RwSignal::new(None::<Option<String>>);
    let shown_pages = RwSignal::new(pages_in_address());
    let loading = RwSignal::new(false);
    let load_error = RwSignal::new(None::<ApiError>);
    // Another search or chip starts again from the first page.
    Effect::new(move |_| {
        filters.track();
        more.set(Vec::new());
        cursor.set(None);
        load_error.set(None);
        shown_pages.set(pages_in_address());
    });
    let filtered = move || {
        let (q, status) = filters.get();
        !q.trim().is_empty() || !status.is_empty()
    };

    #[cfg(feature = "hydrate")]
    {
        scroll_memory::remember_on_click();
        Effect::new(move |_| {
            if matches!(first.get(), Some(Ok(_))) {
                scroll_memory::restore();
            }
        });
    }

    let load_more = move || {
        let next = cursor.get_untracked().flatten().or_else(|| {
            first
                .get_untracked()
                .and_then(|r| r.ok())
                .and_then(|p| p.next_cursor)
        });
        let Some(next) = next else { return };
        loading.set(true);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let (q, status) = filters.get_untracked();
            match search_my_tickets(q.clone(), status.clone(), Some(next), None).await {
                Ok(page) => {
                    more.update(|m| m.extend(page.items));
                    cursor.set(Some(page.next_cursor));
                    load_error.set(None);
                    shown_pages.update(|p| *p += 1);
                    let pages = shown_pages.get_untracked().min(MY_MAX_PAGES);
                    navigate(
                        &address(&q, &status, pages),
                        NavigateOptions {
                            replace: true,
                            scroll: false,
                            ..Default::default()
                        },
                    );
                }
                Err(e) => load_error.set(Some(e)),
            }
            loading.set(false);
        });
    };
    let load_more = StoredValue::new(load_more);

    view! {
        <Title text=c.my_requests/>
        <div class="page-head">
            <h1>{c.my_requests}</h1>
            <a class="btn btn-primary" href="/tickets/new" data-test="new-ticket">{c.new_request}</a>
        </div>
        <Form method="GET" action="/" attr:class="search-row" attr:role="search">
            <label for="my-q" class="sr-only">{t.search_label}</label>
            <input id="my-q" type="search" name="q" placeholder=t.search_placeholder
                prop:value=move || filters.get().0 data-test="my-search"/>
            {move || {
                let status = filters.get().1;
                (!status.is_empty()).then(|| view! { <input type="hidden" name="status" value=status/> })
            }}
            <button type="submit" class="btn" data-test="my-search-submit">{c.search}</button>
        </Form>
        <ul class="chips" aria-label=t.chips_label>
            {MY_FILTERS.iter().map(|(key, _)| {
                let key = *key;
                let href = move || address(&filters.get().0, key, 1);
                view! {
                    <li><a class="chip" href=href data-test=format!("chip-{}", if key.is_empty() { "all" } else { key })
                        aria-current=move || (filters.get().1 == key).then_some("page")>{chip_label(t, key)}</a></li>
                }
            }).collect_view()}
        </ul>
        <Suspense fallback=move || view! { <ListSkeleton label=t.loading/> }>
            {move || first.get().map(|result| match result {
                Err(e) => view! {
                    <section class="empty" role="alert" data-test="list-error">
                        <h2>{t.load_failed}</h2>
                        <p>{e.localized()}</p>
                        <button type="button" class="btn" data-test="retry" on:click=move |_| first.refetch()>
                            {c.retry}
                        </button>
                    </section>
                }.into_any(),
                Ok(page) if page.items.is_empty() && filtered() => view! {
                    <section class="empty" data-test="empty-search">
                        <h2>{t.nothing_matches}</h2>
                        <p>{t.nothing_matches_text}</p>
                        <a class="btn" href="/">{t.show_all}</a>
                    </section>
                }.into_any(),
                Ok(page) if page.items.is_empty() => view! {
                    <section class="empty" data-test="empty-requests">
                        <h2>{t.empty_title}</h2>
                        <p>{t.empty_text}</p>
                        <a class="btn btn-primary" href="/tickets/new">{t.first_request}</a>
                    </section>
                }.into_any(),
                Ok(page) => {
                    let has_more = move || match cursor.get() {
                        Some(c) => c.is_some(),
                        None => page.next_cursor.is_some(),
                    };
                    view! {
                        <div class="table-wrap">
                            <table class="tickets" data-test="my-tickets">
                                <thead>
                                    <tr>
                                        <th scope="col">{t.number}</th>
                                        <th scope="col">{t.title}</th>
                                        <th scope="col">{t.category}</th>
                                        <th scope="col">{t.status}</th>
                                        <th scope="col" class="num">{t.total}</th>
                                        <th scope="col">{t.created}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {page.items.into_iter().map(|row| view! { <TicketRow ticket=row/> }).collect_view()}
                                    <For each=move || more.get() key=|row| row.id let:row>
                                        <TicketRow ticket=row/>
                                    </For>
                                </tbody>
                            </table>
                        </div>
                        {move || load_error.get().map(|e| view! {
                            <div class="form-error inline" role="alert" data-test="load-more-error">
                                <span>{e.localized()}</span>
                                <button type="button" class="btn" data-test="load-more-retry"
                                    on:click=move |_| load_more.with_value(|f| f())>{c.retry}</button>
                            </div>
                        })}
                        <Show when=has_more>
                            <div class="load-more">
                                <button class="btn" on:click=move |_| load_more.with_value(|f| f()) data-test="load-more"
                                    disabled=move || loading.get() aria-busy=move || loading.get().to_string()>
                                    {move || if loading.get() { c.loading } else { c.load_more }}
                                </button>
                            </div>
                        </Show>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

/// Puts the reader back where they were when they return with Back. The
/// list loads after the route changes, too late for the browser's own
/// scroll restoration, so the position is kept in the history entry itself
/// (only Back or Forward to that entry finds it; a fresh visit does not).
#[cfg(feature = "hydrate")]
mod scroll_memory {
    use leptos::prelude::*;
    use web_sys::js_sys::{Object, Reflect};
    use web_sys::wasm_bindgen::closure::Closure;
    use web_sys::wasm_bindgen::{JsCast, JsValue};

    const KEY: &str = "gadeskScrollY";

    thread_local! {
        static LISTENING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    /// Saves the scroll position into the current history entry on every
    /// click on the list page, in the capture phase: before the router
    /// handles a link and pushes the next entry.
    pub fn remember_on_click() {
        if LISTENING.with(|l| l.replace(true)) {
            return;
        }
        let save = Closure::<dyn Fn()>::new(|| {
            let w = window();
            if w.location().pathname().ok().as_deref() != Some("/") {
                return;
            }
            let (Ok(y), Ok(history)) = (w.scroll_y(), w.history()) else {
                return;
            };
            let state = Object::new();
            let _ = Reflect::set(&state, &JsValue::from_str(KEY), &JsValue::from_f64(y));
            let _ = history.replace_state(&state, "");
        });
        let _ = window().add_event_listener_with_callback_and_bool(
            "click",
            save.as_ref().unchecked_ref(),
            true,
        );
        // One listener for the life of the page.
        save.forget();
    }

    /// Scrolls to the position saved in this history entry, once the rows
    /// are on screen. The saved position is used once: a later refetch
    /// (Try again) must not jump.
    pub fn restore() {
        let Ok(history) = window().history() else {
            return;
        };
        let y = history
            .state()
            .ok()
            .and_then(|s| Reflect::get(&s, &JsValue::from_str(KEY)).ok())
            .and_then(|v| v.as_f64());
        let Some(y) = y.filter(|y| *y > 0.0) else {
            return;
        };
        let _ = history.replace_state(&JsValue::NULL, "");
        request_animation_frame(move || {
            request_animation_frame(move || window().scroll_to_with_x_and_y(0.0, y));
        });
    }
}

crate::texts! {
    MyRequestsT {
        search_label: "Search my requests", "Cari permintaan saya";
        search_placeholder: "Search by number, title or item", "Cari nomor, judul, atau barang";
        chips_label: "Show", "Tampilkan";
        chip_all: "All", "Semua";
        chip_open: "Open", "Terbuka";
        chip_waiting: "Waiting for approval", "Menunggu persetujuan";
        chip_done: "Done, to confirm", "Selesai, perlu konfirmasi";
        chip_closed: "Closed or rejected", "Ditutup atau ditolak";
        loading: "Loading your requests…", "Memuat permintaan Anda…";
        load_failed: "Your requests could not be loaded", "Permintaan Anda gagal dimuat";
        nothing_matches: "Nothing matches", "Tidak ada yang cocok";
        nothing_matches_text: "No request of yours matches this search or status.", "Tidak ada permintaan Anda yang cocok dengan pencarian atau status ini.";
        show_all: "Show all my requests", "Tampilkan semua permintaan saya";
        empty_title: "No requests yet", "Belum ada permintaan";
        empty_text: "Need paper, a repair, coffee for the pantry or a meeting room? Ask General Affairs here and follow it to the end.", "Butuh kertas, perbaikan, kopi untuk pantry, atau ruang rapat? Ajukan ke General Affairs di sini dan pantau sampai selesai.";
        first_request: "Make your first request", "Buat permintaan pertama Anda";
        number: "Number", "Nomor";
        title: "Title", "Judul";
        category: "Category", "Kategori";
        status: "Status", "Status";
        total: "Total", "Total";
        created: "Created", "Dibuat";
    }
}
