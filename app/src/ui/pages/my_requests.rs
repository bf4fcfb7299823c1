use crate::api::tickets::{search_my_tickets, MY_FILTERS};
use crate::api::ApiError;
use crate::domain::ticket::TicketSummary;
use crate::ui::components::badges::StatusBadge;
use crate::ui::format::date_time;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[component]
fn TicketRow(ticket: TicketSummary) -> impl IntoView {
    let href = format!("/tickets/{}", ticket.id);
    view! {
        <tr data-test="ticket-row">
            <td class="c-number nowrap"><a href=href data-test="ticket-number">{ticket.number}</a></td>
            <td class="c-title" data-test="ticket-title">{ticket.title}</td>
            <td class="c-category">{ticket.category.label()}</td>
            <td class="c-status"><StatusBadge status=ticket.status/></td>
            <td class="c-total num nowrap" data-test="ticket-total">{ticket.estimated_total.to_string()}</td>
            <td class="c-created nowrap muted">{date_time(ticket.created_at)}</td>
        </tr>
    }
}

#[component]
pub fn MyRequestsPage() -> impl IntoView {
    let query = use_query_map();
    let filters = Memo::new(move |_| {
        let q = query.read();
        (
            q.get("q").unwrap_or_default(),
            q.get("status").unwrap_or_default(),
        )
    });
    let first = Resource::new(
        move || filters.get(),
        |(q, status)| search_my_tickets(q, status, None),
    );
    let more = RwSignal::new(Vec::<TicketSummary>::new());
    let cursor = RwSignal::new(None::<Option<String>>);
    let loading = RwSignal::new(false);
    let load_error = RwSignal::new(None::<ApiError>);
    // Another search or chip starts again from the first page.
    Effect::new(move |_| {
        filters.track();
        more.set(Vec::new());
        cursor.set(None);
    });
    let filtered = move || {
        let (q, status) = filters.get();
        !q.trim().is_empty() || !status.is_empty()
    };

    let load_more = move |_| {
        let next = cursor
            .get()
            .flatten()
            .or_else(|| first.get().and_then(|r| r.ok()).and_then(|p| p.next_cursor));
        let Some(next) = next else { return };
        loading.set(true);
        leptos::task::spawn_local(async move {
            let (q, status) = filters.get_untracked();
            match search_my_tickets(q, status, Some(next)).await {
                Ok(page) => {
                    more.update(|m| m.extend(page.items));
                    cursor.set(Some(page.next_cursor));
                    load_error.set(None);
                }
                Err(e) => load_error.set(Some(e)),
            }
            loading.set(false);
        });
    };

    view! {
        <Title text="My requests"/>
        <div class="page-head">
            <h1>"My requests"</h1>
            <a class="btn btn-primary" href="/tickets/new" data-test="new-ticket">"New request"</a>
        </div>
        <Form method="GET" action="/" attr:class="search-row" attr:role="search">
            <label for="my-q" class="sr-only">"Search my requests"</label>
            <input id="my-q" type="search" name="q" placeholder="Search by number, title or item"
                prop:value=move || filters.get().0 data-test="my-search"/>
            {move || {
                let status = filters.get().1;
                (!status.is_empty()).then(|| view! { <input type="hidden" name="status" value=status/> })
            }}
            <button type="submit" class="btn" data-test="my-search-submit">"Search"</button>
        </Form>
        <ul class="chips" aria-label="Show">
            {MY_FILTERS.iter().map(|(key, label, _)| {
                let key = *key;
                let href = move || {
                    let q = filters.get().0;
                    let mut parts = Vec::new();
                    if !q.trim().is_empty() {
                        parts.push(format!("q={}", crate::domain::page::encode_query_value(q.trim())));
                    }
                    if !key.is_empty() {
                        parts.push(format!("status={key}"));
                    }
                    if parts.is_empty() { "/".to_string() } else { format!("/?{}", parts.join("&")) }
                };
                view! {
                    <li><a class="chip" href=href data-test=format!("chip-{}", if key.is_empty() { "all" } else { key })
                        aria-current=move || (filters.get().1 == key).then_some("page")>{*label}</a></li>
                }
            }).collect_view()}
        </ul>
        <Suspense fallback=|| view! { <div class="skeleton-table" aria-busy="true">"Loading your requests…"</div> }>
            {move || first.get().map(|result| match result {
                Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                Ok(page) if page.items.is_empty() && filtered() => view! {
                    <section class="empty" data-test="empty-search">
                        <h2>"Nothing matches"</h2>
                        <p>"No request of yours matches this search or status."</p>
                        <a class="btn" href="/">"Show all my requests"</a>
                    </section>
                }.into_any(),
                Ok(page) if page.items.is_empty() => view! {
                    <section class="empty" data-test="empty-requests">
                        <h2>"No requests yet"</h2>
                        <p>"Need paper, a repair, coffee for the pantry or a meeting room? Ask General Affairs here and follow it to the end."</p>
                        <a class="btn btn-primary" href="/tickets/new">"Make your first request"</a>
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
                                        <th scope="col">"Number"</th>
                                        <th scope="col">"Title"</th>
                                        <th scope="col">"Category"</th>
                                        <th scope="col">"Status"</th>
                                        <th scope="col" class="num">"Total"</th>
                                        <th scope="col">"Created"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {page.items.into_iter().map(|t| view! { <TicketRow ticket=t/> }).collect_view()}
                                    <For each=move || more.get() key=|t| t.id let:t>
                                        <TicketRow ticket=t/>
                                    </For>
                                </tbody>
                            </table>
                        </div>
                        {move || load_error.get().map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
                        <Show when=has_more>
                            <div class="load-more">
                                <button class="btn" on:click=load_more data-test="load-more"
                                    disabled=move || loading.get()>
                                    {move || if loading.get() { "Loading…" } else { "Load more" }}
                                </button>
                            </div>
                        </Show>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}
