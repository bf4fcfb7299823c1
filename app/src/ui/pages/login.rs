use crate::api::auth::Login;
use crate::i18n::Localized;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let t = LoginT::get();
    let login = ServerAction::<Login>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_else(|| "/".into());
    let ended = move || query.read().get("ended").is_some();
    let sso_failed = move || query.read().get("sso").is_some();
    let sso = Resource::new_blocking(
        || (),
        |_| async { crate::api::auth::sso_enabled().await.unwrap_or(false) },
    );

    // A full page load after signing in, so every part of the page starts
    // from the new session.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(Ok(url)) = login.value().get() {
            let _ = window().location().set_href(&url);
        }
    });

    let error = move || {
        login
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| view! { <p class="form-error" role="alert" data-test="login-error">{e.localized()}</p> })
    };

    view! {
        <Title text=t.sign_in/>
        <section class="auth-card">
            <h1>{t.heading}</h1>
            <p class="muted">{t.intro}</p>
            {move || ended().then(|| view! {
                <p class="notice" role="status" data-test="session-ended">
                    {t.session_ended}
                </p>
            })}
            <ActionForm action=login attr:data-test="login-form">
                <input type="hidden" name="next" prop:value=next/>
                <div class="field">
                    <label for="login-email">{t.email}</label>
                    <input id="login-email" type="email" name="email" required
                        autocomplete="username" data-test="login-email"/>
                </div>
                <div class="field">
                    <label for="login-password">{t.password}</label>
                    <input id="login-password" type="password" name="password" required
                        autocomplete="current-password" data-test="login-password"/>
                </div>
                {error}
                <button type="submit" class="btn btn-primary btn-block" data-test="login-submit"
                    disabled=move || login.pending().get()>
                    {move || if login.pending().get() { t.signing_in } else { t.sign_in }}
                </button>
            </ActionForm>
            {move || sso_failed().then(|| view! {
                <p class="form-error" role="alert" data-test="sso-error">{t.sso_failed}</p>
            })}
            <Suspense fallback=|| ()>
                {move || sso.get().filter(|on| *on).map(|_| {
                    let href = format!("/api/v1/auth/oidc/login?next={}", next());
                    view! {
                        <div class="or"><span>{t.or}</span></div>
                        <a class="btn btn-block" href=href rel="external" data-test="sso-login">{t.sso}</a>
                    }
                })}
            </Suspense>
        </section>
    }
}

crate::texts! {
    LoginT {
        sign_in: "Sign in", "Masuk";
        heading: "Sign in to GA Desk", "Masuk ke GA Desk";
        intro: "Request supplies, repairs and services from General Affairs.", "Ajukan permintaan barang, perbaikan, dan layanan ke General Affairs.";
        session_ended: "You were signed out: your session was ended (signed out elsewhere, password or role changed, or your sign-in was used from another place). Please sign in again.", "Anda telah keluar: sesi Anda diakhiri (keluar di perangkat lain, kata sandi atau peran diubah, atau akun Anda dipakai masuk dari tempat lain). Silakan masuk lagi.";
        email: "Email", "Email";
        password: "Password", "Kata sandi";
        signing_in: "Signing in…", "Sedang masuk…";
        sso_failed: "Single sign-on did not work. Try again, or sign in with your password.", "Single sign-on gagal. Coba lagi, atau masuk dengan kata sandi.";
        or: "or", "atau";
        sso: "Sign in with SSO", "Masuk dengan SSO";
    }
}
