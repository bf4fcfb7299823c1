//! Why GA Desk says no: every refusal the rules and the services can give,
//! with its kind (which decides the HTTP status) and its words in both
//! languages. Clients match on `code`; people read the sentence.

use crate::asset::{AssetDetail, AssetStatus};
use crate::attachment::FileKind;
use crate::booking::{BookingStatus, Names, Slots, Window};
use crate::errors::{Entity, FieldError, FieldErrors};
use crate::lang::Lang;
use crate::lang::Moment;
use crate::message::Arg;
use crate::stock::{Shortage, StockItem};
use crate::ticket::TicketDetail;
use crate::user::UserAccount;
use serde::{Deserialize, Serialize};

messages! {
    pub enum Refusal: kind {
        // Who is asking (sign-in, sessions, limits)
        SignInRequired = "sign_in_required", Unauthenticated => "Please sign in.", "Silakan masuk.";
        SessionEnded = "session_ended", Unauthenticated => "Your session has ended. Please sign in again.", "Sesi Anda telah berakhir. Silakan masuk lagi.";
        InvalidCredentials = "invalid_credentials", Unauthenticated => "Email or password is incorrect.", "Email atau kata sandi salah.";
        TooManyAttempts { seconds: u64 } = "too_many_attempts", RateLimited => "Too many attempts. Try again in {seconds} seconds.", "Terlalu banyak percobaan. Coba lagi dalam {seconds} detik.";
        TemporaryPasswordExpired = "temporary_password_expired", Unauthenticated => "Your temporary password has expired. Ask an administrator for a new one.", "Kata sandi sementara Anda sudah kedaluwarsa. Mintalah yang baru kepada administrator.";
        SsoDomainNotAllowed = "sso_domain_not_allowed", Forbidden => "Accounts of this email domain cannot sign in here.", "Akun dengan domain email ini tidak dapat masuk di sini.";
        SsoAccountBoundElsewhere = "sso_account_bound_elsewhere", Forbidden => "This account is linked to another single sign-on identity.", "Akun ini terhubung ke identitas SSO lain.";
        TooManyStreams = "too_many_streams", RateLimited => "Too many live updates are open. Close other tabs and try again.", "Terlalu banyak kabar langsung yang terbuka. Tutup tab lain lalu coba lagi.";
        PasswordChangeRequired = "password_change_required", Forbidden => "Change your temporary password first.", "Ganti kata sandi sementara Anda terlebih dahulu.";
        ForeignOrigin = "foreign_origin", Forbidden => "Requests from another site are not accepted.", "Permintaan dari situs lain tidak diterima.";
        NotFound = "not_found", NotFound => "Not found.", "Tidak ditemukan.";
        NoSuchRoute = "no_such_route", NotFound => "No such API route.", "Rute API tersebut tidak ada.";
        Busy = "busy", Unavailable => "GA Desk is busy right now. Please try again in a moment.", "GA Desk sedang sibuk. Silakan coba lagi sebentar lagi.";
        ServerError = "server_error", Internal => "Something went wrong. Please try again.", "Terjadi kesalahan. Silakan coba lagi.";
        Unreachable = "unreachable", Unavailable => "GA Desk cannot be reached. Check the connection and try again.", "GA Desk tidak dapat dihubungi. Periksa koneksi lalu coba lagi.";
        CorrectFields = "correct_fields", Validation => "Please correct the highlighted fields.", "Mohon perbaiki isian yang ditandai.";
        // Requests the server cannot read
        MalformedBody { detail: String } = "malformed_body", BadRequest => "The request body is not valid JSON: {detail}", "Isi permintaan bukan JSON yang valid: {detail}";
        UnreadableBody { detail: String } = "unreadable_body", Validation => "The request body does not fit: {detail}", "Isi permintaan tidak sesuai: {detail}";
        NotJson = "not_json", UnsupportedMediaType => "Send the body with Content-Type: application/json.", "Kirim isi permintaan dengan Content-Type: application/json.";
        BodyTooLarge { max_kib: u32 } = "body_too_large", TooLarge => "The request body is larger than {max_kib} KiB.", "Isi permintaan lebih besar dari {max_kib} KiB.";
        MalformedQuery { detail: String } = "malformed_query", BadRequest => "The query string cannot be read: {detail}", "Parameter alamat tidak dapat dibaca: {detail}";
        MalformedPath { detail: String } = "malformed_path", BadRequest => "The address cannot be read: {detail}", "Alamat tidak dapat dibaca: {detail}";
        BadParameter { name: String, problem: FieldError } = "bad_parameter", BadRequest => "{name}: {problem}", "{name}: {problem}";
        UnknownParameter { name: String } = "unknown_parameter", BadRequest => "Unknown parameter {name}.", "Parameter {name} tidak dikenal.";
        RepeatedParameter { name: String } = "repeated_parameter", BadRequest => "{name} may be given only once.", "{name} hanya boleh diberikan sekali.";
        BadCursor = "bad_cursor", BadRequest => "This page marker is not valid.", "Penanda halaman ini tidak valid.";
        CursorOfAnotherQuery = "cursor_of_another_query", BadRequest => "This page marker belongs to another query.", "Penanda halaman ini milik pencarian lain.";
        ExportTakesFilters = "export_takes_filters", BadRequest => "The export takes filters, not cursor or limit.", "Ekspor menerima filter, bukan cursor atau limit.";
        EditsUsePatch = "edits_use_patch", BadRequest => "Edits go through PATCH.", "Perubahan dikirim lewat PATCH.";
        IdempotencyInProgress = "idempotency_in_progress", Conflict => "The first request with this key is still being processed.", "Permintaan pertama dengan kunci ini masih diproses.";
        // Tickets: who may act
        CannotReadTickets = "cannot_read_tickets", Forbidden => "You may not read tickets.", "Anda tidak berhak melihat permintaan.";
        CannotCreateTickets = "cannot_create_tickets", Forbidden => "You may not create tickets.", "Anda tidak berhak membuat permintaan.";
        EditNotAllowed = "edit_not_allowed", Forbidden => "Only the requester or GA staff can edit this request.", "Hanya pemohon atau staf GA yang dapat mengubah permintaan ini.";
        ItemsNotAllowed = "items_not_allowed", Forbidden => "Only the requester or GA staff can change the items.", "Hanya pemohon atau staf GA yang dapat mengubah daftar barang.";
        SubmitNotAllowed = "submit_not_allowed", Forbidden => "Only the requester or GA staff can submit this request.", "Hanya pemohon atau staf GA yang dapat mengajukan permintaan ini.";
        AcceptStaffOnly = "accept_staff_only", Forbidden => "Only GA staff can accept requests.", "Hanya staf GA yang dapat menerima permintaan.";
        NotAnApprover = "not_an_approver", Forbidden => "Only approvers can decide on requests.", "Hanya pemberi persetujuan yang dapat memutuskan permintaan.";
        OwnRequest = "own_request", Forbidden => "Nobody can approve or reject their own request.", "Tidak seorang pun dapat menyetujui atau menolak permintaannya sendiri.";
        AcceptOwnRequest = "accept_own_request", Forbidden => "Nobody can accept their own request; another member of GA staff must.", "Tidak seorang pun dapat menerima permintaannya sendiri; staf GA lain yang harus menerimanya.";
        ForTheManager = "for_the_manager", Forbidden => "This level is for the requester's manager to decide.", "Tingkat ini harus diputuskan oleh atasan pemohon.";
        DifferentApproverNeeded = "different_approver_needed", Forbidden => "A different approver must decide the next level.", "Tingkat berikutnya harus diputuskan oleh pemberi persetujuan lain.";
        AssignStaffOnly = "assign_staff_only", Forbidden => "Only GA staff can assign requests.", "Hanya staf GA yang dapat menugaskan permintaan.";
        FulfilStaffOnly = "fulfil_staff_only", Forbidden => "Only GA staff can work on requests.", "Hanya staf GA yang dapat mengerjakan permintaan.";
        NotTheAssignee = "not_the_assignee", Forbidden => "Only the assignee can do this.", "Hanya petugas yang ditugaskan yang dapat melakukan ini.";
        NotTheRequester = "not_the_requester", Forbidden => "Only the requester can do this.", "Hanya pemohon yang dapat melakukan ini.";
        DecidedBy { name: String } = "decided_by", NotFound => "{name} has already decided on this request.", "{name} sudah memutuskan permintaan ini.";
        CancelNotAllowed = "cancel_not_allowed", Forbidden => "Only the requester or GA staff can cancel this request.", "Hanya pemohon atau staf GA yang dapat membatalkan permintaan ini.";
        HandOutStaffOnly = "hand_out_staff_only", Forbidden => "Only GA staff hand out assets.", "Hanya staf GA yang dapat menyerahkan aset.";
        InternalNotesStaffOnly = "internal_notes_staff_only", Forbidden => "Only GA staff can write internal notes.", "Hanya staf GA yang dapat menulis catatan internal.";
        NoApprovalQueue = "no_approval_queue", Forbidden => "Only approvers have an approval queue.", "Hanya pemberi persetujuan yang memiliki antrean persetujuan.";
        DeskStaffOnly = "desk_staff_only", Forbidden => "The desk is for GA staff.", "Meja GA khusus untuk staf GA.";
        DashboardForApprovers = "dashboard_for_approvers", Forbidden => "The dashboard is for approvers.", "Dasbor ini khusus untuk pemberi persetujuan.";
        ReportsForApprovers = "reports_for_approvers", Forbidden => "Reports are for approvers and administrators.", "Laporan khusus untuk pemberi persetujuan dan administrator.";
        EventsStaffOnly = "events_staff_only", Forbidden => "Live ticket events are for GA staff.", "Kabar langsung permintaan khusus untuk staf GA.";
        // Tickets: what their state allows
        NoLongerEditable = "no_longer_editable", Illegal => "This request can no longer be edited.", "Permintaan ini tidak dapat diubah lagi.";
        ItemsFixed = "items_fixed", Illegal => "Items are fixed once a request is approved.", "Daftar barang tidak dapat diubah setelah permintaan disetujui.";
        ApprovedContentFixed = "approved_content_fixed", Illegal => "What was approved cannot be rewritten; add a comment instead.", "Isi permintaan yang sudah disetujui tidak dapat diubah; tulis komentar saja.";
        CostAwaitingApproval = "cost_awaiting_approval", Illegal => "The actual cost is waiting for approval; this request cannot change meanwhile.", "Biaya aktual sedang menunggu persetujuan; permintaan ini tidak dapat diubah sementara itu.";
        SubmitOnlyPending = "submit_only_pending", Illegal => "Only pending requests can be submitted for approval.", "Hanya permintaan baru yang dapat diajukan untuk persetujuan.";
        BelowThreshold = "below_threshold", Illegal => "This request is below the approval threshold; GA can accept it directly.", "Permintaan ini di bawah batas persetujuan; GA dapat langsung menerimanya.";
        AcceptOnlyPending = "accept_only_pending", Illegal => "Only pending requests can be accepted.", "Hanya permintaan baru yang dapat diterima.";
        NeedsApproval = "needs_approval", Illegal => "This request costs enough to need approval first.", "Biaya permintaan ini memerlukan persetujuan terlebih dahulu.";
        NotAwaitingApproval = "not_awaiting_approval", Illegal => "This request is not waiting for approval.", "Permintaan ini tidak sedang menunggu persetujuan.";
        NoLongerAssignable = "no_longer_assignable", Illegal => "This request can no longer be assigned.", "Permintaan ini tidak dapat ditugaskan lagi.";
        AlreadyAssigned = "already_assigned", Illegal => "The request is already assigned to this person.", "Permintaan ini sudah ditugaskan kepada orang tersebut.";
        StartOnlyApproved = "start_only_approved", Illegal => "Only approved requests can be started.", "Hanya permintaan yang sudah disetujui yang dapat mulai dikerjakan.";
        CompleteOnlyInProgress = "complete_only_in_progress", Illegal => "Only requests in progress can be completed.", "Hanya permintaan yang sedang dikerjakan yang dapat diselesaikan.";
        AssignFirst = "assign_first", Illegal => "Assign someone first.", "Tugaskan seseorang terlebih dahulu.";
        ConfirmOnlyCompleted = "confirm_only_completed", Illegal => "Only completed requests can be confirmed or reopened.", "Hanya permintaan yang selesai dikerjakan yang dapat dikonfirmasi atau dibuka lagi.";
        ReopenWindowClosed { days: i64 } = "reopen_window_closed", Illegal => "Requests can be reopened only within {days} days of completion.", "Permintaan hanya dapat dibuka lagi dalam {days} hari setelah selesai dikerjakan.";
        PauseStaffOnly = "pause_staff_only", Forbidden => "Only GA staff can put a request on hold for the requester.", "Hanya staf GA yang dapat menahan permintaan untuk menunggu pemohon.";
        ResumeNotAllowed = "resume_not_allowed", Forbidden => "Only the requester or GA staff can resume this request.", "Hanya pemohon atau staf GA yang dapat melanjutkan permintaan ini.";
        PauseOnlyOpenWork = "pause_only_open_work", Illegal => "Only open work can wait for the requester.", "Hanya pekerjaan yang masih berjalan yang dapat menunggu pemohon.";
        AlreadyPaused = "already_paused", Illegal => "This request is already waiting for the requester.", "Permintaan ini sudah menunggu pemohon.";
        NotPaused = "not_paused", Illegal => "This request is not waiting for the requester.", "Permintaan ini tidak sedang menunggu pemohon.";
        CancelOnlyNotStarted = "cancel_only_not_started", Illegal => "Only requests that have not started can be cancelled.", "Hanya permintaan yang belum mulai dikerjakan yang dapat dibatalkan.";
        // Someone else was first
        Changed { of: Entity, version: i32 } = "changed", Conflict => "Someone else changed this {of} (now at version {version}). Reload it and try again.", "Orang lain telah mengubah {of} ini (kini versi {version}). Muat ulang lalu coba lagi.";
        AssetChanged { tag: String, version: i32, status: AssetStatus } = "asset_changed", Conflict => "Someone else changed asset {tag} (now at version {version}, {status}). Reload it and try again.", "Aset {tag} telah diubah orang lain (kini versi {version}, {status}). Muat ulang lalu coba lagi.";
        // Assets
        AssetsStaffOnly = "assets_staff_only", Forbidden => "Only GA staff manage assets.", "Hanya staf GA yang dapat mengelola aset.";
        CannotReadAssets = "cannot_read_assets", Forbidden => "You may not read assets.", "Anda tidak berhak melihat aset.";
        AssetRetired = "asset_retired", Illegal => "This asset is retired; it can no longer change.", "Aset ini sudah dihapuskan dan tidak dapat diubah lagi.";
        AssetAlreadyRegistered = "asset_already_registered", Illegal => "This asset is already registered.", "Aset ini sudah terdaftar.";
        AssetBroken = "asset_broken", Illegal => "A broken asset cannot be handed out; send it to maintenance first.", "Aset yang rusak tidak dapat diserahkan; kirim ke perbaikan terlebih dahulu.";
        AssetNotAvailable { status: AssetStatus } = "asset_not_available", Illegal => "Only an available asset can be checked out; this one is {status}.", "Hanya aset yang tersedia yang dapat dipinjamkan; status aset ini: {status}.";
        AssetNotCheckedOut { status: AssetStatus } = "asset_not_checked_out", Illegal => "Only a checked-out asset can be checked in; this one is {status}.", "Hanya aset yang sedang dipinjam yang dapat dikembalikan; status aset ini: {status}.";
        CheckInBeforeMaintenance = "check_in_before_maintenance", Illegal => "Check the asset in before sending it to maintenance.", "Terima kembali aset ini sebelum mengirimnya ke perbaikan.";
        AlreadyInMaintenance = "already_in_maintenance", Illegal => "This asset is already under maintenance.", "Aset ini sudah dalam perbaikan.";
        NotInMaintenance = "not_in_maintenance", Illegal => "This asset is not under maintenance.", "Aset ini tidak sedang dalam perbaikan.";
        CheckInBeforeRetiring = "check_in_before_retiring", Illegal => "Check the asset in before retiring it.", "Terima kembali aset ini sebelum menghapuskannya.";
        AssetCannotBeHandedOut { tag: String, reason: Box<Refusal> } = "asset_cannot_be_handed_out", Conflict => "Asset {tag} cannot be handed out: {reason}", "Aset {tag} tidak dapat diserahkan: {reason}";
        // Stock
        StockStaffOnly = "stock_staff_only", Forbidden => "Only GA staff manage stock.", "Hanya staf GA yang dapat mengelola stok.";
        CannotReadStock = "cannot_read_stock", Forbidden => "You may not read stock.", "Anda tidak berhak melihat stok.";
        NotEnoughStock { lines: Vec<Shortage> } = "not_enough_stock", Conflict => "Not enough stock to complete: {lines}.", "Stok tidak cukup untuk menyelesaikan: {lines}.";
        NotEnoughOnHand { name: String, on_hand: i32, unit: String, quantity: i32 } = "not_enough_on_hand", Conflict => "Only {on_hand} {unit} of {name} on hand; cannot take out {quantity}.", "Stok {name} hanya {on_hand} {unit}; tidak dapat mengeluarkan {quantity}.";
        // People and settings
        DeliveryAdminOnly = "delivery_admin_only", Forbidden => "Only administrators can see deliveries and manage webhooks.", "Hanya administrator yang dapat melihat pengiriman dan mengelola webhook.";
        UsersAdminOnly = "users_admin_only", Forbidden => "Only administrators manage users.", "Hanya administrator yang dapat mengelola pengguna.";
        ResetOwnPassword = "reset_own_password", Forbidden => "Change your own password under your account, not by resetting it.", "Ganti kata sandi Anda sendiri melalui akun Anda, bukan dengan mengatur ulang.";
        SecurityLogAdminOnly = "security_log_admin_only", Forbidden => "Only administrators read the security log.", "Hanya administrator yang dapat membaca log keamanan.";
        SitesAdminOnly = "sites_admin_only", Forbidden => "Only administrators manage sites, calendars and service levels.", "Hanya administrator yang dapat mengelola lokasi, kalender, dan target layanan.";
        DelegationApproversOnly = "delegation_approvers_only", Forbidden => "Only approvers set an out-of-office delegate.", "Hanya pemberi persetujuan yang dapat menunjuk wakil saat cuti.";
        DelegationForOthersAdminOnly = "delegation_for_others_admin_only", Forbidden => "Only administrators set out of office for someone else.", "Hanya administrator yang dapat mengatur cuti untuk orang lain.";
        PolicyAdminOnly = "policy_admin_only", Forbidden => "Only administrators can change the approval policy.", "Hanya administrator yang dapat mengubah kebijakan persetujuan.";
        // Attachments
        NotMultipart = "not_multipart", UnsupportedMediaType => "Send the files as multipart/form-data.", "Kirim berkas sebagai multipart/form-data.";
        UploadUnreadable { detail: String } = "upload_unreadable", BadRequest => "The upload could not be read: {detail}", "Unggahan tidak dapat dibaca: {detail}";
        NoFiles = "no_files", Validation => "Choose at least one file.", "Pilih paling sedikit satu berkas.";
        FileTooLarge { name: String, max_mb: i32 } = "file_too_large", TooLarge => "{name} is larger than {max_mb} MB.", "{name} lebih besar dari {max_mb} MB.";
        TooManyFiles { max: i32 } = "too_many_files", TooLarge => "At most {max} files can be attached here.", "Paling banyak {max} berkas dapat dilampirkan di sini.";
        FileEmpty { name: String } = "file_empty", Validation => "{name} is empty.", "{name} kosong.";
        FileTypeNotAllowed { name: String } = "file_type_not_allowed", UnsupportedMediaType => "{name} is not a photo (JPEG, PNG, WebP), PDF, Office document or plain text.", "{name} bukan foto (JPEG, PNG, WebP), PDF, dokumen Office, atau teks biasa.";
        FileTypeMismatch { name: String, actual: FileKind } = "file_type_mismatch", UnsupportedMediaType => "{name} is really a {actual}; its name says otherwise.", "{name} sebenarnya {actual}; namanya tidak sesuai.";
        FileActiveContent { name: String } = "file_active_content", UnsupportedMediaType => "{name} contains web page code and is refused.", "{name} berisi kode halaman web dan ditolak.";
        FileDamaged { name: String } = "file_damaged", UnsupportedMediaType => "{name} cannot be read as an image; it may be damaged.", "{name} tidak dapat dibaca sebagai gambar; mungkin rusak.";
        FileHeic { name: String } = "file_heic", UnsupportedMediaType => "{name} is a HEIC photo, which GA Desk cannot read yet. Send it as JPEG (on iPhone: Settings › Camera › Formats › Most Compatible).", "{name} adalah foto HEIC yang belum dapat dibaca GA Desk. Kirim sebagai JPEG (di iPhone: Pengaturan › Kamera › Format › Paling Kompatibel).";
        AttachmentsClosed = "attachments_closed", Illegal => "This request is closed; files can no longer be added or removed.", "Permintaan ini sudah ditutup; berkas tidak dapat ditambah atau dihapus lagi.";
        AttachmentRemoveNotAllowed = "attachment_remove_not_allowed", Forbidden => "Only the person who attached a file or GA staff can remove it.", "Hanya orang yang melampirkan berkas atau staf GA yang dapat menghapusnya.";
        LinkExpired = "link_expired", NotFound => "This file link has expired. Open the request again for a fresh one.", "Tautan berkas ini sudah kedaluwarsa. Buka lagi permintaannya untuk tautan baru.";
        // Bookings
        ResourcesStaffOnly = "resources_staff_only", Forbidden => "Only GA staff and administrators manage rooms, cars and equipment.", "Hanya staf GA dan administrator yang dapat mengelola ruang, mobil, dan peralatan.";
        BookingClash { resource: String, busy: Window, free: Slots, others: Names } = "booking_clash", Conflict => "{resource} is already booked {busy}. Free nearby: {free}. Also free then: {others}.", "{resource} sudah dipesan {busy}. Waktu kosong terdekat: {free}. Yang juga kosong saat itu: {others}.";
        SeriesClash { taken: Slots } = "series_clash", Conflict => "Nothing was booked: these times are taken: {taken}. Choose \"book the free ones\" to book the rest.", "Tidak ada yang dipesan: waktu berikut sudah terisi: {taken}. Pilih \"pesan yang kosong saja\" untuk memesan sisanya.";
        NothingFree = "nothing_free", Conflict => "None of the occurrences is free; nothing was booked.", "Tidak ada satu pun waktu yang kosong; tidak ada yang dipesan.";
        BookingNotChangeable { status: BookingStatus } = "booking_not_changeable", Illegal => "This booking is {status}; it can no longer change.", "Pemesanan ini {status}; tidak dapat diubah lagi.";
        CancelBookingNotAllowed = "cancel_booking_not_allowed", Forbidden => "Only the person who booked or GA staff can cancel this booking.", "Hanya pemesan atau staf GA yang dapat membatalkan pemesanan ini.";
        CheckInNotAllowed = "check_in_not_allowed", Forbidden => "Only the person who booked or GA staff can check in.", "Hanya pemesan atau staf GA yang dapat melakukan check-in.";
        CheckInNotOpen { opens: Moment } = "check_in_not_open", Illegal => "Check-in opens at {opens}.", "Check-in dibuka {opens}.";
        CheckInOnlyConfirmed = "check_in_only_confirmed", Illegal => "Only a confirmed booking can be checked in.", "Hanya pemesanan yang terkonfirmasi yang dapat check-in.";
        NotAwaitingBookingApproval = "not_awaiting_booking_approval", Illegal => "This booking is not waiting for approval.", "Pemesanan ini tidak sedang menunggu persetujuan.";
        NotTheBookingApprover = "not_the_booking_approver", Forbidden => "This booking waits for someone else's approval.", "Pemesanan ini menunggu persetujuan orang lain.";
        DriversStaffOnly = "drivers_staff_only", Forbidden => "Only GA staff assign drivers and take cars back.", "Hanya staf GA yang dapat menugaskan pengemudi dan menerima mobil kembali.";
        OnlyCars = "only_cars", Illegal => "Only a car booking has a driver and an odometer.", "Hanya pemesanan mobil yang memiliki pengemudi dan odometer.";
        CannotReadPolicy = "cannot_read_policy", Forbidden => "You may not read the approval policy.", "Anda tidak berhak melihat kebijakan persetujuan.";
    }
}

/// Why a command on a row is turned down: the rules refuse it, or its
/// input is invalid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Rejection {
    Refused(Refusal),
    Invalid(FieldErrors),
}

impl From<Refusal> for Rejection {
    fn from(r: Refusal) -> Self {
        Rejection::Refused(r)
    }
}

impl From<FieldErrors> for Rejection {
    fn from(e: FieldErrors) -> Self {
        Rejection::Invalid(e)
    }
}

/// One missing stock line inside [`Refusal::NotEnoughStock`].
impl Arg for Shortage {
    fn phrase(&self, lang: Lang) -> String {
        ShortageLine::Line {
            name: self.name.clone(),
            sku: self.sku.clone(),
            needed: self.needed,
            unit: self.unit.clone(),
            on_hand: self.on_hand,
        }
        .render(lang)
    }
}

messages! {
    enum ShortageLine {
        Line { name: String, sku: String, needed: i32, unit: String, on_hand: i32 } = "line" => "{name} ({sku}): {needed} {unit} needed, {on_hand} on hand", "{name} ({sku}): perlu {needed} {unit}, tersedia {on_hand}";
    }
}

/// What a stale change is answered with: the row as it is now, whichever
/// kind of row it is, so the client can show what changed and retry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "entity", content = "current", rename_all = "snake_case")]
pub enum Current {
    Ticket(Box<TicketDetail>),
    Asset(Box<AssetDetail>),
    StockItem(Box<StockItem>),
    User(Box<UserAccount>),
}

impl Current {
    pub fn version(&self) -> i32 {
        match self {
            Current::Ticket(t) => t.version,
            Current::Asset(a) => a.version,
            Current::StockItem(s) => s.version,
            Current::User(u) => u.version,
        }
    }

    /// The refusal that explains it: "someone else changed this …".
    pub fn refusal(&self) -> Refusal {
        match self {
            Current::Ticket(t) => Refusal::Changed {
                of: Entity::Ticket,
                version: t.version,
            },
            Current::Asset(a) => Refusal::AssetChanged {
                tag: a.tag.clone(),
                version: a.version,
                status: a.status,
            },
            Current::StockItem(s) => Refusal::Changed {
                of: Entity::StockItem,
                version: s.version,
            },
            Current::User(u) => Refusal::Changed {
                of: Entity::User,
                version: u.version,
            },
        }
    }

    /// The row itself, as the API shows it (without the kind tag).
    pub fn to_json(&self) -> serde_json::Value {
        let value = match self {
            Current::Ticket(t) => serde_json::to_value(t),
            Current::Asset(a) => serde_json::to_value(a),
            Current::StockItem(s) => serde_json::to_value(s),
            Current::User(u) => serde_json::to_value(u),
        };
        value.unwrap_or(serde_json::Value::Null)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::ErrorKind;
    use uuid::Uuid;

    #[test]
    fn a_refusal_reads_in_both_languages_from_one_value() {
        let r = Refusal::AssetNotAvailable {
            status: AssetStatus::UnderMaintenance,
        };
        assert_eq!(
            r.render(Lang::En),
            "Only an available asset can be checked out; this one is under maintenance."
        );
        assert_eq!(
            r.render(Lang::Id),
            "Hanya aset yang tersedia yang dapat dipinjamkan; status aset ini: dalam perbaikan."
        );
        assert_eq!(r.kind(), ErrorKind::Illegal);
        assert_eq!(Refusal::OwnRequest.code(), "own_request");
        assert_eq!(Refusal::OwnRequest.kind().status(), 403);
    }

    #[test]
    fn a_stock_shortage_reads_in_both_languages() {
        let r = Refusal::NotEnoughStock {
            lines: vec![
                Shortage {
                    stock_item_id: Uuid::nil(),
                    sku: "ATK-KRT-A4".into(),
                    name: "Kertas A4 80gsm".into(),
                    unit: "rim".into(),
                    needed: 10,
                    on_hand: 4,
                },
                Shortage {
                    stock_item_id: Uuid::nil(),
                    sku: "PTR-KOPI".into(),
                    name: "Kopi".into(),
                    unit: "pak".into(),
                    needed: 3,
                    on_hand: 0,
                },
            ],
        };
        assert_eq!(
            r.render(Lang::En),
            "Not enough stock to complete: Kertas A4 80gsm (ATK-KRT-A4): 10 rim needed, 4 on hand; Kopi (PTR-KOPI): 3 pak needed, 0 on hand."
        );
        assert_eq!(
            r.render(Lang::Id),
            "Stok tidak cukup untuk menyelesaikan: Kertas A4 80gsm (ATK-KRT-A4): perlu 10 rim, tersedia 4; Kopi (PTR-KOPI): perlu 3 pak, tersedia 0."
        );
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["code"], "not_enough_stock");
        assert_eq!(json["params"]["lines"][0]["needed"], 10);
    }

    #[test]
    fn nested_messages_render_in_the_same_language() {
        let r = Refusal::AssetCannotBeHandedOut {
            tag: "AST-000001".into(),
            reason: Box::new(Refusal::AssetBroken),
        };
        assert!(r
            .render(Lang::Id)
            .starts_with("Aset AST-000001 tidak dapat diserahkan: Aset yang rusak"));
        let p = Refusal::BadParameter {
            name: "limit".into(),
            problem: FieldError::WholeNumber { min: 1, max: 100 },
        };
        assert_eq!(
            p.render(Lang::En),
            "limit: Enter a whole number from 1 to 100."
        );
        assert_eq!(
            Refusal::Changed {
                of: Entity::StockItem,
                version: 4
            }
            .render(Lang::Id),
            "Orang lain telah mengubah barang stok ini (kini versi 4). Muat ulang lalu coba lagi."
        );
    }

    #[test]
    fn codes_are_unique_snake_case() {
        for codes in [Refusal::CODES, FieldError::CODES] {
            let mut seen = std::collections::BTreeSet::new();
            for code in codes {
                assert!(
                    code.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                    "{code}"
                );
                assert!(seen.insert(*code), "{code} twice");
            }
        }
    }
}
