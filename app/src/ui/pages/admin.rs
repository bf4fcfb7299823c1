//! Administration: managers (for approval routing) and the approval policy.
//! Webhooks and deliveries are in `notifications`.

use super::assets::{LoadFailed, SkeletonRows};
use crate::api::admin::{
    admin_users, create_user, get_approval_policy, reset_password, security_log,
    set_approval_policy, update_user,
};
use crate::api::ApiError;
use crate::domain::events::SecurityEntry;
use crate::domain::Arg;
use crate::domain::{FieldErrors, NewUserInput, Page, Role, UserAccount, UserUpdate};
use crate::i18n::Text;
use crate::i18n::{fill, use_lang};
use crate::ui::components::field::FieldErrorText;
use crate::ui::components::load_more::{replay, trail_from, LoadMore};
use crate::ui::format::date_time;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

/// The admin screens as chips, the current one marked for the eye and for
/// screen readers.
pub(crate) fn admin_tabs(current: &'static str) -> impl IntoView {
    let t = AdminT::get();
    let tabs = [
        ("/admin/users", t.users),
        ("/admin/settings", t.policy),
        ("/admin/security", t.security_log),
        ("/admin/notifications", t.notifications),
        ("/admin/service-levels", t.service_levels),
    ];
    view! {
        <nav class="tabs" aria-label=t.administration>
            <ul class="chips">
                {tabs.into_iter().map(|(href, text)| view! {
                    <li><a class="chip" href=href aria-current=(href == current).then_some("page")>{text}</a></li>
                }).collect_view()}
            </ul>
        </nav>
    }
}

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let t = AdminT::get();
    let users = Resource::new(|| (), |_| admin_users());
    let message = RwSignal::new(None::<String>);
    view! {
        <Title text=t.users/>
        <div class="page-head"><h1>{t.users}</h1>{admin_tabs("/admin/users")}</div>
        <p class="muted">{t.users_intro}</p>
        {move || message.get().map(|m| view! { <p class="notice" role="status" data-test="notice">{m}</p> })}
        <NewUserForm on_created=Callback::new(move |email: String| {
            message.set(Some(fill(t.created, &[&email])));
            users.refetch();
        })/>
        <Transition fallback=|| view! { <SkeletonRows rows=8 columns=6/> }>
            {move || users.get().map(|r| match r {
                Err(e) => view! { <LoadFailed error=e on_retry=Callback::new(move |_| users.refetch())/> }.into_any(),
                Ok(list) => {
                    let approvers: Vec<UserAccount> = list.iter().filter(|u| u.active && matches!(u.role, Role::Approver | Role::Admin)).cloned().collect();
                    view! {
                        <div class="table-wrap">
                            <table data-test="users" class="users stack">
                                <thead><tr>
                                    <th scope="col">{t.name}</th><th scope="col">{t.department}</th>
                                    <th scope="col">{t.role}</th><th scope="col">{t.manager}</th>
                                    <th scope="col">{t.status}</th><th scope="col">{t.password}</th>
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
    user: UserAccount,
    approvers: Vec<UserAccount>,
    message: RwSignal<Option<String>>,
) -> impl IntoView {
    let t = AdminT::get();
    let lang = use_lang();
    let current = RwSignal::new(user.clone());
    let id = user.id;
    let save = move |update: UserUpdate| {
        spawn_local(async move {
            match update_user(id, update).await {
                Ok(u) => {
                    message.set(Some(fill(t.saved, &[&u.name])));
                    current.set(u);
                }
                Err(e) => message.set(Some(fill(
                    t.failed_for,
                    &[&current.get_untracked().name, &e.phrase(lang)],
                ))),
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
                    message.set(Some(fill(
                        t.temporary_password,
                        &[&r.user.email, &r.temporary_password],
                    )));
                    current.set(r.user);
                }
                Err(e) => message.set(Some(e.phrase(lang))),
            }
        });
    };
    let role_id = format!("role-{id}");
    let manager_id = format!("manager-{id}");
    view! {
        <tr data-test="user-row" data-email=user.email.clone()>
            <td class="stack-title"><strong>{user.name.clone()}</strong><div class="muted small">{user.email.clone()}</div></td>
            <td data-label=t.department>{user.department.clone()}</td>
            <td data-label=t.role>
                <label class="sr-only" for=role_id.clone()>{fill(t.role_of, &[&user.name])}</label>
                <select id=role_id on:change=on_role data-test="role-select">
                    {Role::ALL.iter().map(|r| view! {
                        <option value=r.as_str() selected=user.role == *r>{r.text()}</option>
                    }).collect_view()}
                </select>
            </td>
            <td data-label=t.manager>
                <label class="sr-only" for=manager_id.clone()>{fill(t.manager_of, &[&user.name])}</label>
                <select id=manager_id on:change=on_manager data-test="manager-select">
                    <option value="" selected=user.manager_id.is_none()>{t.no_manager}</option>
                    {approvers.into_iter().filter(|a| a.id != id).map(|a| view! {
                        <option value=a.id.to_string() selected=user.manager_id == Some(a.id)>{a.name}</option>
                    }).collect_view()}
                </select>
            </td>
            <td data-label=t.status>
                <button type="button" class="btn" data-test="toggle-active" on:click=toggle_active>
                    {move || if current.get().active { t.active_deactivate } else { t.inactive_reactivate }}
                </button>
            </td>
            <td data-label=t.password>
                <button type="button" class="btn btn-quiet" data-test="reset-password" on:click=reset>{t.reset}</button>
                {move || current.get().must_change_password.then(|| view! { <div class="muted small">{t.must_change}</div> })}
            </td>
        </tr>
    }
}

#[component]
fn NewUserForm(on_created: Callback<String>) -> impl IntoView {
    let t = AdminT::get();
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
                // FieldError shows it in the page's language.
                Err(e) => errors.set(e.for_field("email")),
            }
        });
    };
    view! {
        <div class="card">
            <button type="button" class="btn" data-test="add-user" aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>{t.add_user}</button>
            <Show when=move || open.get()>
            <form class="form" on:submit=submit novalidate data-test="new-user-form">
                <div class="grid-2">
                    <div class="field">
                        <label for="u-email">{t.email}</label>
                        <input id="u-email" type="email" bind:value=email data-test="new-user-email"/>
                        <FieldErrorText errors field="email"/>
                    </div>
                    <div class="field">
                        <label for="u-name">{t.name}</label>
                        <input id="u-name" type="text" bind:value=name data-test="new-user-name"/>
                        <FieldErrorText errors field="name"/>
                    </div>
                    <div class="field">
                        <label for="u-dept">{t.department}</label>
                        <input id="u-dept" type="text" bind:value=department/>
                    </div>
                    <div class="field">
                        <label for="u-role">{t.role}</label>
                        <select id="u-role" data-test="new-user-role"
                            on:change=on_role>
                            {Role::ALL.iter().map(|r| view! { <option value=r.as_str() selected=*r == Role::Requester>{r.text()}</option> }).collect_view()}
                        </select>
                    </div>
                </div>
                <div class="field">
                    <label for="u-pass">{t.temporary_password_label}</label>
                    <input id="u-pass" type="text" autocomplete="off" bind:value=password data-test="new-user-password"/>
                    <FieldErrorText errors field="temporary_password"/>
                </div>
                <div class="actions"><button type="submit" class="btn btn-primary" data-test="new-user-save">{t.create_user}</button></div>
            </form>
            </Show>
        </div>
    }
}

/// An email that may wrap after its `@`: on a phone the log's columns are
/// narrower than a long address.
pub(crate) fn breakable_email(email: String) -> AnyView {
    match email.split_once('@') {
        Some((local, domain)) => {
            let (local, domain) = (format!("{local}@"), domain.to_string());
            view! { {local}<wbr/>{domain} }.into_any()
        }
        None => email.into_any(),
    }
}

/// The log answers 50 lines at a time, newest first.
const LOG_PAGE: usize = 50;

fn line_id(l: &SecurityEntry) -> i64 {
    l.id
}

/// One page of the log in the shape the list helpers share: the cursor is
/// the id of the oldest line shown.
async fn log_page(before: Option<String>) -> Result<Page<SecurityEntry>, ApiError> {
    let lines = security_log(before.and_then(|b| b.parse().ok())).await?;
    let next_cursor = (lines.len() >= LOG_PAGE)
        .then(|| lines.last().map(|l| l.id.to_string()))
        .flatten();
    Ok(Page {
        items: lines,
        next_cursor,
    })
}

#[component]
fn LogRow(line: SecurityEntry) -> impl IntoView {
    let t = AdminT::get();
    let lang = use_lang();
    let l = line;
    view! {
        <tr data-test="log-line">
            <td class="nowrap muted stack-head">{date_time(l.at)}</td>
            <td class="stack-title" data-test="log-kind">{l.kind.label_in(lang)}</td>
            <td data-label=t.account>{breakable_email(l.who().to_string())}</td>
            <td data-label=t.by>{breakable_email(l.actor_email.clone().unwrap_or_else(|| "—".into()))}</td>
            <td data-label=t.address>{l.client_ip}</td>
            <td data-label=t.detail>{l.detail.map(|d| d.render(lang)).unwrap_or_else(|| "—".into())}</td>
        </tr>
    }
}

#[component]
pub fn SecurityLogPage() -> impl IntoView {
    let t = AdminT::get();
    let query = use_query_map();
    // Older lines added with "Load more" are kept in the address and
    // replayed from it, as on the asset list (see `components::load_more`).
    let log = Resource::new(
        || (),
        move |_| replay(log_page, trail_from(&query.read_untracked()), line_id),
    );
    let more = LoadMore::new(log);
    let load_more = more.on_click(
        "/admin/security",
        String::new,
        |next| log_page(Some(next)),
        line_id,
    );
    view! {
        <Title text=t.security_log/>
        <div class="page-head"><h1>{t.security_log}</h1>{admin_tabs("/admin/security")}</div>
        <Transition fallback=|| view! { <SkeletonRows rows=10 columns=6/> }>
            {move || log.get().map(|r| match r {
                Err(e) => view! { <LoadFailed error=e on_retry=Callback::new(move |_| log.refetch())/> }.into_any(),
                Ok(page) if page.items.is_empty() => view! {
                    <section class="empty" data-test="empty-log">
                        <h2>{t.log_empty}</h2>
                        <p>{t.log_empty_hint}</p>
                    </section>
                }.into_any(),
                Ok(page) => {
                    let has_next = page.next_cursor.is_some();
                    let load_more = load_more.clone();
                    view! {
                        <div class="table-wrap">
                            <table data-test="security-log" class="security-log stack">
                                <thead><tr>
                                    <th scope="col">{t.when}</th><th scope="col">{t.event}</th><th scope="col">{t.account}</th>
                                    <th scope="col">{t.by}</th><th scope="col">{t.address}</th><th scope="col">{t.detail}</th>
                                </tr></thead>
                                <tbody>
                                    {more.table_rows(page.items, line_id, |line| view! { <LogRow line/> })}
                                </tbody>
                            </table>
                        </div>
                        {more.footer(has_next, load_more)}
                    }.into_any()
                }
            })}
        </Transition>
    }
}

#[component]
pub fn AdminSettingsPage() -> impl IntoView {
    let t = AdminT::get();
    let policy = Resource::new(|| (), |_| get_approval_policy());
    view! {
        <Title text=t.policy/>
        <div class="page-head"><h1>{t.policy}</h1>{admin_tabs("/admin/settings")}</div>
        <Transition fallback=|| view! { <SkeletonRows rows=3 columns=2/> }>
            {move || policy.get().map(|r| match r {
                Err(e) => view! { <LoadFailed error=e on_retry=Callback::new(move |_| policy.refetch())/> }.into_any(),
                Ok(p) => view! { <PolicyForm policy=p/> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn PolicyForm(policy: crate::domain::approval::ApprovalPolicy) -> impl IntoView {
    let t = AdminT::get();
    let lang = use_lang();
    let levels = RwSignal::new(
        policy
            .thresholds
            .iter()
            .map(|m| RwSignal::new(m.input_text()))
            .collect::<Vec<_>>(),
    );
    let tolerance = RwSignal::new(policy.cost_tolerance_percent.to_string());
    let split = RwSignal::new(policy.route_split_purchases);
    let errors = RwSignal::new(FieldErrors::new());
    let message = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let values: Vec<String> = levels.get().iter().map(|s| s.get()).collect();
        spawn_local(async move {
            match set_approval_policy(values, tolerance.get_untracked(), split.get_untracked())
                .await
            {
                Ok(p) => {
                    errors.set(FieldErrors::new());
                    message.set(Some(fill(t.saved_levels, &[&p.thresholds.len()])));
                }
                Err(ApiError::Validation(e)) => errors.set(e),
                Err(e) => message.set(Some(e.phrase(lang))),
            }
        });
    };
    view! {
        <form class="card form" on:submit=submit novalidate data-test="policy-form">
            <p class="muted">{t.policy_intro}</p>
            {move || levels.get().into_iter().enumerate().map(|(i, value)| {
                let id = format!("level-{}", i + 1);
                view! {
                    <div class="field">
                        <label for=id.clone()>{fill(t.level_from, &[&(i + 1)])}</label>
                        <input id=id type="text" inputmode="decimal" bind:value=value data-test="threshold"/>
                        <FieldErrorText errors field=format!("thresholds[{i}]")/>
                    </div>
                }
            }).collect_view()}
            <FieldErrorText errors field="thresholds"/>
            <div class="field">
                <label for="cost-tolerance">{t.cost_tolerance}</label>
                <input id="cost-tolerance" class="input-short" type="text" inputmode="numeric" bind:value=tolerance data-test="cost-tolerance"/>
                <p class="muted small">{t.cost_tolerance_hint}</p>
                <FieldErrorText errors field="cost_tolerance_percent"/>
            </div>
            <label class="checkbox">
                <input type="checkbox" bind:checked=split data-test="route-split"/>
                " " {t.route_split}
            </label>
            {move || message.get().map(|m| view! { <p class="notice" role="status" data-test="notice">{m}</p> })}
            <div class="actions">
                <button type="button" class="btn btn-quiet" on:click=move |_| levels.update(|l| { l.pop(); })>{t.remove_last_level}</button>
                <button type="button" class="btn" on:click=move |_| levels.update(|l| l.push(RwSignal::new(String::new())))>{t.add_level}</button>
                <button type="submit" class="btn btn-primary" data-test="policy-save">{t.save_policy}</button>
            </div>
        </form>
    }
}

crate::texts! {
    AdminT {
        administration: "Administration", "Administrasi";
        users: "Users", "Pengguna";
        policy: "Approval policy", "Kebijakan persetujuan";
        security_log: "Security log", "Log keamanan";
        service_levels: "Service levels", "Target layanan";
        notifications: "Notifications", "Notifikasi";
        users_intro: "A requester's manager decides the first approval level of their requests when the manager is an approver. Changing a role or deactivating someone signs them out everywhere.", "Atasan pemohon memutuskan persetujuan tingkat pertama atas permintaannya bila atasan itu pemberi persetujuan. Mengubah peran atau menonaktifkan seseorang membuatnya keluar di semua perangkat.";
        created: "Created {0}. They must choose their own password at first sign-in.", "{0} sudah dibuat. Pengguna ini harus memilih kata sandinya sendiri saat pertama kali masuk.";
        name: "Name", "Nama";
        department: "Department", "Departemen";
        role: "Role", "Peran";
        manager: "Manager", "Atasan";
        status: "Status", "Status";
        password: "Password", "Kata sandi";
        saved: "Saved {0}.", "{0} disimpan.";
        failed_for: "{0}: {1}", "{0}: {1}";
        temporary_password: "Temporary password for {0}: {1} (give it to them privately; they must change it at sign-in).", "Kata sandi sementara untuk {0}: {1} (berikan secara pribadi; wajib diganti saat masuk).";
        role_of: "Role of {0}", "Peran {0}";
        manager_of: "Manager of {0}", "Atasan {0}";
        no_manager: "No manager", "Tanpa atasan";
        active_deactivate: "Active · deactivate", "Aktif · nonaktifkan";
        inactive_reactivate: "Inactive · reactivate", "Nonaktif · aktifkan lagi";
        reset: "Reset", "Atur ulang";
        must_change: "must change at sign-in", "wajib diganti saat masuk";
        add_user: "Add a user", "Tambah pengguna";
        email: "Email", "Email";
        temporary_password_label: "Temporary password (leave empty for single sign-on only)", "Kata sandi sementara (kosongkan bila hanya masuk lewat SSO)";
        create_user: "Create user", "Buat pengguna";
        when: "When", "Waktu";
        event: "Event", "Kejadian";
        account: "Account", "Akun";
        by: "By", "Oleh";
        address: "Address", "Alamat IP";
        detail: "Detail", "Keterangan";
        log_empty: "Nothing recorded yet", "Belum ada catatan";
        log_empty_hint: "Sign-ins, password changes and role changes appear here.", "Aktivitas masuk, penggantian kata sandi, dan perubahan peran akan muncul di sini.";
        policy_intro: "A request needs approval level n when its estimated total reaches level n's threshold. Each level starts above the one before.", "Permintaan memerlukan persetujuan tingkat n bila perkiraan totalnya mencapai ambang tingkat n. Setiap tingkat dimulai di atas tingkat sebelumnya.";
        saved_levels: "Saved: {0} approval level(s).", "Tersimpan: {0} tingkat persetujuan.";
        level_from: "Level {0} from (Rp)", "Tingkat {0} mulai dari (Rp)";
        remove_last_level: "Remove last level", "Hapus tingkat terakhir";
        add_level: "Add level", "Tambah tingkat";
        save_policy: "Save policy", "Simpan kebijakan";
        cost_tolerance: "Cost tolerance (%)", "Toleransi biaya (%)";
        cost_tolerance_hint: "A request completed for more than its approved total plus this much goes back to the approval level of the new amount first.", "Permintaan yang diselesaikan dengan biaya melebihi total yang disetujui ditambah persentase ini harus disetujui lagi pada tingkat untuk jumlah baru.";
        route_split: "Send split purchases to approval: a requester's open requests in one category within 7 days that together reach a threshold", "Arahkan pembelian terpecah ke persetujuan: permintaan terbuka seorang pemohon dalam satu kategori selama 7 hari yang bersama-sama mencapai ambang";
    }
}
