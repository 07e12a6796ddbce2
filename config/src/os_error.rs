//! Operating-system errors in Chinese.
//!
//! A file that cannot be read or written is reported with the system's reason; the standard library words it in
//! English ("No such file or directory (os error 2)"). Every crate (configuration files here, stores, reports, the
//! command line's own error printer) says it through [`io_error_zh`], so one wording holds everywhere: the kind in
//! Chinese (找不到文件或目录, 权限不足, 磁盘已满 …) and the system's error code for those who look it up.

/// An operating-system error in Chinese (the kind), with the system's own text kept for the log-minded.
pub fn io_error_zh(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    // EIO has no kind of its own (uncategorised); it is the one a failing disk gives.
    if cfg!(unix) && e.raw_os_error() == Some(5) {
        return "读写磁盘出错（输入输出错误，系统错误码 5）".to_string();
    }
    let zh = match e.kind() {
        K::NotFound => "找不到文件或目录",
        K::PermissionDenied => "权限不足",
        K::AlreadyExists => "文件已存在",
        K::InvalidData => "数据格式无效",
        K::InvalidInput => "输入无效",
        K::UnexpectedEof => "文件意外结束（可能已损坏或未写完）",
        K::TimedOut => "操作超时",
        K::ConnectionRefused => "连接被拒绝",
        K::ConnectionReset => "连接被重置",
        K::AddrInUse => "端口已被占用",
        K::AddrNotAvailable => "地址不可用",
        K::BrokenPipe => "输出管道已关闭",
        K::Interrupted => "操作被中断",
        K::OutOfMemory => "内存不足",
        K::Unsupported => "系统不支持此操作",
        // Kinds stabilised after the workspace's minimum Rust (1.80), matched by name so that older compilers
        // (which report them as uncategorised) still build.
        other => match format!("{other:?}").as_str() {
            "StorageFull" => "磁盘已满",
            "QuotaExceeded" => "超出磁盘配额",
            "ReadOnlyFilesystem" => "文件系统为只读",
            "IsADirectory" => "这是一个目录，不是文件",
            "NotADirectory" => "不是目录",
            "DirectoryNotEmpty" => "目录不为空",
            "FileTooLarge" => "文件过大",
            "ResourceBusy" => "资源正忙",
            "CrossesDevices" => "不能跨磁盘移动",
            "TooManyLinks" => "链接过多",
            "InvalidFilename" => "文件名无效（过长或含不允许的字符）",
            _ => return format!("系统错误（{e}）"),
        },
    };
    match e.raw_os_error() {
        Some(code) => format!("{zh}（系统错误码 {code}）"),
        None => zh.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_codes() {
        let missing = std::fs::read("/nonexistent/gongkai/x.toml").unwrap_err();
        assert!(io_error_zh(&missing).starts_with("找不到文件或目录（系统错误码 "), "{}", io_error_zh(&missing));
        assert_eq!(io_error_zh(&std::io::Error::from_raw_os_error(13)), "权限不足（系统错误码 13）");
        assert_eq!(io_error_zh(&std::io::Error::new(std::io::ErrorKind::InvalidData, "x")), "数据格式无效");
        if cfg!(unix) {
            assert_eq!(
                io_error_zh(&std::io::Error::from_raw_os_error(5)),
                "读写磁盘出错（输入输出错误，系统错误码 5）"
            );
        }
    }
}
