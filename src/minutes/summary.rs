//! Short summaries: the action clause with fillers dropped and the polite or
//! modal ending normalised to a plain ending (…していただきたいと思います → …する).

use super::conjugate::{from_renyou, from_te};
use super::re::Re;
use regex::{Regex, RegexSet};
use std::sync::LazyLock;

/// Openers dropped from the start of a summary.
static LEAD: LazyLock<Re> = LazyLock::new(|| {
    Re::new(
        r"^(?:(?:はい|ええ|では|それでは|なければ|無ければ|ないようでしたら|なお|また|ただ|それから|あと|そうです|わかりました|分かりました|承知しました|了解しました|申し訳ございません|私から(?:ですが)?|今後とも|今後は|そこで|だから|その上で|そのうえで|(?:[^、。\s]{0,6}(?:委員|委員長|会長|部長|課長|部員|議長|議員)|事務局)(?:から|より)(?:、|,)?)[、。,\s]*)+",
    )
});

/// Trailing courtesy, hedges and modality, and mid-sentence polite
/// connectives, rewritten in order (regex → replacement).
const TRIMS: &[(&str, &str)] = &[
    (
        r"(?:ので|から)?[、,]?\s*(?:ご協力|アドバイス|ご支援|ご指導)?(?:を)?(?:よろしく|宜しく)(?:お願い|願い)[^。]*$",
        "",
    ),
    (
        r"と(?:思います|思っています|思っております|考えています|考えております|存じます|思いません|思う)(?:ので|が|けれども)?$",
        "",
    ),
    (
        r"(?:と)?(?:助かります|助かる|ありがたい(?:です)?|有り難い(?:です)?|幸いです)$",
        "",
    ),
    (r"ということ(?:ですね|です|でしょう|だ)?$", ""),
    (
        r"との(?:意見|要望|指摘|提案|発言)(?:が)?(?:あった|出た|出された|あり|がある)$",
        "",
    ),
    (
        r"よう(?:に)?(?:求めた|求める|要望した|依頼した|指示した|要請した)$",
        "",
    ),
    (r"(?:の|ん)(?:です|でございます)$", ""),
    (r"をしていただき[、,]", "し、"),
    (r"していただき[、,]", "し、"),
    (r"していただいて[、,]", "し、"),
    (r"でまた", "で"),
];

/// How the stem captured by an ending becomes a plain verb.
#[derive(Clone, Copy)]
enum Form {
    /// `s` is a て-form stem, `v` says whether it was voiced (で)
    Te,
    /// `s` is a 連用形
    Renyou,
    /// `s` comes before す (検討すべき, 見直すべき): a サ変 noun or a godan stem
    BeforeSu,
    /// regex replacement template
    Replace(&'static str),
}

/// Asking and undertaking auxiliaries after a て-form.
const TE_AUX: &str = r"(?:おいて|おき)?(?:いただきたい|頂きたい|もらいたい|ほしい|欲しい|ください|下さい|いただければ|頂ければ|いただけたら|頂けたら|もらえれば|もらえたら|くだされば|いただけますか|いただけませんか|いただけますでしょうか|いただけないでしょうか|もらえますか|もらえませんか|もらえますでしょうか|くれますか|いただくよう(?:に)?(?:お願い\S*)?|いただく|もらう|まいります|参ります|まいりたい|参りたい|いきます|いきたい|いく|おく|おきます|おきたい|おります|います)";
/// Polite asking endings after an honorific noun or stem (ご検討ください, お示しいただきたい).
const HONORIFIC_AUX: &str = r"(?:を)?(?:いただきたい|頂きたい|いただければ|頂ければ|いただけたら|いただけますか|いただけますでしょうか|いただけないでしょうか|ください|下さい|願いたい|願います|お願い(?:します|いたします|致します|したい|できますか)|いたします|致します|します|したい|いたしたい|申し上げます)";

/// Request and undertaking endings, first match wins. Group `p` is kept
/// verbatim, group `s` becomes a plain verb.
static ENDINGS: LazyLock<Vec<(Regex, Form)>> = LazyLock::new(|| {
    let table: [(String, Form); 13] = [
        // 明確にいただければ → 明確にする
        (
            r"^(?P<p>.*?に)(?:して)?(?:いただければ|頂ければ|いただきたい|頂きたい|いただけたら|ください|下さい)$".into(),
            Form::Replace("${p}する"),
        ),
        // ご検討ください → 検討する
        (
            format!(r"^(?P<p>.*?)(?:ご|御)(?P<s>\p{{Han}}{{1,4}}){HONORIFIC_AUX}$"),
            Form::Replace("${p}${s}する"),
        ),
        // 調整をお願いいたします → 調整する
        (
            r"^(?P<p>.*?)(?:を|は|も)?(?:お)?願い(?:いたします|致します|します|したい|申し上げます|できますか|できれば|たい|ます)$".into(),
            Form::Replace("${p}する"),
        ),
        // お示しいただきたい → 示す
        (
            format!(r"^(?P<p>.*?)お(?P<s>\p{{Han}}\p{{Hiragana}}{{1,2}}?){HONORIFIC_AUX}$"),
            Form::Renyou,
        ),
        // 整理させていただきたい → 整理する
        (
            r"^(?P<p>.*?)させて(?:いただきたい|頂きたい|いただきます|頂きます|いただこう|頂こう|もらいます|もらいたい|いただければ|いただく)$".into(),
            Form::Replace("${p}する"),
        ),
        // 調べていただけますか → 調べる
        (format!(r"^(?P<s>.*?)(?P<v>て|で){TE_AUX}$"), Form::Te),
        (
            r"^(?P<p>.*?)(?:いた|致)(?:します|したい|しましょう)$".into(),
            Form::Replace("${p}する"),
        ),
        (r"^(?P<p>.*?)予定(?:です|でございます)$".into(), Form::Replace("${p}予定")),
        (r"^(?P<p>.*?)(?:です|でございます)$".into(), Form::Replace("${p}")),
        (r"^(?P<p>.*?)(?:ことになります|こととなります)$".into(), Form::Replace("${p}")),
        // 作ります・設けたい → 作る・設ける
        (r"^(?P<s>.*?)(?:ます|たい|ましょう)$".into(), Form::Renyou),
        // 検討すべきではないか → 検討する
        (
            r"^(?P<s>.*?)す(?:る)?べき(?:では|で)?(?:ないか|ないでしょうか|ある|だ|です|である)?$".into(),
            Form::BeforeSu,
        ),
        // 作成すること・報告するように → 作成する・報告する
        (
            r"^(?P<p>.*?[うくぐすつぬぶむる])(?:べき(?:では|で)?(?:ないか|ないでしょうか|ある|だ|です|である)?|こと|ように|よう)$".into(),
            Form::Replace("${p}"),
        ),
    ];
    table
        .into_iter()
        .filter_map(|(p, f)| Regex::new(&p).ok().map(|re| (re, f)))
        .collect()
});

/// All of [`ENDINGS`] at once: one pass over the sentence says which ending applies,
/// so only that one runs its (slower) capturing search.
static ENDING_SET: LazyLock<Option<RegexSet>> =
    LazyLock::new(|| RegexSet::new(ENDINGS.iter().map(|(re, _)| re.as_str())).ok());

static TRIMS_COMPILED: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    TRIMS
        .iter()
        .filter_map(|(p, r)| Regex::new(p).ok().map(|re| (re, *r)))
        .collect()
});

/// A polite concessive clause before the action (「後追いにはなりますが」
/// 「確認を受けておりますが、」) is background, not the task.
static BACKGROUND: LazyLock<Re> =
    LazyLock::new(|| Re::new(r"(?:ます|ました|ません)(?:が|けれども|けれど|けど)[、,]?"));
/// The addressee opening a chair's request (「総務部長は、」「学校教育課は、」):
/// the owner field carries it.
static ADDRESSEE: LazyLock<Re> = LazyLock::new(|| {
    Re::new(
        r"^(?:子ども|こども)?[\p{Han}\p{Katakana}ー]{1,14}?(?:部|課|室|局|センター)(?:長(?:さん)?(?:は)?|は)[、,]",
    )
});
/// Endings peeled off one after another at most.
const MAX_ENDINGS: usize = 3;
/// The shortest action left after dropping background, in chars.
const MIN_ACTION: usize = 4;

fn plain_ending(s: &str) -> Option<String> {
    let candidates: Vec<usize> = match ENDING_SET.as_ref() {
        Some(set) => set.matches(s).into_iter().take(1).collect(),
        None => (0..ENDINGS.len()).collect(),
    };
    for (re, form) in candidates.into_iter().filter_map(|i| ENDINGS.get(i)) {
        let Some(c) = re.captures(s) else { continue };
        let p = c.name("p").map_or("", |m| m.as_str());
        let stem = c.name("s").map_or("", |m| m.as_str());
        return Some(match form {
            Form::Te => {
                let voiced = c.name("v").is_some_and(|m| m.as_str() == "で");
                format!("{p}{}", from_te(stem, voiced))
            }
            Form::Renyou => format!("{p}{}", from_renyou(stem)),
            Form::BeforeSu => format!("{p}{}", from_renyou(&format!("{stem}し"))),
            Form::Replace(t) => {
                let mut out = String::new();
                c.expand(t, &mut out);
                out
            }
        });
    }
    None
}

fn drop_before(s: &mut String, cut: Option<usize>) {
    if let Some(e) = cut
        && s[e..].chars().count() >= MIN_ACTION
    {
        s.replace_range(..e, "");
    }
}

const MAX_CHARS: usize = 60;

/// Summary of an action sentence (cleaned text).
pub(crate) fn summarize(sentence: &str) -> String {
    let s: String = sentence
        .split('\n')
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("");
    let s = s.trim().trim_end_matches(['。', '.', '!', '?', ' ']);
    let mut s = LEAD.replace(s, "").into_owned();
    for (re, rep) in TRIMS_COMPILED.iter() {
        let t = re.replace(&s, *rep);
        if t != s {
            s = t.trim_end_matches(['、', ',', ' ']).to_string();
        }
    }
    // 検討していくことになります → 検討していく → 検討する
    for _ in 0..MAX_ENDINGS {
        match plain_ending(&s) {
            Some(t) if t != s => s = t,
            _ => break,
        }
    }
    if let Some(t) = s.strip_suffix("するようにする") {
        s = format!("{t}する");
    }
    let cut = BACKGROUND.find_iter(&s).last().map(|m| m.end());
    drop_before(&mut s, cut);
    let cut = ADDRESSEE.find(&s).map(|m| m.end());
    drop_before(&mut s, cut);
    let n = s.chars().count();
    if n > MAX_CHARS {
        // keep the last clauses, which carry the action
        let mut start = n - MAX_CHARS;
        let chars: Vec<char> = s.chars().collect();
        if let Some(p) = chars[start..].iter().position(|c| *c == '、')
            && p < 30
        {
            start += p + 1;
        }
        s = chars[start..].iter().collect();
    }
    if s.is_empty() {
        sentence.trim().chars().take(MAX_CHARS).collect()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_endings() {
        for (sentence, want) in [
            (
                "しっかりと調整をしていただき、次回の本部でまた報告してもらいたいと思います。",
                "しっかりと調整し、次回の本部で報告する",
            ),
            (
                "わかりました。早急に、その場を設けたいと思います。",
                "早急に、その場を設ける",
            ),
            (
                "各項目についてコメントを書けるようにいたします。",
                "各項目についてコメントを書けるようにする",
            ),
            ("その辺は調整をお願いいたします。", "その辺は調整する"),
            (
                "だから後追いにはなりますが調整していただきたいと思っています。",
                "調整する",
            ),
            (
                "教育委員会と協議を進めてまいります。",
                "教育委員会と協議を進める",
            ),
            (
                "次回までに属性別の集計をお示しいただけますでしょうか。",
                "次回までに属性別の集計を示す",
            ),
            (
                "次回の本部会議までに補充計画をお示しします。",
                "次回の本部会議までに補充計画を示す",
            ),
            (
                "10月末までに協議結果をご報告します。",
                "10月末までに協議結果を報告する",
            ),
            ("事務局で最終案を作成すること。", "事務局で最終案を作成する"),
            (
                "更新に合わせて、キャッシュレス決済の導入も検討すべきではないか。",
                "更新に合わせて、キャッシュレス決済の導入も検討する",
            ),
            ("他市の事例も調べていただけますか。", "他市の事例も調べる"),
            ("来月中に案を作ってください。", "来月中に案を作る"),
            (
                "セキュリティポリシーとの整合を確認しておいてください。",
                "セキュリティポリシーとの整合を確認する",
            ),
            ("Wi-Fiの環境を見直していただきたい。", "Wi-Fiの環境を見直す"),
            (
                "学校と連携して取り組んでいただきたい。",
                "学校と連携して取り組む",
            ),
            ("利用者の声を聞いてほしい。", "利用者の声を聞く"),
            (
                "補助制度の周知を行っていただきたい。",
                "補助制度の周知を行う",
            ),
            (
                "年度内に方針を整理させていただきたいと思います。",
                "年度内に方針を整理する",
            ),
            (
                "町会にも名簿を渡していただけないでしょうか。",
                "町会にも名簿を渡す",
            ),
            (
                "外部監査で一度確認を受けておりますが、改めて点検いたします。",
                "改めて点検する",
            ),
            (
                "総務部長は、燃料の追加確保について業者と協議してください。",
                "燃料の追加確保について業者と協議する",
            ),
            ("早急にご対応ください。", "早急に対応する"),
            (
                "課題整理をして何らかの方向性を見つけていきたいと思います。",
                "課題整理をして何らかの方向性を見つける",
            ),
            (
                "この件は次回までに検討をお願いしたい。",
                "この件は次回までに検討する",
            ),
            (
                "ホームページに掲載するようにしてください。",
                "ホームページに掲載する",
            ),
            ("各部でやります。", "各部でやる"),
            (
                "計画の評価指標を見直すべきではないか。",
                "計画の評価指標を見直す",
            ),
            (
                "施設所管課には、来年度中に方針を示すよう依頼する。",
                "施設所管課には、来年度中に方針を示すよう依頼する",
            ),
            (
                "事務局にて設備投資等を検討していくことになります。",
                "事務局にて設備投資等を検討する",
            ),
            (
                "調査の際に前提を明確にいただければ。",
                "調査の際に前提を明確にする",
            ),
            ("次回、結果を報告するように。", "次回、結果を報告する"),
            ("来週中に資料を送付願います。", "来週中に資料を送付する"),
        ] {
            assert_eq!(summarize(sentence), want, "{sentence}");
        }
    }
}
