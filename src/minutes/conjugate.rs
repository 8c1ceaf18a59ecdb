//! Dictionary forms of verb stems, for summaries: a request ends in a て-form
//! (調べて・作って・進めて) or a 連用形 (作り・進め) before its polite ending,
//! and a task statement needs the plain form (調べる・作る・進める).

/// Godan verbs whose て-form ends in って but whose plain form is not …る.
const TTE_U: &[&str] = &[
    "行",
    "使",
    "言",
    "払",
    "扱",
    "補",
    "伴",
    "従",
    "向か",
    "沿",
    "養",
    "結",
    "問",
    "集",
    "整",
    "揃",
    "賄",
    "手伝",
    "話し合",
    "付き合",
    "取り扱",
    "拾",
    "買",
    "雇",
    "失",
    "追",
    "負",
    "争",
    "通",
    "合",
    "誘",
    "迷",
    "思",
    "伺",
    "願",
    "訪",
    "繕",
    "担",
    "培",
    "謳",
    "奪",
    "救",
    "戦",
];
const TTE_TSU: &[&str] = &[
    "持", "待", "保", "立", "打", "勝", "育", "経", "分か", "放", "役立",
];
/// Godan verbs in ぶ (their て-form ends in んで like the verbs in む).
const NDE_BU: &[&str] = &[
    "選", "呼", "結", "運", "学", "並", "遊", "喜", "及", "飛", "浮か", "叫",
];
/// Ichidan verbs whose stem ends in an い-row kana (read as godan otherwise).
const ICHIDAN_I: &[&str] = &[
    "でき", "出来", "用い", "起き", "生き", "過ぎ", "尽き", "率い", "借り", "足り", "見", "居",
    "着", "似", "延び", "伸び", "浴び", "帯び", "報い", "強い",
];
/// Godan verbs in す, whose stem + し looks like a サ変 noun + し (見直し, 示し).
const SU_VERBS: &[&str] = &[
    "見直",
    "取り消",
    "打ち出",
    "引き出",
    "洗い出",
    "練り直",
    "作り直",
    "問い直",
    "示",
    "出",
    "直",
    "渡",
    "探",
    "話",
    "返",
    "戻",
    "残",
    "増",
    "減",
    "回",
    "通",
    "外",
    "消",
    "移",
    "促",
    "記",
    "表",
    "申",
    "指",
    "押",
    "試",
    "施",
    "催",
    "貸",
    "課",
    "期",
    "帰",
    "隠",
    "映",
    "写",
    "移",
];
/// Particles after which し is the サ変 する (確認をし, 明確にし, ようにし).
const SAHEN_PARTICLES: &[char] = &['を', 'に', 'と', 'が', 'も', 'は', 'う', 'く', 'い'];

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '々')
}

fn is_hiragana(c: char) -> bool {
    ('ぁ'..='ゖ').contains(&c)
}

/// The い-row kana of a godan 連用形 and the う-row kana of its plain form.
const I_TO_U: &[(char, char)] = &[
    ('い', 'う'),
    ('き', 'く'),
    ('ぎ', 'ぐ'),
    ('ち', 'つ'),
    ('に', 'ぬ'),
    ('び', 'ぶ'),
    ('み', 'む'),
    ('り', 'る'),
];

fn ends_with_any(s: &str, table: &[&str]) -> bool {
    table.iter().any(|t| s.ends_with(t))
}

/// `s` + し (ending a clause) as a plain verb: サ変 する or a godan す.
fn shi(s: &str) -> String {
    let trailing_han = |x: &str| x.chars().rev().take_while(|c| is_han(*c)).count();
    let su = match s.chars().next_back() {
        None => false,
        // 示し・出し・見直し: the whole kanji run is a す verb; 提出し・調整し: a サ変 noun
        Some(c) if is_han(c) => {
            let run = trailing_han(s);
            SU_VERBS
                .iter()
                .any(|v| s.ends_with(v) && trailing_han(v) == run)
        }
        Some(c) if is_hiragana(c) => !SAHEN_PARTICLES.contains(&c),
        Some(_) => false,
    };
    if su {
        format!("{s}す")
    } else {
        format!("{s}する")
    }
}

/// Plain form of a て-form stem (the text before て/で): 調べ → 調べる,
/// 作っ → 作る, 行っ → 行う, 書い → 書く, 急い(で) → 急ぐ, 進ん(で) → 進む,
/// 調整し → 調整する.
pub(crate) fn from_te(stem: &str, voiced: bool) -> String {
    let mut it = stem.chars();
    let Some(last) = it.next_back() else {
        return String::new();
    };
    let head = it.as_str();
    match (last, voiced) {
        ('し', false) => shi(head),
        ('っ', _) => {
            let tail = if ends_with_any(head, TTE_U) {
                'う'
            } else if ends_with_any(head, TTE_TSU) {
                'つ'
            } else {
                'る'
            };
            format!("{head}{tail}")
        }
        ('い', false) if !ends_with_any(stem, ICHIDAN_I) => format!("{head}く"),
        ('い', true) => format!("{head}ぐ"),
        ('ん', true) => {
            let tail = if ends_with_any(head, NDE_BU) {
                'ぶ'
            } else {
                'む'
            };
            format!("{head}{tail}")
        }
        _ => format!("{stem}る"),
    }
}

/// Plain form of a 連用形 (the text before ます/たい): 作り → 作る, 進め → 進める,
/// 整理し → 整理する, 取り組み → 取り組む.
pub(crate) fn from_renyou(stem: &str) -> String {
    let mut it = stem.chars();
    let Some(last) = it.next_back() else {
        return String::new();
    };
    let head = it.as_str();
    if last == 'し' {
        return shi(head);
    }
    if !ends_with_any(stem, ICHIDAN_I)
        && let Some(&(_, u)) = I_TO_U.iter().find(|(i, _)| *i == last)
    {
        return format!("{head}{u}");
    }
    format!("{stem}る")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn te_forms() {
        for (stem, voiced, want) in [
            ("調べ", false, "調べる"),
            ("作っ", false, "作る"),
            ("行っ", false, "行う"),
            ("持っ", false, "持つ"),
            ("書い", false, "書く"),
            ("急い", true, "急ぐ"),
            ("取り組ん", true, "取り組む"),
            ("選ん", true, "選ぶ"),
            ("調整し", false, "調整する"),
            ("示し", false, "示す"),
            ("を出し", false, "を出す"),
            ("見直し", false, "見直す"),
            ("提出し", false, "提出する"),
            ("公表し", false, "公表する"),
            ("取り消し", false, "取り消す"),
            ("確認をし", false, "確認をする"),
            ("明確にし", false, "明確にする"),
            ("増やし", false, "増やす"),
            ("チェックし", false, "チェックする"),
            ("進め", false, "進める"),
            ("見", false, "見る"),
            ("用い", false, "用いる"),
        ] {
            assert_eq!(from_te(stem, voiced), want, "{stem}");
        }
    }

    #[test]
    fn renyou_forms() {
        for (stem, want) in [
            ("作り", "作る"),
            ("進め", "進める"),
            ("整理し", "整理する"),
            ("取り組み", "取り組む"),
            ("やり", "やる"),
            ("行い", "行う"),
            ("設け", "設ける"),
            ("でき", "できる"),
            ("示し", "示す"),
            ("講じ", "講じる"),
        ] {
            assert_eq!(from_renyou(stem), want, "{stem}");
        }
    }
}
