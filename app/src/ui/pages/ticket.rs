use crate::api::tickets::get_ticket;
use crate::api::ApiError;
use crate::domain::ticket::TicketDetail;
use crate::ui::components::badges::{PriorityBadge, StatusBadge};
use crate::ui::format::date_time;
use crate::ui::pages::not_found::NotFound;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

#[component]
pub fn TicketPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| Uuid::parse_str(&s).ok())
    };
    let ticket = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_ticket(id).await,
            None => Err(ApiError::NotFound),
        }
    });

    view! {
        <Suspense fallback=|| view! { <div class="skeleton-card" aria-busy="true">"Loading ticket…"</div> }>
            {move || ticket.get().map(|result| match result {
                Ok(t) => view! { <TicketView ticket=t/> }.into_any(),
                Err(ApiError::NotFound) => {
                    #[cfg(feature = "ssr")]
                    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                        response.set_status(http::StatusCode::NOT_FOUND);
                    }
                    view! { <NotFound/> }.into_any()
                }
                Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn TicketView(ticket: TicketDetail) -> impl IntoView {
    let t = ticket;
    view! {
        <Title text=format!("{} {}", t.number, t.title)/>
        <article class="ticket" data-test="ticket">
            <header class="ticket-head">
                <div>
                    <p class="ticket-number" data-test="ticket-number">{t.number.clone()}</p>
                    <h1 data-test="ticket-title">{t.title.clone()}</h1>
                </div>
                <StatusBadge status=t.status/>
            </header>
            <dl class="facts">
                <div><dt>"Category"</dt><dd data-test="ticket-category">{t.category.label()}</dd></div>
                <div><dt>"Priority"</dt><dd><PriorityBadge priority=t.priority/></dd></div>
                <div><dt>"Location"</dt><dd data-test="ticket-location">{t.location.clone()}</dd></div>
                <div><dt>"Requester"</dt><dd data-test="ticket-requester">{t.requester.name.clone()}</dd></div>
                <div><dt>"Assignee"</dt><dd>{t.assignee.as_ref().map(|a| a.name.clone()).unwrap_or_else(|| "Not assigned yet".into())}</dd></div>
                <div><dt>"Created"</dt><dd>{date_time(t.created_at)}</dd></div>
                <div><dt>"Last update"</dt><dd>{date_time(t.updated_at)}</dd></div>
                {t.resolution.map(|r| view! { <div><dt>"Resolution"</dt><dd>{r.label()}</dd></div> })}
            </dl>
            {(!t.description.is_empty()).then(|| view! {
                <section class="card">
                    <h2>"Description"</h2>
                    <p class="prewrap" data-test="ticket-description">{t.description.clone()}</p>
                </section>
            })}
            <section class="card">
                <h2>"Items"</h2>
                <div class="table-wrap">
                    <table class="items-table" data-test="ticket-items">
                        <thead>
                            <tr>
                                <th scope="col">"#"</th>
                                <th scope="col">"Item"</th>
                                <th scope="col" class="num">"Qty"</th>
                                <th scope="col">"Unit"</th>
                                <th scope="col" class="num">"Unit price"</th>
                                <th scope="col" class="num">"Subtotal"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {t.items.iter().map(|i| view! {
                                <tr data-test="item">
                                    <td class="c-line">{i.line_no}</td>
                                    <td class="c-name" data-test="item-name">{i.name.clone()}</td>
                                    <td class="c-qty num">{i.quantity}</td>
                                    <td class="c-unit">{i.unit.clone()}</td>
                                    <td class="c-price num">{i.unit_price.to_string()}</td>
                                    <td class="c-subtotal num" data-test="item-subtotal">{i.line_total.to_string()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                        <tfoot>
                            <tr>
                                <th scope="row" colspan="5">"Estimated total"</th>
                                <td class="num"><strong data-test="ticket-total">{t.estimated_total.to_string()}</strong></td>
                            </tr>
                            {t.actual_total.map(|a| view! {
                                <tr>
                                    <th scope="row" colspan="5">"Actual cost"</th>
                                    <td class="num" data-test="ticket-actual">{a.to_string()}</td>
                                </tr>
                            })}
                        </tfoot>
                    </table>
                </div>
            </section>
            <p><a href="/">"← Back to my requests"</a></p>
        </article>
    }
}
