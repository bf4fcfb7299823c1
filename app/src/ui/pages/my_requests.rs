use crate::api::tickets::my_tickets;
use crate::api::ApiError;
use crate::domain::ticket::TicketSummary;
use crate::ui::components::badges::StatusBadge;
use crate::ui::format::date_time;
use leptos::prelude::*;
use leptos_meta::Title;

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
    let first = Resource::new(|| (), |_| my_tickets(None));
    let more = RwSignal::new(Vec::<TicketSummary>::new());
    let cursor = RwSignal::new(None::<Option<String>>);
    let loading = RwSignal::new(false);
    let load_error = RwSignal::new(None::<ApiError>);

    let load_more = move |_| {
        let next = cursor
            .get()
            .flatten()
            .or_else(|| first.get().and_then(|r| r.ok()).and_then(|p| p.next_cursor));
        let Some(next) = next else { return };
        loading.set(true);
        leptos::task::spawn_local(async move {
            match my_tickets(Some(next)).await {
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
        <Suspense fallback=|| view! { <div class="skeleton-table" aria-busy="true">"Loading your requests…"</div> }>
            {move || first.get().map(|result| match result {
                Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
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
