//! Out of office (cuti): an approver names who decides for them while they
//! are away; requests waiting for them show in the delegate's queue.

use super::account::account_tabs;
use super::assets::{LoadFailed, SkeletonRows};
use crate::api::away::{away_page, end_away, set_away, AwayData};
use crate::api::ApiError;
use crate::domain::site::DelegationInput;
use crate::domain::{Arg, FieldError, FieldErrors};
use crate::i18n::{fill, use_lang};
use crate::ui::components::field::FieldErrorText;
use crate::ui::components::page_data::PageData;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use uuid::Uuid;

#[component]
pub fn AwayPage() -> impl IntoView {
    let t = AwayT::get();
    let data = PageData::new("away-data", || (), |_| away_page());
    let retry = Callback::new(move |_| data.refetch());
    view! {
        <Title text=t.heading/>
        <div class="narrow">
            <div class="page-head"><h1>{t.heading}</h1>{account_tabs("/account/away")}</div>
            <p class="muted">{t.intro}</p>
            <Transition fallback=|| view! { <SkeletonRows rows=3 columns=2/> }>
                {data.script()}
                {move || match data.get() {
                    None => view! { <SkeletonRows rows=3 columns=2/> }.into_any(),
                    Some(Err(e)) => view! { <LoadFailed error=e on_retry=retry/> }.into_any(),
                    Some(Ok(p)) => view! { <Away page=p on_change=retry/> }.into_any(),
                }}
            </Transition>
        </div>
    }
}

#[component]
fn Away(page: AwayData, on_change: Callback<()>) -> impl IntoView {
    let t = AwayT::get();
    let lang = use_lang();
    let failure = RwSignal::new(None::<String>);
    let me = page.me;
    let periods = page.periods.clone();
    let list = (!periods.is_empty()).then(|| {
        view! {
            <ul class="plain-list card" data-test="away-periods">
                {periods.into_iter().map(|d| {
                    let mine = d.user.id == me;
                    let words = if mine {
                        fill(t.you_away, &[&d.starts_on.phrase(lang), &d.ends_on.phrase(lang), &d.delegate.name])
                    } else {
                        fill(t.you_decide, &[&d.user.name, &d.starts_on.phrase(lang), &d.ends_on.phrase(lang)])
                    };
                    let (id, version) = (d.id, d.version);
                    let end = move |_| {
                        spawn_local(async move {
                            match end_away(id, version).await {
                                Ok(()) => on_change.run(()),
                                Err(e) => failure.set(Some(e.phrase(lang))),
                            }
                        });
                    };
                    view! {
                        <li data-test="away-period" class="inline spread">
                            <span>{words}</span>
                            {(!d.note.is_empty()).then(|| view! { <span class="muted small">{d.note.clone()}</span> })}
                            {mine.then(|| view! {
                                <button type="button" class="btn" data-test="away-end" on:click=end>{t.end}</button>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
    });
    view! {
        {list}
        {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{f}</p> })}
        {if page.approves {
            view! { <AwayForm delegates=page.delegates on_change/> }.into_any()
        } else {
            view! { <p class="notice" data-test="away-not-approver">{t.not_approver}</p> }.into_any()
        }}
    }
}

#[component]
fn AwayForm(delegates: Vec<crate::domain::UserRef>, on_change: Callback<()>) -> impl IntoView {
    let t = AwayT::get();
    let lang = use_lang();
    let delegate = RwSignal::new(String::new());
    let starts = RwSignal::new(String::new());
    let ends = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::new());
    let failure = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut e = FieldErrors::new();
        let delegate_id = Uuid::parse_str(&delegate.get_untracked()).ok();
        if delegate_id.is_none() {
            e.add("delegate_id", FieldError::ChooseDelegate);
        }
        let day = |v: String, field: &str, e: &mut FieldErrors| {
            let d = chrono::NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").ok();
            if d.is_none() {
                e.add(field, FieldError::NotADate);
            }
            d
        };
        let starts_on = day(starts.get_untracked(), "starts_on", &mut e);
        let ends_on = day(ends.get_untracked(), "ends_on", &mut e);
        let (Some(delegate_id), Some(starts_on), Some(ends_on)) = (delegate_id, starts_on, ends_on)
        else {
            errors.set(e);
            return;
        };
        let input = DelegationInput {
            user_id: None,
            delegate_id,
            starts_on,
            ends_on,
            note: note.get_untracked(),
        };
        busy.set(true);
        saved.set(false);
        failure.set(None);
        spawn_local(async move {
            let r = set_away(input).await;
            busy.set(false);
            match r {
                Ok(_) => {
                    errors.set(FieldErrors::new());
                    saved.set(true);
                    on_change.run(());
                }
                Err(ApiError::Validation(e)) => errors.set(e),
                Err(e) => failure.set(Some(e.phrase(lang))),
            }
        });
    };
    view! {
        <form class="card form" on:submit=submit novalidate data-test="away-form">
            <h2>{t.set_away}</h2>
            <div class="field">
                <label for="a-delegate">{t.delegate}</label>
                <select id="a-delegate" data-test="away-delegate"
                    on:change=move |ev| delegate.set(event_target_value(&ev))>
                    <option value="">{t.choose}</option>
                    {delegates.into_iter().map(|p| view! {
                        <option value=p.id.to_string()>{p.name}</option>
                    }).collect_view()}
                </select>
                <FieldErrorText errors field="delegate_id"/>
            </div>
            <div class="grid-2">
                <div class="field">
                    <label for="a-from">{t.first_day}</label>
                    <input id="a-from" type="date" bind:value=starts data-test="away-from"/>
                    <FieldErrorText errors field="starts_on"/>
                </div>
                <div class="field">
                    <label for="a-to">{t.last_day}</label>
                    <input id="a-to" type="date" bind:value=ends data-test="away-to"/>
                    <FieldErrorText errors field="ends_on"/>
                </div>
            </div>
            <div class="field">
                <label for="a-note">{t.note}</label>
                <input id="a-note" type="text" maxlength="500" bind:value=note data-test="away-note"/>
                <FieldErrorText errors field="note"/>
            </div>
            {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{f}</p> })}
            {move || saved.get().then(|| view! { <p class="notice" role="status" data-test="away-saved">{t.saved}</p> })}
            <button type="submit" class="btn btn-primary" data-test="away-save" disabled=move || busy.get()>{t.save}</button>
        </form>
    }
}

crate::texts! {
    AwayT {
        heading: "Out of office", "Cuti dan wakil";
        intro: "Going on leave? Name who decides your approvals meanwhile. Requests waiting for you show in their queue, and each decision records that it was taken on your behalf.", "Akan cuti? Tunjuk siapa yang memutuskan persetujuan Anda selama itu. Permintaan yang menunggu Anda tampil di antreannya, dan setiap keputusan mencatat bahwa ia diambil atas nama Anda.";
        set_away: "Set out of office", "Atur cuti";
        delegate: "Who decides for you", "Yang memutuskan untuk Anda";
        choose: "Choose an approver", "Pilih pemberi persetujuan";
        first_day: "First day away", "Hari pertama cuti";
        last_day: "Last day away", "Hari terakhir cuti";
        note: "Note (optional)", "Catatan (opsional)";
        save: "Save", "Simpan";
        saved: "Saved.", "Tersimpan.";
        end: "End now", "Akhiri sekarang";
        you_away: "You are away {0} – {1}; {2} decides for you.", "Anda cuti {0} – {1}; {2} memutuskan untuk Anda.";
        you_decide: "You decide for {0} from {1} to {2}.", "Anda memutuskan untuk {0} dari {1} sampai {2}.";
        not_approver: "Only approvers name a delegate: you have no approvals to hand over.", "Hanya pemberi persetujuan yang menunjuk wakil: Anda tidak memiliki persetujuan untuk dialihkan.";
    }
}
