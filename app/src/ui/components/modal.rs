use leptos::prelude::*;

/// A modal dialog drawn over the page. Escape or the close button call
/// `on_close`.
#[component]
pub fn Modal(
    #[prop(into)] title: String,
    #[prop(into)] test_id: String,
    on_close: Callback<()>,
    children: Children,
) -> impl IntoView {
    let close = crate::i18n::Common::get().close;
    let heading = format!("{test_id}-title");
    let labelled_by = heading.clone();
    view! {
        <div class="modal-backdrop">
            <div class="modal" role="dialog" aria-modal="true" aria-labelledby=labelled_by
                data-test=test_id
                on:keydown=move |ev| if ev.key() == "Escape" { on_close.run(()) }>
                <div class="modal-head">
                    <h2 id=heading>{title}</h2>
                    <button type="button" class="btn btn-quiet btn-icon" aria-label=close
                        on:click=move |_| on_close.run(())>"✕"</button>
                </div>
                {children()}
            </div>
        </div>
    }
}
