use crate::api::auth::Logout;
use crate::ui::CurrentUser;
use leptos::prelude::*;
use leptos_router::components::A;

/// Header with navigation and the signed-in user, around every page.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let CurrentUser(user) = expect_context::<CurrentUser>();
    let logout = ServerAction::<Logout>::new();

    // After signing out, load the sign-in page afresh so no state survives.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(Ok(())) = logout.value().get() {
            let _ = window().location().set_href("/login");
        }
    });

    view! {
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
                                <nav class="mainnav" aria-label="Main">
                                    <A href="/" exact=true>"My requests"</A>
                                    <A href="/tickets/new">"New request"</A>
                                </nav>
                                <div class="whoami">
                                    <span class="who" data-test="current-user">
                                        <strong>{actor.name.clone()}</strong>
                                        <small>{actor.role.label()}</small>
                                    </span>
                                    <ActionForm action=logout>
                                        <button type="submit" class="btn btn-quiet" data-test="logout">
                                            "Sign out"
                                        </button>
                                    </ActionForm>
                                </div>
                            }
                        })
                }}
            </Transition>
        </header>
        <main class="content">{children()}</main>
    }
}
