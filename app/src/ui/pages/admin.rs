//! Administration: managers (for approval routing) and the approval policy.

use crate::api::admin::{
    admin_users, create_user, get_approval_policy, reset_password, security_log,
    set_approval_policy, update_user, AdminUser,
};
use crate::api::ApiError;
use crate::domain::FieldErrors;
use crate::domain::{NewUserInput, Role, UserUpdate};
use crate::ui::components::field::FieldError;
use crate::ui::format::date_time;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use uuid::Uuid;

fn admin_tabs() -> impl IntoView {
    view! {
        <nav class="tabs" aria-label="Administration">
            <a href="/admin/users">"Users"</a>
            <a href="/admin/settings">"Approval policy"</a>
            <a href="/admin/security">"Security log"</a>
        </nav>
    }
}

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let users = Resource::new(|| (), |_| admin_users());
    let message = RwSignal::new(None::<String>);
    view! {
        <Title text="Users"/>
        <div class="page-head"><h1>"Users"</h1>{admin_tabs()}</div>
        <p class="muted">"A requester's manager decides the first approval level of their requests when the manager is an approver. Changing a role or deactivating someone signs them out everywhere."</p>
        {move || message.get().map(|m| view! { <p class="notice" role="status" data-test="notice">{m}</p> })}
        <NewUserForm on_created=Callback::new(move |email: String| {
            message.set(Some(format!("Created {email}. They must choose their own password at first sign-in.")));
            users.refetch();
        })/>
        <Transition fallback=|| view! { <div class="skeleton-table" aria-busy="true">"Loading…"</div> }>
            {move || users.get().map(|r| match r {
                Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                Ok(list) => {
                    let approvers: Vec<AdminUser> = list.iter().filter(|u| u.active && (u.role == "approver" || u.role == "admin")).cloned().collect();
                    view! {
                        <div class="table-wrap">
                            <table data-test="users" class="users">
                                <thead><tr>
                                    <th scope="col">"Name"</th><th scope="col">"Department"</th>
                                    <th scope="col">"Role"</th><th scope="col">"Manager"</th>
                                    <th scope="col">"Status"</th><th scope="col">"Password"</th>
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
    let current = RwSignal::new(user.clone());
    let id = user.id;
    let save = move |update: UserUpdate| {
        spawn_local(async move {
            match update_user(id, update).await {
                Ok(u) => {
                    message.set(Some(format!("Saved {}.", u.name)));
                    current.set(u);
                }
                Err(e) => message.set(Some(format!("{}: {e}", current.get_untracked().name))),
            }
        });
    };
    let base = move || UserUpdate {
        version: current.get_untracked().version,
        ..UserUpdate::default()
    };
    let on_role = move |ev: leptos::ev::Event| {
        if let Ok(role) = event_target_value(&ev).parse::<Role>() {
            save(UserUpdate {
                role: Some(role),
                ..base()
            });
        }
    };
    let on_manager = move |ev: leptos::ev::Event| {
        let manager = Uuid::parse_str(&event_target_value(&ev)).ok();
        save(UserUpdate {
            manager_id: Some(manager),
            ..base()
        });
    };
    let toggle_active = move |_| {
        let active = !current.get_untracked().active;
        save(UserUpdate {
            active: Some(active),
            ..base()
        });
    };
    let reset = move |_| {
        spawn_local(async move {
            match reset_password(id).await {
                Ok(r) => {
                    message.set(Some(format!(
                        "Temporary password for {}: {} (give it to them privately; they must change it at sign-in).",
                        r.user.email, r.temporary_password
                    )));
                    current.set(r.user);
                }
                Err(e) => message.set(Some(e.to_string())),
            }
        });
    };
    let role_id = format!("role-{id}");
    let manager_id = format!("manager-{id}");
    view! {
        <tr data-test="user-row" data-email=user.email.clone()>
            <td><strong>{user.name.clone()}</strong><div class="muted small">{user.email.clone()}</div></td>
            <td>{user.department.clone()}</td>
            <td>
                <label class="sr-only" for=role_id.clone()>{format!("Role of {}", user.name)}</label>
                <select id=role_id on:change=on_role data-test="role-select">
                    {Role::ALL.into_iter().map(|r| view! {
                        <option value=r.as_str() selected=user.role == r.as_str()>{r.label()}</option>
                    }).collect_view()}
                </select>
            </td>
            <td>
                <label class="sr-only" for=manager_id.clone()>{format!("Manager of {}", user.name)}</label>
                <select id=manager_id on:change=on_manager data-test="manager-select">
                    <option value="" selected=user.manager_id.is_none()>"No manager"</option>
                    {approvers.into_iter().filter(|a| a.id != id).map(|a| view! {
                        <option value=a.id.to_string() selected=user.manager_id == Some(a.id)>{a.name}</option>
                    }).collect_view()}
                </select>
            </td>
            <td>
                <button type="button" class="btn" data-test="toggle-active" on:click=toggle_active>
                    {move || if current.get().active { "Active · deactivate" } else { "Inactive · reactivate" }}
                </button>
            </td>
            <td>
                <button type="button" class="btn btn-quiet" data-test="reset-password" on:click=reset>"Reset"</button>
                {move || current.get().must_change_password.then(|| view! { <div class="muted small">"must change at sign-in"</div> })}
            </td>
        </tr>
    }
}

#[component]
fn NewUserForm(on_created: Callback<String>) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let department = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Requester);
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::new());
    let open = RwSignal::new(false);
    let on_role = move |ev: leptos::ev::Event| {
        if let Ok(r) = event_target_value(&ev).parse::<Role>() {
            role.set(r)
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = NewUserInput {
            email: email.get(),
            name: name.get(),
            department: department.get(),
            role: role.get(),
            manager_id: None,
            temporary_password: Some(password.get()).filter(|p| !p.is_empty()),
        };
        spawn_local(async move {
            match create_user(input).await {
                Ok(u) => {
                    errors.set(FieldErrors::new());
                    for s in [email, name, department, password] {
                        s.set(String::new());
                    }
                    open.set(false);
                    on_created.run(u.email);
                }
                Err(ApiError::Validation(e)) => errors.set(e),
                Err(e) => errors.set(FieldErrors::single("email", e.to_string())),
            }
        });
    };
    view! {
        <div class="card">
            <button type="button" class="btn" data-test="add-user" aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>"Add a user"</button>
            <Show when=move || open.get()>
            <form class="form" on:submit=submit novalidate data-test="new-user-form">
                <div class="grid-2">
                    <div class="field">
                        <label for="u-email">"Email"</label>
                        <input id="u-email" type="email" bind:value=email data-test="new-user-email"/>
                        <FieldError errors field="email"/>
                    </div>
                    <div class="field">
                        <label for="u-name">"Name"</label>
                        <input id="u-name" type="text" bind:value=name data-test="new-user-name"/>
                        <FieldError errors field="name"/>
                    </div>
                    <div class="field">
                        <label for="u-dept">"Department"</label>
                        <input id="u-dept" type="text" bind:value=department/>
                    </div>
                    <div class="field">
                        <label for="u-role">"Role"</label>
                        <select id="u-role" data-test="new-user-role"
                            on:change=on_role>
                            {Role::ALL.into_iter().map(|r| view! { <option value=r.as_str() selected=r == Role::Requester>{r.label()}</option> }).collect_view()}
                        </select>
                    </div>
                </div>
                <div class="field">
                    <label for="u-pass">"Temporary password (leave empty for single sign-on only)"</label>
                    <input id="u-pass" type="text" autocomplete="off" bind:value=password data-test="new-user-password"/>
                    <FieldError errors field="temporary_password"/>
                </div>
                <div class="actions"><button type="submit" class="btn btn-primary" data-test="new-user-save">"Create user"</button></div>
            </form>
            </Show>
        </div>
    }
}

#[component]
pub fn SecurityLogPage() -> impl IntoView {
    let log = Resource::new(|| (), |_| security_log(None));
    view! {
        <Title text="Security log"/>
        <div class="page-head"><h1>"Security log"</h1>{admin_tabs()}</div>
        <Transition fallback=|| view! { <div class="skeleton-table" aria-busy="true">"Loading…"</div> }>
            {move || log.get().map(|r| match r {
                Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                Ok(lines) => view! {
                    <div class="table-wrap">
                        <table data-test="security-log">
                            <thead><tr>
                                <th scope="col">"When"</th><th scope="col">"Event"</th><th scope="col">"Account"</th>
                                <th scope="col">"By"</th><th scope="col">"Address"</th><th scope="col">"Detail"</th>
                            </tr></thead>
                            <tbody>
                                {lines.into_iter().map(|l| view! {
                                    <tr data-test="log-line">
                                        <td class="nowrap">{date_time(l.at)}</td>
                                        <td data-test="log-kind">{l.kind.replace('_', " ")}</td>
                                        <td>{l.who}</td>
                                        <td>{l.by.unwrap_or_default()}</td>
                                        <td>{l.client_ip}</td>
                                        <td>{l.detail}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
            })}
        </Transition>
    }
}

#[component]
pub fn AdminSettingsPage() -> impl IntoView {
    let policy = Resource::new(|| (), |_| get_approval_policy());
    view! {
        <Title text="Approval policy"/>
        <div class="page-head"><h1>"Approval policy"</h1>{admin_tabs()}</div>
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
