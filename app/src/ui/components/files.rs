//! Photos and documents: thumbnails that open the full image in a dialog,
//! and a picker that sends several files with progress. Every form here
//! also posts as plain HTML, so attaching works before (or without) the
//! WebAssembly bundle.

use crate::api::files::remove_file;
use crate::domain::attachment::{size_words, Attachment, Owner};
use crate::i18n::{fill, Common};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Images a phone camera or gallery gives, and the documents GA keeps.
const ACCEPT: &str = "image/*,.pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp,.txt,.csv";

/// The cookie-authorised address of a file (the page never shows signed
/// links, which expire while a tab stays open).
fn file_url(id: uuid::Uuid, thumb: bool) -> String {
    format!("/files/{id}/{}", if thumb { "thumb" } else { "original" })
}

/// A file chosen but not yet sent.
#[derive(Clone)]
pub struct Picked {
    key: u32,
    name: String,
    size: f64,
    /// An object URL showing a chosen photo before it is sent.
    preview: Option<String>,
    #[cfg(feature = "hydrate")]
    file: web_sys::File,
}

/// In the browser a chosen file is a JS object that must stay on its
/// thread; on the server nothing is ever chosen, and a page's signals
/// may be dropped on another thread than the one that rendered it.
#[cfg(feature = "hydrate")]
type PickedStorage = LocalStorage;
#[cfg(not(feature = "hydrate"))]
type PickedStorage = SyncStorage;

/// Files chosen in a form, kept in the browser until sent.
#[derive(Clone, Copy)]
pub struct Pending {
    files: RwSignal<Vec<Picked>, PickedStorage>,
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    next: StoredValue<u32>,
}

impl Default for Pending {
    fn default() -> Self {
        Pending {
            #[cfg(feature = "hydrate")]
            files: RwSignal::new_local(Vec::new()),
            #[cfg(not(feature = "hydrate"))]
            files: RwSignal::new(Vec::new()),
            next: StoredValue::new(0),
        }
    }
}

impl Pending {
    pub fn is_empty(&self) -> bool {
        self.files.with(Vec::is_empty)
    }

    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    pub fn clear(&self) {
        #[cfg(feature = "hydrate")]
        for p in self.files.get_untracked() {
            if let Some(url) = p.preview {
                let _ = web_sys::Url::revoke_object_url(&url);
            }
        }
        self.files.set(Vec::new());
    }

    fn remove(&self, key: u32) {
        self.files.update(|v| v.retain(|p| p.key != key));
    }

    #[cfg(feature = "hydrate")]
    fn add_from(&self, input: &web_sys::HtmlInputElement) {
        let Some(list) = input.files() else { return };
        for i in 0..list.length() {
            let Some(file) = list.get(i) else { continue };
            let key = self.next.get_value();
            self.next.set_value(key + 1);
            let preview = file
                .type_()
                .starts_with("image/")
                .then(|| web_sys::Url::create_object_url_with_blob(&file).ok())
                .flatten();
            self.files.update(|v| {
                v.push(Picked {
                    key,
                    name: file.name(),
                    size: file.size(),
                    preview,
                    file,
                })
            });
        }
        // The same file can be chosen again after it was removed.
        input.set_value("");
    }
}

/// Sends the chosen files (and any extra fields) to `owner`'s REST
/// collection, reporting progress from 0 to 100. The error is the
/// server's explanation, in the page's language.
pub async fn send(
    owner: Owner,
    pending: Pending,
    fields: Vec<(&'static str, String)>,
    progress: RwSignal<Option<u32>>,
) -> Result<(), String> {
    #[cfg(feature = "hydrate")]
    {
        let form = web_sys::FormData::new().map_err(|_| FilesT::get().failed.to_string())?;
        for (k, v) in &fields {
            let _ = form.append_with_str(k, v);
        }
        for p in pending.files.get_untracked() {
            let _ = form.append_with_blob_and_filename("files", &p.file, &p.name);
        }
        progress.set(Some(0));
        let result = xhr::post(&owner.api_path(), form, move |done| {
            progress.set(Some(done))
        })
        .await;
        progress.set(None);
        match result {
            Ok(()) => {
                pending.clear();
                Ok(())
            }
            Err(e) => Err(e),
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (owner, pending, fields, progress);
        Err(FilesT::get().failed.to_string())
    }
}

#[cfg(feature = "hydrate")]
mod xhr {
    use futures::channel::oneshot;
    use leptos::wasm_bindgen::closure::Closure;
    use leptos::wasm_bindgen::JsCast;
    use std::cell::RefCell;
    use std::rc::Rc;

    /// A multipart POST with upload progress, which `fetch` cannot report.
    pub async fn post(
        url: &str,
        form: web_sys::FormData,
        on_progress: impl Fn(u32) + 'static,
    ) -> Result<(), String> {
        let failed = || super::FilesT::get().failed.to_string();
        let request = web_sys::XmlHttpRequest::new().map_err(|_| failed())?;
        request.open("POST", url).map_err(|_| failed())?;
        let _ = request.set_request_header("Accept", "application/json");
        let lang = crate::i18n::use_lang();
        let _ = request.set_request_header("Accept-Language", lang.code());
        let (tx, rx) = oneshot::channel::<()>();
        let tx = Rc::new(RefCell::new(Some(tx)));
        let progress =
            Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
                if e.length_computable() && e.total() > 0.0 {
                    on_progress((e.loaded() / e.total() * 100.0).round() as u32);
                }
            });
        let finished = Closure::<dyn FnMut(web_sys::Event)>::new({
            let tx = tx.clone();
            move |_| {
                if let Some(tx) = tx.borrow_mut().take() {
                    let _ = tx.send(());
                }
            }
        });
        if let Ok(upload) = request.upload() {
            upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
        }
        request.set_onloadend(Some(finished.as_ref().unchecked_ref()));
        request
            .send_with_opt_form_data(Some(&form))
            .map_err(|_| failed())?;
        let _ = rx.await;
        drop((progress, finished));
        let status = request.status().unwrap_or(0);
        if (200..300).contains(&status) {
            return Ok(());
        }
        if status == 0 {
            return Err(super::FilesT::get().offline.to_string());
        }
        let body = request.response_text().ok().flatten().unwrap_or_default();
        Err(serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v.get("detail")?.as_str().map(str::to_string))
            .unwrap_or_else(failed))
    }
}

/// The two ways to choose: files from the device, or the camera straight
/// away on a phone. Without WebAssembly they are plain inputs of the
/// surrounding form; with it, chosen files are listed with a remove button.
#[component]
pub fn FilePicker(pending: Pending, #[prop(into)] id: String) -> impl IntoView {
    let t = FilesT::get();
    let pick = format!("{id}-pick");
    let camera = format!("{id}-camera");
    let on_change = move |_ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use leptos::wasm_bindgen::JsCast;
            if let Some(input) = _ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                pending.add_from(&input);
            }
        }
    };
    view! {
        <div class="file-picker" data-test="file-picker">
            <label class="btn" for=pick.clone()>{t.choose}</label>
            <input id=pick class="file-input" type="file" name="files" multiple accept=ACCEPT
                data-test="file-input" on:change=on_change/>
            <label class="btn" for=camera.clone()>{t.take_photo}</label>
            <input id=camera class="file-input" type="file" name="files" accept="image/*" capture="environment"
                data-test="camera-input" on:change=on_change/>
            <span class="muted small">{t.allowed}</span>
        </div>
        <Show when=move || !pending.is_empty()>
            <ul class="pending-files" data-test="pending-files" aria-label=t.chosen>
                <For each=move || pending.files.get() key=|p| p.key let:p>
                    <li data-test="pending-file">
                        {p.preview.clone().map(|src| view! { <img src=src alt="" class="pending-thumb"/> })}
                        <span class="pending-name">{p.name.clone()}</span>
                        <span class="muted small">{size_words(p.size as i64)}</span>
                        <button type="button" class="btn btn-quiet btn-icon" data-test="pending-remove"
                            aria-label=fill(t.remove_named, &[&p.name])
                            on:click=move |_| pending.remove(p.key)>"✕"</button>
                    </li>
                </For>
            </ul>
        </Show>
    }
}

/// A bar while files go up.
#[component]
pub fn UploadProgress(progress: RwSignal<Option<u32>>) -> impl IntoView {
    let t = FilesT::get();
    move || {
        progress.get().map(|p| {
            view! {
                <div class="upload-progress" data-test="upload-progress">
                    <progress max="100" value=p aria-label=t.uploading></progress>
                    <span class="small" aria-live="polite">{format!("{p}%")}</span>
                </div>
            }
        })
    }
}

/// The files section of a ticket or an asset: what is there, and a form
/// to add more.
#[component]
pub fn FilesCard(
    owner: Owner,
    files: Vec<Attachment>,
    /// Whether the reader may add files now (the owner is open).
    can_add: bool,
    on_change: Callback<()>,
) -> impl IntoView {
    let t = FilesT::get();
    let pending = Pending::default();
    let progress = RwSignal::new(None);
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.is_empty() {
            error.set(Some(t.choose_first.to_string()));
            return;
        }
        error.set(None);
        spawn_local(async move {
            match send(owner, pending, Vec::new(), progress).await {
                Ok(()) => on_change.run(()),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let empty = files.is_empty();
    view! {
        <section class="card" id="files" data-test="files">
            <h2>{t.heading}</h2>
            {empty.then(|| view! { <p class="muted" data-test="no-files">{t.none}</p> })}
            <Gallery owner files on_change/>
            {can_add.then(|| view! {
                <form class="form upload-form" method="post" enctype="multipart/form-data"
                    action=owner.form_path() on:submit=submit data-test="upload-form">
                    <FilePicker pending id="files"/>
                    <UploadProgress progress/>
                    {move || error.get().map(|e| view! { <p class="form-error" role="alert" data-test="upload-error">{e}</p> })}
                    <div class="actions">
                        <button type="submit" class="btn btn-primary" data-test="upload-send"
                            disabled=move || progress.get().is_some()>{t.upload}</button>
                    </div>
                </form>
            })}
        </section>
    }
}

/// Thumbnails for images, links for documents; a click on a thumbnail
/// opens the full image in a dialog (Escape closes, arrows step through).
#[component]
pub fn Gallery(
    owner: Owner,
    files: Vec<Attachment>,
    on_change: Callback<()>,
    /// Thumbnails only (in the timeline): no names, no remove buttons.
    #[prop(optional)]
    compact: bool,
) -> impl IntoView {
    let t = FilesT::get();
    let images: Vec<Attachment> = files
        .iter()
        .filter(|f| f.kind.is_image())
        .cloned()
        .collect();
    let shown = RwSignal::new(None::<usize>);
    let error = RwSignal::new(None::<String>);
    let remove = move |owner: Owner, id: uuid::Uuid| {
        spawn_local(async move {
            match remove_file(owner, id).await {
                Ok(()) => on_change.run(()),
                Err(e) => error.set(Some(crate::i18n::Localized::localized(&e))),
            }
        });
    };
    let items = files
        .into_iter()
        .map(|f| {
            let image_index = images.iter().position(|i| i.id == f.id);
            let id = f.id;
            let label = fill(t.open_named, &[&f.name]);
            let meta = size_words(f.size);
            let internal = f.internal;
            let shown_part = match image_index {
                Some(i) => view! {
                    <a class="file-thumb" href=file_url(f.id, false) aria-label=label data-test="file-thumb"
                        on:click=move |ev| { ev.prevent_default(); shown.set(Some(i)); }>
                        <img src=file_url(f.id, true) alt=f.name.clone() loading="lazy"
                            width=f.width.map(|w| w.min(320)) height=f.height.map(|h| h.min(320))/>
                    </a>
                }
                .into_any(),
                None => view! {
                    <a class="file-doc" href=file_url(f.id, false) data-test="file-link">
                        <span class="file-icon" aria-hidden="true">{f.kind.extensions()[0].to_uppercase()}</span>
                    </a>
                }
                .into_any(),
            };
            if compact {
                return view! { <li class="file compact">{shown_part}</li> }.into_any();
            }
            view! {
                <li class="file" data-test="file">
                    {shown_part}
                    <div class="file-meta">
                        <a href=file_url(f.id, false) class="file-name" data-test="file-name">{f.name.clone()}</a>
                        <span class="muted small">{meta} " · " {f.uploaded_by.name.clone()}</span>
                        {internal.then(|| view! { <span class="badge internal-badge">{t.staff_only}</span> })}
                    </div>
                    {f.removable.then(|| view! {
                        <button type="button" class="btn btn-quiet btn-icon" data-test="file-remove"
                            aria-label=fill(t.remove_named, &[&f.name])
                            on:click=move |_| remove(owner, id)>"✕"</button>
                    })}
                </li>
            }
            .into_any()
        })
        .collect_view();
    view! {
        {move || error.get().map(|e| view! { <p class="form-error" role="alert" data-test="file-error">{e}</p> })}
        <ul class="files-grid" class:compact=compact>{items}</ul>
        <Lightbox images shown/>
    }
}

/// The full image over the page, with its name; focus moves to the close
/// button so keyboard and screen-reader users land inside the dialog.
#[component]
fn Lightbox(images: Vec<Attachment>, shown: RwSignal<Option<usize>>) -> impl IntoView {
    let t = FilesT::get();
    let close_word = Common::get().close;
    let count = images.len();
    let images = StoredValue::new(images);
    let close_ref = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if shown.get().is_some() {
            if let Some(b) = close_ref.get() {
                let _ = b.focus();
            }
        }
    });
    let step = move |by: isize| {
        shown.update(|s| {
            if let Some(i) = s {
                *i = ((*i as isize + by).rem_euclid(count.max(1) as isize)) as usize;
            }
        })
    };
    move || {
        shown.get().and_then(|i| images.with_value(|v| v.get(i).cloned())).map(|img| {
            let position = fill(t.n_of_m, &[&(shown.get_untracked().unwrap_or(0) + 1), &count]);
            view! {
                <div class="modal-backdrop" on:click=move |_| shown.set(None)>
                    <div class="modal lightbox" role="dialog" aria-modal="true" aria-labelledby="lightbox-title"
                        data-test="lightbox"
                        on:click=|ev| ev.stop_propagation()
                        on:keydown=move |ev| match ev.key().as_str() {
                            "Escape" => shown.set(None),
                            "ArrowRight" => step(1),
                            "ArrowLeft" => step(-1),
                            _ => {}
                        }>
                        <div class="modal-head">
                            <h2 id="lightbox-title">{img.name.clone()}</h2>
                            <button type="button" class="btn btn-quiet btn-icon" aria-label=close_word
                                node_ref=close_ref data-test="lightbox-close"
                                on:click=move |_| shown.set(None)>"✕"</button>
                        </div>
                        <img class="lightbox-image" src=file_url(img.id, false) alt=img.name.clone()
                            data-test="lightbox-image"/>
                        <div class="actions">
                            {(count > 1).then(|| view! {
                                <button type="button" class="btn" on:click=move |_| step(-1) data-test="lightbox-prev">{t.previous}</button>
                                <span class="muted small">{position.clone()}</span>
                                <button type="button" class="btn" on:click=move |_| step(1) data-test="lightbox-next">{t.next}</button>
                            })}
                            <a class="btn" href=file_url(img.id, false) download=img.name.clone()>{t.download}</a>
                        </div>
                    </div>
                </div>
            }
        })
    }
}

crate::texts! {
    FilesT {
        heading: "Photos and documents", "Foto dan dokumen";
        none: "Nothing attached yet.", "Belum ada lampiran.";
        choose: "Choose files", "Pilih berkas";
        take_photo: "Take a photo", "Ambil foto";
        allowed: "Photos (JPEG, PNG, WebP), PDF, Office documents or text.", "Foto (JPEG, PNG, WebP), PDF, dokumen Office atau teks.";
        chosen: "Files to send", "Berkas yang akan dikirim";
        choose_first: "Choose at least one file.", "Pilih paling sedikit satu berkas.";
        remove_named: "Remove {0}", "Hapus {0}";
        open_named: "Open {0}", "Buka {0}";
        uploading: "Uploading", "Mengunggah";
        upload: "Attach", "Lampirkan";
        staff_only: "Staff only", "Khusus staf";
        previous: "Previous", "Sebelumnya";
        next: "Next", "Berikutnya";
        n_of_m: "{0} of {1}", "{0} dari {1}";
        download: "Download", "Unduh";
        failed: "The files could not be sent. Try again.", "Berkas tidak dapat dikirim. Coba lagi.";
        offline: "No connection to GA Desk. Check your network and try again.", "Tidak ada koneksi ke GA Desk. Periksa jaringan Anda lalu coba lagi.";
        attach_with_request: "Photos or documents (optional)", "Foto atau dokumen (opsional)";
        open_request: "Open the request", "Buka permintaan";
        attach_failed: "Your request {0} was created, but the files were not attached: {1}", "Permintaan {0} sudah dibuat, tetapi berkas tidak terlampir: {1}";
    }
}
