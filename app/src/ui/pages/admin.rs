//! Administration: managers (for approval routing) and the approval policy.

use crate::api::admin::{
    admin_users, get_approval_policy, set_approval_policy, set_user_manager, AdminUser,
};
use crate::api::ApiError;
use crate::domain::FieldErrors;
use crate::ui::components::field::FieldError;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use uuid::Uuid;

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let users = Resource::new(|| (), |_| admin_users());
    let message = RwSignal::new(None::<String>);
    view! {
        <Title text="Users"/>
        <div class="page-head"><h1>"Users"</h1><a class="btn" href="/admin/settings">"Approval policy"</a></div>
        <p class="muted">"A requester's manager decides the first approval level of their requests when the manager is an approver."</p>
        {move || message.get().map(|m| view! { <p class="notice" role="status" data-test="notice">{m}</p> })}
        <Transition fallback=|| view! { <div class="skeleton-table" aria-busy="true">"Loading…"</div> }>
            {move || users.get().map(|r| match r {
                Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                Ok(list) => {
                    let approvers: Vec<AdminUser> = list.iter().filter(|u| u.active && (u.role == "approver" || u.role == "admin")).cloned().collect();
                    view! {
                        <div class="table-wrap">
                            <table data-test="users">
                                <thead><tr>
                                    <th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Department"</th>
                                    <th scope="col">"Role"</th><th scope="col">"Manager"</th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|u| view! { <UserRow user=u approvers=approvers.clone() message/> }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }
            })}
        </Transition>
    }
}

#[component]
fn UserRow(
    user: AdminUser,
    approvers: Vec<AdminUser>,
    message: RwSignal<Option<String>>,
) -> impl IntoView {
    let version = RwSignal::new(user.version);
    let id = user.id;
    let name = user.name.clone();
    let select_id = format!("manager-{id}");
    let on_change = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        let manager = Uuid::parse_str(&value).ok();
        let name = name.clone();
        spawn_local(async move {
            match set_user_manager(id, manager, version.get_untracked()).await {
                Ok(v) => {
                    version.set(v);
                    message.set(Some(format!("Saved the manager of {name}.")));
                }
                Err(e) => message.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <tr data-test="user-row">
            <td>{user.name.clone()}</td>
            <td>{user.email.clone()}</td>
            <td>{user.department.clone()}</td>
            <td>{user.role.clone()}</td>
            <td>
                <label class="sr-only" for=select_id.clone()>{format!("Manager of {}", user.name)}</label>
                <select id=select_id on:change=on_change data-test="manager-select">
                    <option value="" selected=user.manager_id.is_none()>"No manager"</option>
                    {approvers.into_iter().filter(|a| a.id != id).map(|a| view! {
                        <option value=a.id.to_string() selected=user.manager_id == Some(a.id)>{a.name}</option>
                    }).collect_view()}
                </select>
            </td>
        </tr>
    }
}

#[component]
pub fn AdminSettingsPage() -> impl IntoView {
    let policy = Resource::new(|| (), |_| get_approval_policy());
    view! {
        <Title text="Approval policy"/>
        <div class="page-head"><h1>"Approval policy"</h1><a class="btn" href="/admin/users">"Users"</a></div>
        <Transition fallback=|| view! { <div class="skeleton-card" aria-busy="true">"Loading…"</div> }>
            {move || policy.get().map(|r| match r {
                Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                Ok(p) => view! { <PolicyForm thresholds=p.thresholds.iter().map(|m| m.format().trim_start_matches("Rp ").to_string()).collect()/> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn PolicyForm(thresholds: Vec<String>) -> impl IntoView {
    let levels = RwSignal::new(
        thresholds
            .into_iter()
            .map(RwSignal::new)
            .collect::<Vec<_>>(),
    );
    let errors = RwSignal::new(FieldErrors::new());
    let message = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let values: Vec<String> = levels.get().iter().map(|s| s.get()).collect();
        spawn_local(async move {
            match set_approval_policy(values).await {
                Ok(p) => {
                    errors.set(FieldErrors::new());
                    message.set(Some(format!(
                        "Saved: {} approval level(s).",
                        p.thresholds.len()
                    )));
                }
                Err(ApiError::Validation(e)) => errors.set(e),
                Err(e) => message.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <form class="card form" on:submit=submit novalidate data-test="policy-form">
            <p class="muted">"A request needs approval level n when its estimated total reaches level n's threshold. Each level starts above the one before."</p>
            {move || levels.get().into_iter().enumerate().map(|(i, value)| {
                let id = format!("level-{}", i + 1);
                view! {
                    <div class="field">
                        <label for=id.clone()>{format!("Level {} from (Rp)", i + 1)}</label>
                        <input id=id type="text" inputmode="decimal" bind:value=value data-test="threshold"/>
                        <FieldError errors field=format!("thresholds[{i}]")/>
                    </div>
                }
            }).collect_view()}
            <FieldError errors field="thresholds"/>
            {move || message.get().map(|m| view! { <p class="notice" role="status" data-test="notice">{m}</p> })}
            <div class="actions">
                <button type="button" class="btn btn-quiet" on:click=move |_| levels.update(|l| { l.pop(); })>"Remove last level"</button>
                <button type="button" class="btn" on:click=move |_| levels.update(|l| l.push(RwSignal::new(String::new())))>"Add level"</button>
                <button type="submit" class="btn btn-primary" data-test="policy-save">"Save policy"</button>
            </div>
        </form>
    }
}
