//! Organisation units (administrative units, facilities, agencies), their
//! dated parent links and the lineage between them.

use crate::validity::Validity;
use crate::Date;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The kind of an organisation unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// The country (the ministry's level).
    Country,
    /// Tỉnh / thành phố trực thuộc trung ương.
    Province,
    /// Huyện / quận / thị xã / thành phố thuộc tỉnh (abolished 2025-07-01).
    District,
    /// Xã / phường / thị trấn / đặc khu.
    Commune,
    /// Thôn / bản / làng / tổ dân phố.
    Village,
    /// A health facility (station, health centre, hospital, polyclinic).
    Facility,
    /// An agency that leads tasks (Sở Y tế, BHXH …).
    Agency,
}

impl OrgKind {
    /// Every kind, coarsest first.
    pub const ALL: [OrgKind; 7] = [
        OrgKind::Country,
        OrgKind::Province,
        OrgKind::District,
        OrgKind::Commune,
        OrgKind::Village,
        OrgKind::Facility,
        OrgKind::Agency,
    ];

    /// The stable lower-case name used in JSON, SQL and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Country => "country",
            OrgKind::Province => "province",
            OrgKind::District => "district",
            OrgKind::Commune => "commune",
            OrgKind::Village => "village",
            OrgKind::Facility => "facility",
            OrgKind::Agency => "agency",
        }
    }

    /// The Vietnamese name of the level, for the UI.
    pub fn name_vi(self) -> &'static str {
        match self {
            OrgKind::Country => "Quốc gia",
            OrgKind::Province => "Tỉnh/Thành phố",
            OrgKind::District => "Huyện/Quận",
            OrgKind::Commune => "Xã/Phường",
            OrgKind::Village => "Thôn/Bản",
            OrgKind::Facility => "Cơ sở y tế",
            OrgKind::Agency => "Cơ quan",
        }
    }

    /// The English name of the level, for the UI.
    pub fn name_en(self) -> &'static str {
        match self {
            OrgKind::Country => "Country",
            OrgKind::Province => "Province",
            OrgKind::District => "District",
            OrgKind::Commune => "Commune",
            OrgKind::Village => "Village",
            OrgKind::Facility => "Facility",
            OrgKind::Agency => "Agency",
        }
    }
}

impl FromStr for OrgKind {
    type Err = UnknownOrgKind;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OrgKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| UnknownOrgKind(s.to_string()))
    }
}

/// A string that names no [`OrgKind`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown kind of unit '{0}'")]
pub struct UnknownOrgKind(pub String);

/// The code of an organisation unit: 1–32 ASCII letters, digits, `-`, `_`
/// or `.`. Codes are reused across reforms, so a code identifies a unit only
/// together with a date.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct OrgCode(String);

/// Why a text is not an org-unit code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a unit code: use 1–32 letters, digits, '-', '_' or '.' (e.g. 51 or 23479)")]
pub struct OrgCodeError(pub String);

impl OrgCode {
    /// Parses a code, trimming surrounding white space.
    pub fn parse(s: &str) -> Result<Self, OrgCodeError> {
        let t = s.trim();
        let ok = !t.is_empty()
            && t.len() <= 32
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        if ok {
            Ok(OrgCode(t.to_string()))
        } else {
            Err(OrgCodeError(s.to_string()))
        }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OrgCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for OrgCode {
    type Err = OrgCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OrgCode::parse(s)
    }
}

impl<'de> Deserialize<'de> for OrgCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        OrgCode::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// The internal, never-reused identity of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UnitId(pub i64);

impl fmt::Display for UnitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// An organisation unit as it exists over its validity interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgUnit {
    /// Internal identity.
    pub id: UnitId,
    /// Official code (unique among units valid on the same day).
    pub code: OrgCode,
    /// Official name, NFC, with diacritics.
    pub name: String,
    /// Level or type of the unit.
    pub kind: OrgKind,
    /// When the unit existed.
    pub validity: Validity,
}

/// A dated link from a unit to its parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParentLink {
    /// The child unit.
    pub child: UnitId,
    /// The parent unit.
    pub parent: UnitId,
    /// When the link held.
    pub validity: Validity,
}

/// How territory and population passed from one unit to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineageKind {
    /// The whole predecessor went into the successor (nhập toàn bộ).
    Merge,
    /// A part of the predecessor went into the successor (nhập một phần);
    /// the weight says which share.
    Split,
    /// Same territory under a new name or code.
    Rename,
    /// The predecessor's level was abolished (districts on 2025-07-01); its
    /// territory now lies in the successor.
    LevelAbolished,
}

impl LineageKind {
    /// The stable lower-case name used in JSON and SQL.
    pub fn as_str(self) -> &'static str {
        match self {
            LineageKind::Merge => "merge",
            LineageKind::Split => "split",
            LineageKind::Rename => "rename",
            LineageKind::LevelAbolished => "level_abolished",
        }
    }
}

impl FromStr for LineageKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "merge" => LineageKind::Merge,
            "split" => LineageKind::Split,
            "rename" => LineageKind::Rename,
            "level_abolished" => LineageKind::LevelAbolished,
            other => return Err(format!("unknown lineage kind '{other}'")),
        })
    }
}

/// One edge of the lineage graph: on `date`, a share `weight` (0 ≤ w ≤ 1;
/// 0 for territory handed over without population)
/// of `predecessor` became part of `successor`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineageLink {
    /// The unit that ceased or gave territory.
    pub predecessor: UnitId,
    /// The unit that received it.
    pub successor: UnitId,
    /// First day under the new arrangement.
    pub date: Date,
    /// What happened.
    pub kind: LineageKind,
    /// Share of the predecessor (population, by default) that went to the
    /// successor. The weights leaving one predecessor on one date sum to 1.
    pub weight: f64,
    /// The source's own words, if any (e.g. "Nhập một phần diện tích").
    pub note: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_trimmed_and_checked() {
        assert_eq!(OrgCode::parse(" 23479 ").unwrap().as_str(), "23479");
        assert!(OrgCode::parse("").is_err());
        assert!(OrgCode::parse("51; drop table").is_err());
        assert!(OrgCode::parse("Đắk").is_err());
    }

    #[test]
    fn kinds_round_trip_through_their_names() {
        for k in OrgKind::ALL {
            assert_eq!(k.as_str().parse::<OrgKind>().unwrap(), k);
        }
    }
}
