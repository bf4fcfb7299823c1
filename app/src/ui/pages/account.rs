//! The signed-in person's own account: changing the password.

use crate::api::auth::change_password;
use crate::api::ApiError;
use crate::domain::FieldErrors;
use crate::ui::components::field::FieldError;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn PasswordPage() -> impl IntoView {
    let query = use_query_map();
    let required = move || query.read().get("required").is_some();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::new());
    let done = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if new.get() != repeat.get() {
            errors.set(FieldErrors::single(
                "repeat",
                "The two new passwords differ.",
            ));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let r = change_password(current.get_untracked(), new.get_untracked()).await;
            busy.set(false);
            match r {
                Ok(()) => {
                    errors.set(FieldErrors::new());
                    done.set(true);
                    for s in [current, new, repeat] {
                        s.set(String::new());
                    }
                }
                Err(ApiError::Validation(e)) => errors.set(e),
                Err(e) => errors.set(FieldErrors::single("current_password", e.to_string())),
            }
        });
    };
    view! {
        <Title text="Change password"/>
        <section class="auth-card">
            <h1>"Change your password"</h1>
            {move || required().then(|| view! {
                <p class="notice" data-test="password-required">"Your administrator set a temporary password. Choose your own to continue."</p>
            })}
            {move || done.get().then(|| view! {
                <p class="notice" role="status" data-test="password-changed">
                    "Your password is changed. Every other device was signed out. "
                    <a href="/">"Continue"</a>
                </p>
            })}
            <form on:submit=submit novalidate data-test="password-form">
                <div class="field">
                    <label for="p-current">"Current password"</label>
                    <input id="p-current" type="password" autocomplete="current-password" bind:value=current data-test="current-password"/>
                    <FieldError errors field="current_password"/>
                </div>
                <div class="field">
                    <label for="p-new">"New password"</label>
                    <input id="p-new" type="password" autocomplete="new-password" bind:value=new data-test="new-password" aria-describedby="p-rules"/>
                    <p id="p-rules" class="muted small">"At least 10 characters, not your email, not a common password."</p>
                    <FieldError errors field="new_password"/>
                </div>
                <div class="field">
                    <label for="p-repeat">"New password again"</label>
                    <input id="p-repeat" type="password" autocomplete="new-password" bind:value=repeat data-test="repeat-password"/>
                    <FieldError errors field="repeat"/>
                </div>
                <button type="submit" class="btn btn-primary btn-block" data-test="password-save" disabled=move || busy.get()>"Change password"</button>
            </form>
        </section>
    }
}
