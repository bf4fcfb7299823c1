use crate::domain::FieldErrors;
use leptos::prelude::*;

/// The error for one field, shown under its input, if there is one.
#[component]
pub fn FieldErrorText(errors: RwSignal<FieldErrors>, #[prop(into)] field: String) -> impl IntoView {
    let lang = crate::i18n::use_lang();
    let test_id = format!("error-{field}");
    let id = format!("err-{}", field.replace(['[', ']', '.'], "-"));
    move || {
        errors.with(|e| e.get(&field).map(|m| m.render(lang))).map(|message| {
            view! {
                <p class="field-error" id=id.clone() data-test=test_id.clone() role="alert">{message}</p>
            }
        })
    }
}
