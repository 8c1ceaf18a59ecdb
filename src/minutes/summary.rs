//! Short summaries: the action clause with fillers dropped and the polite or
//! modal ending normalised to a plain ending (…していただきたいと思います → …する).

use super::re::Re;
use regex::Regex;
use std::sync::LazyLock;

/// Openers dropped from the start of a summary.
static LEAD: LazyLock<Re> = LazyLock::new(|| {
    Re::new(
        r"^(?:(?:はい|ええ|では|それでは|なければ|無ければ|ないようでしたら|なお|また|ただ|それから|あと|そうです|わかりました|分かりました|承知しました|了解しました|申し訳ございません|私から(?:ですが)?|今後とも|今後は|そこで|だから|その上で|そのうえで|(?:[^、。\s]{0,6}(?:委員|委員長|会長|部長|課長|部員|議長|議員)|事務局)(?:から|より)(?:、|,)?)[、。,\s]*)+",
    )
});

/// Ending rewrites, applied in order (regex → replacement).
const REWRITES: &[(&str, &str)] = &[
    // trailing courtesy / modality
    (
        r"(?:ので|から)?[、,]?\s*(?:ご協力|アドバイス|ご支援|ご指導)?(?:を)?(?:よろしく|宜しく)(?:お願い|願い)[^。]*$",
        "",
    ),
    (
        r"と(?:思います|思っています|思っております|考えています|考えております|存じます|思いません|思う)(?:ので|が|けれども)?$",
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
    // mid-sentence polite connectives
    (r"をしていただき[、,]", "し、"),
    (r"していただき[、,]", "し、"),
    (r"していただいて[、,]", "し、"),
    (r"でまた", "で"),
    // request / commitment endings → plain form
    (
        r"報告(?:を)?(?:して)?(?:いただきたい|頂きたい|もらいたい|ほしい|ください|下さい|いただければ|いただけたら|願いたい|願います)$",
        "報告する",
    ),
    (
        r"(?:を|は|も)お願い(?:いたします|致します|します|したい|申し上げます)$",
        "する",
    ),
    (
        r"させて(?:いただきたい|頂きたい|いただきます|頂きます|いただこう|頂こう|もらいます)$",
        "する",
    ),
    // godan verbs in す: 見直します → 見直す, 示します → 示す
    (
        r"(^|[^\p{Han}])(見直|直|示|出|渡|探|話|返|戻|残|増|減|回|通|果た|尽く|外|消|移|生か|活か|促|記|表|申|指|押)(?:いた)?します$",
        "${1}${2}す",
    ),
    (r"(?:いたします|致します|します)$", "する"),
    (r"ようにする$", "ようにする"),
    (
        r"([^\p{Han}]\p{Han})し(?:て)?(?:いただきたい|頂きたい|もらいたい|ほしい|欲しい|ください|下さい|いただければ|頂ければ|いただけたら|頂けたら|もらえれば|もらえたら|たい)$",
        "${1}す",
    ),
    (
        r"し(?:て)?(?:いただきたい|頂きたい|もらいたい|ほしい|欲しい|ください|下さい|いただければ|頂ければ|いただけたら|頂けたら|もらえれば|もらえたら|おいてもらう|てもらう|もらう|いきたい|いきます|まいります|たい)$",
        "する",
    ),
    (
        r"っ(?:て)?(?:いただきたい|頂きたい|もらいたい|ほしい|ください|いただければ|いただけたら|いきたい|たい)$",
        "る",
    ),
    (
        r"い(?:て)(?:いただきたい|頂きたい|もらいたい|ほしい|ください|いただければ|いただけたら|いきたい)$",
        "く",
    ),
    (
        r"ん(?:で)(?:いただきたい|頂きたい|もらいたい|ほしい|ください|いただければ|いただけたら|いきたい)$",
        "む",
    ),
    (
        r"(?:て|で)(?:いただきたい|頂きたい|もらいたい|ほしい|ください|いただければ|頂ければ|いただけたら|頂けたら|いきたい|いきます)$",
        "る",
    ),
    (
        r"し(?:て)?(?:いただけますか|いただけませんか|もらえますか|もらえませんか|いただけないでしょうか)$",
        "する",
    ),
    (
        r"(?:て|で)(?:いただけますか|いただけませんか|もらえますか|もらえませんか|いただけないでしょうか)$",
        "る",
    ),
    (
        r"(?:いただきたい|頂きたい|いただければ|いただけたら)$",
        "する",
    ),
    (r"ことになります$", ""),
    (r"予定(?:です|でございます)$", "予定"),
    (r"(?:です|でございます)$", ""),
    (r"([めけえせてれべげ])ます$", "${1}る"),
    (r"みます$", "む"),
    (r"([^ざ])います$", "${1}う"),
    (r"したい$", "する"),
    (r"たい$", "る"),
];

static COMPILED: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    REWRITES
        .iter()
        .filter_map(|(p, r)| Regex::new(p).ok().map(|re| (re, *r)))
        .collect()
});

const MAX_CHARS: usize = 80;

/// Summary of an action sentence (cleaned text).
pub(crate) fn summarize(sentence: &str) -> String {
    let s: String = sentence
        .split('\n')
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("");
    let s = s.trim().trim_end_matches(['。', '.', '!', '?', ' ']);
    let mut s = LEAD.replace(s, "").into_owned();
    for (re, rep) in COMPILED.iter() {
        let t = re.replace(&s, *rep);
        if t != s {
            s = t.trim_end_matches(['、', ',', ' ']).to_string();
        }
    }
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
        assert_eq!(
            summarize(
                "しっかりと調整をしていただき、次回の本部でまた報告してもらいたいと思います。"
            ),
            "しっかりと調整し、次回の本部で報告する"
        );
        assert_eq!(
            summarize("わかりました。早急に、その場を設けたいと思います。"),
            "早急に、その場を設ける"
        );
        assert_eq!(
            summarize("各項目についてコメントを書けるようにいたします。"),
            "各項目についてコメントを書けるようにする"
        );
        assert_eq!(
            summarize("その辺は調整をお願いいたします。"),
            "その辺は調整する"
        );
    }
}
