//! The page's own words that every section shares: field reset, the key answers that open each
//! section.
use crate::ui::i18n::Entry;

pub const TEXT: &[Entry] = &[
    ("how.where", "Where", "其中"),
    ("how.result", "Result", "结果"),
    ("keys.label", "Key answers", "主要结果"),
    ("glossary.open", "Glossary", "术语表"),
    (
        "glossary.title",
        "Glossary: the page's symbols and terms",
        "术语表：本页的符号与术语",
    ),
    ("glossary.filter", "Filter the glossary", "筛选术语"),
    ("glossary.close", "Close", "关闭"),
    ("glossary.none", "No term matches.", "没有匹配的术语。"),
    (
        "field.reset",
        "Reset to the default ({})",
        "恢复默认值（{}）",
    ),
];
