//! The two languages of the UI: Vietnamese first, English second.
//!
//! [`Lang`] is an extractor: `?lang=`, then the `lang` cookie, then
//! Vietnamese. Every UI text is a field of its area's struct, one module
//! an area ([`Texts`] shared by every page, [`PlanTexts`],
//! [`NetworkTexts`], [`TrackingTexts`], [`IndicatorTexts`], [`AuthTexts`],
//! [`ApprovalTexts`], [`ReportTexts`], [`DataTexts`], [`DashboardTexts`],
//! [`RegisterTexts`], [`HomeTexts`]), each defined once by [`texts!`] with its two
//! languages side by side: a text without both does not compile, and the
//! tests below refuse an empty text and a placeholder (`{unit}`) that one
//! language has and the other lacks.
//!
//! To add a text: one entry in its area's module (doc, field, type, the
//! Vietnamese, the English). A text with values to fill in is a function
//! (`fn(&str) -> String`, written `|unit| format!("… {unit} …")`), so the
//! compiler checks every placeholder. Names that come from the domain in
//! both languages (`name_vi`/`name_en`) are chosen with [`Lang::pick`].

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use std::convert::Infallible;

/// A UI language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Tiếng Việt (default).
    Vi,
    /// English.
    En,
}

impl Lang {
    /// The language code (`vi`, `en`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// `vi` in Vietnamese, `en` in English: for names that come in both
    /// languages from the domain (`name_vi()`/`name_en()`), not for UI
    /// texts, which live in the area modules.
    pub fn pick<T>(self, vi: T, en: T) -> T {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    /// Reads `vi` or `en`.
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim() {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// The language chosen by `?lang=`, else the `lang` cookie, else Vietnamese.
impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let from_query = parts.uri.query().and_then(|q| {
            q.split('&')
                .filter_map(|kv| kv.split_once('='))
                .find(|(k, _)| *k == "lang")
                .and_then(|(_, v)| Lang::parse(v))
        });
        let from_cookie = || {
            parts
                .headers
                .get_all(axum::http::header::COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(';'))
                .filter_map(|kv| kv.trim().split_once('='))
                .find(|(k, _)| *k == "lang")
                .and_then(|(_, v)| Lang::parse(v))
        };
        Ok(from_query.or_else(from_cookie).unwrap_or(Lang::Vi))
    }
}

/// Defines an area's texts: a struct with one documented field per text,
/// its value in each language written side by side (`vietnamese,
/// english;`), and the `Lang` method that picks one.
macro_rules! texts {
    (
        $(#[$meta:meta])*
        pub struct $name:ident;
        $(#[$ameta:meta])*
        fn $accessor:ident;
        $(
            $(#[$fmeta:meta])*
            $field:ident: $ty:ty = $vi:expr, $en:expr;
        )*
    ) => {
        $(#[$meta])*
        #[derive(Debug)]
        pub struct $name {
            $(
                $(#[$fmeta])*
                pub $field: $ty,
            )*
        }

        impl $name {
            const VI: $name = $name { $($field: $vi,)* };
            const EN: $name = $name { $($field: $en,)* };

            /// Every text as `(field, Vietnamese, English)`, for the checks.
            #[cfg(test)]
            pub(crate) fn pairs() -> Vec<(&'static str, String, String)> {
                vec![$((
                    stringify!($field),
                    format!("{:?}", Self::VI.$field),
                    format!("{:?}", Self::EN.$field),
                ),)*]
            }
        }

        impl Lang {
            $(#[$ameta])*
            pub fn $accessor(self) -> &'static $name {
                static VI: $name = $name::VI;
                static EN: $name = $name::EN;
                match self {
                    Lang::Vi => &VI,
                    Lang::En => &EN,
                }
            }
        }
    };
}

mod accounts;
mod approval;
mod common;
mod dashboard;
mod data;
pub mod forms;
mod home;
mod indicators;
mod network;
mod plans;
mod registers;
mod reports;
mod tracking;

pub use accounts::AuthTexts;
pub use approval::ApprovalTexts;
pub use common::Texts;
pub use dashboard::DashboardTexts;
pub use data::DataTexts;
pub use forms::FormTexts;
pub use home::HomeTexts;
pub use indicators::IndicatorTexts;
pub use network::NetworkTexts;
pub use plans::PlanTexts;
pub use registers::RegisterTexts;
pub use reports::ReportTexts;
pub use tracking::TrackingTexts;

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    /// The `{name}` placeholders of a text.
    fn placeholders(text: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let mut rest = text;
        while let Some(i) = rest.find('{') {
            let after = &rest[i + 1..];
            match after.find('}') {
                Some(j)
                    if after[..j]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_') =>
                {
                    out.insert(after[..j].to_string());
                    rest = &after[j + 1..];
                }
                _ => rest = after,
            }
        }
        out
    }

    #[test]
    fn the_checks_see_placeholders() {
        assert_eq!(
            placeholders("{label}: «{raw}» {x y} {}"),
            BTreeSet::from(["label".to_string(), "raw".into(), String::new()])
        );
    }

    #[test]
    fn every_text_has_both_languages_and_the_same_placeholders() {
        let all = [
            ("Texts", super::Texts::pairs()),
            ("PlanTexts", super::PlanTexts::pairs()),
            ("NetworkTexts", super::NetworkTexts::pairs()),
            ("TrackingTexts", super::TrackingTexts::pairs()),
            ("IndicatorTexts", super::IndicatorTexts::pairs()),
            ("AuthTexts", super::AuthTexts::pairs()),
            ("ApprovalTexts", super::ApprovalTexts::pairs()),
            ("ReportTexts", super::ReportTexts::pairs()),
            ("DataTexts", super::DataTexts::pairs()),
            ("DashboardTexts", super::DashboardTexts::pairs()),
            ("RegisterTexts", super::RegisterTexts::pairs()),
            ("HomeTexts", super::HomeTexts::pairs()),
            ("FormTexts", super::FormTexts::pairs()),
        ];
        let mut bad = Vec::new();
        let mut count = 0;
        for (area, pairs) in all {
            for (field, vi, en) in pairs {
                count += 1;
                // Debug of a text is quoted: "" is empty.
                if vi.contains("\"\"") || en.contains("\"\"") {
                    bad.push(format!("{area}.{field}: a language is empty"));
                }
                if placeholders(&vi) != placeholders(&en) {
                    bad.push(format!(
                        "{area}.{field}: placeholders {:?} vs {:?}",
                        placeholders(&vi),
                        placeholders(&en)
                    ));
                }
            }
        }
        assert!(count > 500, "the texts were not all listed: {count}");
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }
}
