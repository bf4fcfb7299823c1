//! Messages that come from the server (validation, refusals, conflicts) are
//! written in English where they are decided, in the domain and services:
//! the REST API answers in English. The UI shows them through [`message`],
//! which finds the Indonesian here. `{}` in a pattern matches any text;
//! `{0}`, `{1}`… in the translation put the matched pieces back.

use super::Lang;

/// English pattern → Indonesian. Keep sorted by area, not alphabetically.
/// The first pattern that matches wins, so a specific pattern goes before a
/// general one that would also match it (the tests check this).
pub(super) const ID: &[(&str, &str)] = &[
    // Forms in general (domain/errors.rs, notes in domain/ticket/lifecycle.rs,
    // search boxes in services/assets.rs)
    ("This field is required.", "Wajib diisi."),
    (
        "Use at most {} characters.",
        "Gunakan paling banyak {0} karakter.",
    ),
    (
        "Use at least {} characters.",
        "Gunakan paling sedikit {0} karakter.",
    ),
    (
        "Contains characters that are not allowed.",
        "Berisi karakter yang tidak diizinkan.",
    ),
    ("Change at least one field.", "Ubah paling sedikit satu isian."),
    ("Please give a reason.", "Mohon isi alasannya."),
    (
        "Enter a whole number from {} to {}.",
        "Masukkan bilangan bulat dari {0} sampai {1}.",
    ),
    (
        "Enter a date between 1990 and 2100.",
        "Masukkan tanggal antara tahun 1990 dan 2100.",
    ),
    // Amounts in Rupiah (domain/money.rs)
    (
        "Enter an amount in Rupiah, for example 1.500.000.",
        "Masukkan nominal dalam Rupiah, misalnya 1.500.000.",
    ),
    (
        "The amount cannot be negative.",
        "Nominal tidak boleh negatif.",
    ),
    (
        "The amount cannot exceed Rp 1.000.000.000.000.",
        "Nominal tidak boleh melebihi Rp 1.000.000.000.000.",
    ),
    (
        "Use at most two decimals (sen).",
        "Gunakan paling banyak dua angka desimal (sen).",
    ),
    // The request form (domain/ticket/draft.rs)
    ("Add at least one item.", "Tambahkan paling sedikit satu barang."),
    (
        "Use at most {} items per ticket.",
        "Gunakan paling banyak {0} barang per permintaan.",
    ),
    (
        "Quantity × price exceeds Rp 1.000.000.000.000.",
        "Jumlah × harga melebihi Rp 1.000.000.000.000.",
    ),
    // Who may act on a request, and when (domain/ticket/lifecycle.rs)
    (
        "Only the requester or GA staff can edit this request.",
        "Hanya pemohon atau staf GA yang dapat mengubah permintaan ini.",
    ),
    (
        "This request can no longer be edited.",
        "Permintaan ini tidak dapat diubah lagi.",
    ),
    (
        "Only the requester or GA staff can change the items.",
        "Hanya pemohon atau staf GA yang dapat mengubah daftar barang.",
    ),
    (
        "Items are fixed once a request is approved.",
        "Daftar barang tidak dapat diubah setelah permintaan disetujui.",
    ),
    (
        "Only the requester or GA staff can submit this request.",
        "Hanya pemohon atau staf GA yang dapat mengajukan permintaan ini.",
    ),
    (
        "Only pending requests can be submitted for approval.",
        "Hanya permintaan baru yang dapat diajukan untuk persetujuan.",
    ),
    (
        "This request is below the approval threshold; GA can accept it directly.",
        "Permintaan ini di bawah batas persetujuan; GA dapat langsung menerimanya.",
    ),
    (
        "Only GA staff can accept requests.",
        "Hanya staf GA yang dapat menerima permintaan.",
    ),
    (
        "Only pending requests can be accepted.",
        "Hanya permintaan baru yang dapat diterima.",
    ),
    (
        "This request costs enough to need approval first.",
        "Biaya permintaan ini memerlukan persetujuan terlebih dahulu.",
    ),
    (
        "Only approvers can decide on requests.",
        "Hanya pemberi persetujuan yang dapat memutuskan permintaan.",
    ),
    (
        "Nobody can approve or reject their own request.",
        "Tidak seorang pun dapat menyetujui atau menolak permintaannya sendiri.",
    ),
    (
        "This request is not waiting for approval.",
        "Permintaan ini tidak sedang menunggu persetujuan.",
    ),
    (
        "This level is for the requester's manager to decide.",
        "Tingkat ini harus diputuskan oleh atasan pemohon.",
    ),
    (
        "A different approver must decide the next level.",
        "Tingkat berikutnya harus diputuskan oleh pemberi persetujuan lain.",
    ),
    (
        "Only GA staff can assign requests.",
        "Hanya staf GA yang dapat menugaskan permintaan.",
    ),
    (
        "This request can no longer be assigned.",
        "Permintaan ini tidak dapat ditugaskan lagi.",
    ),
    (
        "Only GA staff can work on requests.",
        "Hanya staf GA yang dapat mengerjakan permintaan.",
    ),
    (
        "Only the assignee can do this.",
        "Hanya petugas yang ditugaskan yang dapat melakukan ini.",
    ),
    (
        "Only approved requests can be started.",
        "Hanya permintaan yang sudah disetujui yang dapat mulai dikerjakan.",
    ),
    (
        "Only requests in progress can be completed.",
        "Hanya permintaan yang sedang dikerjakan yang dapat diselesaikan.",
    ),
    ("Assign someone first.", "Tugaskan seseorang terlebih dahulu."),
    (
        "Only the requester can do this.",
        "Hanya pemohon yang dapat melakukan ini.",
    ),
    (
        "Only completed requests can be confirmed or reopened.",
        "Hanya permintaan yang selesai dikerjakan yang dapat dikonfirmasi atau dibuka lagi.",
    ),
    (
        "Requests can be reopened only within 7 days of completion.",
        "Permintaan hanya dapat dibuka lagi dalam 7 hari setelah selesai dikerjakan.",
    ),
    (
        "Only the requester or GA staff can cancel this request.",
        "Hanya pemohon atau staf GA yang dapat membatalkan permintaan ini.",
    ),
    (
        "Only requests that have not started can be cancelled.",
        "Hanya permintaan yang belum mulai dikerjakan yang dapat dibatalkan.",
    ),
    (
        "The request is already assigned to this person.",
        "Permintaan ini sudah ditugaskan kepada orang tersebut.",
    ),
    // Requests in the services (services/tickets.rs, lifecycle.rs,
    // activity.rs, queues.rs, dashboard.rs, reports.rs, error.rs)
    (
        "You may not read tickets.",
        "Anda tidak berhak melihat permintaan.",
    ),
    (
        "You may not create tickets.",
        "Anda tidak berhak membuat permintaan.",
    ),
    (
        "Send the version of the ticket you saw (If-Match header or \"version\").",
        "Kirim versi permintaan yang Anda lihat (header If-Match atau \"version\").",
    ),
    (
        "Someone else changed this ticket (now at version {}). Reload it and try again.",
        "Permintaan ini telah diubah orang lain (kini versi {0}). Muat ulang lalu coba lagi.",
    ),
    (
        "Choose an active GA agent or administrator.",
        "Pilih petugas GA atau administrator yang aktif.",
    ),
    (
        "Only GA staff hand out assets.",
        "Hanya staf GA yang dapat menyerahkan aset.",
    ),
    ("edits go through PATCH", "perubahan dikirim melalui PATCH"),
    (
        "Use 1 to 200 visible ASCII characters.",
        "Gunakan 1 sampai 200 karakter ASCII yang terlihat.",
    ),
    (
        "This key was already used with a different request body.",
        "Kunci ini sudah dipakai dengan isi permintaan yang berbeda.",
    ),
    (
        "The first request with this key is still being processed.",
        "Permintaan pertama dengan kunci ini masih diproses.",
    ),
    (
        "Only GA staff can write internal notes.",
        "Hanya staf GA yang dapat menulis catatan internal.",
    ),
    (
        "Only approvers have an approval queue.",
        "Hanya pemberi persetujuan yang memiliki antrean persetujuan.",
    ),
    ("The desk is for GA staff.", "Meja GA khusus untuk staf GA."),
    (
        "Only GA staff assign tickets.",
        "Hanya staf GA yang dapat menugaskan permintaan.",
    ),
    (
        "The dashboard is for approvers.",
        "Dasbor ini khusus untuk pemberi persetujuan.",
    ),
    (
        "Reports are for approvers and administrators.",
        "Laporan khusus untuk pemberi persetujuan dan administrator.",
    ),
    // Notifications, stored as written (services/notifications.rs): the
    // status label is lower-cased English, so each status has its line.
    ("{} is now pending", "{0} kini berstatus baru"),
    (
        "{} is now waiting for approval",
        "{0} kini menunggu persetujuan",
    ),
    ("{} is now approved", "{0} kini disetujui"),
    ("{} is now rejected", "{0} kini ditolak"),
    ("{} is now in progress", "{0} kini sedang dikerjakan"),
    ("{} is now completed", "{0} kini selesai dikerjakan"),
    ("{} is now closed", "{0} kini ditutup"),
    ("{} is now {}", "{0} kini berstatus {1}"),
    (
        "{} is waiting for your approval",
        "{0} menunggu persetujuan Anda",
    ),
    ("{} was assigned to you", "{0} ditugaskan kepada Anda"),
    ("{} commented on {}", "{0} mengomentari {1}"),
    // Lists and searches (domain/ticket/query.rs, domain/page.rs, cursors,
    // services/reports.rs, api/tickets.rs). Query errors name the parameter
    // first: "created_from: use YYYY-MM-DD".
    (
        "limit must be between 1 and {}",
        "limit harus antara 1 dan {0}",
    ),
    (
        "{}: limit must be between 1 and {}",
        "{0}: limit harus antara 1 dan {1}",
    ),
    (
        "sort must be one of {} (prefix - for descending)",
        "sort harus salah satu dari {0} (awali dengan - untuk urutan menurun)",
    ),
    (
        "{}: sort must be one of {} (prefix - for descending)",
        "{0}: sort harus salah satu dari {1} (awali dengan - untuk urutan menurun)",
    ),
    ("use YYYY-MM-DD", "gunakan format YYYY-MM-DD"),
    ("{}: use YYYY-MM-DD", "{0}: gunakan format YYYY-MM-DD"),
    (
        "use a date between the years 2000 and 2100",
        "gunakan tanggal antara tahun 2000 dan 2100",
    ),
    (
        "{}: use a date between the years 2000 and 2100",
        "{0}: gunakan tanggal antara tahun 2000 dan 2100",
    ),
    ("{}: unknown status", "{0}: status tidak dikenal"),
    ("{}: unknown category", "{0}: kategori tidak dikenal"),
    ("{}: unknown priority", "{0}: prioritas tidak dikenal"),
    ("{}: not a user id", "{0}: bukan ID pengguna"),
    ("{}: too long", "{0}: terlalu panjang"),
    (
        "{}: contains control characters",
        "{0}: berisi karakter kontrol",
    ),
    (
        "{}: must be a whole number from 1 to 100",
        "{0}: harus bilangan bulat dari 1 sampai 100",
    ),
    ("{} may be given only once", "{0} hanya boleh diberikan sekali"),
    ("unknown parameter {}", "parameter tidak dikenal: {0}"),
    ("unknown filter {}", "filter tidak dikenal: {0}"),
    (
        "created_from must not be after created_to",
        "created_from tidak boleh setelah created_to",
    ),
    ("invalid cursor", "penanda halaman tidak valid"),
    (
        "this cursor belongs to another query",
        "penanda halaman ini milik pencarian lain",
    ),
    (
        "from must not be after to",
        "tanggal awal tidak boleh setelah tanggal akhir",
    ),
    (
        "choose a range of at most three years",
        "pilih rentang paling lama tiga tahun",
    ),
    (
        "choose a range of at most two years",
        "pilih rentang paling lama dua tahun",
    ),
    (
        "The start must not be after the end.",
        "Tanggal awal tidak boleh setelah tanggal akhir.",
    ),
    (
        "Choose a range of at most two years.",
        "Pilih rentang paling lama dua tahun.",
    ),
    ("Unknown category {}.", "Kategori tidak dikenal: {0}."),
    ("Unknown priority {}.", "Prioritas tidak dikenal: {0}."),
    (
        "Choose an assignee: a person's id, \"me\" or \"unassigned\".",
        "Pilih petugas: ID seseorang, \"me\", atau \"unassigned\".",
    ),
    ("Overdue is true or false.", "Overdue bernilai true atau false."),
    (
        "No such person on the GA staff.",
        "Orang tersebut tidak ada di staf GA.",
    ),
    // Assets: the form and the actions (domain/asset.rs). A refusal names
    // the asset's status in lower-cased English, so each has its line.
    (
        "Use 2 to 40 letters, digits or dashes (for example AST-000123), or leave it empty.",
        "Gunakan 2 sampai 40 huruf, angka, atau tanda hubung (misalnya AST-000123), atau kosongkan.",
    ),
    (
        "The warranty cannot end before the purchase date.",
        "Garansi tidak boleh berakhir sebelum tanggal pembelian.",
    ),
    (
        "The expected return cannot be before the day it was sent.",
        "Perkiraan tanggal kembali tidak boleh sebelum tanggal pengiriman.",
    ),
    (
        "This asset is retired; it can no longer change.",
        "Aset ini sudah dihapuskan dan tidak dapat diubah lagi.",
    ),
    (
        "This asset is already registered.",
        "Aset ini sudah terdaftar.",
    ),
    (
        "A broken asset cannot be handed out; send it to maintenance first.",
        "Aset yang rusak tidak dapat diserahkan; kirim ke perbaikan terlebih dahulu.",
    ),
    (
        "Only an available asset can be checked out; this one is checked out.",
        "Hanya aset yang tersedia yang dapat dipinjamkan; aset ini sedang dipinjam.",
    ),
    (
        "Only an available asset can be checked out; this one is under maintenance.",
        "Hanya aset yang tersedia yang dapat dipinjamkan; aset ini sedang dalam perbaikan.",
    ),
    (
        "Only an available asset can be checked out; this one is {}.",
        "Hanya aset yang tersedia yang dapat dipinjamkan; status aset ini: {0}.",
    ),
    (
        "Only a checked-out asset can be checked in; this one is available.",
        "Hanya aset yang sedang dipinjam yang dapat dikembalikan; aset ini tersedia.",
    ),
    (
        "Only a checked-out asset can be checked in; this one is under maintenance.",
        "Hanya aset yang sedang dipinjam yang dapat dikembalikan; aset ini sedang dalam perbaikan.",
    ),
    (
        "Only a checked-out asset can be checked in; this one is {}.",
        "Hanya aset yang sedang dipinjam yang dapat dikembalikan; status aset ini: {0}.",
    ),
    (
        "Check the asset in before sending it to maintenance.",
        "Terima kembali aset ini sebelum mengirimnya ke perbaikan.",
    ),
    (
        "This asset is already under maintenance.",
        "Aset ini sudah dalam perbaikan.",
    ),
    (
        "This asset is not under maintenance.",
        "Aset ini tidak sedang dalam perbaikan.",
    ),
    (
        "Check the asset in before retiring it.",
        "Terima kembali aset ini sebelum menghapuskannya.",
    ),
    // Assets in the services (services/assets.rs)
    ("You may not read assets.", "Anda tidak berhak melihat aset."),
    (
        "Only GA staff manage assets.",
        "Hanya staf GA yang dapat mengelola aset.",
    ),
    (
        "Send the version of the asset you saw (If-Match header or \"version\").",
        "Kirim versi aset yang Anda lihat (header If-Match atau \"version\").",
    ),
    (
        "Someone else changed asset {} (now at version {}, available). Reload it and try again.",
        "Aset {0} telah diubah orang lain (kini versi {1}, tersedia). Muat ulang lalu coba lagi.",
    ),
    (
        "Someone else changed asset {} (now at version {}, checked out). Reload it and try again.",
        "Aset {0} telah diubah orang lain (kini versi {1}, dipinjam). Muat ulang lalu coba lagi.",
    ),
    (
        "Someone else changed asset {} (now at version {}, under maintenance). Reload it and try again.",
        "Aset {0} telah diubah orang lain (kini versi {1}, dalam perbaikan). Muat ulang lalu coba lagi.",
    ),
    (
        "Someone else changed asset {} (now at version {}, retired). Reload it and try again.",
        "Aset {0} telah diubah orang lain (kini versi {1}, dihapuskan). Muat ulang lalu coba lagi.",
    ),
    (
        "Someone else changed asset {} (now at version {}, {}). Reload it and try again.",
        "Aset {0} telah diubah orang lain (kini versi {1}, {2}). Muat ulang lalu coba lagi.",
    ),
    (
        "Use a number of days from 0 to 3650.",
        "Gunakan jumlah hari dari 0 sampai 3650.",
    ),
    (
        "Another asset already has this tag.",
        "Tag ini sudah dipakai aset lain.",
    ),
    (
        "Another asset of this category already has this serial number.",
        "Nomor seri ini sudah dipakai aset lain dalam kategori yang sama.",
    ),
    ("Choose an active employee.", "Pilih karyawan yang aktif."),
    (
        "The return cannot be before the day it was sent.",
        "Tanggal kembali tidak boleh sebelum tanggal pengiriman.",
    ),
    ("No such asset.", "Aset tidak ditemukan."),
    // The reason after the colon is one of the refusals above and is
    // translated on its own.
    (
        "Asset {} cannot be handed out: {}",
        "Aset {0} tidak dapat diserahkan: {1}",
    ),
    // Stock (domain/stock.rs, services/stock.rs)
    (
        "Use 1 to 40 letters, digits, dots, dashes or underscores (for example ATK-KRT-A4).",
        "Gunakan 1 sampai 40 huruf, angka, titik, tanda hubung, atau garis bawah (misalnya ATK-KRT-A4).",
    ),
    (
        "Enter the correction as a non-zero number (negative to remove).",
        "Masukkan koreksi berupa angka selain nol (negatif untuk mengurangi).",
    ),
    (
        "Say why the count is corrected.",
        "Sebutkan alasan jumlah stok dikoreksi.",
    ),
    // The shortages after the colon are joined with "; " and each is
    // translated by the next line.
    (
        "Not enough stock to complete: {}.",
        "Stok tidak cukup untuk menyelesaikan: {0}.",
    ),
    (
        "{} ({}): {} {} needed, {} on hand",
        "{0} ({1}): perlu {2} {3}, tersedia {4}",
    ),
    ("You may not read stock.", "Anda tidak berhak melihat stok."),
    (
        "Only GA staff manage stock.",
        "Hanya staf GA yang dapat mengelola stok.",
    ),
    (
        "Someone else changed this stock item (now at version {}). Reload it and try again.",
        "Barang stok ini telah diubah orang lain (kini versi {0}). Muat ulang lalu coba lagi.",
    ),
    (
        "Another stock item already has this SKU.",
        "SKU ini sudah dipakai barang stok lain.",
    ),
    (
        "Send the version of the item you saw (If-Match header or \"version\").",
        "Kirim versi barang yang Anda lihat (header If-Match atau \"version\").",
    ),
    ("No such ticket.", "Permintaan tidak ditemukan."),
    (
        "Only {} {} of {} on hand; cannot take out {}.",
        "Stok {2} hanya {0} {1}; tidak dapat mengeluarkan {3}.",
    ),
    (
        "This stock item does not exist or is no longer stocked.",
        "Barang stok ini tidak ada atau tidak lagi disediakan.",
    ),
    // Notes the server writes into asset and stock history
    ("Handed out for {}", "Diserahkan untuk {0}"),
    ("Opening stock", "Stok awal"),
    // People, passwords and email (domain/email.rs, domain/user.rs,
    // services/auth.rs, services/users.rs, services/audit.rs, api/mod.rs)
    (
        "Enter a valid email address, for example budi@example.co.id.",
        "Masukkan alamat email yang valid, misalnya budi@example.co.id.",
    ),
    (
        "The password must not contain your email address.",
        "Kata sandi tidak boleh memuat alamat email Anda.",
    ),
    (
        "This password is too common; choose another.",
        "Kata sandi ini terlalu umum; pilih yang lain.",
    ),
    (
        "This is not your current password.",
        "Ini bukan kata sandi Anda saat ini.",
    ),
    (
        "Choose a password different from the current one.",
        "Pilih kata sandi yang berbeda dari kata sandi saat ini.",
    ),
    (
        "Choose a new password first.",
        "Buat kata sandi baru terlebih dahulu.",
    ),
    (
        "Only administrators manage users.",
        "Hanya administrator yang dapat mengelola pengguna.",
    ),
    (
        "Nobody can be their own manager.",
        "Seseorang tidak dapat menjadi atasannya sendiri.",
    ),
    (
        "Choose an active approver or administrator.",
        "Pilih pemberi persetujuan atau administrator yang aktif.",
    ),
    (
        "Someone already uses this email address.",
        "Alamat email ini sudah dipakai orang lain.",
    ),
    (
        "You cannot change your own role.",
        "Anda tidak dapat mengubah peran Anda sendiri.",
    ),
    (
        "You cannot deactivate yourself.",
        "Anda tidak dapat menonaktifkan akun Anda sendiri.",
    ),
    (
        "This user was changed meanwhile (now version {}). Reload and try again.",
        "Pengguna ini telah diubah orang lain (kini versi {0}). Muat ulang lalu coba lagi.",
    ),
    (
        "Change your own password under your account, not by resetting it.",
        "Ganti kata sandi Anda sendiri melalui akun Anda, bukan dengan mengatur ulang.",
    ),
    (
        "Only administrators read the security log.",
        "Hanya administrator yang dapat membaca log keamanan.",
    ),
    // The approval policy (services/policy.rs)
    ("Use between 1 and {} levels.", "Gunakan 1 sampai {0} tingkat."),
    (
        "A threshold must be above Rp 0.",
        "Batas nominal harus lebih dari Rp 0.",
    ),
    (
        "Each level must start above the one before.",
        "Setiap tingkat harus dimulai di atas tingkat sebelumnya.",
    ),
    (
        "Only administrators can change the approval policy.",
        "Hanya administrator yang dapat mengubah kebijakan persetujuan.",
    ),
    // Signing in, sessions and the server's state (api/error.rs)
    ("Please sign in.", "Silakan masuk."),
    (
        "Your session has ended. Please sign in again.",
        "Sesi Anda telah berakhir. Silakan masuk lagi.",
    ),
    (
        "Too many attempts. Try again in {} seconds.",
        "Terlalu banyak percobaan. Coba lagi dalam {0} detik.",
    ),
    (
        "Email or password is incorrect.",
        "Email atau kata sandi salah.",
    ),
    ("Not found.", "Tidak ditemukan."),
    (
        "Please correct the highlighted fields.",
        "Mohon perbaiki isian yang ditandai.",
    ),
    (
        "GA Desk is busy right now. Please try again in a moment.",
        "GA Desk sedang sibuk. Silakan coba lagi sebentar lagi.",
    ),
    (
        "Something went wrong. Please try again.",
        "Terjadi kesalahan. Silakan coba lagi.",
    ),
];

/// The message in the page's language; unknown messages stay as they are.
pub fn message(lang: Lang, english: &str) -> String {
    match lang {
        Lang::En => english.to_string(),
        Lang::Id => translate(english).unwrap_or_else(|| english.to_string()),
    }
}

/// The Indonesian of a whole message, if a pattern matches it. The pieces a
/// pattern matched are translated too: some messages carry another message
/// ("Asset AST-1 cannot be handed out: This asset is retired; …").
fn translate(english: &str) -> Option<String> {
    ID.iter().find_map(|(pattern, id)| {
        captures(pattern, english).map(|caps| {
            let pieces: Vec<String> = caps
                .iter()
                // Every pattern has some literal text, so a piece is shorter
                // than the message and this ends.
                .map(|c| {
                    if c.len() < english.len() {
                        piece(c)
                    } else {
                        c.to_string()
                    }
                })
                .collect();
            let args: Vec<&dyn std::fmt::Display> =
                pieces.iter().map(|p| p as &dyn std::fmt::Display).collect();
            super::fill(id, &args)
        })
    })
}

/// A matched piece: a known message, a "; "-joined list of known messages
/// (the shortages of a ticket), or a value such as a number or a name, which
/// stays as it is.
fn piece(text: &str) -> String {
    list(text)
        .or_else(|| translate(text))
        .unwrap_or_else(|| text.to_string())
}

/// A "; "-joined list whose every item is a known message. An item may
/// contain "; " itself (a message, a name), so each item is the shortest
/// run of parts that is a message.
fn list(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.split("; ").collect();
    if parts.len() < 2 {
        return None;
    }
    let mut items = Vec::new();
    let mut start = 0;
    while start < parts.len() {
        let (end, item) = (start + 1..=parts.len())
            .find_map(|end| translate(&parts[start..end].join("; ")).map(|item| (end, item)))?;
        items.push(item);
        start = end;
    }
    Some(items.join("; "))
}

/// The pieces of `text` matched by the `{}` of `pattern`, if it matches.
fn captures<'a>(pattern: &str, text: &'a str) -> Option<Vec<&'a str>> {
    let literals: Vec<&str> = pattern.split("{}").collect();
    let (first, rest) = literals.split_first()?;
    let mut remaining = text.strip_prefix(first)?;
    if rest.is_empty() {
        return remaining.is_empty().then(Vec::new);
    }
    let mut caps = Vec::with_capacity(rest.len());
    for (i, literal) in rest.iter().enumerate() {
        let last = i == rest.len() - 1;
        let at = if last {
            // The final literal must end the text. Checked with `ends_with`:
            // slicing at a byte count could cut a character such as "×".
            if !remaining.ends_with(literal) {
                return None;
            }
            remaining.len() - literal.len()
        } else if literal.is_empty() {
            return None;
        } else {
            remaining.find(literal)?
        };
        caps.push(&remaining[..at]);
        remaining = &remaining[at + literal.len()..];
    }
    Some(caps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translates_messages_with_values() {
        assert_eq!(message(Lang::Id, "This field is required."), "Wajib diisi.");
        assert_eq!(
            message(Lang::Id, "Use at most 200 characters."),
            "Gunakan paling banyak 200 karakter."
        );
        assert_eq!(
            message(Lang::En, "Use at most 200 characters."),
            "Use at most 200 characters."
        );
        assert_eq!(
            message(Lang::Id, "Something unknown."),
            "Something unknown."
        );
        assert_eq!(captures("a {} b {} c", "a 1 b 22 c"), Some(vec!["1", "22"]));
        assert_eq!(captures("a {} b", "a 1 c"), None);
        assert_eq!(captures("exact", "exact!"), None);
        // Multi-byte text never splits inside a character.
        assert_eq!(captures("{} is now closed", "Kertas × 2 — ok"), None);
        assert_eq!(
            message(
                Lang::Id,
                "Dewi Ayu Nurhayati — GA commented on GA-2026-000123"
            ),
            "Dewi Ayu Nurhayati — GA mengomentari GA-2026-000123"
        );
    }

    #[test]
    fn translates_messages_inside_messages_and_lists() {
        assert_eq!(
            message(
                Lang::Id,
                "Asset AST-000123 cannot be handed out: This asset is retired; it can no longer change."
            ),
            "Aset AST-000123 tidak dapat diserahkan: Aset ini sudah dihapuskan dan tidak dapat diubah lagi."
        );
        assert_eq!(
            message(
                Lang::Id,
                "Not enough stock to complete: Kertas A4 (ATK-1): 10 rim needed, 4 on hand; \
                 Pulpen (ATK-2): 3 box needed, 0 on hand."
            ),
            "Stok tidak cukup untuk menyelesaikan: Kertas A4 (ATK-1): perlu 10 rim, tersedia 4; \
             Pulpen (ATK-2): perlu 3 box, tersedia 0."
        );
        // Values (numbers, units, names) stay as they are, in any order.
        assert_eq!(
            message(
                Lang::Id,
                "Only 4 rim of Kertas A4 on hand; cannot take out 10."
            ),
            "Stok Kertas A4 hanya 4 rim; tidak dapat mengeluarkan 10."
        );
        assert_eq!(
            message(Lang::Id, "GA-2026-000123 is now in progress"),
            "GA-2026-000123 kini sedang dikerjakan"
        );
    }

    #[test]
    fn every_pattern_keeps_its_placeholders() {
        for (en, id) in ID {
            let holes = en.matches("{}").count();
            for i in 0..holes {
                assert!(
                    id.contains(&format!("{{{i}}}")),
                    "{id:?} drops a value of {en:?}"
                );
            }
            assert!(
                !id.contains(&format!("{{{holes}}}")),
                "{id:?} has too many values"
            );
            assert_ne!(en, id, "untranslated: {en:?}");
        }
    }

    /// `message` takes the first pattern that matches: a general pattern
    /// listed before a specific one would hide it. A pattern made only of
    /// `{}` would match everything (and never end translating its piece).
    #[test]
    fn no_pattern_hides_another() {
        for (i, (en, _)) in ID.iter().enumerate() {
            assert!(
                !en.replace("{}", "").trim().is_empty(),
                "{en:?} has no text of its own"
            );
            let mut sample = String::new();
            for (n, literal) in en.split("{}").enumerate() {
                if n > 0 {
                    sample.push_str(&format!("⟨{n}⟩"));
                }
                sample.push_str(literal);
            }
            let first = ID.iter().position(|(p, _)| captures(p, &sample).is_some());
            assert_eq!(
                first,
                Some(i),
                "{en:?} is hidden by {:?}",
                first.map(|f| ID[f].0)
            );
            assert_eq!(
                ID.iter().filter(|(p, _)| p == en).count(),
                1,
                "{en:?} twice"
            );
        }
    }

    fn collect_errors(out: &mut Vec<String>, errors: &crate::domain::FieldErrors) {
        out.extend(errors.iter().map(|(_, m)| m.to_string()));
    }

    fn refusal(out: &mut Vec<String>, r: crate::domain::ticket::lifecycle::Refusal) {
        use crate::domain::ticket::lifecycle::Refusal;
        match r {
            Refusal::Forbidden(m) | Refusal::Illegal(m) => out.push(m),
            Refusal::Invalid(e) => collect_errors(out, &e),
        }
    }

    /// Every refusal of the ticket state machine: each action by each role,
    /// as requester or not, in each status and situation.
    fn lifecycle_messages(out: &mut Vec<String>) {
        use crate::domain::ticket::lifecycle::{
            apply, decide, Action, ApprovalRecord, Command, TicketState,
        };
        use crate::domain::ticket::TicketStatus;
        use crate::domain::{Actor, Money, Role};
        use uuid::Uuid;
        let now = chrono::Utc::now();
        let id = Uuid::from_u128;
        let state =
            |status, who: Uuid, assignee, levels, awaiting, approved: bool, days| TicketState {
                status,
                resolution: None,
                requester_id: id(1),
                manager_id: Some(id(3)),
                assignee_id: assignee,
                estimated_total: Money::ZERO,
                required_levels: levels,
                awaiting_level: Some(1),
                awaiting_approver_id: awaiting,
                approvals: if approved {
                    vec![ApprovalRecord {
                        level: 1,
                        approver_id: who,
                    }]
                } else {
                    vec![]
                },
                actual_total: None,
                completed_at: Some(now - chrono::Duration::days(days)),
            };
        for &status in TicketStatus::ALL {
            for role in Role::ALL {
                // 1 is the requester, 3 their manager.
                for who in [1, 2, 3] {
                    let actor = Actor {
                        id: id(who),
                        email: format!("user{who}@example.co.id"),
                        name: format!("User {who}"),
                        role,
                    };
                    for assignee in [None, Some(id(who)), Some(id(9))] {
                        for levels in [0, 1] {
                            for awaiting in [None, Some(id(3))] {
                                for approved in [false, true] {
                                    for days in [1, 30] {
                                        let s = state(
                                            status, actor.id, assignee, levels, awaiting, approved,
                                            days,
                                        );
                                        for action in Action::ALL {
                                            if let Err(r) = decide(&s, &actor, action, now) {
                                                refusal(out, r);
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        // Input the actions themselves check.
        let approver = Actor {
            id: id(5),
            email: "approver@example.co.id".into(),
            name: "Approver".into(),
            role: Role::Approver,
        };
        let waiting = state(
            TicketStatus::WaitingApproval,
            id(5),
            None,
            1,
            None,
            false,
            1,
        );
        for command in [
            Command::Reject { reason: " ".into() },
            Command::Approve {
                note: "x".repeat(2001),
            },
            Command::Approve {
                note: "a\u{0}b".into(),
            },
        ] {
            refusal(out, apply(&waiting, &approver, command, now).unwrap_err());
        }
        let agent = Actor {
            role: Role::Agent,
            ..approver
        };
        let assigned = state(
            TicketStatus::Approved,
            id(5),
            Some(id(9)),
            1,
            None,
            false,
            1,
        );
        let again = Command::Assign { assignee_id: id(9) };
        refusal(out, apply(&assigned, &agent, again, now).unwrap_err());
    }

    fn ticket_form_messages(out: &mut Vec<String>) {
        use crate::domain::ticket::{
            Category, ItemDraft, Priority, TicketDraft, TicketPatch, MAX_ITEMS,
        };
        let item = |name: &str, quantity: &str, price: &str| ItemDraft {
            name: name.into(),
            quantity: quantity.into(),
            unit: if name.is_empty() { "" } else { "pcs" }.into(),
            unit_price: price.into(),
            stock_item_id: None,
        };
        let draft = |items| TicketDraft {
            title: "Kertas".into(),
            description: String::new(),
            category: Category::OfficeSupplies,
            priority: Priority::Medium,
            location: "Lantai 7".into(),
            items,
        };
        let mut bad = draft(vec![
            item("", "0", "-5"),
            item("Kertas", "1", "abc"),
            item("Kertas", "1", "1,555"),
            item("Kertas", "1", "2.000.000.000.000"),
            item("Gedung", "2", "600.000.000.000"),
        ]);
        bad.title = " ".into();
        bad.description = "a\u{7}b".into();
        bad.location = "x".repeat(201);
        for d in [
            bad,
            draft(vec![]),
            draft(vec![item("Kertas", "1", "1"); MAX_ITEMS + 1]),
            draft(vec![
                item("Gedung", "1", "600.000.000.000"),
                item("Gedung", "1", "600.000.000.000"),
            ]),
        ] {
            collect_errors(out, &d.parse().unwrap_err());
        }
        collect_errors(out, &TicketPatch::default().validate().unwrap_err());
    }

    fn asset_messages(out: &mut Vec<String>) {
        use crate::domain::asset::{
            allowed, AssetAction, AssetCategory, AssetCommand, AssetCondition, AssetStatus,
            NewAsset,
        };
        use crate::domain::Money;
        for &status in AssetStatus::ALL {
            for &condition in AssetCondition::ALL {
                for &action in AssetAction::ALL {
                    if let Err(why) = allowed(status, condition, action) {
                        if action == AssetAction::CheckOut {
                            // As services/assets.rs hands out an asset with
                            // a ticket.
                            out.push(format!("Asset AST-000123 cannot be handed out: {why}"));
                        }
                        out.push(why);
                    }
                }
            }
        }
        let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let asset = |tag: &str, purchase, warranty| NewAsset {
            tag: Some(tag.into()),
            name: " ".into(),
            category: AssetCategory::Laptop,
            serial_number: Some(" ".into()),
            condition: AssetCondition::Good,
            location: String::new(),
            purchase_date: Some(purchase),
            purchase_price: None,
            warranty_end: Some(warranty),
            notes: "a\u{0}b".into(),
        };
        for a in [
            asset("x", day(1980, 1, 1), day(1985, 1, 1)),
            asset("AST-1", day(2024, 5, 1), day(2024, 1, 1)),
        ] {
            collect_errors(out, &a.validate().unwrap_err());
        }
        for command in [
            AssetCommand::SendToMaintenance {
                vendor: String::new(),
                cost: Money::ZERO,
                sent_on: day(1980, 1, 1),
                expected_back: Some(day(1979, 1, 1)),
                note: String::new(),
            },
            AssetCommand::ReturnFromMaintenance {
                condition: AssetCondition::Good,
                returned_on: day(2200, 1, 1),
                cost: None,
                note: String::new(),
            },
            AssetCommand::Retire { reason: " ".into() },
            AssetCommand::Move {
                location: "x".repeat(500),
                note: String::new(),
            },
        ] {
            collect_errors(out, &command.validate().unwrap_err());
        }
    }

    fn stock_messages(out: &mut Vec<String>) {
        use crate::domain::stock::{
            shortage_message, MovementKind, NewMovement, NewStockItem, Shortage, StockItemPatch,
        };
        use crate::domain::Money;
        let item = NewStockItem {
            sku: "ATK KRT".into(),
            name: String::new(),
            unit: "x".repeat(31),
            location: String::new(),
            unit_price: Money::ZERO,
            on_hand: -1,
            reorder_level: 2_000_000,
        };
        collect_errors(out, &item.validate().unwrap_err());
        collect_errors(out, &StockItemPatch::default().validate().unwrap_err());
        for (kind, quantity, reason) in [
            (MovementKind::Receive, 0, ""),
            (MovementKind::Issue, -2, ""),
            (MovementKind::Adjust, 0, " "),
        ] {
            let movement = NewMovement {
                kind,
                quantity,
                reason: reason.into(),
                ticket_id: None,
            };
            collect_errors(out, &movement.delta().unwrap_err());
        }
        let short = |name: &str, sku: &str| Shortage {
            stock_item_id: uuid::Uuid::nil(),
            sku: sku.into(),
            name: name.into(),
            unit: "rim".into(),
            needed: 10,
            on_hand: 4,
        };
        out.push(shortage_message(&[short("Kertas A4", "ATK-1")]));
        out.push(shortage_message(&[
            short("Kertas A4", "ATK-1"),
            short("Map (biru)", "ATK-2"),
            short("Pulpen; hitam", "ATK-3"),
        ]));
    }

    fn people_messages(out: &mut Vec<String>) {
        use crate::domain::money::Money;
        use crate::domain::user::password_problem;
        use crate::domain::Email;
        out.push(Email::parse("budi").unwrap_err().to_string());
        let email = "budi.santoso@example.co.id";
        for password in [
            "short",
            "Password123",
            "budi.santoso-rahasia",
            &"x".repeat(300),
        ] {
            out.extend(password_problem(password, email));
        }
        for amount in ["abc", "-5", "2.000.000.000.000", "1,555"] {
            out.push(Money::parse_input(amount).unwrap_err().to_string());
        }
    }

    fn query_messages(out: &mut Vec<String>) {
        use crate::domain::page::page_size;
        use crate::domain::ticket::query::{parse_day, Sort, TicketQuery};
        let long = "x".repeat(201);
        let cases: Vec<Vec<(&str, &str)>> = vec![
            vec![("status", "nope")],
            vec![("category", "nope")],
            vec![("priority", "nope")],
            vec![("requester", "nope")],
            vec![("created_from", "2026-13-01")],
            vec![("created_to", "1990-01-01")],
            vec![("q", long.as_str())],
            vec![("q", "a\u{1}b")],
            vec![("sort", "price")],
            vec![("limit", "many")],
            vec![("limit", "500")],
            vec![("colour", "red")],
            vec![("q", "a"), ("q", "b")],
            vec![("created_from", "2026-02-01"), ("created_to", "2026-01-01")],
        ];
        for pairs in cases {
            out.push(TicketQuery::parse(pairs).unwrap_err());
        }
        out.push(page_size(Some(0)).unwrap_err());
        out.push(parse_day("30/11/2026").unwrap_err());
        out.push(parse_day("1990-01-01").unwrap_err());
        out.push(Sort::parse("price").unwrap_err());
    }

    fn report_range_messages(out: &mut Vec<String>) {
        use crate::domain::dashboard::ReportRange;
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        for (from, to) in [
            ("kemarin", "2026-11-30"),
            ("2026-11-01", "1999-01-01"),
            ("2026-11-02", "2026-11-01"),
            ("2020-01-01", "2026-11-01"),
        ] {
            let e = ReportRange::parse(Some(from), Some(to), today).unwrap_err();
            out.push(e.message());
            collect_errors(out, &e.into_field_errors());
        }
    }

    fn api_messages(out: &mut Vec<String>) {
        use crate::api::ApiError;
        for e in [
            ApiError::Unauthenticated,
            ApiError::SessionEnded,
            ApiError::RateLimited(42),
            ApiError::InvalidCredentials,
            ApiError::NotFound,
            ApiError::Validation(crate::domain::FieldErrors::new()),
            ApiError::Unavailable,
            ApiError::Server("internal error".into()),
        ] {
            out.push(e.to_string());
        }
    }

    /// What the services answer after reading the database, with values as
    /// they would fill them in; the rules they share with the domain are
    /// called for real in `services_rules_are_translated`.
    fn service_messages(out: &mut Vec<String>) {
        use crate::domain::asset::AssetStatus;
        use crate::domain::ticket::TicketStatus;
        let number = "GA-2026-000123";
        for &status in TicketStatus::ALL {
            out.push(format!("{number} is now {}", status.label().to_lowercase()));
        }
        for &status in AssetStatus::ALL {
            out.push(format!(
                "Someone else changed asset {} (now at version {}, {}). Reload it and try again.",
                "AST-000123",
                4,
                status.label().to_lowercase()
            ));
        }
        out.extend(
            [
                format!("{number} is waiting for your approval"),
                format!("{number} was assigned to you"),
                format!("Budi Santoso commented on {number}"),
                format!("Handed out for {number}"),
                "Opening stock".into(),
                "Someone else changed this ticket (now at version 5). Reload it and try again."
                    .into(),
                "Someone else changed this stock item (now at version 5). Reload it and try again."
                    .into(),
                "This user was changed meanwhile (now version 5). Reload and try again.".into(),
                "Only 4 rim of Kertas A4 on hand; cannot take out 10.".into(),
                "unknown filter \"later\"".into(),
            ]
            .into_iter()
            .chain(
                [
                    "invalid cursor",
                    "this cursor belongs to another query",
                    "edits go through PATCH",
                    "from must not be after to",
                    "choose a range of at most three years",
                    "You may not read tickets.",
                    "You may not create tickets.",
                    "You may not read stock.",
                    "You may not read assets.",
                    "Only GA staff manage stock.",
                    "Only GA staff manage assets.",
                    "Only GA staff hand out assets.",
                    "Only GA staff assign tickets.",
                    "Only GA staff can write internal notes.",
                    "Only approvers have an approval queue.",
                    "The desk is for GA staff.",
                    "The dashboard is for approvers.",
                    "Reports are for approvers and administrators.",
                    "Only administrators manage users.",
                    "Only administrators read the security log.",
                    "Only administrators can change the approval policy.",
                    "Change your own password under your account, not by resetting it.",
                    "Choose a new password first.",
                    "This is not your current password.",
                    "Choose a password different from the current one.",
                    "Nobody can be their own manager.",
                    "Choose an active approver or administrator.",
                    "Choose an active GA agent or administrator.",
                    "Choose an active employee.",
                    "Someone already uses this email address.",
                    "You cannot change your own role.",
                    "You cannot deactivate yourself.",
                    "Another asset already has this tag.",
                    "Another asset of this category already has this serial number.",
                    "Another stock item already has this SKU.",
                    "Use a number of days from 0 to 3650.",
                    "The return cannot be before the day it was sent.",
                    "No such asset.",
                    "No such ticket.",
                    "This stock item does not exist or is no longer stocked.",
                    "Use 1 to 200 visible ASCII characters.",
                    "This key was already used with a different request body.",
                    "The first request with this key is still being processed.",
                    "Send the version of the ticket you saw (If-Match header or \"version\").",
                    "Send the version of the asset you saw (If-Match header or \"version\").",
                    "Send the version of the item you saw (If-Match header or \"version\").",
                ]
                .map(String::from),
            ),
        );
    }

    fn assert_translated(messages: &[String]) {
        let missing: Vec<&String> = messages
            .iter()
            .filter(|m| message(Lang::Id, m) == **m)
            .collect();
        assert!(missing.is_empty(), "no Indonesian for {missing:#?}");
        // A status named in lower-cased English must not survive in the
        // Indonesian (each such message has a line per status).
        let labels: Vec<String> = crate::domain::ticket::TicketStatus::ALL
            .iter()
            .map(|s| s.label().to_lowercase())
            .chain(
                crate::domain::asset::AssetStatus::ALL
                    .iter()
                    .map(|s| s.label().to_lowercase()),
            )
            .collect();
        for m in messages {
            let id = message(Lang::Id, m);
            for label in &labels {
                let english = format!(" {label}");
                assert!(
                    !(m.contains(&english) && id.contains(&english)),
                    "{id:?} keeps the English {label:?}"
                );
            }
        }
    }

    #[test]
    fn every_message_the_rules_produce_is_translated() {
        let mut messages = Vec::new();
        lifecycle_messages(&mut messages);
        ticket_form_messages(&mut messages);
        asset_messages(&mut messages);
        stock_messages(&mut messages);
        people_messages(&mut messages);
        query_messages(&mut messages);
        report_range_messages(&mut messages);
        api_messages(&mut messages);
        service_messages(&mut messages);
        messages.sort();
        messages.dedup();
        // Enough to know the generators above really ran.
        assert!(messages.len() > 120, "only {} messages", messages.len());
        assert_translated(&messages);
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn services_rules_are_translated() {
        use crate::domain::{Money, Role};
        use crate::services::{assets, policy, users, ServiceError};
        let mut out = Vec::new();
        let rp = |n| Money::from_rupiah(n).unwrap();
        for thresholds in [vec![], vec![Money::ZERO], vec![rp(10), rp(5)]] {
            collect_errors(&mut out, &policy::validate(&thresholds).unwrap_err());
        }
        for (email, password) in [("budi", None), ("budi@example.co.id", Some("short"))] {
            let user = users::NewUser {
                email: email.into(),
                name: String::new(),
                department: String::new(),
                role: Role::Requester,
                password: password.map(String::from),
                manager_id: None,
            };
            collect_errors(&mut out, &users::validate_new_user(&user).unwrap_err());
        }
        for q in ["x".repeat(101), "a\u{1}b".into()] {
            match assets::filter_text("q", Some(&q), 100) {
                Err(ServiceError::Validation(e)) => collect_errors(&mut out, &e),
                other => panic!("{other:?}"),
            }
        }
        assert!(out.len() >= 7, "{out:?}");
        assert_translated(&out);
    }

    /// Every sentence written in the rules, services and server functions
    /// (an English message starts with a capital and ends with a full stop)
    /// has a translation, so a new message cannot slip in untranslated.
    #[test]
    fn every_sentence_in_the_sources_is_translated() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        for dir in ["domain", "services", "api"] {
            rust_files(&src.join(dir), &mut files);
        }
        assert!(files.len() > 30, "{files:?}");
        let mut missing = Vec::new();
        for file in files {
            // Sample data, written in Indonesian.
            if file.ends_with("demo.rs") || file.ends_with("generate.rs") {
                continue;
            }
            let code = std::fs::read_to_string(&file).unwrap();
            for literal in string_literals(&code) {
                let sample = with_sample_values(&literal);
                let sentence = sample.starts_with(|c: char| c.is_ascii_uppercase())
                    && sample.contains(' ')
                    && sample.ends_with('.');
                if sentence && message(Lang::Id, &sample) == sample {
                    missing.push(format!("{}: {literal}", file.display()));
                }
            }
        }
        assert!(missing.is_empty(), "no Indonesian for {missing:#?}");
    }

    fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// A format string with a sample value in each `{…}`.
    fn with_sample_values(literal: &str) -> String {
        let mut out = String::new();
        let mut chars = literal.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    out.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    out.push('}');
                }
                '{' => {
                    for c in chars.by_ref() {
                        if c == '}' {
                            break;
                        }
                    }
                    out.push('7');
                }
                c => out.push(c),
            }
        }
        out
    }

    /// The string literals of Rust code outside `#[cfg(test)]` modules,
    /// unescaped. Enough of a lexer for this crate: comments, char
    /// literals versus lifetimes, raw strings.
    fn string_literals(code: &str) -> Vec<String> {
        let bytes = code.as_bytes();
        let mut out = Vec::new();
        let mut depth = 0usize;
        let mut test_attribute = false;
        let mut skipping_from: Option<usize> = None;
        let mut i = 0;
        while i < bytes.len() {
            let rest = &code[i..];
            if rest.starts_with("//") {
                i += rest.find('\n').unwrap_or(rest.len());
            } else if rest.starts_with("/*") {
                i += rest.find("*/").map_or(rest.len(), |end| end + 2);
            } else if rest.starts_with("#[cfg(test)]") {
                test_attribute = true;
                i += "#[cfg(test)]".len();
            } else if bytes[i] == b'{' {
                if test_attribute && skipping_from.is_none() {
                    skipping_from = Some(depth);
                }
                test_attribute = false;
                depth += 1;
                i += 1;
            } else if bytes[i] == b'}' {
                depth = depth.saturating_sub(1);
                if skipping_from == Some(depth) {
                    skipping_from = None;
                }
                i += 1;
            } else if bytes[i] == b';' {
                test_attribute = false;
                i += 1;
            } else if bytes[i] == b'\'' {
                // 'x' or '\n' is a char; 'a in <'a> a lifetime.
                let mut chars = rest[1..].chars();
                i += match (chars.next(), chars.next()) {
                    (Some('\\'), _) => rest
                        .get(3..)
                        .and_then(|r| r.find('\''))
                        .map_or(1, |end| end + 4),
                    (Some(c), Some('\'')) => c.len_utf8() + 2,
                    _ => 1,
                };
            } else if bytes[i] == b'r'
                && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_'))
                && rest[1..].trim_start_matches('#').starts_with('"')
            {
                let hashes = rest[1..].len() - rest[1..].trim_start_matches('#').len();
                let body = 2 + hashes;
                let close = format!("\"{}", "#".repeat(hashes));
                let end = rest[body..].find(&close).map_or(rest.len(), |e| body + e);
                if skipping_from.is_none() {
                    out.push(rest[body..end].to_string());
                }
                i += end + close.len();
            } else if bytes[i] == b'"' {
                let mut text = String::new();
                let mut chars = rest[1..].char_indices();
                let mut end = rest.len();
                while let Some((at, c)) = chars.next() {
                    match c {
                        '"' => {
                            end = at + 2;
                            break;
                        }
                        '\\' => match chars.next() {
                            Some((_, 'n')) => text.push('\n'),
                            Some((_, 't')) => text.push('\t'),
                            Some((_, '\n')) => {
                                // A continued line drops the next line's indent.
                                let tail = chars.as_str();
                                let skip = tail.len() - tail.trim_start().len();
                                for _ in 0..tail[..skip].chars().count() {
                                    chars.next();
                                }
                            }
                            Some((_, c)) => text.push(c),
                            None => {}
                        },
                        c => text.push(c),
                    }
                }
                if skipping_from.is_none() {
                    out.push(text);
                }
                i += end;
            } else {
                i += 1;
            }
        }
        out
    }

    #[test]
    fn the_literal_reader_skips_tests_and_comments() {
        let code = r###"
            // "in a comment"
            fn f<'a>(x: &'a str) -> char { let _ = r#"raw "quoted""#; '"' }
            const A: &str = "Say \"hi\".\n";
            #[cfg(test)]
            mod tests { fn g() { let _ = "in a test {"; } }
            const B: &str = "after";
        "###;
        assert_eq!(
            string_literals(code),
            vec!["raw \"quoted\"", "Say \"hi\".\n", "after"]
        );
        assert_eq!(with_sample_values("Use {n} of {{x}}."), "Use 7 of {x}.");
    }
}
