//! Pages and components. One page per file under `pages/`.

mod components;
pub mod format;
mod pages;

use crate::api::auth::current_user;
use crate::domain::Actor;
use components::layout::Layout;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};
use pages::{
    account::PasswordPage,
    admin::{AdminSettingsPage, AdminUsersPage, SecurityLogPage},
    approvals::ApprovalsPage,
    asset::AssetPage,
    assets::AssetsPage,
    away::AwayPage,
    bookings::{BookingsPage, DoorPage, WeekPage},
    calendar::ServiceLevelsPage,
    desk::DeskPage,
    login::LoginPage,
    my_requests::MyRequestsPage,
    new_ticket::NewTicketPage,
    not_found::NotFoundPage,
    notifications::{AdminNotificationsPage, NotificationSettingsPage},
    reports::ReportsPage,
    stock::StockPage,
    ticket::TicketPage,
};

/// The HTML document around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // The HTTP edge provides the language, time zone and CSP nonce.
    let lang = crate::i18n::use_lang();
    let zone = crate::i18n::use_zone();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code() data-tz=zone.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <link rel="icon" type="image/svg+xml" href="/favicon.svg"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Who is signed in, shared with every page.
#[derive(Clone, Copy)]
pub struct CurrentUser(pub Resource<Option<Actor>>);

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // On the server these come from the request; in the browser from what
    // the server wrote on `<html>`.
    provide_context(crate::i18n::use_lang());
    provide_context(crate::i18n::use_zone());
    let user = Resource::new_blocking(|| (), |_| async { current_user().await.ok().flatten() });
    provide_context(CurrentUser(user));

    // Lets tests (and people debugging) know when the page became interactive.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <Stylesheet id="leptos" href="/pkg/gadesk.css"/>
        <Title formatter=|text: String| if text.is_empty() { "GA Desk".to_string() } else { format!("{text} · GA Desk") }/>
        <Router>
            <Layout>
                // Async rendering sends each page complete: it reads without
                // WASM, and a missing ticket can still answer 404.
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/") view=MyRequestsPage ssr=SsrMode::Async/>
                    <Route path=path!("/tickets/new") view=NewTicketPage ssr=SsrMode::Async/>
                    <Route path=path!("/tickets/:id") view=TicketPage ssr=SsrMode::Async/>
                    <Route path=path!("/approvals") view=ApprovalsPage ssr=SsrMode::Async/>
                    <Route path=path!("/bookings") view=BookingsPage ssr=SsrMode::Async/>
                    <Route path=path!("/bookings/week") view=WeekPage ssr=SsrMode::Async/>
                    <Route path=path!("/rooms/:id/check-in") view=DoorPage ssr=SsrMode::Async/>
                    <Route path=path!("/desk") view=DeskPage ssr=SsrMode::Async/>
                    <Route path=path!("/assets") view=AssetsPage ssr=SsrMode::Async/>
                    <Route path=path!("/assets/:id") view=AssetPage ssr=SsrMode::Async/>
                    <Route path=path!("/stock") view=StockPage ssr=SsrMode::Async/>
                    <Route path=path!("/reports") view=ReportsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/users") view=AdminUsersPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/settings") view=AdminSettingsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/security") view=SecurityLogPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/notifications") view=AdminNotificationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/service-levels") view=ServiceLevelsPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/password") view=PasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/notifications") view=NotificationSettingsPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/away") view=AwayPage ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}
