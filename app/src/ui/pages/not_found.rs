use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! { <NotFound/> }
}

/// Shown for unknown pages and for tickets the user may not see.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <Title text="Not found"/>
        <section class="empty" data-test="not-found">
            <h1>"Not found"</h1>
            <p>"This page does not exist, or you do not have access to it."</p>
            <a class="btn" href="/">"Back to my requests"</a>
        </section>
    }
}
