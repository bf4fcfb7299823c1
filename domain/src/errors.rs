//! What can be wrong with one field of a form or request, as values.

use crate::money::{Money, MoneyError};
use crate::refusal::Refusal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The earliest and latest years a date field accepts (typos such as 0202).
pub const FIRST_YEAR: i32 = 1990;
pub const LAST_YEAR: i32 = 2100;

string_enum!(
    /// What a version is of, in "send the version of the … you saw".
    Entity {
        Ticket => "ticket", "ticket", "permintaan";
        Asset => "asset", "asset", "aset";
        StockItem => "stock_item", "stock item", "barang stok";
        User => "user", "user", "pengguna";
        Webhook => "webhook", "webhook", "webhook";
        Site => "site", "site", "lokasi";
        ServicePolicy => "service_policy", "service level target", "target layanan";
        Delegation => "delegation", "out-of-office period", "periode cuti";
        Resource => "resource", "room, car or equipment", "ruang, mobil, atau peralatan";
        Booking => "booking", "booking", "pemesanan";
    }
);

messages! {
    /// Why a field's value is refused. Shown next to the field, in the
    /// reader's language.
    pub enum FieldError {
        Required = "required" => "This field is required.", "Wajib diisi.";
        TooLong { max: u32 } = "too_long" => "Use at most {max} characters.", "Gunakan paling banyak {max} karakter.";
        TooShort { min: u32 } = "too_short" => "Use at least {min} characters.", "Gunakan paling sedikit {min} karakter.";
        ControlCharacters = "control_characters" => "Contains characters that are not allowed.", "Berisi karakter yang tidak diizinkan.";
        NothingChanged = "nothing_changed" => "Change at least one field.", "Ubah paling sedikit satu isian.";
        ReasonRequired = "reason_required" => "Please give a reason.", "Mohon isi alasannya.";
        WholeNumber { min: i64, max: i64 } = "whole_number" => "Enter a whole number from {min} to {max}.", "Masukkan bilangan bulat dari {min} sampai {max}.";
        DateOutOfRange { first: i32, last: i32 } = "date_out_of_range" => "Enter a date between {first} and {last}.", "Masukkan tanggal antara tahun {first} dan {last}.";
        NotADate = "not_a_date" => "Enter a date as YYYY-MM-DD.", "Masukkan tanggal dengan format YYYY-MM-DD.";
        OneOf { allowed: String } = "one_of" => "Use one of: {allowed}.", "Gunakan salah satu dari: {allowed}.";
        NotAnId = "not_an_id" => "Use an id (a UUID).", "Gunakan ID (UUID).";
        NotANumber = "not_a_number" => "Enter a whole number.", "Masukkan bilangan bulat.";
        NotTrueOrFalse = "not_true_or_false" => "Use true or false.", "Gunakan true atau false.";
        // Amounts in Rupiah
        AmountInvalid = "amount_invalid" => "Enter an amount in Rupiah, for example 1.500.000.", "Masukkan nominal dalam Rupiah, misalnya 1.500.000.";
        AmountNegative = "amount_negative" => "The amount cannot be negative.", "Nominal tidak boleh negatif.";
        AmountTooLarge { max: Money } = "amount_too_large" => "The amount cannot exceed {max}.", "Nominal tidak boleh melebihi {max}.";
        AmountTooPrecise = "amount_too_precise" => "Use at most two decimals (sen).", "Gunakan paling banyak dua angka desimal (sen).";
        LineTotalTooLarge { max: Money } = "line_total_too_large" => "Quantity × price exceeds {max}.", "Jumlah × harga melebihi {max}.";
        // Requests
        ItemsRequired = "items_required" => "Add at least one item.", "Tambahkan paling sedikit satu barang.";
        TooManyItems { max: u32 } = "too_many_items" => "Use at most {max} items per ticket.", "Gunakan paling banyak {max} barang per permintaan.";
        StockItemUnknown = "stock_item_unknown" => "This stock item does not exist or is no longer stocked.", "Barang stok ini tidak ada atau tidak lagi disediakan.";
        StockLineFromItem = "stock_line_from_item" => "A line taken from stock gets its name, unit and price from the stock item; send only the item and the quantity.", "Baris dari stok mengambil nama, satuan, dan harga dari barang stok; kirim barang dan jumlahnya saja.";
        ThisSession = "this_session" => "This is the session you are using; sign out instead.", "Ini sesi yang sedang Anda pakai; keluar saja.";
        PercentRange { max: u32 } = "percent_range" => "Enter a whole percentage from 0 to {max}.", "Masukkan persentase bulat dari 0 sampai {max}.";
        VersionRequired { of: Entity } = "version_required" => "Send the version of the {of} you saw (If-Match header or \"version\").", "Kirim versi {of} yang Anda lihat (header If-Match atau \"version\").";
        NotAnEtag = "not_an_etag" => "Use the ETag you received, for example \"7\".", "Gunakan ETag yang Anda terima, misalnya \"7\".";
        VersionsDisagree = "versions_disagree" => "The body's version and If-Match disagree.", "Versi di isi dan If-Match berbeda.";
        ChooseAssignee = "choose_assignee" => "Choose an active GA agent or administrator.", "Pilih petugas GA atau administrator yang aktif.";
        AssigneeFilter = "assignee_filter" => "Choose an assignee: a person's id, \"me\" or \"unassigned\".", "Pilih petugas: ID seseorang, \"me\", atau \"unassigned\".";
        NoSuchStaff = "no_such_staff" => "No such person on the GA staff.", "Orang tersebut tidak ada di staf GA.";
        NoSuchTicket = "no_such_ticket" => "No such ticket.", "Permintaan tersebut tidak ada.";
        IdempotencyKey = "idempotency_key" => "Use 1 to 200 visible ASCII characters.", "Gunakan 1 sampai 200 karakter ASCII yang terlihat.";
        IdempotencyKeyReused = "idempotency_key_reused" => "This key was already used with a different request body.", "Kunci ini sudah dipakai dengan isi permintaan yang berbeda.";
        // Reports and lists
        StartAfterEnd = "start_after_end" => "The start must not be after the end.", "Tanggal awal tidak boleh setelah tanggal akhir.";
        RangeTooLong { months: u32 } = "range_too_long" => "Choose a range of at most {months} months.", "Pilih rentang paling lama {months} bulan.";
        // Assets
        AssetTag = "asset_tag" => "Use 2 to 40 letters, digits or dashes (for example AST-000123), or leave it empty.", "Gunakan 2 sampai 40 huruf, angka, atau tanda hubung (misalnya AST-000123), atau kosongkan.";
        WarrantyBeforePurchase = "warranty_before_purchase" => "The warranty cannot end before the purchase date.", "Garansi tidak boleh berakhir sebelum tanggal pembelian.";
        ExpectedBackBeforeSent = "expected_back_before_sent" => "The expected return cannot be before the day it was sent.", "Perkiraan tanggal kembali tidak boleh sebelum tanggal pengiriman.";
        ReturnedBeforeSent = "returned_before_sent" => "The return cannot be before the day it was sent.", "Tanggal kembali tidak boleh sebelum tanggal pengiriman.";
        TagTaken = "tag_taken" => "Another asset already has this tag.", "Tag ini sudah dipakai aset lain.";
        SerialTaken = "serial_taken" => "Another asset of this category already has this serial number.", "Nomor seri ini sudah dipakai aset lain dalam kategori yang sama.";
        ChooseHolder = "choose_holder" => "Choose an active employee.", "Pilih karyawan yang aktif.";
        NoSuchAsset = "no_such_asset" => "No such asset.", "Aset tersebut tidak ada.";
        // Notifications
        WebAddress = "web_address" => "Enter a web address starting with https:// (or http:// inside your network).", "Masukkan alamat web yang diawali https:// (atau http:// di dalam jaringan Anda).";
        // Stock
        Sku = "sku" => "Use 1 to 40 letters, digits, dots, dashes or underscores (for example ATK-KRT-A4).", "Gunakan 1 sampai 40 huruf, angka, titik, tanda hubung, atau garis bawah (misalnya ATK-KRT-A4).";
        SkuTaken = "sku_taken" => "Another stock item already has this SKU.", "SKU ini sudah dipakai barang stok lain.";
        CorrectionNonZero = "correction_non_zero" => "Enter the correction as a non-zero number (negative to remove).", "Masukkan koreksi berupa angka selain nol (negatif untuk mengurangi).";
        CorrectionReason = "correction_reason" => "Say why the count is corrected.", "Sebutkan alasan jumlah stok dikoreksi.";
        // People and passwords
        Email = "email" => "Enter a valid email address, for example budi@example.co.id.", "Masukkan alamat email yang valid, misalnya budi@example.co.id.";
        EmailTaken = "email_taken" => "Someone already uses this email address.", "Alamat email ini sudah dipakai orang lain.";
        PasswordContainsEmail = "password_contains_email" => "The password must not contain your email address.", "Kata sandi tidak boleh memuat alamat email Anda.";
        PasswordTooCommon = "password_too_common" => "This password is too common; choose another.", "Kata sandi ini terlalu umum; pilih yang lain.";
        NotCurrentPassword = "not_current_password" => "This is not your current password.", "Ini bukan kata sandi Anda saat ini.";
        PasswordsDiffer = "passwords_differ" => "The two new passwords differ.", "Kedua kata sandi baru tidak sama.";
        SamePassword = "same_password" => "Choose a password different from the current one.", "Pilih kata sandi yang berbeda dari kata sandi saat ini.";
        OwnManager = "own_manager" => "Nobody can be their own manager.", "Seseorang tidak dapat menjadi atasannya sendiri.";
        ChooseManager = "choose_manager" => "Choose an active approver or administrator.", "Pilih pemberi persetujuan atau administrator yang aktif.";
        OwnRole = "own_role" => "You cannot change your own role.", "Anda tidak dapat mengubah peran Anda sendiri.";
        DeactivateSelf = "deactivate_self" => "You cannot deactivate yourself.", "Anda tidak dapat menonaktifkan akun Anda sendiri.";
        // The approval policy
        LevelCount { max: u32 } = "level_count" => "Use between 1 and {max} levels.", "Gunakan antara 1 dan {max} tingkat.";
        ThresholdPositive = "threshold_positive" => "A threshold must be above Rp 0.", "Batas nominal harus lebih dari Rp 0.";
        ThresholdAscending = "threshold_ascending" => "Each level must start above the one before.", "Setiap tingkat harus dimulai di atas tingkat sebelumnya.";
        // Service levels, sites and delegation
        ResponseAfterResolution = "response_after_resolution" => "The first response cannot be due after the resolution.", "Tanggapan pertama tidak boleh jatuh tempo setelah penyelesaian.";
        WorkingHours = "working_hours" => "Give each day's working hours as HH.MM–HH.MM spans in order, none overlapping, with some working time in the week.", "Isi jam kerja tiap hari sebagai rentang JJ.MM–JJ.MM yang berurutan dan tidak tumpang tindih, dengan jam kerja dalam seminggu.";
        SiteCode = "site_code" => "Use 2 to 12 capital letters, digits or dashes (for example MKS).", "Gunakan 2 sampai 12 huruf kapital, angka, atau tanda hubung (misalnya MKS).";
        SiteTaken = "site_taken" => "Another site already has this code or name.", "Kode atau nama ini sudah dipakai lokasi lain.";
        NoSuchSite = "no_such_site" => "No such site.", "Lokasi tersebut tidak ada.";
        DayAlreadyClosed = "day_already_closed" => "This day is already in the calendar.", "Tanggal ini sudah ada di kalender.";
        NotAnIcsFile = "not_an_ics_file" => "This is not an iCalendar (.ics) file with all-day events.", "Ini bukan berkas iCalendar (.ics) dengan acara sehari penuh.";
        ChooseDelegate = "choose_delegate" => "Choose another active approver or administrator.", "Pilih pemberi persetujuan atau administrator aktif lainnya.";
        OwnDelegate = "own_delegate" => "You cannot delegate to yourself.", "Anda tidak dapat mendelegasikan kepada diri sendiri.";
        DelegationOverlaps = "delegation_overlaps" => "This period overlaps another out-of-office period.", "Periode ini bertumpang tindih dengan periode cuti lainnya.";
        EndBeforeStart = "end_before_start" => "The last day cannot be before the first.", "Hari terakhir tidak boleh sebelum hari pertama.";
        EndedAlready = "ended_already" => "The last day has already passed.", "Hari terakhir sudah lewat.";
        // Bookings
        PlateOnlyCars = "plate_only_cars" => "Only a car has a number plate.", "Hanya mobil yang memiliki pelat nomor.";
        Plate = "plate" => "Enter the number plate, for example B 1234 KJT.", "Masukkan pelat nomor, misalnya B 1234 KJT.";
        PlateTaken = "plate_taken" => "Another car already has this number plate.", "Pelat nomor ini sudah dipakai mobil lain.";
        ResourceTaken = "resource_taken" => "This site already has a resource of this kind with this name.", "Lokasi ini sudah memiliki sumber daya sejenis dengan nama ini.";
        EndsBeforeStart = "ends_before_start" => "The end must be after the start.", "Waktu selesai harus setelah waktu mulai.";
        BookingInPast = "booking_in_past" => "This time has already passed.", "Waktu ini sudah lewat.";
        BookingTooFarAhead { days: i32 } = "booking_too_far_ahead" => "This can be booked at most {days} days ahead.", "Ini dapat dipesan paling lama {days} hari sebelumnya.";
        BookingTooLong { minutes: i32 } = "booking_too_long" => "A booking here lasts at most {minutes} minutes.", "Pemesanan di sini paling lama {minutes} menit.";
        OverCapacity { capacity: i32 } = "over_capacity" => "Room for at most {capacity} people.", "Muat paling banyak {capacity} orang.";
        OutsideOpeningHours = "outside_opening_hours" => "Book within the office's working hours on a working day.", "Pesan di dalam jam kerja kantor pada hari kerja.";
        ResourceInactive = "resource_inactive" => "This resource cannot be booked at the moment.", "Sumber daya ini sedang tidak dapat dipesan.";
        ResourceStaffOnly = "resource_staff_only" => "Only GA staff book this.", "Hanya staf GA yang dapat memesan ini.";
        NoSuchResource = "no_such_resource" => "No such room, car or equipment.", "Ruang, mobil, atau peralatan tersebut tidak ada.";
        RepeatRule = "repeat_rule" => "Give the repetition as an iCalendar rule with an end, for example FREQ=WEEKLY;COUNT=12.", "Isi pengulangan sebagai aturan iCalendar yang berakhir, misalnya FREQ=WEEKLY;COUNT=12.";
        RepeatTooMany { max: u32 } = "repeat_too_many" => "A series makes at most {max} bookings within a year.", "Satu seri paling banyak {max} pemesanan dalam setahun.";
        ChooseDriver = "choose_driver" => "Choose an active driver of this car's site.", "Pilih pengemudi aktif dari lokasi mobil ini.";
        DriverBusy = "driver_busy" => "This driver is already driving another car at that time.", "Pengemudi ini sudah mengemudikan mobil lain pada waktu itu.";
        OdometerBelowStart { start: i32 } = "odometer_below_start" => "The odometer cannot read less than at the start ({start} km).", "Odometer tidak boleh kurang dari saat berangkat ({start} km).";
        /// A refusal shown next to the field it concerns.
        Refused { reason: Box<Refusal> } = "refused" => "{reason}", "{reason}";
    }
}

impl From<MoneyError> for FieldError {
    fn from(e: MoneyError) -> Self {
        match e {
            MoneyError::Invalid => FieldError::AmountInvalid,
            MoneyError::Negative => FieldError::AmountNegative,
            MoneyError::TooLarge => FieldError::AmountTooLarge { max: Money::max() },
            MoneyError::TooPrecise => FieldError::AmountTooPrecise,
        }
    }
}

impl FieldError {
    pub fn date_out_of_range() -> Self {
        FieldError::DateOutOfRange {
            first: FIRST_YEAR,
            last: LAST_YEAR,
        }
    }
}

/// Whether a date is within the years forms accept.
pub fn sane_date(d: chrono::NaiveDate) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&chrono::Datelike::year(&d))
}

/// Validation failures keyed by the field they belong to, e.g. `title` or
/// `items[1].unit_price`, so forms can show each message next to its input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FieldErrors(BTreeMap<String, FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps the first error for a field: it is usually the most basic one.
    pub fn add(&mut self, field: impl Into<String>, error: FieldError) {
        self.0.entry(field.into()).or_insert(error);
    }

    pub fn get(&self, field: &str) -> Option<&FieldError> {
        self.0.get(field)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &FieldError)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Adds every error of `other` (fields already present keep theirs).
    pub fn merge(&mut self, other: FieldErrors) {
        for (field, error) in other.0 {
            self.add(field, error);
        }
    }

    /// `Ok(value)` when nothing was recorded, else the collected errors.
    pub fn into_result<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    pub fn single(field: impl Into<String>, error: FieldError) -> Self {
        let mut e = Self::new();
        e.add(field, error);
        e
    }
}

/// English, for logs.
impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        f.write_str(&parts.join("; "))
    }
}

/// In the API description: field name → `{code, params}`.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for FieldErrors {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder};
        ObjectBuilder::new()
            .additional_properties(Some(AdditionalProperties::RefOr(
                <FieldError as utoipa::PartialSchema>::schema(),
            )))
            .examples([serde_json::json!({"items[0].unit_price": {"code": "amount_negative"}})])
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for FieldErrors {}

/// Control characters other than line breaks and tabs.
pub fn has_control(value: &str) -> bool {
    value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
}

/// Checks a trimmed text's length in characters (not bytes: Indonesian names
/// and emoji count as one each).
pub fn check_text(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    required: bool,
    max_chars: usize,
) {
    let len = value.trim().chars().count();
    if required && len == 0 {
        errors.add(field, FieldError::Required);
    } else if len > max_chars {
        errors.add(
            field,
            FieldError::TooLong {
                max: max_chars as u32,
            },
        );
    } else if has_control(value) {
        errors.add(field, FieldError::ControlCharacters);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    #[test]
    fn first_error_per_field_wins() {
        let mut e = FieldErrors::new();
        e.add("title", FieldError::Required);
        e.add("title", FieldError::TooLong { max: 3 });
        assert_eq!(e.get("title"), Some(&FieldError::Required));
        assert_eq!(e.len(), 1);
        assert!(e.into_result(()).is_err());
    }

    #[test]
    fn text_rules_count_characters_not_bytes() {
        let mut e = FieldErrors::new();
        check_text(&mut e, "t", &"é".repeat(200), true, 200);
        assert!(e.is_empty());
        check_text(&mut e, "t", &"é".repeat(201), true, 200);
        assert_eq!(e.get("t"), Some(&FieldError::TooLong { max: 200 }));
        let mut e = FieldErrors::new();
        check_text(&mut e, "t", "   ", true, 10);
        assert_eq!(e.get("t"), Some(&FieldError::Required));
        let mut e = FieldErrors::new();
        check_text(&mut e, "t", "a\u{0}b", true, 10);
        assert_eq!(e.get("t"), Some(&FieldError::ControlCharacters));
    }

    #[test]
    fn a_field_error_reads_in_both_languages_from_one_value() {
        let e = FieldError::TooLong { max: 200 };
        assert_eq!(e.render(Lang::En), "Use at most 200 characters.");
        assert_eq!(e.render(Lang::Id), "Gunakan paling banyak 200 karakter.");
        let money: FieldError = MoneyError::TooLarge.into();
        assert_eq!(
            money.render(Lang::En),
            "The amount cannot exceed Rp 1.000.000.000.000."
        );
        assert_eq!(
            money.render(Lang::Id),
            "Nominal tidak boleh melebihi Rp 1.000.000.000.000."
        );
        let v = FieldError::VersionRequired { of: Entity::Asset };
        assert_eq!(
            v.render(Lang::Id),
            "Kirim versi aset yang Anda lihat (header If-Match atau \"version\")."
        );
    }

    #[test]
    fn field_errors_serialize_as_codes() {
        let e = FieldErrors::single("items[0].unit_price", FieldError::AmountNegative);
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"items[0].unit_price": {"code": "amount_negative"}})
        );
        assert_eq!(
            FieldErrors::single("a", FieldError::Required).to_string(),
            "a: This field is required."
        );
    }
}
