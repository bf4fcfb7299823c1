//! The signed-in person's own account: changing the password and the
//! sessions signed in on other devices. Notification settings are the
//! account's other tab (`notifications`).

use super::assets::LoadFailed;
use crate::api::auth::{change_password, end_sessions, my_sessions};
use crate::api::ApiError;
use crate::domain::user::{device_name, SessionView};
use crate::domain::Arg;
use crate::domain::{FieldError, FieldErrors};
use crate::i18n::{fill, use_lang};
use crate::ui::components::field::FieldErrorText;
use crate::ui::components::layout::ZonePicker;
use crate::ui::format::date_time;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The account's screens as chips, the current one marked.
pub(crate) fn account_tabs(current: &'static str) -> impl IntoView {
    let t = AccountT::get();
    let tabs = [
        ("/account/password", t.password_tab, "account-tab-password"),
        (
            "/account/notifications",
            t.notifications_tab,
            "account-tab-notifications",
        ),
        ("/account/away", t.away_tab, "account-tab-away"),
    ];
    view! {
        <nav class="tabs account-tabs" aria-label=t.account>
            <ul class="chips">
                {tabs.into_iter().map(|(href, text, test)| view! {
                    <li><a class="chip" href=href data-test=test aria-current=(href == current).then_some("page")>{text}</a></li>
                }).collect_view()}
            </ul>
        </nav>
    }
}

#[component]
pub fn PasswordPage() -> impl IntoView {
    let t = AccountT::get();
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
            errors.set(FieldErrors::single("repeat", FieldError::PasswordsDiffer));
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
                Err(e) => errors.set(e.for_field("current_password")),
            }
        });
    };
    view! {
        <Title text=t.change_password/>
        {move || (!required()).then(|| account_tabs("/account/password"))}
        <section class="auth-card">
            <h1>{t.heading}</h1>
            {move || required().then(|| view! {
                <p class="notice" data-test="password-required">{t.required}</p>
            })}
            {move || done.get().then(|| view! {
                <p class="notice" role="status" data-test="password-changed">
                    {t.changed} " "
                    <a href="/">{t.continue_}</a>
                </p>
            })}
            <form on:submit=submit novalidate data-test="password-form">
                <div class="field">
                    <label for="p-current">{t.current}</label>
                    <input id="p-current" type="password" autocomplete="current-password" bind:value=current data-test="current-password"/>
                    <FieldErrorText errors field="current_password"/>
                </div>
                <div class="field">
                    <label for="p-new">{t.new}</label>
                    <input id="p-new" type="password" autocomplete="new-password" bind:value=new data-test="new-password" aria-describedby="p-rules"/>
                    <p id="p-rules" class="muted small">{t.rules}</p>
                    <FieldErrorText errors field="new_password"/>
                </div>
                <div class="field">
                    <label for="p-repeat">{t.repeat}</label>
                    <input id="p-repeat" type="password" autocomplete="new-password" bind:value=repeat data-test="repeat-password"/>
                    <FieldErrorText errors field="repeat"/>
                </div>
                <button type="submit" class="btn btn-primary btn-block" data-test="password-save" disabled=move || busy.get()>{t.change_password}</button>
            </form>
        </section>
        {move || (!required()).then(|| view! { <ActiveSessions/> })}
        <section class="auth-card">
            <ZonePicker/>
        </section>
    }
}

/// Where this account is signed in, with sign-out of any other device.
#[component]
fn ActiveSessions() -> impl IntoView {
    let t = AccountT::get();
    let lang = use_lang();
    let sessions = Resource::new(|| (), |_| my_sessions());
    let message = RwSignal::new(None::<String>);
    let end = move |id: Option<uuid::Uuid>| {
        spawn_local(async move {
            match end_sessions(id).await {
                Ok(n) => {
                    let words = if n == 1 {
                        t.signed_out_one
                    } else {
                        t.signed_out
                    };
                    message.set(Some(fill(words, &[&n])));
                    sessions.refetch();
                }
                Err(e) => message.set(Some(e.phrase(lang))),
            }
        });
    };
    let row = move |s: SessionView| {
        let id = s.id;
        let device = device_name(&s.user_agent);
        view! {
            <li class="session-row" data-test="session">
                <div>
                    <strong>{device.clone()}</strong>
                    {s.current.then(|| view! { " " <span class="badge" data-test="this-device">{t.this_device}</span> })}
                    <div class="muted small">
                        {fill(t.seen, &[&s.client_ip, &date_time(s.last_seen_at)])}
                    </div>
                </div>
                {(!s.current).then(|| view! {
                    <button type="button" class="btn btn-quiet" data-test="session-end"
                        aria-label=fill(t.sign_out_device, &[&device])
                        on:click=move |_| end(Some(id))>{t.sign_out}</button>
                })}
            </li>
        }
    };
    view! {
        <section class="auth-card" data-test="active-sessions">
            <h2>{t.active_sessions}</h2>
            <p class="muted small">{t.sessions_intro}</p>
            {move || message.get().map(|m| view! { <p class="notice" role="status" data-test="sessions-notice">{m}</p> })}
            <Transition fallback=|| ()>
                {move || sessions.get().map(|r| match r {
                    Err(e) => view! { <LoadFailed error=e on_retry=Callback::new(move |_| sessions.refetch())/> }.into_any(),
                    Ok(list) => {
                        let others = list.iter().filter(|s| !s.current).count();
                        view! {
                            <ul class="session-list">{list.into_iter().map(row).collect_view()}</ul>
                            {(others > 0).then(|| view! {
                                <button type="button" class="btn" data-test="sessions-end-others"
                                    on:click=move |_| end(None)>{t.sign_out_others}</button>
                            })}
                        }.into_any()
                    }
                })}
            </Transition>
        </section>
    }
}

crate::texts! {
    AccountT {
        change_password: "Change password", "Ganti kata sandi";
        heading: "Change your password", "Ganti kata sandi Anda";
        required: "Your administrator set a temporary password. Choose your own to continue.", "Administrator memberi Anda kata sandi sementara. Buat kata sandi sendiri untuk melanjutkan.";
        changed: "Your password is changed. Every other device was signed out.", "Kata sandi Anda sudah diganti. Semua perangkat lain telah dikeluarkan.";
        continue_: "Continue", "Lanjutkan";
        current: "Current password", "Kata sandi saat ini";
        new: "New password", "Kata sandi baru";
        rules: "At least 10 characters, not your email, not a common password.", "Minimal 10 karakter, bukan email Anda, dan bukan kata sandi yang umum.";
        repeat: "New password again", "Ulangi kata sandi baru";
        active_sessions: "Active sessions", "Sesi aktif";
        sessions_intro: "Where your account is signed in. Sign out any device you do not recognise, then change your password.", "Tempat akun Anda sedang masuk. Keluarkan perangkat yang tidak Anda kenali, lalu ganti kata sandi Anda.";
        this_device: "This device", "Perangkat ini";
        seen: "{0} · last active {1}", "{0} · terakhir aktif {1}";
        sign_out: "Sign out", "Keluarkan";
        sign_out_device: "Sign out {0}", "Keluarkan {0}";
        sign_out_others: "Sign out all other sessions", "Keluarkan semua sesi lain";
        signed_out_one: "Signed out 1 session.", "1 sesi dikeluarkan.";
        signed_out: "Signed out {0} sessions.", "{0} sesi dikeluarkan.";
        account: "Your account", "Akun Anda";
        password_tab: "Password and sessions", "Kata sandi dan sesi";
        notifications_tab: "Notifications", "Notifikasi";
        away_tab: "Out of office", "Cuti";
    }
}
