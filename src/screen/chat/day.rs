//! Days and times in the person's local time zone. Day names come from Fluent (weekday and
//! month names are their own ids, so each language orders and inflects them); the time of day
//! is the locale-neutral 24-hour `HH:MM`.

use chrono::{DateTime, Datelike, Local, NaiveDate, Weekday};

use crate::model::Millis;

/// The local day and `HH:MM` of a timestamp. A timestamp out of chrono's range (only a broken
/// peer or file sends one) counts as the epoch rather than failing.
pub(crate) fn local_parts(at: Millis) -> (NaiveDate, String) {
    let utc = DateTime::from_timestamp_millis(at).unwrap_or(DateTime::UNIX_EPOCH);
    let local = utc.with_timezone(&Local);
    (local.date_naive(), local.format("%H:%M").to_string())
}

/// Today in the local time zone.
pub(crate) fn today() -> NaiveDate {
    Local::now().date_naive()
}

/// "Today", "Yesterday", or the date in words ("Friday, 1 March 2024"; the year is left out
/// for this year's days).
pub(crate) fn label(day: NaiveDate, today: NaiveDate) -> String {
    if day == today {
        return crate::fl!("chat-day-today");
    }
    if today.pred_opt() == Some(day) {
        return crate::fl!("chat-day-yesterday");
    }
    let weekday = weekday_name(day.weekday());
    let month = month_name(day.month());
    let date = day.day().to_string();
    if day.year() == today.year() {
        crate::fl!(
            "chat-day-this-year",
            weekday = weekday,
            day = date,
            month = month
        )
    } else {
        let year = day.year().to_string();
        crate::fl!(
            "chat-day-date",
            weekday = weekday,
            day = date,
            month = month,
            year = year
        )
    }
}

fn weekday_name(day: Weekday) -> String {
    match day {
        Weekday::Mon => crate::fl!("chat-weekday-mon"),
        Weekday::Tue => crate::fl!("chat-weekday-tue"),
        Weekday::Wed => crate::fl!("chat-weekday-wed"),
        Weekday::Thu => crate::fl!("chat-weekday-thu"),
        Weekday::Fri => crate::fl!("chat-weekday-fri"),
        Weekday::Sat => crate::fl!("chat-weekday-sat"),
        Weekday::Sun => crate::fl!("chat-weekday-sun"),
    }
}

fn month_name(month: u32) -> String {
    match month {
        1 => crate::fl!("chat-month-1"),
        2 => crate::fl!("chat-month-2"),
        3 => crate::fl!("chat-month-3"),
        4 => crate::fl!("chat-month-4"),
        5 => crate::fl!("chat-month-5"),
        6 => crate::fl!("chat-month-6"),
        7 => crate::fl!("chat-month-7"),
        8 => crate::fl!("chat-month-8"),
        9 => crate::fl!("chat-month-9"),
        10 => crate::fl!("chat-month-10"),
        11 => crate::fl!("chat-month-11"),
        _ => crate::fl!("chat-month-12"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_named_relative_to_today() {
        let today = NaiveDate::from_ymd_opt(2024, 3, 4).expect("date");
        let cases = [
            ((2024, 3, 4), "Today"),
            ((2024, 3, 3), "Yesterday"),
            ((2024, 3, 1), "Friday, 1 March"),
            ((2023, 12, 25), "Monday, 25 December 2023"),
        ];
        for ((y, m, d), expected) in cases {
            let day = NaiveDate::from_ymd_opt(y, m, d).expect("date");
            assert_eq!(label(day, today), expected);
        }
    }

    #[test]
    fn times_are_local_hours_and_minutes() {
        let at = chrono::TimeZone::with_ymd_and_hms(&Local, 2024, 3, 1, 9, 5, 0)
            .single()
            .expect("unambiguous local time");
        let (day, time) = local_parts(at.timestamp_millis());
        assert_eq!(day, NaiveDate::from_ymd_opt(2024, 3, 1).expect("date"));
        assert_eq!(time, "09:05");
        // Out of range: no panic.
        let _ = local_parts(i64::MAX);
    }
}
