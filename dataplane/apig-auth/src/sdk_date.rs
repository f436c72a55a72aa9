//! X-Sdk-Date (`YYYYMMDDTHHMMSSZ`, UTC) to and from epoch milliseconds, with the arithmetic of
//! JavaScript's `Date.UTC` (what Turnpike's earlier TypeScript verifier used): out-of-range
//! fields roll over (month 13 is January of the next year) and years 0–99 mean 1900–1999.

const MS_PER_DAY: i64 = 86_400_000;

/// Days since 1970-01-01 of a proleptic Gregorian date (month 1–12).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// (year, month 1–12, day) of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

fn digits(bytes: &[u8]) -> Option<i64> {
    bytes.iter().try_fold(0i64, |n, &b| b.is_ascii_digit().then(|| n * 10 + i64::from(b - b'0')))
}

/// `Date.UTC(y, mo - 1, d, h, mi, s)` of a `YYYYMMDDTHHMMSSZ` value, or None when malformed.
pub fn parse(value: &str) -> Option<i64> {
    let b = value.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let year = digits(&b[0..4])?;
    let month0 = digits(&b[4..6])? - 1;
    let (day, hour, minute, second) = (digits(&b[6..8])?, digits(&b[9..11])?, digits(&b[11..13])?, digits(&b[13..15])?);
    let year = if (0..=99).contains(&year) { 1900 + year } else { year };
    let year = year + month0.div_euclid(12);
    let month = month0.rem_euclid(12) + 1;
    let days = days_from_civil(year, month, 1) + day - 1;
    Some(days * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000)
}

/// `new Date(ms).toISOString()` without `-`, `:` and milliseconds: `YYYYMMDDTHHMMSSZ`.
pub fn format(ms: i64) -> String {
    let days = ms.div_euclid(MS_PER_DAY);
    let in_day = ms.rem_euclid(MS_PER_DAY) / 1000;
    let (year, month, day) = civil_from_days(days);
    format!("{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z", in_day / 3600, in_day / 60 % 60, in_day % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOV_15_2019: i64 = 1_573_789_015_000; // Date.UTC(2019, 10, 15, 3, 36, 55)

    #[test]
    fn parses_and_formats() {
        assert_eq!(parse("20191115T033655Z"), Some(NOV_15_2019));
        assert_eq!(format(NOV_15_2019), "20191115T033655Z");
        assert_eq!(format(NOV_15_2019 + 999), "20191115T033655Z");
        assert_eq!(format(0), "19700101T000000Z");
        assert_eq!(parse("19700101T000000Z"), Some(0));
        assert_eq!(format(951_782_400_000), "20000229T000000Z");
    }

    #[test]
    fn rejects_other_shapes() {
        for bad in [
            "2019-11-15T03:36:55Z",
            "20191115T033655",
            "20191115t033655Z",
            "2019111aT033655Z",
            "",
            "20191115T033655Z ",
            "+0191115T033655Z",
            "２０19115T033655Z",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn rolls_over_like_date_utc() {
        // Date.UTC(2019, 12, 1) is 2020-01-01; day 0 is the last day of the previous month.
        assert_eq!(parse("20191301T000000Z"), parse("20200101T000000Z"));
        assert_eq!(parse("20190300T000000Z"), parse("20190228T000000Z"));
        assert_eq!(parse("20190000T000000Z"), parse("20181130T000000Z"));
        assert_eq!(parse("20191115T995999Z"), Some(1_574_136_039_000)); // Date.UTC(2019, 10, 15, 99, 59, 99)
                                                                        // Years 0–99 are 1900–1999 for Date.UTC.
        assert_eq!(parse("00190101T000000Z"), parse("19190101T000000Z"));
    }
}
