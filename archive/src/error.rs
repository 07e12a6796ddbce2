//! What can go wrong with a store's disk, as typed errors the binary can tell apart (and say in Chinese).
//!
//! Every message says what happened, never a guess: the disk is full (which directory, how much is free, how much a write
//! needs), the storage is read-only, another gongkai process holds the store (its PID, from the lock file), or the index
//! is damaged (and how to rebuild it from the WARC files).

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// errno values (Linux; the same numbers on the BSDs and macOS for these three).
const ENOSPC: i32 = 28;
const EROFS: i32 = 30;
const EDQUOT: i32 = 122;

/// A store problem with a known cause.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Not enough free space for the next write (checked before writing, or the write itself failed with ENOSPC).
    #[error("{}", disk_full_message(dir, *free, *needed, *reserve))]
    DiskFull {
        /// The store directory (on the full disk).
        dir: PathBuf,
        /// Bytes available to this process on that file system.
        free: u64,
        /// Bytes the write needed, including the reserve kept for the index.
        needed: u64,
        /// Of `needed`, the part kept free so the index can always complete its own writes.
        reserve: u64,
    },
    /// The store's storage refuses writes (read-only mount, or no write permission).
    #[error("存储库 {} 无法写入：{detail}", dir.display())]
    ReadOnly { dir: PathBuf, detail: String },
    /// Another process holds the store's lock file.
    #[error("{}", locked_message(dir, *pid))]
    Locked { dir: PathBuf, pid: Option<u32> },
    /// The index cannot be read back.
    #[error(
        "存储库 {} 的索引已损坏（{detail}）；运行 `gongkai store rebuild --store {}` 可从 WARC 文件重建索引（WARC 文件不受影响）",
        dir.display(),
        dir.display()
    )]
    IndexCorrupt { dir: PathBuf, detail: String },
    /// Any other I/O failure, with what was being done and on which file.
    #[error("{action} {}：{}", path.display(), gongkai_config::io_error_zh(source))]
    Io {
        action: String,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl StoreError {
    /// The store error in an error chain, if any (for the binary: `anyhow::Error` from the store's API).
    pub fn find(err: &anyhow::Error) -> Option<&StoreError> {
        err.chain().find_map(|e| e.downcast_ref::<StoreError>())
    }
}

/// `1.5 MiB（1572864 字节）`.
pub fn human_bytes(n: u64) -> String {
    let (v, unit) = if n >= 1 << 30 {
        (n as f64 / (1u64 << 30) as f64, "GiB")
    } else if n >= 1 << 20 {
        (n as f64 / (1u64 << 20) as f64, "MiB")
    } else if n >= 1 << 10 {
        (n as f64 / 1024.0, "KiB")
    } else {
        return format!("{n} 字节");
    };
    format!("{v:.1} {unit}（{n} 字节）")
}

fn disk_full_message(dir: &Path, free: u64, needed: u64, reserve: u64) -> String {
    format!(
        "磁盘空间不足：存储库 {} 所在磁盘只剩 {}；下一次写入需要 {}，另须为索引保留 {}（共 {}）。\
         已存档的内容完好；释放至少 {} 后重新运行同一命令即可继续",
        dir.display(),
        human_bytes(free),
        human_bytes(needed.saturating_sub(reserve)),
        human_bytes(reserve),
        human_bytes(needed),
        human_bytes(needed.saturating_sub(free))
    )
}

fn locked_message(dir: &Path, pid: Option<u32>) -> String {
    match pid {
        Some(pid) => format!(
            "存储库 {} 正被另一个 gongkai 进程（PID {pid}）使用；等它结束（或确认后结束它）再运行",
            dir.display()
        ),
        None => format!(
            "存储库 {} 正被另一个 gongkai 进程使用（锁文件 {} 中没有 PID）；等它结束再运行",
            dir.display(),
            dir.join(LOCK_FILE).display()
        ),
    }
}

/// Free bytes for an unprivileged writer on the file system holding `dir` (0 when it cannot be asked).
pub fn available_space(dir: &Path) -> u64 {
    fs2::available_space(dir).unwrap_or(0)
}

/// Classify an I/O error from writing in the store: ENOSPC/EDQUOT → [`StoreError::DiskFull`], EROFS and permission
/// errors → [`StoreError::ReadOnly`], anything else → [`StoreError::Io`].
pub fn classify_io(dir: &Path, action: &str, path: &Path, needed: u64, reserve: u64, e: std::io::Error) -> StoreError {
    match e.raw_os_error() {
        Some(ENOSPC) | Some(EDQUOT) => {
            StoreError::DiskFull { dir: dir.to_path_buf(), free: available_space(dir), needed, reserve }
        }
        Some(EROFS) => StoreError::ReadOnly {
            dir: dir.to_path_buf(),
            detail: format!("{} 在只读文件系统上", path.display()),
        },
        _ if e.kind() == std::io::ErrorKind::PermissionDenied => StoreError::ReadOnly {
            dir: dir.to_path_buf(),
            detail: format!("没有写入 {} 的权限", path.display()),
        },
        _ => StoreError::Io { action: action.to_string(), path: path.to_path_buf(), source: e },
    }
}

/// Classify a sled error (its I/O errors as in [`classify_io`]; everything else means the index is damaged).
pub fn classify_sled(dir: &Path, action: &str, reserve: u64, e: sled::Error) -> StoreError {
    match e {
        sled::Error::Io(io) => classify_io(dir, action, &dir.join("index"), reserve, reserve, io),
        other => StoreError::IndexCorrupt { dir: dir.to_path_buf(), detail: other.to_string() },
    }
}

/// Name of the lock file in the store directory. It holds the PID of the process that has the store open for writing;
/// the lock itself is an advisory `flock` on it, released by the kernel when that process ends (kill -9 included).
pub const LOCK_FILE: &str = "gongkai.lock";

/// The store's lock, held while the store is open for writing.
#[derive(Debug)]
pub struct StoreLock {
    _file: File,
    /// This store's entry in [`held_here`], taken out again on drop.
    key: PathBuf,
}

/// Store directories this process holds the lock of right now.
///
/// A `flock` outlives its `close` while another copy of the file descriptor exists, and every process this one starts
/// has such a copy from its fork until its exec (a crawl starts Chromium and other helpers from other threads). So a
/// store dropped a moment ago can still read as locked, with this process's own PID in the lock file. This set tells
/// that moment apart from a store really open twice in this process, which must still fail at once.
fn held_here() -> std::sync::MutexGuard<'static, std::collections::HashSet<PathBuf>> {
    static HELD: std::sync::OnceLock<std::sync::Mutex<std::collections::HashSet<PathBuf>>> = std::sync::OnceLock::new();
    HELD.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner())
}

/// How long a lock left by this process's own dropped store may take to go (see [`held_here`]).
const OWN_LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

impl Drop for StoreLock {
    fn drop(&mut self) {
        held_here().remove(&self.key);
    }
}

impl StoreLock {
    /// Take the lock of the store in `dir` (creating the lock file), writing this process's PID into it.
    pub fn acquire(dir: &Path) -> Result<StoreLock, StoreError> {
        let path = dir.join(LOCK_FILE);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| classify_io(dir, "打开锁文件", &path, 64, 0, e))?;
        let key = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        let deadline = std::time::Instant::now() + OWN_LOCK_WAIT;
        loop {
            let Err(e) = fs2::FileExt::try_lock_exclusive(&file) else { break };
            if e.kind() != std::io::ErrorKind::WouldBlock
                && e.raw_os_error() != fs2::lock_contended_error().raw_os_error()
            {
                return Err(classify_io(dir, "锁定", &path, 0, 0, e));
            }
            let mut text = String::new();
            let _ = file.seek(SeekFrom::Start(0)).and_then(|_| file.read_to_string(&mut text));
            let pid: Option<u32> = text.trim().parse().ok();
            let own_lock_going = pid == Some(std::process::id()) && !held_here().contains(&key);
            if !own_lock_going || std::time::Instant::now() >= deadline {
                return Err(StoreError::Locked { dir: dir.to_path_buf(), pid });
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        held_here().insert(key.clone());
        // Overwrite in place (a few bytes within a block the file already has, so this works on a full disk too).
        let pid = format!("{}\n", std::process::id());
        let written = file
            .seek(SeekFrom::Start(0))
            .and_then(|_| file.write_all(pid.as_bytes()))
            .and_then(|_| file.set_len(pid.len() as u64));
        if let Err(e) = written {
            tracing::warn!(path = %path.display(), "无法把进程号写入锁文件：{e}");
        }
        Ok(StoreLock { _file: file, key })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The store's lock file in `dir` locked through a descriptor of its own, with `pid` written in it.
    fn locked_through_another_descriptor(dir: &Path, pid: &str) -> File {
        let path = dir.join(LOCK_FILE);
        let file = OpenOptions::new().create(true).truncate(false).write(true).open(&path).unwrap();
        fs2::FileExt::try_lock_exclusive(&file).unwrap();
        fs::write(&path, pid).unwrap();
        file
    }

    /// What a process started from another thread leaves for a moment after a store is dropped: the lock still held
    /// through a copy of its descriptor, this process's PID in the file. Opening waits for it instead of failing.
    #[test]
    fn a_lock_this_process_is_letting_go_of_is_waited_for() {
        let dir = tempfile::tempdir().unwrap();
        let copy = locked_through_another_descriptor(dir.path(), &format!("{}\n", std::process::id()));
        let release = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(300));
            drop(copy);
        });
        let started = std::time::Instant::now();
        let lock = StoreLock::acquire(dir.path()).expect("the lock was going: acquire must wait for it");
        assert!(started.elapsed() >= std::time::Duration::from_millis(250), "{:?}", started.elapsed());
        release.join().unwrap();
        // Really held twice in this process: refused at once, with this PID.
        let started = std::time::Instant::now();
        let err = StoreLock::acquire(dir.path()).expect_err("held by `lock`");
        assert!(matches!(err, StoreError::Locked { pid: Some(p), .. } if p == std::process::id()), "{err:?}");
        assert!(started.elapsed() < std::time::Duration::from_secs(1), "{:?}", started.elapsed());
        drop(lock);
        StoreLock::acquire(dir.path()).expect("free again once dropped");
    }

    /// A lock held under another PID is another process's: refused at once, naming that PID.
    #[test]
    fn a_lock_held_under_another_pid_fails_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let _other = locked_through_another_descriptor(dir.path(), "4242\n");
        let started = std::time::Instant::now();
        let err = StoreLock::acquire(dir.path()).expect_err("held");
        assert!(matches!(err, StoreError::Locked { pid: Some(4242), .. }), "{err:?}");
        assert!(started.elapsed() < std::time::Duration::from_secs(1), "{:?}", started.elapsed());
    }

    #[test]
    fn io_errors_are_classified_by_cause_not_guessed() {
        let dir = Path::new("/srv/store");
        let f = dir.join("warc/x.warc.gz");
        let e = classify_io(dir, "写入", &f, 5000, 2 << 20, std::io::Error::from_raw_os_error(ENOSPC));
        assert!(matches!(e, StoreError::DiskFull { needed: 5000, .. }), "{e:?}");
        let m = e.to_string();
        assert!(m.contains("磁盘空间不足") && m.contains("/srv/store"), "{m}");
        let e = classify_io(dir, "写入", &f, 0, 0, std::io::Error::from_raw_os_error(EROFS));
        assert!(matches!(e, StoreError::ReadOnly { .. }), "{e:?}");
        assert!(e.to_string().contains("只读"), "{e}");
        let e = classify_io(dir, "写入", &f, 0, 0, std::io::Error::from(std::io::ErrorKind::PermissionDenied));
        assert!(e.to_string().contains("没有写入"), "{e}");
        let e = classify_io(dir, "写入", &f, 0, 0, std::io::Error::from_raw_os_error(5));
        assert!(matches!(e, StoreError::Io { .. }), "{e:?}");
        assert_eq!(e.to_string(), "写入 /srv/store/warc/x.warc.gz：读写磁盘出错（输入输出错误，系统错误码 5）");
        for e in [
            StoreError::Locked { dir: dir.into(), pid: Some(4242) },
            StoreError::DiskFull { dir: dir.into(), free: 10, needed: 20, reserve: 5 },
        ] {
            assert!(!e.to_string().contains("另一个") || matches!(e, StoreError::Locked { .. }));
        }
        assert!(StoreError::Locked { dir: dir.into(), pid: Some(4242) }.to_string().contains("PID 4242"));
        assert_eq!(human_bytes(1536), "1.5 KiB（1536 字节）");
    }
}
