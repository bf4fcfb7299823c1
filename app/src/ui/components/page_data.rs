//! A page's data, loaded on the server and shipped inside the page's own
//! HTML under a fixed name, which the browser reads back when it hydrates.
//!
//! Why not a plain `Resource`: Leptos hands a resource's data to the browser
//! by a counter of things created in order (resources, `Suspense`s). On the
//! server the header's `Transition` re-runs its content, re-creating the
//! notification bell's resource, on another thread while the page is being
//! created, so a page's resources do not always get the same numbers as in
//! the browser (seen: the dashboard's data under 5, 6 or 7 for the same
//! page). Such a resource misses its data, fetches again and, when someone
//! changed the queue meanwhile, renders different markup than the server
//! sent: the "expected a marker node" hydration panic. Data under a fixed
//! name does not depend on that counter.
//!
//! On the server this is a `Resource` (so `Transition` waits for it and the
//! page arrives complete); in the browser a signal that starts with the
//! shipped value and fetches again only when asked or when the key changes.

use leptos::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::future::Future;

pub struct PageData<T: Send + Sync + 'static> {
    name: &'static str,
    #[cfg(feature = "ssr")]
    resource: Resource<T>,
    #[cfg(not(feature = "ssr"))]
    value: RwSignal<Option<T>>,
    #[cfg(not(feature = "ssr"))]
    loading: RwSignal<bool>,
    #[cfg(not(feature = "ssr"))]
    again: RwSignal<u32>,
}

impl<T: Send + Sync + 'static> Clone for PageData<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for PageData<T> {}

impl<T> PageData<T>
where
    T: Clone + Serialize + DeserializeOwned + Send + Sync + 'static,
{
    /// `name` must be unique on the page (it is the script element's id);
    /// `key` is what the data depends on (the address's filters).
    pub fn new<K, Fut>(
        name: &'static str,
        key: impl Fn() -> K + Send + Sync + 'static,
        fetch: impl Fn(K) -> Fut + Send + Sync + 'static,
    ) -> Self
    where
        K: PartialEq + Clone + Send + Sync + 'static,
        Fut: Future<Output = T> + Send + 'static,
    {
        #[cfg(feature = "ssr")]
        {
            Self {
                name,
                resource: Resource::new(key, fetch),
            }
        }
        #[cfg(not(feature = "ssr"))]
        {
            let value = RwSignal::new(shipped::<T>(name));
            let loading = RwSignal::new(false);
            let again = RwSignal::new(0u32);
            let key = Memo::new(move |_| key());
            // Answers to an older request must not overwrite a newer one.
            let latest = StoredValue::new(0u64);
            Effect::new(move |ran: Option<()>| {
                let k = key.get();
                again.track();
                if ran.is_none() && value.with_untracked(Option::is_some) {
                    return;
                }
                let ticket = latest.get_value() + 1;
                latest.set_value(ticket);
                loading.set(true);
                let answer = fetch(k);
                leptos::task::spawn_local(async move {
                    let v = answer.await;
                    if latest.get_value() == ticket {
                        value.set(Some(v));
                        loading.set(false);
                    }
                });
            });
            Self {
                name,
                value,
                loading,
                again,
            }
        }
    }

    /// The data (tracked); `None` until it first arrives.
    pub fn get(&self) -> Option<T> {
        #[cfg(feature = "ssr")]
        {
            self.resource.get()
        }
        #[cfg(not(feature = "ssr"))]
        {
            self.value.get()
        }
    }

    /// Loads again (after a change this page made).
    pub fn refetch(&self) {
        #[cfg(not(feature = "ssr"))]
        self.again.update(|n| *n += 1);
    }

    /// True while newer data is on its way (the old stays shown).
    pub fn loading(&self) -> bool {
        #[cfg(feature = "ssr")]
        {
            false
        }
        #[cfg(not(feature = "ssr"))]
        {
            self.loading.get()
        }
    }

    /// The shipped copy; render it inside the `Transition` that shows the
    /// data, so the server writes it once the data is there.
    pub fn script(self) -> impl IntoView {
        let json = move || {
            self.get()
                .and_then(|v| serde_json::to_string(&v).ok())
                // `<` only occurs inside JSON strings, where `\u003c` means
                // the same: the text can never close the script element.
                .map(|s| s.replace('<', "\\u003c"))
                .unwrap_or_default()
        };
        view! { <script type="application/json" id=self.name inner_html=json></script> }
    }
}

/// What the server shipped under `name`, while the page hydrates.
#[cfg(not(feature = "ssr"))]
fn shipped<T: DeserializeOwned>(name: &str) -> Option<T> {
    #[cfg(feature = "hydrate")]
    {
        let hydrating = Owner::current_shared_context().is_some_and(|sc| sc.during_hydration());
        if !hydrating {
            return None;
        }
        let text = document().get_element_by_id(name)?.text_content()?;
        serde_json::from_str(&text).ok()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = name;
        None
    }
}
