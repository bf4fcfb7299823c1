//! The page a file upload without WebAssembly lands on when it is refused:
//! why, in the reader's language, and the way back to the request. (When
//! it works, the browser goes straight back to the request.)

use super::esc;
use domain::Lang;

pub fn refused_page(lang: Lang, why: &str, back: &str) -> String {
    let t = UploadT::of(lang);
    format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · GA Desk</title><link rel=\"stylesheet\" href=\"/pkg/gadesk.css\"></head>\
         <body><main class=\"page\"><section class=\"auth-card\"><h1>{}</h1>\
         <p class=\"form-error\" role=\"alert\" data-test=\"upload-refused\">{}</p>\
         <p><a class=\"btn btn-primary\" href=\"{}\" data-test=\"upload-back\">{}</a></p>\
         </section></main></body></html>",
        lang.code(),
        t.heading,
        t.heading,
        esc(why),
        esc(back),
        t.back
    )
}

crate::texts! {
    UploadT {
        heading: "The files were not attached", "Berkas tidak dilampirkan";
        back: "Back to the request", "Kembali ke permintaan";
    }
}
