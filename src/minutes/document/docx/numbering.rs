//! Word's automatic numbering (`word/numbering.xml`) rendered as text, the way
//! Word shows it: 「１　」「（２）」「③」「一、」.
//!
//! A paragraph names a numbering instance (`w:num`, by `numId`) and a level
//! (`ilvl`); the instance points at an abstract definition (`w:abstractNum`)
//! that holds the levels: start value, format (`numFmt`), label template
//! (`lvlText` such as `%1.` or `（%2）`), and what follows the label (`suff`).
//! Counters belong to the abstract definition, as in Word: two instances of one
//! definition continue each other's numbering unless an instance restarts a
//! level with `startOverride`.

use std::collections::{HashMap, HashSet};

use roxmltree::{Document, Node};

use super::xml::{attr, child, children, int_attr, toggle, val};

/// Levels a definition may have (`ilvl` 0–8).
const LEVELS: usize = 9;

/// What follows the label before the paragraph text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Suffix {
    #[default]
    Tab,
    Space,
    Nothing,
}

#[derive(Debug, Clone, Default)]
struct Level {
    start: u32,
    format: String,
    text: Option<String>,
    suffix: Suffix,
    /// `isLgl`: every number in the label is shown as decimal.
    legal: bool,
    /// `lvlRestart`: restarts after a level above this (1-based) is used; 0 never.
    restart_after: Option<u32>,
}

#[derive(Debug, Clone, Default)]
struct Abstract {
    levels: Vec<Level>,
    /// `numStyleLink`: the levels live in the definition that `styleLink`s this style.
    style_link: Option<String>,
}

#[derive(Debug, Clone, Default)]
struct Instance {
    abstract_id: String,
    /// `lvlOverride/startOverride`, per level.
    start_overrides: HashMap<usize, u32>,
    /// `lvlOverride/lvl`: a level redefined for this instance only.
    level_overrides: HashMap<usize, Level>,
}

/// The numbering definitions of one document.
#[derive(Debug, Default)]
pub(super) struct Definitions {
    abstracts: HashMap<String, Abstract>,
    /// abstractNumId of the definition carrying `styleLink` = style id.
    by_style_link: HashMap<String, String>,
    instances: HashMap<String, Instance>,
    /// numId of the numbering style (`w:style w:type="numbering"`) with that id.
    numbering_styles: HashMap<String, String>,
}

impl Definitions {
    /// Reads `numbering.xml`. Numbering styles (for `numStyleLink`) come from
    /// `styles.xml` and are added with [`Definitions::add_numbering_style`].
    pub fn parse(doc: &Document) -> Definitions {
        let mut defs = Definitions::default();
        let root = doc.root_element();
        for node in children(root, "abstractNum") {
            let Some(id) = attr(node, "abstractNumId") else {
                continue;
            };
            let mut levels = vec![Level::default(); LEVELS];
            for lvl in children(node, "lvl") {
                if let Some(i) = int_attr(lvl, "ilvl").filter(|&i| (i as usize) < LEVELS) {
                    levels[i as usize] = parse_level(lvl);
                }
            }
            if let Some(link) = child(node, "styleLink").and_then(val) {
                defs.by_style_link.insert(link.to_owned(), id.to_owned());
            }
            let style_link = child(node, "numStyleLink").and_then(val).map(str::to_owned);
            defs.abstracts
                .insert(id.to_owned(), Abstract { levels, style_link });
        }
        for node in children(root, "num") {
            let Some(id) = attr(node, "numId") else {
                continue;
            };
            let Some(abstract_id) = child(node, "abstractNumId").and_then(val) else {
                continue;
            };
            let mut instance = Instance {
                abstract_id: abstract_id.to_owned(),
                ..Instance::default()
            };
            for o in children(node, "lvlOverride") {
                let Some(i) = int_attr(o, "ilvl").filter(|&i| (i as usize) < LEVELS) else {
                    continue;
                };
                if let Some(start) = child(o, "startOverride").and_then(|s| int_attr(s, "val")) {
                    instance.start_overrides.insert(i as usize, start);
                }
                if let Some(lvl) = child(o, "lvl") {
                    instance
                        .level_overrides
                        .insert(i as usize, parse_level(lvl));
                }
            }
            defs.instances.insert(id.to_owned(), instance);
        }
        defs
    }

    pub fn add_numbering_style(&mut self, style_id: &str, num_id: &str) {
        self.numbering_styles
            .insert(style_id.to_owned(), num_id.to_owned());
    }

    /// The abstract definition behind an instance, following one `numStyleLink`.
    fn abstract_of(&self, instance: &Instance) -> Option<(&str, &Abstract)> {
        let (id, def) = self.abstracts.get_key_value(&instance.abstract_id)?;
        let Some(link) = &def.style_link else {
            return Some((id, def));
        };
        let linked = self.by_style_link.get(link).or_else(|| {
            let num = self.numbering_styles.get(link)?;
            Some(&self.instances.get(num)?.abstract_id)
        })?;
        self.abstracts
            .get_key_value(linked)
            .map(|(id, def)| (id.as_str(), def))
    }
}

fn parse_level(lvl: Node) -> Level {
    Level {
        start: child(lvl, "start")
            .and_then(|s| int_attr(s, "val"))
            .unwrap_or(0),
        format: child(lvl, "numFmt")
            .and_then(val)
            .unwrap_or("decimal")
            .to_owned(),
        text: child(lvl, "lvlText").and_then(val).map(str::to_owned),
        suffix: match child(lvl, "suff").and_then(val) {
            Some("space") => Suffix::Space,
            Some("nothing") => Suffix::Nothing,
            _ => Suffix::Tab,
        },
        legal: toggle(lvl, "isLgl"),
        restart_after: child(lvl, "lvlRestart").and_then(|r| int_attr(r, "val")),
    }
}

/// Counts as the document is read, and renders each numbered paragraph's label.
pub(super) struct Counter<'d> {
    defs: &'d Definitions,
    /// Current value per abstract definition and level (`None`: not used yet).
    values: HashMap<String, [Option<u32>; LEVELS]>,
    /// Instances whose start overrides were applied already.
    started: HashSet<String>,
}

impl<'d> Counter<'d> {
    pub fn new(defs: &'d Definitions) -> Self {
        Counter {
            defs,
            values: HashMap::new(),
            started: HashSet::new(),
        }
    }

    /// Advances the counter of `num_id` at `ilvl` and returns the label text
    /// with its suffix (e.g. "（２）", "1.\t"), or `None` when the paragraph is
    /// not numbered after all (numId 0, unknown ids, format `none` with no text).
    pub fn label(&mut self, num_id: &str, ilvl: usize) -> Option<String> {
        if num_id == "0" || ilvl >= LEVELS {
            return None;
        }
        let instance = self.defs.instances.get(num_id)?;
        let (abstract_id, def) = self.defs.abstract_of(instance)?;
        let level_of = |i: usize| -> &Level {
            instance
                .level_overrides
                .get(&i)
                .unwrap_or_else(|| &def.levels[i])
        };
        let start_of = |i: usize| -> u32 {
            instance
                .start_overrides
                .get(&i)
                .copied()
                .unwrap_or_else(|| level_of(i).start)
        };
        let values = self
            .values
            .entry(abstract_id.to_owned())
            .or_insert([None; LEVELS]);
        if self.started.insert(num_id.to_owned()) {
            for &i in instance.start_overrides.keys() {
                values[i] = None;
            }
        }
        values[ilvl] = Some(match values[ilvl] {
            Some(v) => v.saturating_add(1),
            None => start_of(ilvl),
        });
        for (deeper, value) in values.iter_mut().enumerate().skip(ilvl + 1) {
            let restart = level_of(deeper).restart_after.unwrap_or(deeper as u32);
            if restart > 0 && (ilvl as u32) < restart {
                *value = None;
            }
        }
        let level = level_of(ilvl);
        let template = level.text.as_deref().unwrap_or("");
        let mut label = String::new();
        let mut chars = template.chars().peekable();
        while let Some(c) = chars.next() {
            let placeholder = (c == '%')
                .then(|| chars.peek().and_then(|d| d.to_digit(10)))
                .flatten()
                .filter(|&d| (1..=LEVELS as u32).contains(&d));
            match placeholder {
                Some(d) => {
                    chars.next();
                    let i = d as usize - 1;
                    let value = values[i].unwrap_or_else(|| start_of(i));
                    let format = if level.legal && i != ilvl {
                        "decimal"
                    } else {
                        level_of(i).format.as_str()
                    };
                    label.push_str(&format_number(value, format));
                }
                None => label.push(bullet_char(c)),
            }
        }
        if label.is_empty() {
            return None;
        }
        label.push_str(match level.suffix {
            Suffix::Tab => "\t",
            Suffix::Space => " ",
            Suffix::Nothing => "",
        });
        Some(label)
    }
}

/// Bullets drawn from symbol fonts (Symbol, Wingdings) sit in the private use
/// area and mean nothing as text: they read as the Japanese bullet 「・」.
fn bullet_char(c: char) -> char {
    if ('\u{F000}'..='\u{F0FF}').contains(&c) {
        '・'
    } else {
        c
    }
}

/// One counter value in a `numFmt`. Formats not known here read as decimal.
pub(super) fn format_number(n: u32, format: &str) -> String {
    match format {
        "none" => String::new(),
        "bullet" => String::new(),
        "decimalZero" => format!("{n:02}"),
        "decimalFullWidth" | "decimalFullWidth2" => full_width(n),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => {
            enclosed(n, '\u{2460}', 20).unwrap_or_else(|| n.to_string())
        }
        "decimalEnclosedParen" => enclosed(n, '\u{2474}', 20).unwrap_or_else(|| n.to_string()),
        "decimalEnclosedFullstop" => enclosed(n, '\u{2488}', 20).unwrap_or_else(|| n.to_string()),
        "upperRoman" => roman(n).to_uppercase(),
        "lowerRoman" => roman(n),
        "upperLetter" => letters(n, 'A'),
        "lowerLetter" => letters(n, 'a'),
        "japaneseCounting" | "chineseCounting" | "chineseCountingThousand" => kanji_counting(n),
        "ideographDigital" | "japaneseDigitalTenThousand" => kanji_digits(n),
        "aiueoFullWidth" => cycle(n, AIUEO).to_string(),
        "aiueo" => half_width_kana(cycle(n, AIUEO)),
        "irohaFullWidth" => cycle(n, IROHA).to_string(),
        "iroha" => half_width_kana(cycle(n, IROHA)),
        _ => n.to_string(),
    }
}

fn full_width(n: u32) -> String {
    n.to_string()
        .chars()
        .map(|d| char::from_u32(d as u32 - '0' as u32 + '０' as u32).unwrap_or(d))
        .collect()
}

fn enclosed(n: u32, one: char, max: u32) -> Option<String> {
    (1..=max)
        .contains(&n)
        .then(|| char::from_u32(one as u32 + n - 1))
        .flatten()
        .map(String::from)
}

fn roman(mut n: u32) -> String {
    const PARTS: [(u32, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    if n == 0 {
        return "0".into();
    }
    let mut out = String::new();
    for (value, s) in PARTS {
        while n >= value {
            out.push_str(s);
            n -= value;
        }
    }
    out
}

/// Word's letters: a…z, then aa…zz, then aaa….
fn letters(n: u32, a: char) -> String {
    if n == 0 {
        return "0".into();
    }
    let letter = char::from_u32(a as u32 + (n - 1) % 26).unwrap_or(a);
    std::iter::repeat_n(letter, ((n - 1) / 26 + 1) as usize).collect()
}

const KANJI_DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// 一, 十, 十一, 二十三, 百五, 千二百.
fn kanji_counting(n: u32) -> String {
    if n == 0 {
        return "〇".into();
    }
    let mut out = String::new();
    let mut rest = n;
    for (unit, name) in [(10_000u32, "万"), (1000, "千"), (100, "百"), (10, "十")] {
        let d = rest / unit;
        rest %= unit;
        if d == 0 {
            continue;
        }
        if unit == 10_000 {
            out.push_str(&kanji_counting(d));
        } else if d > 1 {
            out.push(KANJI_DIGITS[d as usize]);
        }
        out.push_str(name);
    }
    if rest > 0 {
        out.push(KANJI_DIGITS[rest as usize]);
    }
    out
}

/// 一, 一〇, 一一 (digit by digit).
fn kanji_digits(n: u32) -> String {
    n.to_string()
        .chars()
        .filter_map(|d| d.to_digit(10))
        .map(|d| KANJI_DIGITS[d as usize])
        .collect()
}

const AIUEO: &[char] = &[
    'ア', 'イ', 'ウ', 'エ', 'オ', 'カ', 'キ', 'ク', 'ケ', 'コ', 'サ', 'シ', 'ス', 'セ', 'ソ', 'タ',
    'チ', 'ツ', 'テ', 'ト', 'ナ', 'ニ', 'ヌ', 'ネ', 'ノ', 'ハ', 'ヒ', 'フ', 'ヘ', 'ホ', 'マ', 'ミ',
    'ム', 'メ', 'モ', 'ヤ', 'ユ', 'ヨ', 'ラ', 'リ', 'ル', 'レ', 'ロ', 'ワ', 'ヲ', 'ン',
];

const IROHA: &[char] = &[
    'イ', 'ロ', 'ハ', 'ニ', 'ホ', 'ヘ', 'ト', 'チ', 'リ', 'ヌ', 'ル', 'ヲ', 'ワ', 'カ', 'ヨ', 'タ',
    'レ', 'ソ', 'ツ', 'ネ', 'ナ', 'ラ', 'ム', 'ウ', 'ヰ', 'ノ', 'オ', 'ク', 'ヤ', 'マ', 'ケ', 'フ',
    'コ', 'エ', 'テ', 'ア', 'サ', 'キ', 'ユ', 'メ', 'ミ', 'シ', 'ヱ', 'ヒ', 'モ', 'セ', 'ス',
];

fn cycle(n: u32, table: &[char]) -> char {
    let i = (n.max(1) - 1) as usize % table.len();
    table[i]
}

/// The half-width form Word uses for `aiueo` and `iroha` (ｱ, ｲ, ﾛ…).
fn half_width_kana(c: char) -> String {
    const FULL: &str = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン";
    const HALF: &str = "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｦﾝ";
    FULL.chars()
        .position(|f| f == c)
        .and_then(|i| HALF.chars().nth(i))
        .map(String::from)
        // ヰ and ヱ have no half-width form
        .unwrap_or_else(|| c.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(format_number(12, "decimalFullWidth"), "１２");
        assert_eq!(format_number(3, "decimalEnclosedCircle"), "③");
        assert_eq!(format_number(20, "decimalEnclosedCircle"), "⑳");
        assert_eq!(format_number(21, "decimalEnclosedCircle"), "21");
        assert_eq!(format_number(2, "decimalEnclosedParen"), "⑵");
        assert_eq!(format_number(1, "japaneseCounting"), "一");
        assert_eq!(format_number(10, "japaneseCounting"), "十");
        assert_eq!(format_number(11, "japaneseCounting"), "十一");
        assert_eq!(format_number(23, "japaneseCounting"), "二十三");
        assert_eq!(format_number(105, "japaneseCounting"), "百五");
        assert_eq!(format_number(1200, "japaneseCounting"), "千二百");
        assert_eq!(format_number(10, "ideographDigital"), "一〇");
        assert_eq!(format_number(2, "aiueoFullWidth"), "イ");
        assert_eq!(format_number(47, "aiueoFullWidth"), "ア");
        assert_eq!(format_number(3, "irohaFullWidth"), "ハ");
        assert_eq!(format_number(2, "iroha"), "ﾛ");
        assert_eq!(format_number(1, "aiueo"), "ｱ");
        assert_eq!(format_number(14, "upperRoman"), "XIV");
        assert_eq!(format_number(28, "lowerLetter"), "bb");
        assert_eq!(format_number(7, "decimalZero"), "07");
        assert_eq!(format_number(7, "someFutureFormat"), "7");
    }
}
