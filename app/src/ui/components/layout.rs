use crate::api::auth::Logout;
use crate::api::queues::{mark_notifications_read, notifications};
use crate::domain::{Actor, Permission};
use crate::i18n::Text;
use crate::i18n::{fill, use_lang, use_zone, Common, Lang, Zone};
use crate::ui::format::date_time;
use crate::ui::CurrentUser;
use leptos::prelude::*;
use leptos_router::components::A;

/// Header with navigation and the signed-in user, around every page.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let CurrentUser(user) = expect_context::<CurrentUser>();
    let logout = ServerAction::<Logout>::new();
    let t = Common::get();
    // Created once, here, not inside the Transition below: its closure runs
    // more than once while the server renders, and a resource made on each
    // run shifts the numbers that match server data to browser resources,
    // so the page would hydrate against data fetched again and differing.
    // For people who may not see them these answer an error at once.
    let header = HeaderData {
        inbox: Resource::new(|| (), |_| notifications()),
        low_stock: Resource::new(|| (), |_| crate::api::inventory::low_stock_count()),
    };

    // After signing out, load the sign-in page afresh so no state survives.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(Ok(())) = logout.value().get() {
            let _ = window().location().set_href("/login");
        }
    });

    view! {
        <a class="skip-link" href="#content" on:click=skip_to_content>{t.skip_to_content}</a>
        <header class="topbar">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"GA"</span>
                <span class="brand-name">"GA Desk"</span>
            </a>
            <Transition fallback=|| ()>
                {move || {
                    user.get()
                        .flatten()
                        .map(|actor| {
                            view! {
                                <Nav actor=actor.clone() low=header.low_stock/>
                                <div class="whoami">
                                    <Bell inbox=header.inbox/>
                                    <a class="who" href="/account/password" data-test="current-user" title=t.change_password>
                                        <strong>{actor.name.clone()}</strong>
                                        <small>{actor.role.text()}</small>
                                    </a>
                                    <ActionForm action=logout>
                                        <button type="submit" class="btn btn-quiet" data-test="logout">
                                            {t.sign_out}
                                        </button>
                                    </ActionForm>
                                </div>
                            }
                        })
                }}
            </Transition>
            <LanguageSwitch/>
        </header>
        <main class="content" id="content" tabindex="-1">{children()}</main>
    }
}

/// The router takes over in-page links, so the skip link moves the focus
/// itself (without WASM the browser follows `#content`).
fn skip_to_content(ev: leptos::ev::MouseEvent) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        if let Some(main) = document()
            .get_element_by_id("content")
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            ev.prevent_default();
            let _ = main.focus();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ev;
}

/// What the header shows besides the user: notifications and low stock.
#[derive(Clone, Copy)]
struct HeaderData {
    inbox: Resource<Result<crate::api::queues::Inbox, crate::api::ApiError>>,
    low_stock: Resource<Result<i64, crate::api::ApiError>>,
}

#[component]
fn Nav(actor: Actor, low: Resource<Result<i64, crate::api::ApiError>>) -> impl IntoView {
    let t = Common::get();
    view! {
        <nav class="mainnav" aria-label=t.main_nav>
            <A href="/" exact=true>{t.my_requests}</A>
            <A href="/tickets/new">{t.new_request}</A>
            <A href="/bookings">{t.bookings}</A>
            {actor.can(Permission::TicketsApprove).then(|| view! { <A href="/approvals">{t.approvals}</A> })}
            {actor.can(Permission::TicketsFulfil).then(|| view! { <A href="/desk">{t.desk}</A> })}
            {if actor.can(Permission::AssetsManage) {
                view! {
                    <A href="/assets">{t.assets}</A>
                    <StockLink low/>
                }.into_any()
            } else {
                view! { <a href="/assets?mine=true">{t.my_assets}</a> }.into_any()
            }}
            {actor.can(Permission::ReportsRead).then(|| view! { <A href="/reports">{t.reports}</A> })}
            {actor.can(Permission::UsersManage).then(|| view! { <A href="/admin/users">{t.admin}</A> })}
        </nav>
    }
}

/// Two buttons that post the choice to `/prefs`, which keeps it in a cookie
/// and sends the browser back to the same address: works without WASM, and
/// every text on the page changes at once.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let lang = use_lang();
    let t = Common::get();
    let location = leptos_router::hooks::use_location();
    let back = move || here(&location);
    view! {
        <form class="lang-switch" method="post" action="/prefs" data-test="lang-switch">
            <input type="hidden" name="back" value=back/>
            <span class="sr-only">{t.language}</span>
            {Lang::ALL.into_iter().map(|l| view! {
                <button type="submit" name="lang" value=l.code() class="lang-option"
                    aria-pressed=if l == lang { "true" } else { "false" }
                    lang=l.code() title=l.native_name() data-test=format!("lang-{}", l.code())>
                    {l.code().to_uppercase()}
                </button>
            }).collect_view()}
        </form>
    }
}

/// "Stock" with a badge counting the items at or below their reorder level.
#[component]
fn StockLink(low: Resource<Result<i64, crate::api::ApiError>>) -> impl IntoView {
    let t = Common::get();
    view! {
        <A href="/stock">
            {t.stock}
            <Transition fallback=|| ()>
                {move || low.get().and_then(Result::ok).filter(|n| *n > 0).map(|n| view! {
                    <span class="nav-count" data-test="low-stock-count" title=t.low_stock_title>
                        {n}<span class="sr-only">{t.low}</span>
                    </span>
                })}
            </Transition>
        </A>
    }
}

/// Notifications: a disclosure that works without JavaScript; opening it
/// marks everything read.
#[component]
fn Bell(inbox: Resource<Result<crate::api::queues::Inbox, crate::api::ApiError>>) -> impl IntoView {
    let t = Common::get();
    let lang = use_lang();
    let opened = move |_| {
        leptos::task::spawn_local(async move {
            if mark_notifications_read().await.is_ok() {
                inbox.refetch();
            }
        });
    };
    view! {
        <Transition fallback=|| ()>
            {move || inbox.get().and_then(Result::ok).map(|inbox| {
                let unread = inbox.unread;
                let label = if unread == 0 { t.notifications.to_string() } else { fill(t.notifications_unread, &[&unread]) };
                view! {
                    <details class="bell" data-test="bell" on:toggle=opened>
                        <summary aria-label=label>
                            <svg class="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                                <path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"/>
                            </svg>
                            {(unread > 0).then(|| view! { <span class="bell-count" data-test="bell-count">{unread}</span> })}
                        </summary>
                        <div class="bell-panel">
                            {inbox.items.is_empty().then(|| view! { <p class="muted">{t.nothing_new}</p> })}
                            <ul class="plain-list">
                                {inbox.items.into_iter().map(|n| {
                                    let href = n.ticket_id.map(|id| format!("/tickets/{id}")).unwrap_or_else(|| {
                                        if n.notice.code().starts_with("booking_") { "/bookings".into() } else { "/".into() }
                                    });
                                    view! {
                                        <li class:unread=!n.read data-test="notification">
                                            <a href=href>{n.notice.render(lang)}</a>
                                            <div class="muted small">{date_time(n.at)}</div>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                            <p class="bell-foot small">
                                <a href="/account/notifications" data-test="notification-settings-link">{t.notification_settings}</a>
                            </p>
                        </div>
                    </details>
                }
            })}
        </Transition>
    }
}

/// The current address, for forms that send the browser back to it. The
/// router's `search` has no leading `?`.
fn here(location: &leptos_router::location::Location) -> String {
    let search = location.search.get();
    if search.is_empty() {
        location.pathname.get()
    } else {
        format!(
            "{}?{}",
            location.pathname.get(),
            search.trim_start_matches('?')
        )
    }
}

/// The time zone dates are shown in, kept in a cookie like the language.
/// A plain form so it works without WASM.
#[component]
pub fn ZonePicker() -> impl IntoView {
    let t = ZoneT::get();
    let current = use_zone();
    let location = leptos_router::hooks::use_location();
    let back = move || here(&location);
    view! {
        <form class="form zone-form" method="post" action="/prefs" data-test="zone-picker">
            <input type="hidden" name="back" value=back/>
            <fieldset>
                <legend>{t.title}</legend>
                <p class="muted">{t.hint}</p>
                {Zone::ALL.into_iter().map(|z| {
                    let label = match z {
                        Zone::Wib => t.wib,
                        Zone::Wita => t.wita,
                        Zone::Wit => t.wit,
                    };
                    view! {
                        <label class="radio">
                            <input type="radio" name="tz" value=z.code() checked=z == current data-test=format!("tz-{}", z.abbreviation())/>
                            {label}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <div class="actions">
                <button type="submit" class="btn btn-primary" data-test="tz-save">{t.save}</button>
            </div>
        </form>
    }
}

crate::texts! {
    ZoneT {
        title: "Time zone", "Zona waktu";
        hint: "Dates and times are shown in this zone.", "Tanggal dan jam ditampilkan dalam zona ini.";
        wib: "WIB — Western Indonesia (Jakarta, UTC+7)", "WIB — Waktu Indonesia Barat (Jakarta, UTC+7)";
        wita: "WITA — Central Indonesia (Makassar, Bali, UTC+8)", "WITA — Waktu Indonesia Tengah (Makassar, Bali, UTC+8)";
        wit: "WIT — Eastern Indonesia (Jayapura, UTC+9)", "WIT — Waktu Indonesia Timur (Jayapura, UTC+9)";
        save: "Save time zone", "Simpan zona waktu";
    }
}
