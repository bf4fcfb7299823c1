//! Indonesia's national holidays (hari libur nasional) and collective
//! leave days (cuti bersama), as the government decrees them each year in
//! a joint decree of three ministers (SKB 3 Menteri). Shipped as data so a
//! new installation closes on the right days; admins edit them per site
//! and import later years from an `.ics` file.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

string_enum!(
    /// Why a site is closed on a day.
    HolidayKind {
        National => "national", "National holiday", "Libur nasional";
        CollectiveLeave => "collective_leave", "Collective leave (cuti bersama)", "Cuti bersama";
        Closure => "closure", "Site closure", "Kantor tutup";
    }
);

/// One closed day, with its name in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    pub date: NaiveDate,
    pub kind: HolidayKind,
    pub name_id: String,
    pub name_en: String,
}

/// SKB 3 Menteri No. 1497/2025, 2/2025 and 5/2025 (19 September 2025):
/// 17 national holidays and 8 days of cuti bersama in 2026. Easter Sunday
/// and the second day of Idul Fitri fall on a weekend and are listed all
/// the same, as the decree lists them.
const INDONESIA_2026: &[(u32, u32, HolidayKind, &str, &str)] = &[
    (
        1,
        1,
        HolidayKind::National,
        "Tahun Baru 2026 Masehi",
        "New Year's Day",
    ),
    (
        1,
        16,
        HolidayKind::National,
        "Isra Mikraj Nabi Muhammad SAW",
        "Isra Mi'raj",
    ),
    (
        2,
        16,
        HolidayKind::CollectiveLeave,
        "Cuti bersama Tahun Baru Imlek",
        "Chinese New Year collective leave",
    ),
    (
        2,
        17,
        HolidayKind::National,
        "Tahun Baru Imlek 2577 Kongzili",
        "Chinese New Year",
    ),
    (
        3,
        18,
        HolidayKind::CollectiveLeave,
        "Cuti bersama Hari Suci Nyepi",
        "Nyepi collective leave",
    ),
    (
        3,
        19,
        HolidayKind::National,
        "Hari Suci Nyepi (Tahun Baru Saka 1948)",
        "Nyepi, Day of Silence",
    ),
    (
        3,
        20,
        HolidayKind::CollectiveLeave,
        "Cuti bersama Idul Fitri 1447 H",
        "Eid al-Fitr collective leave",
    ),
    (
        3,
        21,
        HolidayKind::National,
        "Idul Fitri 1447 H",
        "Eid al-Fitr",
    ),
    (
        3,
        22,
        HolidayKind::National,
        "Idul Fitri 1447 H (hari kedua)",
        "Eid al-Fitr (second day)",
    ),
    (
        3,
        23,
        HolidayKind::CollectiveLeave,
        "Cuti bersama Idul Fitri 1447 H",
        "Eid al-Fitr collective leave",
    ),
    (
        3,
        24,
        HolidayKind::CollectiveLeave,
        "Cuti bersama Idul Fitri 1447 H",
        "Eid al-Fitr collective leave",
    ),
    (
        4,
        3,
        HolidayKind::National,
        "Wafat Yesus Kristus",
        "Good Friday",
    ),
    (
        4,
        5,
        HolidayKind::National,
        "Kebangkitan Yesus Kristus (Paskah)",
        "Easter Sunday",
    ),
    (
        5,
        1,
        HolidayKind::National,
        "Hari Buruh Internasional",
        "Labour Day",
    ),
    (
        5,
        14,
        HolidayKind::National,
        "Kenaikan Yesus Kristus",
        "Ascension Day",
    ),
    (
        5,
        15,
        HolidayKind::CollectiveLeave,
        "Cuti bersama Kenaikan Yesus Kristus",
        "Ascension Day collective leave",
    ),
    (
        5,
        27,
        HolidayKind::National,
        "Idul Adha 1447 H",
        "Eid al-Adha",
    ),
    (
        5,
        28,
        HolidayKind::CollectiveLeave,
        "Cuti bersama Idul Adha 1447 H",
        "Eid al-Adha collective leave",
    ),
    (
        5,
        31,
        HolidayKind::National,
        "Hari Raya Waisak 2570 BE",
        "Vesak Day",
    ),
    (
        6,
        1,
        HolidayKind::National,
        "Hari Lahir Pancasila",
        "Pancasila Day",
    ),
    (
        6,
        16,
        HolidayKind::National,
        "1 Muharam Tahun Baru Islam 1448 H",
        "Islamic New Year",
    ),
    (
        8,
        17,
        HolidayKind::National,
        "Proklamasi Kemerdekaan",
        "Independence Day",
    ),
    (
        8,
        25,
        HolidayKind::National,
        "Maulid Nabi Muhammad SAW",
        "Prophet Muhammad's Birthday",
    ),
    (
        12,
        24,
        HolidayKind::CollectiveLeave,
        "Cuti bersama Hari Raya Natal",
        "Christmas collective leave",
    ),
    (
        12,
        25,
        HolidayKind::National,
        "Kelahiran Yesus Kristus",
        "Christmas Day",
    ),
];

/// The decreed closed days of a year, if this release ships them.
pub fn indonesia(year: i32) -> Option<Vec<Holiday>> {
    let table = match year {
        2026 => INDONESIA_2026,
        _ => return None,
    };
    Some(
        table
            .iter()
            .map(|&(month, day, kind, name_id, name_en)| Holiday {
                date: NaiveDate::from_ymd_opt(year, month, day).expect("a real date"),
                kind,
                name_id: name_id.into(),
                name_en: name_en.into(),
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    #[test]
    fn twenty_twenty_six_has_seventeen_holidays_and_eight_days_of_cuti_bersama() {
        let days = indonesia(2026).unwrap();
        let count = |k| days.iter().filter(|h| h.kind == k).count();
        assert_eq!(count(HolidayKind::National), 17);
        assert_eq!(count(HolidayKind::CollectiveLeave), 8);
        assert!(
            days.windows(2).all(|w| w[0].date < w[1].date),
            "in order, once each"
        );
        // Independence Day is a Monday in 2026.
        let merdeka = days
            .iter()
            .find(|h| h.name_en == "Independence Day")
            .unwrap();
        assert_eq!(merdeka.date.weekday(), chrono::Weekday::Mon);
        assert_eq!(indonesia(2031), None);
    }
}
