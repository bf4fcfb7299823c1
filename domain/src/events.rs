//! What GA Desk records that people read later: notifications, security
//! log entries and the notes it writes itself into histories. They are
//! stored as values (kind and parameters, jsonb) and put into words when
//! read, in the reader's language, so rewording a sentence or switching
//! language changes every old row too.

use crate::approval::ApprovalPolicy;
use crate::role::Role;
use crate::stock::StockTerms;
use crate::ticket::TicketStatus;

messages! {
    /// A notification (the bell): what happened, to which ticket.
    pub enum Notice {
        StatusChanged { number: String, status: TicketStatus } = "status_changed" => "{number} is now {status}", "{number} kini berstatus {status}";
        AwaitingApproval { number: String } = "awaiting_approval" => "{number} is waiting for your approval", "{number} menunggu persetujuan Anda";
        Assigned { number: String } = "assigned" => "{number} was assigned to you", "{number} ditugaskan kepada Anda";
        Commented { number: String, author: String } = "commented" => "{author} commented on {number}", "{author} mengomentari {number}";
        Rejected { number: String, reason: String } = "rejected" => "{number} was rejected: {reason}", "{number} ditolak: {reason}";
        PleaseConfirm { number: String } = "please_confirm" => "{number} is done: please confirm it or reopen it", "{number} selesai dikerjakan: mohon konfirmasi atau buka kembali";
        ApprovalReminder { number: String, hours: i64 } = "approval_reminder" => "Reminder: {number} has waited {hours} hours for your approval", "Pengingat: {number} sudah {hours} jam menunggu persetujuan Anda";
        ConfirmReminder { number: String, days: i64 } = "confirm_reminder" => "Reminder: {number} closes by itself in {days} days unless you confirm or reopen it", "Pengingat: {number} ditutup otomatis dalam {days} hari jika tidak dikonfirmasi atau dibuka kembali";
        StockLow { sku: String, name: String, available: i64, reorder_level: i64 } = "stock_low" => "Stock low: {name} ({sku}) has {available} available, reorder level {reorder_level}", "Stok menipis: {name} ({sku}) tersedia {available}, batas pesan ulang {reorder_level}";
        WarrantyEnding { tag: String, name: String, date: chrono::NaiveDate } = "warranty_ending" => "Warranty of {name} ({tag}) ends on {date}", "Garansi {name} ({tag}) berakhir pada {date}";
        Digest { count: i64 } = "digest" => "Your GA Desk digest: {count} updates", "Ringkasan GA Desk Anda: {count} kabar";
        SlaReminder { number: String, clock: crate::service_level::Clock, due: crate::lang::Moment } = "sla_reminder" => "{number}: {clock} is due soon ({due})", "{number}: {clock} segera jatuh tempo ({due})";
        SlaBreached { number: String, clock: crate::service_level::Clock, due: crate::lang::Moment } = "sla_breached" => "{number}: {clock} is overdue (was due {due})", "{number}: {clock} terlambat (jatuh tempo {due})";
        BookingDecisionNeeded { resource: String, when: crate::booking::Window, by: String } = "booking_decision_needed" => "{by} asks to book {resource} {when}: approve or reject", "{by} meminta memesan {resource} {when}: setujui atau tolak";
        BookingDecided { resource: String, when: crate::booking::Window, status: crate::booking::BookingStatus } = "booking_decided" => "Your booking of {resource} {when} is {status}", "Pemesanan {resource} {when} Anda: {status}";
        BookingReleased { resource: String, when: crate::booking::Window } = "booking_released" => "{resource} {when} was released: nobody checked in", "{resource} {when} dilepas: tidak ada yang check-in";
        WebhookTest { name: String } = "webhook_test" => "Test message for the webhook {name}", "Pesan uji untuk webhook {name}";
    }
}

string_enum!(
    /// What a security log line records.
    SecurityKind {
        LoginSucceeded => "login_succeeded", "Signed in", "Berhasil masuk";
        LoginFailed => "login_failed", "Sign-in failed", "Gagal masuk";
        LoginLocked => "login_locked", "Sign-in locked", "Masuk dikunci";
        Logout => "logout", "Signed out", "Keluar";
        RefreshReused => "refresh_reused", "Session token reused", "Token sesi dipakai ulang";
        PasswordChanged => "password_changed", "Password changed", "Kata sandi diganti";
        PasswordReset => "password_reset", "Password reset", "Kata sandi diatur ulang";
        RoleChanged => "role_changed", "Role changed", "Peran diubah";
        UserCreated => "user_created", "User created", "Pengguna dibuat";
        UserDeactivated => "user_deactivated", "User deactivated", "Pengguna dinonaktifkan";
        UserReactivated => "user_reactivated", "User reactivated", "Pengguna diaktifkan lagi";
        UserUpdated => "user_updated", "User updated", "Pengguna diperbarui";
        OidcLogin => "oidc_login", "Signed in with SSO", "Masuk lewat SSO";
        RateLimited => "rate_limited", "Rate limited", "Dibatasi karena terlalu sering";
        PasswordChangeFailed => "password_change_failed", "Password change failed", "Ganti kata sandi gagal";
        SessionEnded => "session_ended", "Session ended", "Sesi diakhiri";
        PolicyChanged => "policy_changed", "Approval policy changed", "Kebijakan persetujuan diubah";
        StockItemChanged => "stock_item_changed", "Stock item changed", "Barang stok diubah";
        WebhookChanged => "webhook_changed", "Webhook changed", "Webhook diubah";
        SiteChanged => "site_changed", "Site changed", "Lokasi diubah";
        CalendarChanged => "calendar_changed", "Calendar changed", "Kalender diubah";
        ServiceLevelChanged => "service_level_changed", "Service level targets changed", "Target layanan diubah";
        DelegationChanged => "delegation_changed", "Out of office changed", "Cuti dan wakil diubah";
    }
);

messages! {
    /// The detail of a security log line.
    pub enum SecurityDetail {
        SessionEndedForReuse = "session_ended_for_reuse" => "A rotated refresh token was presented again; the session was ended.", "Token sesi yang sudah diganti dipakai lagi; sesi diakhiri.";
        TooManyFailures = "too_many_failures" => "Too many failed sign-ins; try again later.", "Terlalu banyak percobaan masuk yang gagal; coba lagi nanti.";
        InactiveAccount = "inactive_account" => "Single sign-on for an inactive account.", "Masuk lewat SSO untuk akun yang tidak aktif.";
        CreatedBySso = "created_by_sso" => "First sign-in: account created as requester.", "Masuk pertama: akun dibuat sebagai pemohon.";
        WithRole { role: Role } = "with_role" => "Role: {role}.", "Peran: {role}.";
        RoleChanged { from: Role, to: Role } = "role_changed" => "{from} → {to}", "{from} → {to}";
        ThrottledAddress = "throttled_address" => "Too many failed sign-ins from this network; it must wait.", "Terlalu banyak percobaan masuk yang gagal dari jaringan ini; jaringan ini harus menunggu.";
        TemporaryPasswordExpired = "temporary_password_expired" => "The temporary password had expired.", "Kata sandi sementara sudah kedaluwarsa.";
        SsoDomainNotAllowed = "sso_domain_not_allowed" => "Single sign-on from an email domain that is not allowed.", "Masuk lewat SSO dari domain email yang tidak diizinkan.";
        SsoBoundElsewhere = "sso_bound_elsewhere" => "Single sign-on by another identity for an account already linked.", "Masuk lewat SSO dengan identitas lain untuk akun yang sudah terhubung.";
        SessionSignedOut { device: String } = "session_signed_out" => "Signed out the session on {device}.", "Sesi di {device} dikeluarkan.";
        OtherSessionsSignedOut { count: i64 } = "other_sessions_signed_out" => "Signed out {count} other sessions.", "{count} sesi lain dikeluarkan.";
        SessionExpired = "session_expired" => "The session reached its longest lifetime.", "Sesi mencapai masa berlaku terlamanya.";
        PolicyChanged { before: ApprovalPolicy, after: ApprovalPolicy } = "policy_changed" => "Before: {before}. After: {after}.", "Sebelum: {before}. Sesudah: {after}.";
        StockItemCreated { after: StockTerms } = "stock_item_created" => "Created: {after}.", "Dibuat: {after}.";
        StockItemChanged { before: StockTerms, after: StockTerms } = "stock_item_changed" => "Before: {before}. After: {after}.", "Sebelum: {before}. Sesudah: {after}.";
        WebhookCreated { name: String, url: String } = "webhook_created" => "Created the webhook {name} to {url}.", "Membuat webhook {name} ke {url}.";
        WebhookUpdated { name: String, url: String, active: String } = "webhook_updated" => "Webhook {name}: address {url}, active: {active}.", "Webhook {name}: alamat {url}, aktif: {active}.";
        UploadLimitsChanged { max_file_mb: i32, max_files: i32 } = "upload_limits_changed" => "Files up to {max_file_mb} MB, at most {max_files} per request or asset.", "Berkas paling besar {max_file_mb} MB, paling banyak {max_files} per permintaan atau aset.";
        WebhookDeleted { name: String } = "webhook_deleted" => "Deleted the webhook {name}.", "Menghapus webhook {name}.";
        SiteSaved { code: String, name: String } = "site_saved" => "Site {code}: {name}.", "Lokasi {code}: {name}.";
        DayClosed { day: chrono::NaiveDate, name: String } = "day_closed" => "Closed on {day}: {name}.", "Tutup pada {day}: {name}.";
        DayOpened { day: chrono::NaiveDate, name: String } = "day_opened" => "Open again on {day} (was {name}).", "Buka lagi pada {day} (sebelumnya {name}).";
        CalendarImported { count: i64 } = "calendar_imported" => "Imported {count} closed days.", "Mengimpor {count} hari libur.";
        TargetsChanged { category: String, priority: String, approval: i64, response: i64, resolution: i64 } = "targets_changed" => "{category}, {priority}: approval {approval}, response {response}, resolution {resolution} working minutes.", "{category}, {priority}: persetujuan {approval}, tanggapan {response}, penyelesaian {resolution} menit kerja.";
        DelegationSet { away: String, delegate: String, from: chrono::NaiveDate, to: chrono::NaiveDate } = "delegation_set" => "{away} away {from} to {to}; {delegate} decides meanwhile.", "{away} cuti {from} sampai {to}; {delegate} memutuskan sementara.";
        DelegationEnded { away: String, delegate: String } = "delegation_ended" => "{away} is back; {delegate} no longer decides for them.", "{away} sudah kembali; {delegate} tidak lagi memutuskan untuknya.";
        /// Written before details were values; shown as it was stored.
        Legacy { text: String } = "legacy" => "{text}", "{text}";
    }
}

/// One line of the security log, for administrators.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct SecurityEntry {
    pub id: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    pub kind: SecurityKind,
    /// The account the line is about, when it exists.
    pub user_email: Option<String>,
    /// Who did it, when it was someone else (an administrator).
    pub actor_email: Option<String>,
    /// The address typed (a failed sign-in may name no account).
    pub email: String,
    pub client_ip: String,
    #[cfg_attr(feature = "sqlx", sqlx(json(nullable)))]
    pub detail: Option<SecurityDetail>,
}

impl SecurityEntry {
    /// Whom the line is about, as shown.
    pub fn who(&self) -> &str {
        self.user_email.as_deref().unwrap_or(&self.email)
    }
}

messages! {
    /// A note GA Desk itself writes into a history or a stock movement.
    pub enum SystemNote {
        AutoClosed { days: i64 } = "auto_closed" => "Closed automatically {days} days after completion", "Ditutup otomatis {days} hari setelah selesai dikerjakan";
        HandedOutFor { number: String } = "handed_out_for" => "Handed out for {number}", "Diserahkan untuk {number}";
        OpeningStock = "opening_stock" => "Opening stock", "Stok awal";
        SlaReminded { clock: crate::service_level::Clock, percent: i64 } = "sla_reminded" => "{clock}: {percent} % of the target has passed; reminder sent", "{clock}: {percent} % target sudah terlewati; pengingat dikirim";
        SlaEscalated { clock: crate::service_level::Clock } = "sla_escalated" => "{clock}: target missed; escalated", "{clock}: target terlewati; dieskalasi";
        Delegated { away: String } = "delegated" => "Decided on behalf of {away}", "Diputuskan atas nama {away}";
        Odometer { km: i32 } = "odometer" => "Odometer at {km} km on return", "Odometer {km} km saat kembali";
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    #[test]
    fn a_stored_notice_reads_in_the_readers_language() {
        let n = Notice::StatusChanged {
            number: "GA-2026-000123".into(),
            status: TicketStatus::WaitingApproval,
        };
        let stored = serde_json::to_value(&n).unwrap();
        assert_eq!(
            stored,
            serde_json::json!({"code": "status_changed", "params": {"number": "GA-2026-000123", "status": "waiting_approval"}})
        );
        let read: Notice = serde_json::from_value(stored).unwrap();
        assert_eq!(
            read.render(Lang::En),
            "GA-2026-000123 is now waiting for approval"
        );
        assert_eq!(
            read.render(Lang::Id),
            "GA-2026-000123 kini berstatus menunggu persetujuan"
        );
    }

    #[test]
    fn roles_keep_their_abbreviations_inside_sentences() {
        let d = SecurityDetail::RoleChanged {
            from: Role::Requester,
            to: Role::Agent,
        };
        assert_eq!(d.render(Lang::En), "requester → GA agent");
        assert_eq!(d.render(Lang::Id), "pemohon → petugas GA");
    }
}
