//! Cue tables: which phrases make a sentence an action item (kind, weight) and
//! which phrases rule it out or weaken it. Data first, code applying it below.

use super::ItemKind;
use super::re::Re;
use regex::RegexSet;
use std::sync::LazyLock;

use ItemKind::{Commitment, Report, Request};

/// Cue phrase (regex over the cleaned sentence) → kind and weight.
/// `question_ok`: the cue is itself a polite question form (「…いただけますか」).
/// `past_ok`: the cue reports a request in the past tense (議事要旨: 「…を求めた」).
const CUES: &[(&str, ItemKind, f32, bool, bool)] = &[
    // report-backs
    (
        r"報告(?:を)?(?:して)?(?:いただきたい|頂きたい|もらいたい|ほしい|欲しい|ください|下さい|願い|いただければ|頂ければ|いただけたら|もらえれば|してもらう)",
        Report,
        0.9,
        false,
        false,
    ),
    (
        r"報告(?:すること|を求め|するよう)",
        Report,
        0.8,
        false,
        true,
    ),
    (
        r"(?:に|へ)(?:上げて|あげて)(?:いただきたい|頂きたい|いただければ|頂ければ|いただけたら|頂けたら|もらいたい|もらえれば|ほしい|ください|下さい)",
        Report,
        0.85,
        false,
        false,
    ),
    // requests
    (
        r"[てで](?:いただきたい|頂きたい|もらいたい|ほしい|欲しい)",
        Request,
        0.9,
        false,
        false,
    ),
    (
        r"(?:いただきたい|頂きたい|もらいたい)",
        Request,
        0.8,
        false,
        false,
    ),
    (
        r"[てで](?:いただければ|頂ければ|いただけたら|頂けたら|もらえれば|もらえたら|くだされば)",
        Request,
        0.85,
        false,
        false,
    ),
    (
        r"(?:いただければ|頂ければ|いただけたら|頂けたら)",
        Request,
        0.8,
        false,
        false,
    ),
    (
        r"[てで](?:ください|下さい)|ご[^\s、。]{1,4}(?:ください|下さい)",
        Request,
        0.85,
        false,
        false,
    ),
    (
        r"(?:いただけますか|いただけませんか|もらえますか|もらえませんか|いただけないでしょうか|くれますか|(?:いただけ|もらえ|頂け)(?:ます|ません|ない)でしょうか|(?:いただけ|もらえ)ればと(?:思|考|存))",
        Request,
        0.8,
        true,
        false,
    ),
    (
        r"[をはもにで]お願い(?:いたします|致します|します|したい|申し上げます)",
        Request,
        0.7,
        false,
        false,
    ),
    (r"願います|願いたい", Request, 0.7, false, false),
    (
        r"[てで]もらう(?:ということ|ように|よう|。|$)",
        Request,
        0.75,
        false,
        false,
    ),
    (
        r"(?:すること|を行うこと|を図ること|とすること)(?:。|$|とする|とした)",
        Request,
        0.7,
        false,
        true,
    ),
    // A chair's directive in the plain form: 「方針をまとめること。」「報告書を出すこと。」
    // (not 「…ということ。」「課題があること。」「…となること。」, which state facts).
    (
        r"(?:[くぐすつぬぶむ]|[^い]う|[^あいなき]る)こと(?:。|$)",
        Request,
        0.65,
        false,
        false,
    ),
    (
        r"(?:求め|要望|要請|依頼|指示)(?:する|します|した|た|る|があった|がある|があり|された|を受け|を行っ)",
        Request,
        0.7,
        false,
        true,
    ),
    (
        r"べき(?:だ|である|です|では|と|。|$)",
        Request,
        0.6,
        false,
        false,
    ),
    (r"べきではない(?:か|でしょうか)", Request, 0.6, true, false),
    (
        r"(?:お示し|示|設け|作成|提出|報告|検討|実施|対応|確認|修正|整理|共有|送付|周知|改善|調整)する(?:。|$)",
        Commitment,
        0.7,
        false,
        false,
    ),
    (
        r"必要(?:がある|があります|です|である|があると)",
        Request,
        0.45,
        false,
        false,
    ),
    (
        r"(?:方|ほう)が(?:よい|良い|いい)",
        Request,
        0.45,
        false,
        false,
    ),
    // commitments
    (
        r"させて(?:いただきたい|頂きたい|いただきます|頂きます|いただこう|頂こう|もらいます|もらいたい|いただければ)",
        Commitment,
        0.85,
        false,
        false,
    ),
    (
        r"[てで](?:いきたい|まいりたい|参りたい)",
        Commitment,
        0.85,
        false,
        false,
    ),
    (
        r"たい(?:と(?:思|考|存)|。|$)",
        Commitment,
        0.75,
        false,
        false,
    ),
    (
        r"(?:いたします|致します)(?:。|$)",
        Commitment,
        0.7,
        false,
        false,
    ),
    (
        r"(?:ようにします|ようにいたします|ように致します|ことにします|ことといたします|こととします|こととしたい)",
        Commitment,
        0.85,
        false,
        false,
    ),
    (
        r"(?:検討|対応|確認|調整|整理|報告|回答|作成|準備|提出|修正|連絡|周知|調査|実施|共有|送付|配布|改善|見直し|精査|反映)(?:を)?(?:し|いたし|致し)(?:ます|ていきます|てまいります|て参ります)",
        Commitment,
        0.85,
        false,
        false,
    ),
    (
        r"[てで](?:いきます|まいります|参ります)(?:。|$)",
        Commitment,
        0.75,
        false,
        false,
    ),
    (
        r"(?:検討|対応|確認|調整|整理|報告|回答|作成|準備|提出|修正|連絡|周知|調査|実施|共有|送付|配布|改善|見直し|精査|反映)(?:を)?(?:する|行う)(?:。|$|こととする|こととした)",
        Commitment,
        0.75,
        false,
        true,
    ),
    (
        r"(?:やります|進めます|努めます|取り組みます|図ります|行います|お示しします|お送りします|取りまとめます|とりまとめます|まとめます|設けます|作ります|伝えます|示します|見直します|改めます|直します|届けます|配ります|送ります)(?:。|$)",
        Commitment,
        0.7,
        false,
        false,
    ),
    (
        r"(?:ことになります|こととなります)",
        Commitment,
        0.6,
        false,
        false,
    ),
    (
        r"(?:予定です|予定でございます|予定としております|予定しております)",
        Commitment,
        0.35,
        false,
        false,
    ),
    (r"します(?:。|$)", Commitment, 0.45, false, false),
];

#[derive(Clone, Copy, PartialEq)]
enum Effect {
    Veto,
    Scale(f32),
}

/// Phrases that rule a sentence out (things done, approvals, procedure,
/// negation) or weaken it (hypotheticals, vague "as needed").
/// `unless_due`: the filter does not apply when the sentence states a due.
const FILTERS: &[(&str, Effect, bool)] = &[
    // already done
    (
        r"済み|済です|対応済|実施済|できている|できています|完了し|完了いたし|終了し|済ませ",
        Effect::Veto,
        false,
    ),
    // approvals
    (
        r"了承|承認し|異議(?:なし|はありません|ございません)|この内容で結構|結構です|結構だと|賛成",
        Effect::Veto,
        false,
    ),
    // procedure
    (
        r"(?:説明|報告|紹介)を?(?:お願い|願い|いただきたい|頂きたい|してください|して下さい)",
        Effect::Veto,
        true,
    ),
    (
        r"ご質問|ご意見(?:は|等は|など)|質問は|意見は|次の(?:案件|議題|議事|報告|項目)|議題に(?:入|移)|(?:に|へ)移り|に入ります|開会|閉会|開催いたします|開催します|を開催したい|散会|休憩|再開|以上で|以上をもち|終わります|終了(?:いた|致)?します|始めます|(?:決定|決|可決|承認|了承)(?:と)?(?:いた|致)?します|決定とします|原案(?:の)?(?:とおり|通り)|始めたい|進行|議事を進め|(?:説明|報告|紹介)(?:を)?(?:いたします|します|させていただきます|させていただきたい)(?:。|$)",
        Effect::Veto,
        true,
    ),
    (
        r"ご(?:協力|理解|了承|支援|指導)(?:の程|のほど)?を?(?:よろしく|宜しく)?お願い",
        Effect::Veto,
        false,
    ),
    (
        r"ご意見を(?:いただき|頂き|伺い|お願い|お聞かせ)|ご質問を|ご発言を|ご審議(?:を)?(?:いただき|頂き|お願い)|ご覧(?:ください|下さい|いただ)|資料の(?:確認|説明)|ご確認(?:ください|下さい)|お手元の資料|ご着席|挙手|お待ち(?:ください|下さい)|(?:始め|開始|終了|閉じ|締め|進め|移ら|代え|省略)させて",
        Effect::Veto,
        true,
    ),
    // negation
    (
        r"しない予定|しません|行わない|予定はありません|[てで]いません|[てで]おりません|ございません|できません|ありません(?:。|$)",
        Effect::Veto,
        false,
    ),
    // hypotheticals
    (r"仮に|もしも?|万一|万が一", Effect::Scale(0.4), false),
    // vague, ongoing
    (r"都度|随時|適宜", Effect::Scale(0.5), false),
];

/// Request cues that only ask for information in the meeting.
static INFO_ASK: LazyLock<Re> = LazyLock::new(|| {
    Re::new(r"お聞かせ|教えて(?:いただ|頂|くださ|下さ|ほし)|ご説明いただ|ご紹介いただ")
});

/// Nouns that, right after a cue, show it modifies a noun instead of closing
/// the clause (「検討してほしいもの」).
const NOUNS_AFTER: &[&str] = &[
    "もの",
    "こと",
    "ところ",
    "方",
    "点",
    "件",
    "場合",
    "とき",
    "時",
    "旨",
    "内容",
];

static QUESTION_END: LazyLock<Re> =
    LazyLock::new(|| Re::new(r"(?:か|かね|かな|ですよね|でしょう)[。.」)\s]*$|[?？][」)\s]*$"));
static PAST_END: LazyLock<Re> = LazyLock::new(|| {
    Re::new(
        r"(?:ました|でした|した|だった|おりました|いただいた|もらった|しまった)(?:ね|よ|が)?[。.」)\s]*$",
    )
});

struct Tables {
    set: RegexSet,
    cues: Vec<Re>,
    filters: RegexSet,
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    let pats: Vec<&str> = CUES.iter().map(|c| c.0).collect();
    let set = RegexSet::new(&pats).unwrap_or_else(|_| RegexSet::empty());
    let cues = pats.iter().map(|p| Re::new(p)).collect();
    let filters = RegexSet::new(FILTERS.iter().map(|f| f.0)).unwrap_or_else(|_| RegexSet::empty());
    Tables { set, cues, filters }
});

/// The action reading of one sentence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Hit {
    pub kind: ItemKind,
    pub weight: f32,
    /// byte offset (in the sentence) of the end of the strongest cue
    pub cue_end: usize,
}

/// Scores a sentence. `has_due`: the sentence states a due (some procedural
/// filters then do not apply). Returns `None` when nothing is asked or undertaken.
/// Whether any cue phrase occurs in the sentence (a cheap first test).
pub(crate) fn any_cue(sentence: &str) -> bool {
    TABLES.set.is_match(sentence)
}

pub(crate) fn score(sentence: &str, has_due: bool) -> Option<Hit> {
    let t = &*TABLES;
    let matched = t.set.matches(sentence);
    if !matched.matched_any() {
        return None;
    }
    let mut hits: Vec<(usize, Hit)> = Vec::new();
    let mut report = false;
    for i in matched.iter() {
        let (Some(re), Some(&(_, kind, w, _, _))) = (t.cues.get(i), CUES.get(i)) else {
            continue;
        };
        for m in re.find_iter(sentence) {
            let after = &sentence[m.end()..];
            if NOUNS_AFTER.iter().any(|n| after.starts_with(n)) && !m.as_str().ends_with("こと") {
                continue;
            }
            let before = &sentence[..m.start()];
            // 「させていただきたい」「書かせていただこう」: the speaker's own action
            if kind != Commitment && (before.ends_with('せ') || before.ends_with("させ")) {
                continue;
            }
            // 「お願いいたします」 asks, it does not undertake
            if kind == Commitment && before.ends_with("願い") {
                continue;
            }
            let mut w = w;
            if kind == Request && INFO_ASK.is_match(&sentence[..m.end()]) {
                w *= 0.5;
            }
            if kind == Report {
                report = true;
            }
            let hit = Hit {
                kind,
                weight: w,
                cue_end: m.end(),
            };
            hits.push((i, hit));
        }
    }
    // the main predicate comes last in Japanese: of the strong cues, take the
    // one nearest the end of the sentence
    let max = hits.iter().map(|(_, h)| h.weight).fold(0.0f32, f32::max);
    let (idx, mut hit) = hits
        .into_iter()
        .filter(|(_, h)| h.weight >= max - 0.1)
        .max_by_key(|(_, h)| h.cue_end)?;
    let &(_, _, _, question_ok, past_ok) = CUES.get(idx)?;
    if report && hit.kind == Request {
        hit.kind = Report;
    }
    for fi in t.filters.matches(sentence).iter() {
        let Some(&(_, effect, unless_due)) = FILTERS.get(fi) else {
            continue;
        };
        if unless_due && has_due {
            continue;
        }
        match effect {
            Effect::Veto => return None,
            Effect::Scale(s) => hit.weight *= s,
        }
    }
    let end = sentence.trim_end();
    if !question_ok && QUESTION_END.is_match(end) {
        return None;
    }
    if !past_ok && PAST_END.is_match(end) && !end.ends_with("ように。") {
        // the final predicate reports a state or the past: only a cue in the
        // last clause still counts
        let tail_start = end.len().saturating_sub(40);
        if hit.cue_end < tail_start {
            hit.weight *= 0.3;
        } else {
            hit.weight *= 0.6;
        }
    }
    Some(hit)
}

/// A turn that accepts the previous request (「承知しました」「わかりました」).
static ACCEPT: LazyLock<Re> = LazyLock::new(|| {
    Re::new(
        r"^\s*(?:はい[、。,]?\s*)?(?:承知(?:しました|いたしました|致しました|した)|わかりました|分かりました|了解(?:しました|いたしました|です|した)|かしこまりました|対応します|対応いたします|やります|検討します|検討いたします|(?:対応|検討)する(?:。|$))",
    )
});

pub(crate) fn accepts(turn_text: &str) -> bool {
    ACCEPT.is_match(turn_text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(s: &str) -> Option<ItemKind> {
        score(s, false).filter(|h| h.weight >= 0.5).map(|h| h.kind)
    }

    #[test]
    fn table() {
        assert_eq!(
            kind("次回の本部でまた報告してもらいたいと思います。"),
            Some(Report)
        );
        assert_eq!(kind("その辺は調整をお願いいたします。"), Some(Request));
        assert_eq!(
            kind("各項目についてコメントを書けるようにいたします。"),
            Some(Commitment)
        );
        assert_eq!(kind("はい、お願いします。"), None);
        assert_eq!(kind("ご協力をよろしくお願いします。"), None);
        assert_eq!(
            kind("これは調整していくということでもいいのでしょうか。"),
            None
        );
        assert_eq!(kind("昨年度末までに対応はできているという認識です。"), None);
        assert_eq!(kind("報告(1)について説明をお願いします。"), None);
        assert_eq!(
            kind("特に検討してほしいものを回答するわけですが、全部重要ですね。"),
            None
        );
        assert_eq!(kind("調査はしない予定でございます。"), None);
        assert_eq!(kind("仮に予算がつけば検討していただきたい。"), None);
        assert_eq!(kind("委員から資料の追加を求めた。"), Some(Request));
        assert_eq!(kind("資料3をご確認ください。"), None);
        assert_eq!(
            kind("次回までに集計をお示しいただけますでしょうか。"),
            Some(Request)
        );
        assert_eq!(kind("以上をもちまして、本日の会議を終了いたします。"), None);
        assert_eq!(kind("原案のとおり決定いたします。"), None);
        assert_eq!(
            kind("教育委員会と調整して、12月末までに方針をまとめること。"),
            Some(Request)
        );
        assert_eq!(kind("報告書は来週までに各部で出すこと。"), Some(Request));
        assert_eq!(kind("利用者アンケートでも要望が多いということ。"), None);
        assert_eq!(kind("庁内にも同様の課題があること。"), None);
        assert!(accepts("了解した。"));
        assert!(accepts("承知した。"));
        assert!(accepts("はい、検討する。"));
        assert!(!accepts("検討することが必要だ。"));
        assert_eq!(
            score("来週までに資料をご確認ください。", true).map(|h| h.kind),
            Some(Request)
        );
    }
}
