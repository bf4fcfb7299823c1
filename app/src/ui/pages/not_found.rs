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
    let t = NotFoundT::get();
    view! {
        <Title text=t.title/>
        <section class="empty" data-test="not-found">
            <h1>{t.title}</h1>
            <p>{t.text}</p>
            <a class="btn" href="/">{t.back}</a>
        </section>
    }
}

crate::texts! {
    NotFoundT {
        title: "Not found", "Tidak ditemukan";
        text: "This page does not exist, or you do not have access to it.", "Halaman ini tidak ada, atau Anda tidak punya akses ke halaman ini.";
        back: "Back to my requests", "Kembali ke permintaan saya";
    }
}
