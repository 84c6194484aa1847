//! Every warning in Vietnamese too: [`vietnamese`] renders an English
//! warning (`line N: …`) as its Vietnamese counterpart (`dòng N: …`), so
//! that `Plan::warnings_vi` says the same things in the same order, each
//! pointing to its line.

use std::sync::LazyLock;

use regex::Regex;

/// (English template as a regex, Vietnamese with `$1`… for its captures).
static TEMPLATES: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    [
        (r"^no indicator matches table row (.*)$", "không có chỉ số nào khớp với dòng bảng $1"),
        (r"^amount '(.*)' could not be read$", "không đọc được số tiền '$1'"),
        (r"^the document number is left blank \((.*)\)$", "số văn bản để trống ($1)"),
        (r"^the date of issue is incomplete \((.*)\)$", "ngày ban hành không đầy đủ ($1)"),
        (
            r"^the number (.*) lacks its kind code; read as (.*)$",
            "số hiệu $1 thiếu mã loại văn bản; đọc là $2",
        ),
        (
            r"^the text was in the legacy (.*) encoding and was converted to Unicode; check the letters$",
            "văn bản dùng bảng mã cũ $1 và đã được chuyển sang Unicode; hãy kiểm tra lại chữ",
        ),
        (
            r"^the letters of (\d+) words had been decoded twice \(Unicode read as TCVN3\) and were repaired; check the letters$",
            "chữ của $1 từ đã bị giải mã hai lần (Unicode đọc như TCVN3) và đã được sửa; hãy kiểm tra lại chữ",
        ),
        (
            r"^the letters of (\d+) words had been read as Windows-1258 \(Latin-1 letters such as ì, ò, ã, ý\) and were repaired; check the letters$",
            "chữ của $1 từ đã bị đọc theo bảng mã Windows-1258 (các chữ Latin-1 như ì, ò, ã, ý) và đã được sửa; hãy kiểm tra lại chữ",
        ),
        (
            r"^the document is too long; only the first (\d+) lines were read$",
            "văn bản quá dài; chỉ đọc $1 dòng đầu",
        ),
        (r"^legal basis (.*) without a date$", "căn cứ $1 không có ngày ban hành"),
        (
            r"^(.*) for (\d{4}), before the plan's year (\d{4}), read as a baseline, not a target$",
            "$1 của năm $2, trước năm ban hành $3, là số liệu nền, không phải chỉ tiêu",
        ),
        (r"^no signature block found$", "không tìm thấy phần chữ ký"),
        (
            r"^no document kind heading \(KẾ HOẠCH …\) found; read as a plan$",
            "không thấy tên loại văn bản (KẾ HOẠCH …); đọc như một kế hoạch",
        ),
        (r"^a legal basis without a number$", "một căn cứ không có số hiệu"),
        (r"^control characters removed$", "đã bỏ các ký tự điều khiển"),
        (r"^'%' read as '‰' for (.*) \((.*)\)$", "'%' được đọc là '‰' cho $1 ($2)"),
        (
            r"^a range \((.*)\) is not read as a target$",
            "một khoảng ($1) không được đọc là chỉ tiêu",
        ),
        (
            r"^a count \((.*)\) is not the rate (.*); the target is left unlinked$",
            "số lượng ($1) không phải tỷ lệ $2; chỉ tiêu không được gắn với chỉ số",
        ),
    ]
    .into_iter()
    .map(|(re, vi)| (Regex::new(re).expect("static regex"), vi))
    .collect()
});

static LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^line (\d+): (.*)$").expect("static regex"));

/// The Vietnamese of an English warning; one without a known template
/// keeps its English text after `dòng N:`.
pub fn vietnamese(warning: &str) -> String {
    let Some(c) = LINE.captures(warning) else {
        return warning.to_string();
    };
    let no = c.get(1).map_or("", |m| m.as_str());
    let rest = c.get(2).map_or("", |m| m.as_str());
    for (re, vi) in TEMPLATES.iter() {
        if re.is_match(rest) {
            return format!("dòng {no}: {}", re.replace(rest, *vi));
        }
    }
    format!("dòng {no}: {rest}")
}

#[cfg(test)]
mod tests {
    use super::vietnamese;

    #[test]
    fn warnings_read_in_vietnamese() {
        assert_eq!(
            vietnamese("line 12: no signature block found"),
            "dòng 12: không tìm thấy phần chữ ký"
        );
        assert_eq!(
            vietnamese("line 5: the number 1281/-UBND lacks its kind code; read as 1281/QĐ-UBND"),
            "dòng 5: số hiệu 1281/-UBND thiếu mã loại văn bản; đọc là 1281/QĐ-UBND"
        );
        assert_eq!(
            vietnamese("line 40: 27.3 for 2023, before the plan's year 2024, read as a baseline, not a target"),
            "dòng 40: 27.3 của năm 2023, trước năm ban hành 2024, là số liệu nền, không phải chỉ tiêu"
        );
        assert_eq!(
            vietnamese("line 3: the document number is left blank (Số: /KH-UBND)"),
            "dòng 3: số văn bản để trống (Số: /KH-UBND)"
        );
    }
}
