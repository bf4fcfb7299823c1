//! Notifications that leave GA Desk. For everyone: how their emails come
//! (language, time zone, which kinds, a daily digest, quiet hours). For
//! administrators: what the outbox holds, the webhooks, and the recent
//! deliveries.

use super::account::account_tabs;
use super::admin::{admin_tabs, breakable_email};
use super::assets::{LoadFailed, SkeletonRows};
use crate::api::notify::{
    create_webhook, delete_webhook, delivery_counts, list_webhooks, my_notify_prefs,
    recent_deliveries, set_notify_prefs, test_webhook, update_webhook, CreatedWebhook,
    RECENT_DELIVERIES,
};
use crate::api::ApiError;
use crate::domain::outgoing::{
    kind_label, Channel, Delivery, DeliveryStatus, HookFormat, NotifyPrefs, Webhook, WebhookInput,
    HOOK_FAILURE_LIMIT, KINDS,
};
use crate::domain::{Arg, ErrorKind, FieldErrors, Lang, Zone};
use crate::i18n::{fill, use_lang, Common};
use crate::ui::components::field::FieldErrorText;
use crate::ui::components::layout::ZoneT;
use crate::ui::components::modal::Modal;
use crate::ui::components::page_data::PageData;
use crate::ui::format::date_time;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

/// `07:00` in English, `07.00` as Indonesians write it.
fn hour_text(lang: Lang, hour: i16) -> String {
    match lang {
        Lang::En => format!("{hour:02}:00"),
        Lang::Id => format!("{hour:02}.00"),
    }
}

/// A kind of notice on screen, including the two only GA Desk sends (the
/// digest and a webhook's test message).
fn kind_text(kind: &str, lang: Lang) -> &'static str {
    let t = NotifyT::of(lang);
    match kind {
        "digest" => t.kind_digest,
        "webhook_test" => t.kind_test,
        other => kind_label(other, lang),
    }
}

fn zone_name(zone: Zone) -> &'static str {
    let z = ZoneT::get();
    match zone {
        Zone::Wib => z.wib,
        Zone::Wita => z.wita,
        Zone::Wit => z.wit,
    }
}

/// `""` for none, else the hour.
fn parse_hour(value: &str) -> Option<i16> {
    value.parse::<i16>().ok().filter(|h| (0..=23).contains(h))
}

// ---- the person's own settings --------------------------------------------

#[component]
pub fn NotificationSettingsPage() -> impl IntoView {
    let t = NotifyT::get();
    // Shipped in the page under a fixed name (see `PageData`), so the
    // browser hydrates from the server's data.
    let prefs = PageData::new("notify-settings-data", || (), |_| my_notify_prefs());
    let retry = Callback::new(move |_| prefs.refetch());
    view! {
        <Title text=t.notifications/>
        <div class="narrow">
            <div class="page-head"><h1>{t.notifications}</h1>{account_tabs("/account/notifications")}</div>
            <p class="muted">{t.settings_intro}</p>
            <Transition fallback=|| view! { <SkeletonRows rows=6 columns=2/> }>
                {prefs.script()}
                {move || match prefs.get() {
                    None => view! { <SkeletonRows rows=6 columns=2/> }.into_any(),
                    Some(Err(e)) => view! { <LoadFailed error=e on_retry=retry/> }.into_any(),
                    Some(Ok(p)) => view! { <PrefsForm prefs=p/> }.into_any(),
                }}
            </Transition>
        </div>
    }
}

#[component]
fn PrefsForm(prefs: NotifyPrefs) -> impl IntoView {
    let t = NotifyT::get();
    let lang = use_lang();
    let email_lang = RwSignal::new(prefs.lang);
    let zone = RwSignal::new(prefs.time_zone);
    let off = RwSignal::new(prefs.email_off);
    let digest = RwSignal::new(prefs.email_digest);
    let quiet_from = RwSignal::new(prefs.quiet_from);
    let quiet_to = RwSignal::new(prefs.quiet_to);
    let errors = RwSignal::new(FieldErrors::new());
    let saved = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let prefs = NotifyPrefs {
            lang: email_lang.get_untracked(),
            time_zone: zone.get_untracked(),
            email_off: off.get_untracked(),
            email_digest: digest.get_untracked(),
            quiet_from: quiet_from.get_untracked(),
            quiet_to: quiet_to.get_untracked(),
        };
        busy.set(true);
        saved.set(false);
        failure.set(None);
        spawn_local(async move {
            let r = set_notify_prefs(prefs).await;
            busy.set(false);
            match r {
                Ok(p) => {
                    errors.set(FieldErrors::new());
                    off.set(p.email_off);
                    quiet_from.set(p.quiet_from);
                    quiet_to.set(p.quiet_to);
                    saved.set(true);
                }
                Err(ApiError::Validation(e)) => errors.set(e),
                Err(e) => failure.set(Some(e.phrase(lang))),
            }
        });
    };
    let hour_options = move |value: RwSignal<Option<i16>>| {
        view! {
            <option value="" selected=move || value.get().is_none()>{t.no_quiet_hours}</option>
            {(0..24i16).map(|h| view! {
                <option value=h.to_string() selected=move || value.get() == Some(h)>{hour_text(lang, h)}</option>
            }).collect_view()}
        }
    };
    view! {
        <form class="card form" on:submit=submit novalidate data-test="notify-form">
            <div class="grid-2">
                <div class="field">
                    <label for="n-lang">{t.email_language}</label>
                    <select id="n-lang" data-test="notify-lang"
                        on:change=move |ev| email_lang.set(event_target_value(&ev))>
                        {Lang::ALL.into_iter().map(|l| view! {
                            <option value=l.code() lang=l.code() selected=move || email_lang.get() == l.code()>{l.native_name()}</option>
                        }).collect_view()}
                    </select>
                    <FieldErrorText errors field="lang"/>
                </div>
                <div class="field">
                    <label for="n-zone">{t.time_zone}</label>
                    <select id="n-zone" data-test="notify-zone"
                        on:change=move |ev| zone.set(event_target_value(&ev))>
                        {Zone::ALL.into_iter().map(|z| view! {
                            <option value=z.code() selected=move || zone.get() == z.code()>{zone_name(z)}</option>
                        }).collect_view()}
                    </select>
                    <FieldErrorText errors field="time_zone"/>
                </div>
            </div>
            <fieldset class="choices" data-test="notify-kinds">
                <legend>{t.by_email}</legend>
                <p class="muted small">{t.by_email_hint}</p>
                <div class="check-grid">
                    {KINDS.iter().map(|&kind| {
                        let on = move || off.with(|o| !o.iter().any(|k| k == kind));
                        let change = move |ev: leptos::ev::Event| {
                            let checked = event_target_checked(&ev);
                            off.update(|o| {
                                o.retain(|k| k != kind);
                                if !checked {
                                    o.push(kind.to_string());
                                }
                            });
                        };
                        view! {
                            <label class="check">
                                <input type="checkbox" name="email_kind" value=kind checked=on on:change=change
                                    data-test=format!("email-kind-{kind}")/>
                                {kind_label(kind, lang)}
                            </label>
                        }
                    }).collect_view()}
                </div>
                <FieldErrorText errors field="email_off"/>
            </fieldset>
            <label class="check">
                <input type="checkbox" bind:checked=digest data-test="email-digest"/>
                {t.digest}
            </label>
            <fieldset class="choices" data-test="quiet-hours">
                <legend>{t.quiet_hours}</legend>
                <p class="muted small">{t.quiet_hint}</p>
                <div class="grid-2">
                    <div class="field">
                        <label for="n-quiet-from">{t.quiet_from}</label>
                        <select id="n-quiet-from" data-test="quiet-from"
                            on:change=move |ev| quiet_from.set(parse_hour(&event_target_value(&ev)))>
                            {hour_options(quiet_from)}
                        </select>
                        <FieldErrorText errors field="quiet_from"/>
                    </div>
                    <div class="field">
                        <label for="n-quiet-to">{t.quiet_to}</label>
                        <select id="n-quiet-to" data-test="quiet-to"
                            on:change=move |ev| quiet_to.set(parse_hour(&event_target_value(&ev)))>
                            {hour_options(quiet_to)}
                        </select>
                        <FieldErrorText errors field="quiet_to"/>
                    </div>
                </div>
            </fieldset>
            {move || saved.get().then(|| view! { <p class="notice" role="status" data-test="notify-saved">{t.saved}</p> })}
            {move || failure.get().map(|m| view! { <p class="form-error" role="alert" data-test="notify-error">{m}</p> })}
            <div class="actions">
                <button type="submit" class="btn btn-primary" data-test="notify-save" disabled=move || busy.get()>{t.save}</button>
            </div>
        </form>
    }
}

// ---- administrators: outbox, webhooks, deliveries --------------------------

/// A line above the webhooks: what happened, and how to show it.
#[derive(Clone)]
struct Note {
    text: String,
    /// `data-test` of the line.
    test: &'static str,
    class: &'static str,
}

impl Note {
    fn done(text: String) -> Option<Note> {
        Some(Note {
            text,
            test: "webhook-notice",
            class: "notice",
        })
    }

    fn conflict(text: String) -> Option<Note> {
        Some(Note {
            text,
            test: "webhook-conflict",
            class: "notice notice-warn",
        })
    }

    fn failed(text: String) -> Option<Note> {
        Some(Note {
            text,
            test: "webhook-error",
            class: "form-error",
        })
    }
}

/// What the webhook rows share with the page.
#[derive(Clone, Copy)]
struct HookCtx {
    note: RwSignal<Option<Note>>,
    deleting: RwSignal<Option<Webhook>>,
    /// Loads the page's data again (after a change this page made).
    refresh: Callback<()>,
}

/// Everything the admin page shows, loaded together and shipped in the
/// page (see `PageData`): the outbox changes all the time, and a browser
/// that fetched again while hydrating would draw other markup.
#[derive(Clone, Serialize, Deserialize)]
struct AdminData {
    counts: Result<Vec<(DeliveryStatus, i64)>, ApiError>,
    hooks: Result<Vec<Webhook>, ApiError>,
    deliveries: Result<Vec<Delivery>, ApiError>,
}

async fn load_admin(status: Option<DeliveryStatus>, channel: Option<Channel>) -> AdminData {
    AdminData {
        counts: delivery_counts().await,
        hooks: list_webhooks().await,
        deliveries: recent_deliveries(status, channel).await,
    }
}

#[component]
pub fn AdminNotificationsPage() -> impl IntoView {
    let t = NotifyT::get();
    let lang = use_lang();
    let all = Common::get().all;
    let status = RwSignal::new(None::<DeliveryStatus>);
    let channel = RwSignal::new(None::<Channel>);
    let data = PageData::new(
        "notify-admin-data",
        move || (status.get(), channel.get()),
        |(status, channel)| load_admin(status, channel),
    );
    let refresh = Callback::new(move |_| data.refetch());
    let ctx = HookCtx {
        note: RwSignal::new(None),
        deleting: RwSignal::new(None),
        refresh,
    };
    let secret = RwSignal::new(None::<CreatedWebhook>);
    view! {
        <Title text=t.notifications/>
        <div class="page-head"><h1>{t.notifications}</h1>{admin_tabs("/admin/notifications")}</div>
        <Transition fallback=|| view! { <SkeletonRows rows=1 columns=6/> }>
            {data.script()}
            {move || match data.get().map(|d| d.counts) {
                None => view! { <SkeletonRows rows=1 columns=6/> }.into_any(),
                Some(Err(e)) => view! { <LoadFailed error=e on_retry=refresh/> }.into_any(),
                Some(Ok(list)) => view! { <Counts list/> }.into_any(),
            }}
        </Transition>

        <section class="card" data-test="webhooks" aria-labelledby="webhooks-heading">
            <h2 id="webhooks-heading">{t.webhooks}</h2>
            <p class="muted small">
                {t.signed_before} " " <code class="wrap-code">{t.signature_header}</code> " " {t.signed_after}
            </p>
            <p class="muted small">{t.chat_formats}</p>
            {move || secret.get().map(|c| view! {
                <div class="secret-box" role="status" data-test="webhook-secret">
                    <h3>{fill(t.secret_title, &[&c.webhook.name])}</h3>
                    <code class="secret-value" data-test="webhook-secret-value">{c.secret}</code>
                    <p><strong>{t.secret_once}</strong></p>
                    <button type="button" class="btn" data-test="webhook-secret-done" on:click=move |_| secret.set(None)>{t.secret_done}</button>
                </div>
            })}
            {move || ctx.note.get().map(|n| view! { <p class=n.class role="status" data-test=n.test>{n.text}</p> })}
            <NewHookForm on_created=Callback::new(move |created: CreatedWebhook| {
                ctx.note.set(None);
                secret.set(Some(created));
                refresh.run(());
            })/>
            <Transition fallback=|| view! { <SkeletonRows rows=2 columns=5/> }>
                {move || match data.get().map(|d| d.hooks) {
                    None => view! { <SkeletonRows rows=2 columns=5/> }.into_any(),
                    Some(Err(e)) => view! { <LoadFailed error=e on_retry=refresh/> }.into_any(),
                    Some(Ok(list)) if list.is_empty() => view! {
                        <p class="muted" data-test="no-webhooks">{t.no_webhooks}</p>
                    }.into_any(),
                    Some(Ok(list)) => view! {
                        <div class="table-wrap">
                            <table class="webhooks stack" data-test="webhook-list">
                                <thead><tr>
                                    <th scope="col">{t.name}</th>
                                    <th scope="col">{t.format}</th>
                                    <th scope="col">{t.events}</th>
                                    <th scope="col">{t.state}</th>
                                    <th scope="col"><span class="sr-only">{t.actions}</span></th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|hook| view! { <HookRow hook ctx/> }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                }}
            </Transition>
        </section>

        <section data-test="deliveries-section" aria-labelledby="deliveries-heading">
            <h2 id="deliveries-heading">{t.recent}</h2>
            <p class="muted small">{fill(t.recent_intro, &[&RECENT_DELIVERIES])}</p>
            <div class="filters" data-test="delivery-filters">
                <div class="field">
                    <label for="d-status">{t.status}</label>
                    <select id="d-status" data-test="filter-status"
                        on:change=move |ev| status.set(event_target_value(&ev).parse().ok())>
                        <option value="" selected=move || status.get().is_none()>{all}</option>
                        {DeliveryStatus::ALL.iter().map(|&s| view! {
                            <option value=s.as_str() selected=move || status.get() == Some(s)>{s.label_in(lang)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="d-channel">{t.channel}</label>
                    <select id="d-channel" data-test="filter-channel"
                        on:change=move |ev| channel.set(event_target_value(&ev).parse().ok())>
                        <option value="" selected=move || channel.get().is_none()>{all}</option>
                        {Channel::ALL.iter().map(|&c| view! {
                            <option value=c.as_str() selected=move || channel.get() == Some(c)>{c.label_in(lang)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <button type="button" class="btn" data-test="deliveries-refresh" on:click=move |_| refresh.run(())>{t.refresh}</button>
            </div>
            <Transition fallback=|| view! { <SkeletonRows rows=8 columns=8/> }>
                {move || match data.get().map(|d| d.deliveries) {
                    None => view! { <SkeletonRows rows=8 columns=8/> }.into_any(),
                    Some(Err(e)) => view! { <LoadFailed error=e on_retry=refresh/> }.into_any(),
                    Some(Ok(list)) if list.is_empty() => view! {
                        <section class="empty" data-test="no-deliveries">
                            <h3>{t.no_deliveries}</h3>
                            <p>{t.no_deliveries_hint}</p>
                        </section>
                    }.into_any(),
                    Some(Ok(list)) => view! {
                        <div class="table-wrap" aria-busy=move || data.loading().to_string()>
                            <table class="deliveries stack" data-test="deliveries">
                                <thead><tr>
                                    <th scope="col">{t.when}</th>
                                    <th scope="col">{t.recipient}</th>
                                    <th scope="col">{t.channel}</th>
                                    <th scope="col">{t.kind}</th>
                                    <th scope="col">{t.ticket}</th>
                                    <th scope="col">{t.status}</th>
                                    <th scope="col" class="num">{t.attempts}</th>
                                    <th scope="col">{t.last_error}</th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|d| view! { <DeliveryRow d/> }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                }}
            </Transition>
        </section>
        {move || ctx.deleting.get().map(|hook| view! { <DeleteDialog hook ctx/> })}
    }
}

#[component]
fn Counts(list: Vec<(DeliveryStatus, i64)>) -> impl IntoView {
    let t = NotifyT::get();
    let lang = use_lang();
    view! {
        <section class="figures figures-6" data-test="delivery-counts" aria-label=t.counts>
            {DeliveryStatus::ALL.iter().map(|&s| {
                let n = list.iter().find(|(x, _)| *x == s).map_or(0, |(_, n)| *n);
                view! {
                    <div class="figure" data-test=format!("count-{}", s.as_str())>
                        <span class="figure-value">{n}</span>
                        <span class="figure-label">{s.label_in(lang)}</span>
                    </div>
                }
            }).collect_view()}
        </section>
    }
}

/// A badge colour for where a message is.
fn status_class(s: DeliveryStatus) -> &'static str {
    match s {
        DeliveryStatus::Pending | DeliveryStatus::Digest => "badge status-waiting_approval",
        DeliveryStatus::Sent | DeliveryStatus::Digested => "badge status-approved",
        DeliveryStatus::Failed => "badge status-rejected",
        DeliveryStatus::InApp => "badge status-closed",
    }
}

#[component]
fn DeliveryRow(d: Delivery) -> impl IntoView {
    let t = NotifyT::get();
    let lang = use_lang();
    view! {
        <tr data-test="delivery-row" data-status=d.status.as_str() data-channel=d.channel.as_str()>
            <td class="nowrap muted stack-head">{date_time(d.created_at)}</td>
            <td class="stack-title c-recipient" data-test="delivery-recipient">{breakable_email(d.recipient)}</td>
            <td data-label=t.channel>{d.channel.label_in(lang)}</td>
            <td data-label=t.kind data-test="delivery-kind">{kind_text(&d.kind, lang)}</td>
            <td data-label=t.ticket class="nowrap">{d.ticket_number.unwrap_or_else(|| "—".into())}</td>
            <td data-label=t.status data-test="delivery-status"><span class=status_class(d.status)>{d.status.label_in(lang)}</span></td>
            <td data-label=t.attempts class="num">{d.attempts}</td>
            <td data-label=t.last_error class="c-error small" data-test="delivery-error">{d.last_error.unwrap_or_else(|| "—".into())}</td>
        </tr>
    }
}

/// The fields of a webhook as it is, to change one of them.
fn input_of(h: &Webhook) -> WebhookInput {
    WebhookInput {
        name: h.name.clone(),
        url: h.url.clone(),
        format: h.format,
        lang: h.lang.clone(),
        events: h.events.clone(),
        active: h.active,
        version: Some(h.version),
    }
}

#[component]
fn HookRow(hook: Webhook, ctx: HookCtx) -> impl IntoView {
    let t = NotifyT::get();
    let common = Common::get();
    let lang = use_lang();
    let current = RwSignal::new(hook.clone());
    let busy = RwSignal::new(false);
    let id = hook.id;
    let toggle = move |_| {
        let h = current.get_untracked();
        let input = WebhookInput {
            active: !h.active,
            ..input_of(&h)
        };
        busy.set(true);
        spawn_local(async move {
            let r = update_webhook(id, input).await;
            busy.set(false);
            match r {
                Ok(w) => {
                    let words = if w.active { t.enabled } else { t.disabled };
                    ctx.note.set(Note::done(fill(words, &[&w.name])));
                    current.set(w);
                }
                Err(e) if e.kind() == ErrorKind::Conflict => {
                    ctx.note
                        .set(Note::conflict(fill(common.changed_meanwhile, &[&h.name])));
                    ctx.refresh.run(());
                }
                Err(e) => ctx.note.set(Note::failed(fill(
                    t.failed_for,
                    &[&h.name, &e.phrase(lang)],
                ))),
            }
        });
    };
    let send_test = move |_| {
        let name = current.get_untracked().name;
        busy.set(true);
        spawn_local(async move {
            let r = test_webhook(id).await;
            busy.set(false);
            match r {
                Ok(()) => {
                    ctx.note.set(Note::done(fill(t.test_queued, &[&name])));
                    ctx.refresh.run(());
                }
                Err(e) => ctx
                    .note
                    .set(Note::failed(fill(t.failed_for, &[&name, &e.phrase(lang)]))),
            }
        });
    };
    let state = move || {
        let h = current.get();
        let (class, words) = if h.active {
            ("badge status-approved", t.active)
        } else {
            ("badge status-closed", t.inactive)
        };
        let why = match (h.active, h.disabled_at) {
            (false, Some(at)) => Some(fill(
                t.auto_disabled,
                &[&HOOK_FAILURE_LIMIT, &date_time(at)],
            )),
            (true, _) if h.failures > 0 => Some(fill(t.failures, &[&h.failures])),
            _ => None,
        };
        view! {
            <span class=class data-test="webhook-state">{words}</span>
            {why.map(|w| view! { <div class="muted small" data-test="webhook-failures">{w}</div> })}
        }
    };
    let events = hook
        .events
        .iter()
        .map(|k| kind_label(k, lang))
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <tr data-test="webhook-row" data-name=hook.name.clone()>
            <td class="stack-title">
                <strong>{hook.name.clone()}</strong>
                <div class="muted small wrap-any" data-test="webhook-url">{hook.url.clone()}</div>
            </td>
            <td data-label=t.format>
                {hook.format.label_in(lang)}
                <div class="muted small">{Lang::from_code(&hook.lang).map(Lang::native_name)}</div>
            </td>
            <td data-label=t.events class="small">{events}</td>
            <td data-label=t.state>{state}</td>
            <td class="c-actions">
                <div class="row-actions">
                    <button type="button" class="btn" data-test="webhook-test"
                        aria-label=fill(t.send_test_to, &[&hook.name])
                        disabled=move || busy.get() || !current.get().active
                        on:click=send_test>{t.send_test}</button>
                    <button type="button" class="btn" data-test="webhook-toggle"
                        aria-label=move || fill(if current.get().active { t.disable_named } else { t.enable_named }, &[&current.get().name])
                        disabled=move || busy.get()
                        on:click=toggle>
                        {move || if current.get().active { t.disable } else { t.enable }}
                    </button>
                    <button type="button" class="btn btn-danger" data-test="webhook-delete"
                        aria-label=fill(t.delete_named, &[&hook.name])
                        disabled=move || busy.get()
                        on:click=move |_| ctx.deleting.set(Some(current.get_untracked()))>{t.delete}</button>
                </div>
            </td>
        </tr>
    }
}

#[component]
fn DeleteDialog(hook: Webhook, ctx: HookCtx) -> impl IntoView {
    let t = NotifyT::get();
    let common = Common::get();
    let lang = use_lang();
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let close = Callback::new(move |_| ctx.deleting.set(None));
    let id = hook.id;
    let name = hook.name.clone();
    let confirm = move |_| {
        let name = name.clone();
        busy.set(true);
        spawn_local(async move {
            let r = delete_webhook(id).await;
            busy.set(false);
            match r {
                Ok(()) => {
                    ctx.deleting.set(None);
                    ctx.note.set(Note::done(fill(t.deleted, &[&name])));
                    ctx.refresh.run(());
                    ctx.refresh.run(());
                }
                Err(e) => failure.set(Some(e.phrase(lang))),
            }
        });
    };
    view! {
        <Modal title=fill(t.delete_title, &[&hook.name]) test_id="webhook-delete-dialog" on_close=close>
            <p>{t.delete_warning}</p>
            {move || failure.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
            <div class="actions">
                <button type="button" class="btn btn-quiet" on:click=move |_| close.run(())>{common.cancel}</button>
                <button type="button" class="btn btn-danger" data-test="webhook-delete-confirm"
                    disabled=move || busy.get() on:click=confirm>{t.delete}</button>
            </div>
        </Modal>
    }
}

#[component]
fn NewHookForm(on_created: Callback<CreatedWebhook>) -> impl IntoView {
    let t = NotifyT::get();
    let lang = use_lang();
    let open = RwSignal::new(false);
    let name = RwSignal::new(String::new());
    let url = RwSignal::new(String::new());
    let format = RwSignal::new(HookFormat::Json);
    let hook_lang = RwSignal::new(lang.code().to_string());
    let events = RwSignal::new(Vec::<String>::new());
    let errors = RwSignal::new(FieldErrors::new());
    let failure = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // In the order of the list, whatever order they were ticked in.
        let chosen = events.get_untracked();
        let input = WebhookInput {
            name: name.get_untracked(),
            url: url.get_untracked(),
            format: format.get_untracked(),
            lang: hook_lang.get_untracked(),
            events: KINDS
                .iter()
                .filter(|k| chosen.iter().any(|c| c == *k))
                .map(|k| k.to_string())
                .collect(),
            active: true,
            version: None,
        };
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            let r = create_webhook(input).await;
            busy.set(false);
            match r {
                Ok(created) => {
                    errors.set(FieldErrors::new());
                    name.set(String::new());
                    url.set(String::new());
                    events.set(Vec::new());
                    open.set(false);
                    on_created.run(created);
                }
                Err(ApiError::Validation(e)) => errors.set(e),
                Err(e) => failure.set(Some(e.phrase(lang))),
            }
        });
    };
    view! {
        <div class="new-hook">
            <button type="button" class="btn" data-test="add-webhook" aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>{t.add_webhook}</button>
            <Show when=move || open.get()>
                <form class="form hook-form" on:submit=submit novalidate data-test="webhook-form">
                    <div class="grid-2">
                        <div class="field">
                            <label for="h-name">{t.name}</label>
                            <input id="h-name" type="text" bind:value=name data-test="webhook-name"/>
                            <FieldErrorText errors field="name"/>
                        </div>
                        <div class="field">
                            <label for="h-url">{t.url}</label>
                            <input id="h-url" type="text" inputmode="url" autocomplete="off" spellcheck="false"
                                bind:value=url data-test="webhook-url-input"/>
                            <FieldErrorText errors field="url"/>
                        </div>
                        <div class="field">
                            <label for="h-format">{t.format}</label>
                            <select id="h-format" data-test="webhook-format"
                                on:change=move |ev| {
                                    if let Ok(f) = event_target_value(&ev).parse::<HookFormat>() {
                                        format.set(f)
                                    }
                                }>
                                {HookFormat::ALL.iter().map(|&f| view! {
                                    <option value=f.as_str() selected=move || format.get() == f>{f.label_in(lang)}</option>
                                }).collect_view()}
                            </select>
                            <FieldErrorText errors field="format"/>
                        </div>
                        <div class="field">
                            <label for="h-lang">{t.hook_language}</label>
                            <select id="h-lang" data-test="webhook-lang"
                                on:change=move |ev| hook_lang.set(event_target_value(&ev))>
                                {Lang::ALL.into_iter().map(|l| view! {
                                    <option value=l.code() lang=l.code() selected=move || hook_lang.get() == l.code()>{l.native_name()}</option>
                                }).collect_view()}
                            </select>
                            <FieldErrorText errors field="lang"/>
                        </div>
                    </div>
                    <fieldset class="choices" data-test="webhook-events">
                        <legend>{t.events}</legend>
                        <div class="check-grid">
                            {KINDS.iter().map(|&kind| {
                                let change = move |ev: leptos::ev::Event| {
                                    let checked = event_target_checked(&ev);
                                    events.update(|e| {
                                        e.retain(|k| k != kind);
                                        if checked {
                                            e.push(kind.to_string());
                                        }
                                    });
                                };
                                view! {
                                    <label class="check">
                                        <input type="checkbox" value=kind
                                            checked=move || events.with(|e| e.iter().any(|k| k == kind))
                                            on:change=change data-test=format!("webhook-event-{kind}")/>
                                        {kind_label(kind, lang)}
                                    </label>
                                }
                            }).collect_view()}
                        </div>
                        <FieldErrorText errors field="events"/>
                    </fieldset>
                    {move || failure.get().map(|m| view! { <p class="form-error" role="alert" data-test="webhook-form-error">{m}</p> })}
                    <div class="actions">
                        <button type="button" class="btn btn-quiet" on:click=move |_| open.set(false)>{Common::get().cancel}</button>
                        <button type="submit" class="btn btn-primary" data-test="webhook-save" disabled=move || busy.get()>{t.create}</button>
                    </div>
                </form>
            </Show>
        </div>
    }
}

crate::texts! {
    NotifyT {
        notifications: "Notifications", "Notifikasi";
        settings_intro: "How GA Desk emails you. Everything also appears under the bell in the app, whatever you choose here.", "Cara GA Desk mengirim email kepada Anda. Semuanya tetap muncul di lonceng dalam aplikasi, apa pun pilihan Anda di sini.";
        email_language: "Language of my emails", "Bahasa email saya";
        time_zone: "Time zone of my emails", "Zona waktu email saya";
        by_email: "Send me an email about", "Kirimi saya email tentang";
        by_email_hint: "Unticked: you see it in the app only.", "Tidak dicentang: hanya tampil di aplikasi.";
        digest: "One daily digest at 07:00 instead of single emails", "Satu ringkasan harian pukul 07.00, bukan email satu per satu";
        quiet_hours: "Quiet hours", "Jam tenang";
        quiet_hint: "No emails between these hours on your clock; what comes meanwhile is sent when they end. Choose none for no quiet hours.", "Tidak ada email di antara jam-jam ini menurut jam Anda; yang datang selama itu dikirim setelahnya. Pilih tidak ada bila tanpa jam tenang.";
        quiet_from: "From", "Mulai";
        quiet_to: "Until", "Sampai";
        no_quiet_hours: "None", "Tidak ada";
        saved: "Saved. Your emails follow these settings from now on.", "Tersimpan. Email Anda mengikuti pengaturan ini mulai sekarang.";
        save: "Save settings", "Simpan pengaturan";
        kind_digest: "Daily digest", "Ringkasan harian";
        kind_test: "Test message", "Pesan uji";
        counts: "Messages by state", "Pesan menurut keadaan";
        webhooks: "Webhooks", "Webhook";
        signed_before: "Deliveries are JSON POSTs signed in the header", "Pengiriman berupa POST JSON yang ditandatangani di header";
        signature_header: "X-GADesk-Signature: t=<unix>,v1=<hex>", "X-GADesk-Signature: t=<unix>,v1=<hex>";
        signed_after: "where v1 is the hex HMAC-SHA256 of \"t.body\" (the timestamp, a dot and the raw body) keyed with the webhook's secret.", "dengan v1 berupa HMAC-SHA256 (heksadesimal) atas \"t.body\" (stempel waktu, titik, dan isi mentah) memakai kunci rahasia webhook.";
        chat_formats: "The Slack and Microsoft Teams formats post a message to their incoming webhook URL instead.", "Format Slack dan Microsoft Teams mengirim pesan ke URL incoming webhook masing-masing.";
        secret_title: "Signing secret of {0}", "Kunci rahasia penandatanganan {0}";
        secret_once: "Copy it now and keep it with the receiver: it is shown only this once.", "Salin sekarang dan simpan di sistem penerima: kunci ini hanya ditampilkan kali ini.";
        secret_done: "I have copied it", "Sudah saya salin";
        no_webhooks: "No webhooks yet.", "Belum ada webhook.";
        add_webhook: "Add a webhook", "Tambah webhook";
        name: "Name", "Nama";
        url: "URL", "URL";
        format: "Format", "Format";
        hook_language: "Language of its messages", "Bahasa pesannya";
        events: "Events", "Kejadian";
        state: "State", "Keadaan";
        actions: "Actions", "Tindakan";
        create: "Add webhook", "Tambah webhook";
        active: "Active", "Aktif";
        inactive: "Disabled", "Nonaktif";
        failures: "{0} failed deliveries in a row", "{0} pengiriman gagal berturut-turut";
        auto_disabled: "Turned off after {0} failed deliveries in a row ({1})", "Dimatikan setelah {0} pengiriman gagal berturut-turut ({1})";
        send_test: "Send test", "Kirim uji";
        send_test_to: "Send a test message to {0}", "Kirim pesan uji ke {0}";
        enable: "Enable", "Aktifkan";
        disable: "Disable", "Nonaktifkan";
        enable_named: "Enable {0}", "Aktifkan {0}";
        disable_named: "Disable {0}", "Nonaktifkan {0}";
        delete: "Delete", "Hapus";
        delete_named: "Delete {0}", "Hapus {0}";
        delete_title: "Delete the webhook {0}?", "Hapus webhook {0}?";
        delete_warning: "It stops receiving messages at once, and its deliveries are deleted with it. This cannot be undone.", "Webhook ini langsung berhenti menerima pesan, dan riwayat pengirimannya ikut terhapus. Tindakan ini tidak dapat dibatalkan.";
        deleted: "Deleted the webhook {0}.", "Webhook {0} dihapus.";
        enabled: "{0} is enabled.", "{0} diaktifkan.";
        disabled: "{0} is disabled: it receives nothing until enabled again.", "{0} dinonaktifkan: tidak menerima apa pun sampai diaktifkan lagi.";
        test_queued: "A test message to {0} is queued; it appears in the deliveries below.", "Pesan uji ke {0} sudah diantrekan; pesan itu muncul di daftar pengiriman di bawah.";
        failed_for: "{0}: {1}", "{0}: {1}";
        recent: "Recent deliveries", "Pengiriman terbaru";
        recent_intro: "Emails and webhook messages, the newest {0} first.", "Email dan pesan webhook, {0} terbaru lebih dulu.";
        status: "Status", "Status";
        channel: "Channel", "Saluran";
        refresh: "Refresh", "Muat ulang";
        when: "When", "Waktu";
        recipient: "Recipient", "Penerima";
        kind: "Kind", "Jenis";
        ticket: "Ticket", "Tiket";
        attempts: "Attempts", "Percobaan";
        last_error: "Last error", "Galat terakhir";
        no_deliveries: "No deliveries", "Belum ada pengiriman";
        no_deliveries_hint: "Emails and webhook messages appear here once GA Desk sends them. Try another filter.", "Email dan pesan webhook muncul di sini setelah GA Desk mengirimnya. Coba filter lain.";
    }
}
