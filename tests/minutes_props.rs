//! Property tests: nothing panics, spans index the decoded text, evidence is
//! drawn from its span.

use proptest::prelude::*;
use shukudai::minutes::{Analysis, Directory, analyse, extract, parse};

fn check_spans(text: &str, a: &Analysis) -> Result<(), TestCaseError> {
    let chars: Vec<char> = text.chars().collect();
    for c in &a.items {
        let [s, e] = c.evidence_span;
        prop_assert!(
            s < e && e <= chars.len(),
            "bad span {:?} for {} chars",
            c.evidence_span,
            chars.len()
        );
        // the evidence is the spanned text with page-break noise removed:
        // its chars are a subsequence of the span
        let mut it = chars[s..e].iter();
        prop_assert!(
            c.evidence.chars().all(|ch| it.any(|x| *x == ch)),
            "evidence {:?} not drawn from span {:?}",
            c.evidence,
            chars[s..e].iter().collect::<String>()
        );
        prop_assert!(!c.evidence.is_empty());
        prop_assert!((0.0..=1.0).contains(&c.confidence));
    }
    Ok(())
}

/// Pieces of minutes to assemble realistic-but-random documents from.
const PIECES: &[&str] = &[
    "本部長：",
    "部員：",
    "事務局：",
    "本 部 長：",
    "○田中情報政策課長　",
    "◎委員長　",
    "【市長】",
    "「山田委員」",
    "・",
    "→",
    "○ ",
    "\n",
    "\n\n",
    "\n## 審 議 経 過\n",
    "\n－３－\n",
    "\t",
    "　",
    "調整をお願いいたします。",
    "次回の本部で報告してもらいたいと思います。",
    "早急に対応します。",
    "１０月末までに",
    "年度内に",
    "来週中に",
    "今週金曜日までに",
    "令和元年12月20日",
    "午後3時～午後4時",
    "区民部では、",
    "各部で",
    "事務局にて",
    "検討していきたいと考えています。",
    "対応済みです。",
    "ご質問はありますか。",
    "仮に",
    "ありがとうございました。",
    "開催日時\t",
    "場所：",
    "出席者\t部 員\t区民部長、総務部長",
    "議題\t(1) 報告について",
    "〔事務局：資料を説明〕",
    "—了承—",
    "「",
    "」",
    "（",
    "）",
    "\u{FEFF}",
    "ｶﾞ",
    "①",
];

fn doc() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(PIECES).prop_map(str::to_string),
            1 => "\\PC{0,12}",
        ],
        0..60,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(a) = analyse(&bytes, &Directory::default()) {
            let text = a.text.clone();
            check_spans(&text, &a)?;
        }
    }

    #[test]
    fn arbitrary_strings_never_panic(s in "\\PC{0,300}") {
        let m = parse(&s);
        let items = extract(&m, &Directory::default());
        let a = Analysis { text: s.clone(), meeting: m.meeting.clone(), items };
        check_spans(&s, &a)?;
        for t in &m.turns {
            prop_assert!(t.span[0] <= t.span[1] && t.span[1] <= s.chars().count());
        }
    }

    #[test]
    fn assembled_minutes_have_valid_spans(s in doc()) {
        let m = parse(&s);
        let items = extract(&m, &Directory::new([("政策経営部情報管理課", ["事務局"])]));
        let a = Analysis { text: s.clone(), meeting: m.meeting.clone(), items };
        check_spans(&s, &a)?;
        // through the byte path as well (UTF-8 and Shift_JIS)
        if let Ok(a) = analyse(s.as_bytes(), &Directory::default()) {
            let text = a.text.clone();
            check_spans(&text, &a)?;
        }
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(&s);
        if let Ok(a) = analyse(&sjis, &Directory::default()) {
            let text = a.text.clone();
            check_spans(&text, &a)?;
        }
    }
}
