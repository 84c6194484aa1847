//! Texts of the accounts area.

use super::Lang;

texts! {
    /// Texts of sign-in, passwords, accounts and the audit log.
    pub struct AuthTexts;
    /// Texts of sign-in, passwords, accounts and the audit log.
    fn auth;

    /// Sign-in page title.
    sign_in: &'static str =
        "Đăng nhập",
        "Sign in";

    /// Username label.
    username: &'static str =
        "Tên đăng nhập",
        "Username";

    /// Password label.
    password: &'static str =
        "Mật khẩu",
        "Password";

    /// Sign-out button.
    sign_out: &'static str =
        "Đăng xuất",
        "Sign out";

    /// Wrong username or password.
    bad_credentials: &'static str =
        "Sai tên đăng nhập hoặc mật khẩu.",
        "Wrong username or password.";

    /// Too many failed attempts.
    too_many_attempts: &'static str =
        "Đăng nhập sai quá nhiều lần. Hãy đợi 15 phút rồi thử lại, hoặc đề nghị quản trị viên đặt lại mật khẩu.",
        "Too many failed sign-ins. Wait 15 minutes and try again, or ask an administrator to reset the password.";

    /// Change-password page title.
    change_password: &'static str =
        "Đổi mật khẩu",
        "Change password";

    /// Current password label.
    current_password: &'static str =
        "Mật khẩu hiện tại",
        "Current password";

    /// New password label.
    new_password: &'static str =
        "Mật khẩu mới",
        "New password";

    /// Confirm label.
    confirm_password: &'static str =
        "Nhập lại mật khẩu mới",
        "New password again";

    /// Must change the password first.
    must_change: &'static str =
        "Bạn cần đặt mật khẩu mới trước khi tiếp tục.",
        "Choose a new password before going on.";

    /// Password changed.
    password_changed: &'static str =
        "Đã đổi mật khẩu. Các phiên đăng nhập khác đã được đóng.",
        "Password changed. Your other sessions were closed.";

    /// The current password is wrong.
    wrong_current: &'static str =
        "Mật khẩu hiện tại không đúng.",
        "The current password is wrong.";

    /// New password too short.
    too_short: &'static str =
        "Mật khẩu mới cần ít nhất 10 ký tự.",
        "The new password needs at least 10 characters.";

    /// New password equals the username.
    same_as_username: &'static str =
        "Mật khẩu mới không được trùng tên đăng nhập.",
        "The new password must not be the username.";

    /// A password people try first, or as easy to guess.
    common_password: &'static str =
        "Mật khẩu này quá dễ đoán (mật khẩu phổ biến, lặp một ký tự hoặc một dãy phím liền nhau). Hãy chọn một câu dài dễ nhớ.",
        "This password is too easy to guess (a common password, one character repeated or a run of keys). Choose a long phrase you remember.";

    /// A password longer than allowed.
    password_too_long: &'static str =
        "Mật khẩu dài quá 256 ký tự.",
        "The password is longer than 256 characters.";

    /// The two copies differ.
    mismatch: &'static str =
        "Hai lần nhập mật khẩu mới không khớp nhau.",
        "The two copies of the new password differ.";

    /// Accounts page title.
    accounts: &'static str =
        "Tài khoản người dùng",
        "User accounts";

    /// Display name label.
    display_name: &'static str =
        "Họ và tên",
        "Full name";

    /// Role label.
    role: &'static str =
        "Vai trò",
        "Role";

    /// Scope label.
    scope: &'static str =
        "Phạm vi (mã đơn vị)",
        "Scope (unit codes)";

    /// Scope hint.
    scope_hint: &'static str =
        "Mã các đơn vị mà người dùng làm việc, cách nhau bởi dấu cách, ví dụ 51 hoặc 23479 23482.",
        "Codes of the units the user works in, separated by spaces, e.g. 51 or 23479 23482.";

    /// Active label.
    active: &'static str =
        "Đang hoạt động",
        "Active";

    /// Create button.
    create: &'static str =
        "Tạo tài khoản",
        "Create account";

    /// Save button.
    save: &'static str =
        "Lưu",
        "Save";

    /// Reset-password button.
    reset: &'static str =
        "Đặt lại mật khẩu",
        "Reset password";

    /// Shown once after create or reset: the temporary password.
    temporary_password: &'static str =
        "Mật khẩu tạm thời (chỉ hiện một lần, người dùng phải đổi khi đăng nhập)",
        "Temporary password (shown once; the user must change it at sign-in)";

    /// A scope code is not a unit code.
    bad_scope: &'static str =
        "Phạm vi chỉ gồm các mã đơn vị (chữ, số, '-', '_', '.'), cách nhau bởi dấu cách.",
        "A scope is unit codes (letters, digits, '-', '_', '.') separated by spaces.";

    /// A scope naming a unit code no unit ever carried.
    unknown_scope_unit: &'static str =
        "Phạm vi có mã đơn vị không tồn tại. Hãy kiểm tra lại mã xã, phường hoặc tỉnh.",
        "The scope names a unit code that does not exist. Check the commune, ward or province codes.";

    /// Demoting or deactivating the last active administrator.
    last_admin: &'static str =
        "Đây là quản trị viên duy nhất còn hoạt động: không thể hạ quyền hay khóa tài khoản này. Hãy tạo một quản trị viên khác trước.",
        "This is the only active administrator: it cannot be demoted or deactivated. Create another administrator first.";

    /// A username is invalid or taken.
    bad_username: &'static str =
        "Tên đăng nhập không hợp lệ hoặc đã có người dùng: dùng chữ không dấu, số, '.', '_' hoặc '-'.",
        "The username is invalid or taken: use letters without accents, digits, '.', '_' or '-'.";

    /// The account was saved.
    saved: &'static str =
        "Đã lưu.",
        "Saved.";

    /// No such account.
    no_account: &'static str =
        "Không có tài khoản này.",
        "No such account.";

    /// Signed in as.
    signed_in_as: &'static str =
        "Đang đăng nhập",
        "Signed in as";

    /// Administration area title.
    admin_title: &'static str =
        "Quản trị",
        "Administration";

    /// Audit log title.
    audit: &'static str =
        "Nhật ký hoạt động",
        "Audit log";

    /// Audit log lead.
    audit_lead: &'static str =
        "Mọi thao tác ghi (ai, khi nào, đối tượng nào, trước → sau) và mọi lần xem dữ liệu cá nhân. Nhật ký chỉ được ghi thêm, không sửa hay xóa được.",
        "Every write (who, when, what, old → new) and every read of person-level data. The log is append-only: it cannot be changed or deleted.";

    /// Column: when.
    when: &'static str =
        "Thời điểm",
        "When";

    /// Column: who.
    who: &'static str =
        "Người thực hiện",
        "Who";

    /// Column: action.
    action: &'static str =
        "Thao tác",
        "Action";

    /// Column: object.
    object: &'static str =
        "Đối tượng",
        "Object";

    /// Column: unit.
    unit: &'static str =
        "Đơn vị",
        "Unit";

    /// Column: change.
    change: &'static str =
        "Thay đổi",
        "Change";

    /// Filter: from.
    from: &'static str =
        "Từ ngày",
        "From";

    /// Filter: to.
    to: &'static str =
        "Đến ngày",
        "To";

    /// Filter button.
    filter: &'static str =
        "Lọc",
        "Filter";

    /// No entries.
    no_entries: &'static str =
        "Không có mục nào.",
        "No entries.";
}

impl Lang {
    /// What an audit entry's action was, in words.
    pub fn audit_action(self, a: ytcs_core::audit::AuditAction) -> &'static str {
        use ytcs_core::audit::AuditAction as A;
        let (vi, en) = match a {
            A::Create => ("Tạo mới", "Created"),
            A::Update => ("Sửa", "Changed"),
            A::Delete => ("Xóa", "Deleted"),
            A::Read => ("Xem dữ liệu cá nhân", "Read personal data"),
            A::Login => ("Đăng nhập", "Signed in"),
            A::LoginFailed => ("Đăng nhập không thành công", "Sign-in refused"),
            A::Logout => ("Đăng xuất", "Signed out"),
            A::Submit => ("Gửi duyệt", "Submitted"),
            A::Approve => ("Duyệt", "Approved"),
            A::Return => ("Trả lại", "Returned"),
            A::Unlock => ("Mở khóa", "Unlocked"),
            A::Confirm => ("Xác nhận", "Confirmed"),
            A::ResetPassword => ("Đặt lại mật khẩu", "Password reset"),
        };
        self.pick(vi, en)
    }

    /// What an audit entry is about, in words.
    pub fn audit_object(self, k: ytcs_core::audit::ObjectKind) -> &'static str {
        use ytcs_core::audit::ObjectKind as K;
        let (vi, en) = match k {
            K::Plan => ("Kế hoạch", "Plan"),
            K::DataValue => ("Số liệu", "Data values"),
            K::TaskUpdate => ("Tiến độ nhiệm vụ", "Task progress"),
            K::User => ("Tài khoản", "Account"),
            K::Approval => ("Duyệt số liệu", "Data approval"),
            K::OrgUnit => ("Đơn vị", "Unit"),
            K::Network => ("Mạng lưới y tế", "Health network"),
            K::CriteriaAssessment => ("Chấm điểm tiêu chí y tế xã", "Commune health criteria"),
            K::Report => ("Báo cáo", "Report"),
            K::BudgetEntry => ("Kinh phí", "Budget entry"),
            K::Person => ("Hồ sơ cá nhân", "Person's record"),
            K::Registers => ("Sổ sách của trạm", "Station registers"),
            K::StatutoryReport => ("Báo cáo thống kê theo Thông tư", "Statutory report"),
        };
        self.pick(vi, en)
    }
}
