//! "Load more" for keyset-paged lists (assets, stock, security log), and the
//! way back to the rows it added.
//!
//! Each page added with "Load more" puts its cursor in the address
//! (`after=…`, once per page) by replacing the history entry. Coming back to
//! the list later (Back from a row, a reload) then replays those pages, on
//! the server too, so the same rows are there and the browser can put the
//! reader where they were, instead of on a first page that no longer holds
//! the row they had opened.

use crate::api::ApiError;
use crate::domain::Page;
use crate::i18n::Common;
use crate::i18n::Localized;
use leptos::ev::MouseEvent;
use leptos::prelude::*;
use leptos::tachys::view::keyed::SerializableKey;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use leptos_router::NavigateOptions;
use std::future::Future;
use std::hash::Hash;

/// At most this many "Load more" pages are replayed from the address, so an
/// edited link cannot make one page view run hundreds of queries.
pub(crate) const MAX_TRAIL: usize = 20;

/// The cursors of the pages added with "Load more", in order.
pub(crate) fn trail_from(query: &ParamsMap) -> Vec<String> {
    query
        .get_all("after")
        .unwrap_or_default()
        .into_iter()
        .filter(|c| !c.is_empty())
        .take(MAX_TRAIL)
        .collect()
}

/// `path?filters&after=…&after=…`
pub(crate) fn with_trail(path: &str, filters: String, trail: &[String]) -> String {
    let mut parts = vec![filters];
    parts.extend(
        trail
            .iter()
            .map(|c| format!("after={}", crate::domain::page::encode_query_value(c))),
    );
    parts.retain(|p| !p.is_empty());
    format!("{path}?{}", parts.join("&"))
}

/// Puts the list's address, now one page longer, in place of the current
/// history entry, without scrolling.
fn remember_loaded(
    navigate: impl Fn(&str, NavigateOptions),
    query: &ParamsMap,
    next: String,
    address: impl FnOnce(&[String]) -> String,
) {
    let mut trail = trail_from(query);
    if trail.len() < MAX_TRAIL {
        trail.push(next);
        navigate(
            &address(&trail),
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    }
}

/// The first page and then every page named in the address, as one page. A
/// cursor that no longer works ends the replay rather than failing the list.
pub(crate) async fn replay<T, K: PartialEq, F, Fut>(
    fetch: F,
    trail: Vec<String>,
    id: fn(&T) -> K,
) -> Result<Page<T>, ApiError>
where
    F: Fn(Option<String>) -> Fut,
    Fut: Future<Output = Result<Page<T>, ApiError>>,
{
    let mut page = fetch(None).await?;
    for cursor in trail {
        if page.next_cursor.is_none() {
            break;
        }
        match fetch(Some(cursor)).await {
            Ok(next) => {
                append_new(&mut page.items, next.items, id);
                page.next_cursor = next.next_cursor;
            }
            Err(_) => break,
        }
    }
    Ok(page)
}

/// Adds rows not shown yet: a row added or removed meanwhile shifts the
/// pages, and a row must not appear twice.
pub(crate) fn append_new<T, K: PartialEq>(shown: &mut Vec<T>, items: Vec<T>, id: fn(&T) -> K) {
    for item in items {
        if !shown.iter().any(|s| id(s) == id(&item)) {
            shown.push(item);
        }
    }
}

/// The rows "Load more" added below a list's first page (which already holds
/// the pages replayed from the address), and the state of the next load.
pub(crate) struct LoadMore<T: Send + Sync + 'static> {
    first: Resource<Result<Page<T>, ApiError>>,
    /// Rows added in the browser, after the first page's rows.
    rows: RwSignal<Vec<T>>,
    /// `None` until a page was added; then that page's own next cursor.
    cursor: RwSignal<Option<Option<String>>>,
    loading: RwSignal<bool>,
    error: RwSignal<Option<ApiError>>,
}

// Derived `Clone`/`Copy` would ask the same of `T`; the signals are handles.
impl<T: Send + Sync + 'static> Clone for LoadMore<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: Send + Sync + 'static> Copy for LoadMore<T> {}

impl<T: Clone + Send + Sync + 'static> LoadMore<T> {
    /// Every load of the first page (a new filter, or a refresh after a
    /// change) already holds the pages named in the address, so what "Load
    /// more" added in the browser starts over.
    pub fn new(first: Resource<Result<Page<T>, ApiError>>) -> Self {
        let rows = RwSignal::new(Vec::new());
        let cursor = RwSignal::new(None);
        Effect::new(move |_| {
            first.track();
            rows.set(Vec::new());
            cursor.set(None);
        });
        Self {
            first,
            rows,
            cursor,
            loading: RwSignal::new(false),
            error: RwSignal::new(None),
        }
    }

    /// The "Load more" click: fetches the page after the last one shown,
    /// adds its rows that are not on screen yet, and remembers its cursor in
    /// the address `path?filters&after=…`. `filters` and `fetch` are read at
    /// the click, so the address names what was fetched.
    pub fn on_click<K, F, Fut>(
        self,
        path: &'static str,
        filters: impl Fn() -> String + Clone + Send + Sync + 'static,
        fetch: F,
        id: fn(&T) -> K,
    ) -> impl Fn(MouseEvent) + Clone + Send + Sync + 'static
    where
        K: PartialEq + 'static,
        F: Fn(String) -> Fut + Clone + Send + Sync + 'static,
        Fut: Future<Output = Result<Page<T>, ApiError>> + 'static,
    {
        let navigate = use_navigate();
        let query = use_query_map();
        move |_| {
            let Self {
                first,
                rows,
                cursor,
                loading,
                error,
            } = self;
            let next = cursor
                .get()
                .flatten()
                .or_else(|| first.get().and_then(|r| r.ok()).and_then(|p| p.next_cursor));
            let Some(next) = next else { return };
            loading.set(true);
            let navigate = navigate.clone();
            let filters = filters();
            let page = fetch(next.clone());
            leptos::task::spawn_local(async move {
                match page.await {
                    Ok(page) => {
                        let shown: Vec<T> = first
                            .get_untracked()
                            .and_then(|r| r.ok())
                            .map(|p| p.items)
                            .unwrap_or_default();
                        rows.update(|m| {
                            let mut items = page.items;
                            items.retain(|i| !shown.iter().any(|s| id(s) == id(i)));
                            append_new(m, items, id);
                        });
                        cursor.set(Some(page.next_cursor));
                        error.set(None);
                        remember_loaded(navigate, &query.get_untracked(), next, |trail| {
                            with_trail(path, filters, trail)
                        });
                    }
                    Err(e) => error.set(Some(e)),
                }
                loading.set(false);
            });
        }
    }

    /// The first page's rows, then the ones "Load more" added, which keep
    /// their place (by `key`) as more arrive.
    pub fn table_rows<K, V>(
        self,
        first: Vec<T>,
        key: fn(&T) -> K,
        row: impl Fn(T) -> V + Clone + Send + 'static,
    ) -> impl IntoView
    where
        K: Eq + Hash + SerializableKey + 'static,
        V: IntoView + 'static,
    {
        let rows = self.rows;
        view! {
            {first.into_iter().map(row.clone()).collect_view()}
            <For each=move || rows.get() key=key children=row/>
        }
    }

    /// Below the list: why the last load failed, and the button while there
    /// is a next page. `first_has_next` is the rendered first page's own.
    pub fn footer(
        self,
        first_has_next: bool,
        on_click: impl Fn(MouseEvent) + Clone + Send + Sync + 'static,
    ) -> impl IntoView {
        let c = Common::get();
        let Self {
            cursor,
            loading,
            error,
            ..
        } = self;
        let has_more = move || match cursor.get() {
            Some(c) => c.is_some(),
            None => first_has_next,
        };
        view! {
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e.localized()}</p> })}
            <Show when=has_more>
                <div class="load-more">
                    <button class="btn" on:click=on_click.clone() data-test="load-more" disabled=move || loading.get()>
                        {move || if loading.get() { c.loading } else { c.load_more }}
                    </button>
                </div>
            </Show>
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_names_each_loaded_page_after_the_filters() {
        let trail = vec!["abc.def".to_string(), "ghi.jkl".to_string()];
        assert_eq!(
            with_trail("/assets", "q=laptop".into(), &trail),
            "/assets?q=laptop&after=abc.def&after=ghi.jkl"
        );
        assert_eq!(
            with_trail("/admin/security", String::new(), &trail[..1]),
            "/admin/security?after=abc.def"
        );
        let mut query = ParamsMap::new();
        for c in ["one", "", "two"] {
            query.insert("after", c.to_string());
        }
        assert_eq!(trail_from(&query), vec!["one", "two"]);
        for i in 0..MAX_TRAIL + 5 {
            query.insert("after", i.to_string());
        }
        assert_eq!(trail_from(&query).len(), MAX_TRAIL);
    }

    #[test]
    fn a_row_shifted_onto_the_next_page_is_not_shown_twice() {
        let mut shown = vec![1, 2, 3];
        append_new(&mut shown, vec![3, 4, 4, 5], |n| *n);
        assert_eq!(shown, vec![1, 2, 3, 4, 5]);
    }
}
