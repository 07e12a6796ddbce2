//! The 通报 as a sequence of blocks, written once and rendered twice (bulletin.md, bulletin.docx).
//!
//! Text in the blocks is plain, unescaped text; each renderer escapes it for its format (Markdown syntax, XML).

/// One block of the bulletin, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Block {
    /// 版头: the issuing office's name (发文机关标志, red, centred); in the document a red rule follows it and the
    /// 发文字号 (GB/T 9704 §7.2). Only when an office is configured.
    Masthead(String),
    /// 发文字号, above the title.
    Number(String),
    /// 标题.
    Title(String),
    /// 主送机关, ending with a full-width colon.
    Recipients(String),
    /// 一级标题 (`一、总体情况`).
    Heading1(String),
    /// 二级标题 (`（一）栏目长期未更新`).
    Heading2(String),
    Para(String),
    Table(Table),
    /// 附件说明: the attachments' titles, in order.
    AttachmentNote(Vec<String>),
    /// 落款: the issuing office (when configured) and the date.
    Signature {
        office: Option<String>,
        date: String,
    },
    /// 附注 (`（联系人：…）`).
    Note(String),
    /// The start of an attachment on a new page: `附件1` and its title.
    Attachment {
        label: String,
        title: String,
    },
}

/// A table with its header row; `widths` are relative column widths.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub widths: Vec<u32>,
    /// Columns holding numbers (right-aligned).
    pub numeric: Vec<bool>,
}

impl Table {
    /// A table whose header is `columns`: (name, relative width, numeric).
    pub fn new(columns: &[(&str, u32, bool)]) -> Table {
        Table {
            header: columns.iter().map(|c| c.0.to_string()).collect(),
            rows: Vec::new(),
            widths: columns.iter().map(|c| c.1).collect(),
            numeric: columns.iter().map(|c| c.2).collect(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        debug_assert_eq!(cells.len(), self.header.len());
        self.rows.push(cells);
    }
}

/// The header of the 红榜 and 黑榜 tables (and their 附件).
pub(crate) const LIST_COLUMNS: [(&str, u32, bool); 4] =
    [("序号", 8, true), ("地区", 21, false), ("网站名称", 29, false), ("问题", 42, false)];
