//! Indonesian Rupiah amounts.
//!
//! Stored as a decimal with at most two fractional digits (never as an
//! integer of cents, which overflows early), sent over JSON as a decimal
//! string (`"1500000.00"`) and shown as `Rp 1.500.000`.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A non-negative amount of Rupiah, at most [`Money::MAX`], with at most two
/// decimals. Every value of this type is valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(Decimal);

/// Why a text or number is not an amount; its words are
/// [`crate::FieldError`]'s (`From<MoneyError>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoneyError {
    Invalid,
    Negative,
    TooLarge,
    TooPrecise,
}

/// English, for serde's error messages.
impl fmt::Display for MoneyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&crate::FieldError::from(*self), f)
    }
}

impl Money {
    /// Rp 1.000.000.000.000: anything above is a typo, not a GA purchase.
    pub const MAX: Decimal = Decimal::from_parts(3_567_587_328, 232, 0, false, 0);

    pub const ZERO: Money = Money(Decimal::ZERO);

    /// [`Money::MAX`] as an amount.
    pub fn max() -> Money {
        Money(Decimal::from_parts(276_447_232, 23_283, 0, false, 2))
    }

    pub fn new(amount: Decimal) -> Result<Self, MoneyError> {
        if amount.is_sign_negative() && !amount.is_zero() {
            return Err(MoneyError::Negative);
        }
        if amount > Self::MAX {
            return Err(MoneyError::TooLarge);
        }
        let normalized = amount.normalize();
        if normalized.scale() > 2 {
            return Err(MoneyError::TooPrecise);
        }
        // Keep two decimals so equal amounts print and compare identically.
        let mut a = normalized;
        a.rescale(2);
        Ok(Money(a))
    }

    pub fn from_rupiah(rupiah: u64) -> Result<Self, MoneyError> {
        Self::new(Decimal::from(rupiah))
    }

    pub fn amount(&self) -> Decimal {
        self.0
    }

    pub fn is_zero(&self) -> bool {
        self.0.is_zero()
    }

    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        Money::new(self.0.checked_add(other.0).ok_or(MoneyError::TooLarge)?)
    }

    pub fn checked_mul(self, quantity: u32) -> Result<Money, MoneyError> {
        Money::new(
            self.0
                .checked_mul(Decimal::from(quantity))
                .ok_or(MoneyError::TooLarge)?,
        )
    }

    /// This amount raised by `percent` per cent, rounded down to the sen,
    /// capped at the largest amount (a ceiling, never an error).
    pub fn plus_percent(self, percent: u32) -> Money {
        let raised = self.0 * Decimal::from(100 + u64::from(percent)) / Decimal::from(100);
        Money::new(raised.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero))
            .unwrap_or_else(|_| Money::max())
    }

    /// Parses what a person types: `1.500.000`, `1500000`, `Rp 1.500.000,50`,
    /// or the API form `1500000.00`. In Indonesian a dot groups thousands and
    /// a comma starts the decimals; a single dot followed by one or two digits
    /// is read as a decimal point because it cannot be a thousands group.
    pub fn parse_input(input: &str) -> Result<Money, MoneyError> {
        let mut s: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if let Some(rest) = s
            .strip_prefix("Rp")
            .or_else(|| s.strip_prefix("rp"))
            .or_else(|| s.strip_prefix("RP"))
        {
            s = rest.trim_start_matches('.').to_string();
        }
        if s.is_empty() {
            return Err(MoneyError::Invalid);
        }
        if let Some(rest) = s.strip_prefix('-') {
            return match Self::parse_unsigned(rest) {
                Ok(m) if m.is_zero() => Ok(m),
                Ok(_) => Err(MoneyError::Negative),
                Err(e) => Err(e),
            };
        }
        Self::parse_unsigned(&s)
    }

    fn parse_unsigned(s: &str) -> Result<Money, MoneyError> {
        let (int_part, frac_part) = match s.split_once(',') {
            Some((i, f)) => (i, Some(f)),
            None => match s.rsplit_once('.') {
                // "1500000.00" / "12.5": a lone dot with 1-2 digits after it.
                Some((i, f)) if !i.contains('.') && (1..=2).contains(&f.len()) => (i, Some(f)),
                _ => (s, None),
            },
        };
        let digits = Self::ungroup(int_part)?;
        let mut text = digits;
        if let Some(f) = frac_part {
            if f.is_empty() || !f.chars().all(|c| c.is_ascii_digit()) {
                return Err(MoneyError::Invalid);
            }
            if f.trim_end_matches('0').len() > 2 {
                return Err(MoneyError::TooPrecise);
            }
            text.push('.');
            text.push_str(f);
        }
        let value = Decimal::from_str(&text).map_err(|_| MoneyError::TooLarge)?;
        Money::new(value)
    }

    /// Removes thousands dots, insisting they group by three.
    fn ungroup(int_part: &str) -> Result<String, MoneyError> {
        if int_part.is_empty() || !int_part.chars().all(|c| c.is_ascii_digit() || c == '.') {
            return Err(MoneyError::Invalid);
        }
        let groups: Vec<&str> = int_part.split('.').collect();
        if groups.len() > 1 {
            let first_ok = (1..=3).contains(&groups[0].len());
            let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
            if !first_ok || !rest_ok {
                return Err(MoneyError::Invalid);
            }
        }
        let digits: String = groups.concat();
        if digits.len() > 16 {
            return Err(MoneyError::TooLarge);
        }
        Ok(digits)
    }

    /// The amount as a person types it into a form, without the currency
    /// (`1.500.000`): what [`Money::parse_input`] reads back.
    pub fn input_text(&self) -> String {
        let text = self.format();
        text.trim_start_matches("Rp ").to_string()
    }

    /// `Rp 1.500.000` (and `Rp 1.500.000,50` when there are sen).
    pub fn format(&self) -> String {
        format_idr(self.0)
    }

    /// The decimal string used in JSON and CSV: `1500000.00`.
    pub fn to_api_string(&self) -> String {
        format!("{:.2}", self.0)
    }
}

/// Formats any non-negative amount the Indonesian way, including sums
/// larger than one ticket may be (report totals).
pub fn format_idr(amount: Decimal) -> String {
    {
        let whole = amount.trunc();
        let sen = ((amount - whole) * Decimal::from(100))
            .trunc()
            .to_u32()
            .unwrap_or(0);
        let digits = whole.trunc().normalize().to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push('.');
            }
            grouped.push(c);
        }
        if sen == 0 {
            format!("Rp {grouped}")
        } else {
            format!("Rp {grouped},{sen:02}")
        }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format())
    }
}

impl TryFrom<Decimal> for Money {
    type Error = MoneyError;
    fn try_from(value: Decimal) -> Result<Self, Self::Error> {
        Money::new(value)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_api_string())
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Money;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an amount in Rupiah as a decimal string such as \"1500000.00\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Money, E> {
                let d = Decimal::from_str_exact(v.trim()).map_err(|_| {
                    E::custom(format!(
                        "invalid amount {v:?}: use a decimal string such as \"1500000.00\""
                    ))
                })?;
                Money::new(d).map_err(E::custom)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Money, E> {
                Money::new(Decimal::from(v)).map_err(E::custom)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Money, E> {
                Money::new(Decimal::from(v)).map_err(E::custom)
            }
            fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Money, E> {
                Err(E::custom(
                    "amounts with decimals must be strings such as \"1500000.50\" (floating point loses sen)",
                ))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// In the API description Money is a decimal string: up to 13 digits of
/// rupiah and two of sen.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Money {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(r"^(0|[1-9][0-9]{0,12})(\.[0-9]{1,2})?$"))
            .description(Some(
                "Indonesian Rupiah as a decimal string, at most 1000000000000.00",
            ))
            .examples([serde_json::json!("1500000.00")])
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Money {}

/// Read from and written to `NUMERIC(18,2)` columns; a stored value out of
/// range is a decoding error, not a panic.
#[cfg(feature = "sqlx")]
impl sqlx::Type<sqlx::Postgres> for Money {
    fn type_info() -> sqlx::postgres::PgTypeInfo {
        <Decimal as sqlx::Type<sqlx::Postgres>>::type_info()
    }
    fn compatible(ty: &sqlx::postgres::PgTypeInfo) -> bool {
        <Decimal as sqlx::Type<sqlx::Postgres>>::compatible(ty)
    }
}

#[cfg(feature = "sqlx")]
impl<'r> sqlx::Decode<'r, sqlx::Postgres> for Money {
    fn decode(value: sqlx::postgres::PgValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        let amount = <Decimal as sqlx::Decode<sqlx::Postgres>>::decode(value)?;
        Ok(Money::new(amount).map_err(|e| format!("amount {amount} out of range: {e}"))?)
    }
}

#[cfg(feature = "sqlx")]
impl sqlx::Encode<'_, sqlx::Postgres> for Money {
    fn encode_by_ref(
        &self,
        buf: &mut sqlx::postgres::PgArgumentBuffer,
    ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        <Decimal as sqlx::Encode<sqlx::Postgres>>::encode_by_ref(&self.0, buf)
    }
}

#[cfg(feature = "sqlx")]
impl sqlx::postgres::PgHasArrayType for Money {
    fn array_type_info() -> sqlx::postgres::PgTypeInfo {
        <Decimal as sqlx::postgres::PgHasArrayType>::array_type_info()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_text_is_what_a_form_reads_back() {
        for amount in ["0", "55000", "1500000", "1500000.50"] {
            let m = Money::new(amount.parse().unwrap()).unwrap();
            assert_eq!(Money::parse_input(&m.input_text()), Ok(m), "{amount}");
        }
        assert_eq!(rp("1500000").input_text(), "1.500.000");
    }

    fn rp(s: &str) -> Money {
        Money::parse_input(s).unwrap()
    }

    #[test]
    fn max_is_one_trillion() {
        assert_eq!(Money::MAX, Decimal::from(1_000_000_000_000u64));
        assert_eq!(Money::max(), Money::new(Money::MAX).unwrap());
        assert_eq!(Money::max().to_api_string(), "1000000000000.00");
    }

    #[test]
    fn formats_indonesian_style() {
        assert_eq!(
            Money::from_rupiah(1_500_000).unwrap().to_string(),
            "Rp 1.500.000"
        );
        assert_eq!(Money::from_rupiah(0).unwrap().to_string(), "Rp 0");
        assert_eq!(Money::from_rupiah(999).unwrap().to_string(), "Rp 999");
        assert_eq!(Money::from_rupiah(1000).unwrap().to_string(), "Rp 1.000");
        assert_eq!(
            Money::from_rupiah(1_000_000_000_000).unwrap().to_string(),
            "Rp 1.000.000.000.000"
        );
        assert_eq!(rp("1500000,5").to_string(), "Rp 1.500.000,50");
        assert_eq!(rp("0,05").to_string(), "Rp 0,05");
    }

    #[test]
    fn parses_what_people_type() {
        assert_eq!(rp("1.500.000"), Money::from_rupiah(1_500_000).unwrap());
        assert_eq!(rp("1500000"), Money::from_rupiah(1_500_000).unwrap());
        assert_eq!(rp("Rp 1.500.000"), Money::from_rupiah(1_500_000).unwrap());
        assert_eq!(rp("Rp1.500.000"), Money::from_rupiah(1_500_000).unwrap());
        assert_eq!(rp(" 55 000 "), Money::from_rupiah(55_000).unwrap());
        assert_eq!(rp("1.500.000,50").amount(), Decimal::new(150000050, 2));
        assert_eq!(rp("1500000.00"), Money::from_rupiah(1_500_000).unwrap());
        assert_eq!(rp("12.5").amount(), Decimal::new(1250, 2));
        assert_eq!(rp("1.500"), Money::from_rupiah(1500).unwrap());
        assert_eq!(rp("-0"), Money::ZERO);
    }

    #[test]
    fn rejects_bad_input() {
        assert_eq!(Money::parse_input(""), Err(MoneyError::Invalid));
        assert_eq!(Money::parse_input("abc"), Err(MoneyError::Invalid));
        assert_eq!(Money::parse_input("1.50.000"), Err(MoneyError::Invalid));
        assert_eq!(Money::parse_input("1.5000"), Err(MoneyError::Invalid));
        assert_eq!(Money::parse_input("1,2,3"), Err(MoneyError::Invalid));
        assert_eq!(Money::parse_input("-5"), Err(MoneyError::Negative));
        assert_eq!(Money::parse_input("1,505"), Err(MoneyError::TooPrecise));
        assert_eq!(
            Money::parse_input("1.000.000.000.001"),
            Err(MoneyError::TooLarge)
        );
        assert_eq!(
            Money::parse_input("99999999999999999999999999999"),
            Err(MoneyError::TooLarge)
        );
        assert_eq!(Money::parse_input("1e6"), Err(MoneyError::Invalid));
    }

    #[test]
    fn arithmetic_is_checked() {
        let a = Money::from_rupiah(600_000_000_000).unwrap();
        assert_eq!(a.checked_add(a), Err(MoneyError::TooLarge));
        assert_eq!(a.checked_mul(2), Err(MoneyError::TooLarge));
        assert_eq!(
            Money::from_rupiah(55_000).unwrap().checked_mul(3).unwrap(),
            Money::from_rupiah(165_000).unwrap()
        );
    }

    #[test]
    fn json_is_a_decimal_string() {
        let m = Money::from_rupiah(1_500_000).unwrap();
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"1500000.00\"");
        assert_eq!(serde_json::from_str::<Money>("\"1500000.00\"").unwrap(), m);
        assert_eq!(serde_json::from_str::<Money>("1500000").unwrap(), m);
        assert!(serde_json::from_str::<Money>("1500000.5").is_err());
        assert!(serde_json::from_str::<Money>("\"-1\"").is_err());
        assert!(serde_json::from_str::<Money>("\"1000000000000.01\"").is_err());
        assert!(serde_json::from_str::<Money>("\"1.001\"").is_err());
        assert!(serde_json::from_str::<Money>("\"x\"").is_err());
        assert!(serde_json::from_str::<Money>("true").is_err());
    }
}
