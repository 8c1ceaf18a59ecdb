//! Fixture minutes in several shapes: JSON snapshots (reviewed by eye) plus
//! explicit assertions on the facts that matter.

use chrono::NaiveDate;
use shukudai::minutes::{Analysis, Candidate, Directory, DueKind, ItemKind, analyse};

fn load(name: &str) -> Analysis {
    let path = format!(
        "{}/tests/fixtures/minutes/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&path).expect("fixture");
    analyse(&bytes, &Directory::default()).expect("analyse")
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn item<'a>(a: &'a Analysis, needle: &str) -> &'a Candidate {
    a.items
        .iter()
        .find(|c| c.evidence.contains(needle))
        .unwrap_or_else(|| panic!("no item with evidence {needle:?}: {:#?}", a.items))
}

fn no_item(a: &Analysis, needle: &str) {
    assert!(
        !a.items.iter().any(|c| c.evidence.contains(needle)),
        "unexpected item for {needle:?}"
    );
}

/// Every span indexes the decoded text and the evidence is drawn from it.
fn spans_ok(a: &Analysis) {
    let chars: Vec<char> = a.text.chars().collect();
    for c in &a.items {
        let [s, e] = c.evidence_span;
        assert!(s < e && e <= chars.len(), "{c:?}");
        let spanned: String = chars[s..e].iter().collect();
        let mut it = spanned.chars();
        assert!(
            c.evidence.chars().all(|ch| it.any(|x| x == ch)),
            "{c:?} / {spanned}"
        );
        assert!(c.evidence.chars().count() <= 400);
    }
}

#[test]
fn gijiyoshi_bullets() {
    let a = load("gijiyoshi-bullets.txt");
    spans_ok(&a);
    let m = &a.meeting;
    assert_eq!(m.body.as_deref(), Some("みどり市地域福祉推進協議会"));
    assert_eq!(m.held_on, date(2023, 10, 12));
    assert_eq!(m.starts_at.as_deref(), Some("14:00"));
    assert_eq!(m.ends_at.as_deref(), Some("15:30"));
    assert_eq!(m.secretariat.as_deref(), Some("健康福祉部福祉政策課"));
    assert_eq!(m.agenda, vec!["地域福祉計画の進捗状況について"]);

    let r = item(&a, "町会ごとの状況を調査してほしい");
    assert_eq!(r.kind, ItemKind::Request);
    assert_eq!(r.speaker.as_deref(), Some("委員"));
    let c = item(&a, "事務局で町会ごとの状況を調査し");
    assert_eq!(c.kind, ItemKind::Commitment);
    assert_eq!(c.owner.as_deref(), Some("健康福祉部福祉政策課"));
    assert_eq!(c.due.kind, DueKind::NextMeeting);
    assert_eq!(
        c.due.date,
        date(2024, 1, 25),
        "next meeting date stated in the minutes"
    );
    let fy = item(&a, "素案を年度内に示すよう求めた");
    assert_eq!(fy.due.date, date(2024, 3, 31));
    assert_eq!(item(&a, "速やかに検討してほしい").due.kind, DueKind::Asap);
    no_item(&a, "対応済み");
    no_item(&a, "修正済み");
    insta::assert_json_snapshot!("gijiyoshi_bullets", a);
}

#[test]
fn iinkai_named_speakers() {
    let a = load("iinkai-named.txt");
    spans_ok(&a);
    let m = &a.meeting;
    assert_eq!(m.body.as_deref(), Some("さくら市情報化推進委員会"));
    assert_eq!(m.held_on, date(2022, 12, 15));
    assert_eq!(m.starts_at.as_deref(), Some("10:00"));
    assert_eq!(m.ends_at.as_deref(), Some("11:30"));
    assert!(
        m.attendees
            .iter()
            .any(|x| x.title == "市民部長" && x.department.as_deref() == Some("市民部"))
    );

    let r = item(&a, "1月末までに各課から集めていただけますか");
    assert_eq!(r.speaker.as_deref(), Some("山田委員"));
    assert_eq!(r.kind, ItemKind::Request);
    assert_eq!(
        r.due.date,
        date(2023, 1, 31),
        "December meeting: January is next year"
    );
    assert_eq!(
        r.owner.as_deref(),
        Some("総務部情報政策課"),
        "the secretariat's 課長 accepted"
    );
    let c = item(&a, "来週中に結果を共有します");
    assert_eq!(c.owner.as_deref(), Some("市民部"));
    assert_eq!(c.due.date, date(2022, 12, 23), "Friday of next week");
    let addressed = item(&a, "転入手続も含めてください");
    assert_eq!(addressed.owner.as_deref(), Some("市民部"));
    let edu = item(&a, "年内に電子化の対象を整理したい");
    assert_eq!(edu.owner.as_deref(), Some("教育部"));
    assert_eq!(edu.due.date, date(2022, 12, 31));
    no_item(&a, "仮に予算");
    no_item(&a, "報告済み");
    no_item(&a, "開会します");
    no_item(&a, "閉会します");
    insta::assert_json_snapshot!("iinkai_named", a);
}

#[test]
fn shift_jis_crlf() {
    let path = format!(
        "{}/tests/fixtures/minutes/sjis-bousai.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    let raw = std::fs::read(&path).expect("fixture");
    assert!(
        std::str::from_utf8(&raw).is_err(),
        "the fixture is Shift_JIS"
    );
    let a = load("sjis-bousai.txt");
    spans_ok(&a);
    assert!(!a.text.contains('\r'));
    let m = &a.meeting;
    assert_eq!(m.title.as_deref(), Some("第5回ひかり町防災会議"));
    assert_eq!(m.body.as_deref(), Some("ひかり町防災会議"));
    assert_eq!(m.held_on, date(2024, 2, 20));
    assert_eq!(m.starts_at.as_deref(), Some("14:00"));
    assert_eq!(m.ends_at.as_deref(), Some("15:10"));
    assert_eq!(m.secretariat.as_deref(), Some("総務課防災係"));
    let c = item(&a, "今週金曜日までに各課の意見を取りまとめます");
    assert_eq!(c.kind, ItemKind::Commitment);
    assert_eq!(c.speaker.as_deref(), Some("総務課長"));
    assert_eq!(c.owner.as_deref(), Some("総務課"));
    assert_eq!(c.due.date, date(2024, 2, 23));
    let r = item(&a, "年度内に一覧を作成していただきたい");
    assert_eq!(
        r.due.date,
        date(2024, 3, 31),
        "February: this fiscal year ends next month"
    );
    assert_eq!(r.owner.as_deref(), Some("総務課"), "総務課長 accepted");
    assert_eq!(
        item(&a, "早急に各地区と調整をお願いします").due.kind,
        DueKind::Asap
    );
    no_item(&a, "既に完了しています");
    no_item(&a, "ありがとうございます");
    insta::assert_json_snapshot!("sjis_bousai", a);
}

#[test]
fn page_break_noise_and_full_width() {
    let a = load("pagebreak-fullwidth.txt");
    spans_ok(&a);
    let m = &a.meeting;
    assert_eq!(m.title.as_deref(), Some("第１回　あおば区ＩＣＴ推進本部"));
    assert_eq!(m.body.as_deref(), Some("あおば区ＩＣＴ推進本部"));
    assert_eq!(m.held_on, date(2021, 6, 10));
    assert_eq!(m.starts_at.as_deref(), Some("13:30"));
    assert_eq!(m.ends_at.as_deref(), Some("14:45"));
    assert_eq!(m.place.as_deref(), Some("区役所本庁舎７階　第２委員会室"));
    assert_eq!(m.secretariat.as_deref(), Some("総務部デジタル推進課"));

    // the sentence split by 「－３－」 is rejoined, evidence verbatim without the noise
    let c = item(&a, "１０月末までに導入計画を取りまとめたいと考えています。");
    assert!(!c.evidence.contains('－'));
    assert_eq!(c.owner.as_deref(), Some("区民部"));
    assert_eq!(c.due.date, date(2021, 10, 31));
    assert_eq!(c.speaker.as_deref(), Some("部員"));
    let w = item(&a, "オンライン相談の試行を速やかに開始する");
    assert!(!w.evidence.contains("審"));
    assert_eq!(w.owner.as_deref(), Some("福祉部"));
    assert_eq!(w.due.kind, DueKind::Asap);
    let n = item(&a, "事務局で次回までに論点を整理してください");
    assert_eq!(n.owner.as_deref(), Some("総務部デジタル推進課"));
    assert_eq!(n.due.kind, DueKind::NextMeeting);
    assert_eq!(n.speaker.as_deref(), Some("本部長"));
    let rep = item(&a, "各部で来週中に事務局へ報告してください");
    assert_eq!(rep.kind, ItemKind::Report);
    assert_eq!(rep.owner.as_deref(), Some("各部"));
    assert_eq!(rep.due.date, date(2021, 6, 18));
    no_item(&a, "始めます");
    insta::assert_json_snapshot!("pagebreak_fullwidth", a);
}

#[test]
fn reiwa_gannen_and_fiscal_year() {
    let a = load("reiwa-gannen-fiscal.txt");
    spans_ok(&a);
    let m = &a.meeting;
    assert_eq!(m.held_on, date(2019, 12, 20));
    assert_eq!(m.body.as_deref(), Some("かもめ市行財政改革推進会議"));
    assert_eq!(m.starts_at.as_deref(), Some("13:30"));
    assert_eq!(m.ends_at.as_deref(), Some("15:00"));
    assert_eq!(
        m.agenda,
        vec!["事務事業評価の結果について", "公共施設の再配置について"]
    );

    assert_eq!(
        item(&a, "年度末までに市のホームページで公表").due.date,
        date(2020, 3, 31)
    );
    assert_eq!(
        item(&a, "1月中旬までに実施してほしい").due.date,
        date(2020, 1, 20)
    );
    assert_eq!(
        item(&a, "来年度中に再配置の方針").due.date,
        date(2021, 3, 31)
    );
    assert_eq!(
        item(&a, "2月末までに委員に送付").due.date,
        date(2020, 2, 29)
    );
    let c = item(&a, "令和2年1月31日までに集計結果を送付します");
    assert_eq!(c.kind, ItemKind::Commitment);
    assert_eq!(c.owner.as_deref(), Some("企画部行政改革課"));
    assert_eq!(c.due.date, date(2020, 1, 31));
    no_item(&a, "対応済み");
    no_item(&a, "議事に入ります");
    insta::assert_json_snapshot!("reiwa_gannen_fiscal", a);
}

#[test]
fn directory_aliases_resolve_owners() {
    let dir = Directory::new([
        ("総務部デジタル推進課", vec!["事務局", "デジタル推進課"]),
        ("区民部", vec![]),
    ]);
    let path = format!(
        "{}/tests/fixtures/minutes/pagebreak-fullwidth.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    let a = analyse(&std::fs::read(path).expect("fixture"), &dir).expect("analyse");
    let n = item(&a, "事務局で次回までに論点を整理してください");
    assert_eq!(n.owner.as_deref(), Some("総務部デジタル推進課"));
}

#[test]
fn serializes_meeting_and_items_only() {
    let a = load("iinkai-named.txt");
    let v = serde_json::to_value(&a).expect("json");
    let keys: Vec<&str> = v
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, vec!["items", "meeting"]);
    assert_eq!(v["meeting"]["held_on"], "2022-12-15");
    assert!(v["items"][0]["due"]["kind"].is_string());
}

#[test]
fn shingikai_labels_on_their_own_line() {
    let a = load("shingikai-labels-own-line.txt");
    spans_ok(&a);
    let m = &a.meeting;
    assert_eq!(m.body.as_deref(), Some("はなみずき市環境審議会"));
    assert_eq!(m.held_on, date(2025, 1, 28));
    assert_eq!(m.starts_at.as_deref(), Some("14:00"));
    assert_eq!(m.ends_at.as_deref(), Some("16:00"));
    assert_eq!(
        m.secretariat.as_deref(),
        Some("環境部環境政策課"),
        "from the (事務局) attendee group"
    );
    assert_eq!(m.agenda, vec!["第３次環境基本計画（素案）について"]);

    let r = item(&a, "次回までに比較表を作成していただけないでしょうか");
    assert_eq!(r.speaker.as_deref(), Some("委員"));
    assert_eq!(r.due.kind, DueKind::NextMeeting);
    assert_eq!(r.owner.as_deref(), Some("環境部環境政策課"));
    let c = item(&a, "次回の審議会でお示しいたします");
    assert_eq!(c.kind, ItemKind::Commitment);
    let s = item(&a, "事務局で修正してください");
    assert_eq!(s.due.date, date(2025, 2, 28));
    assert_eq!(s.speaker.as_deref(), Some("会長"));
    no_item(&a, "資料の確認をお願いします");
    no_item(&a, "ご覧ください");
    no_item(&a, "ご意見をいただきたい");
    no_item(&a, "予定でしょうか");
    no_item(&a, "もし予算に余裕があれば");
    no_item(&a, "閉会いたします");
    insta::assert_json_snapshot!("shingikai_labels_own_line", a);
}

#[test]
fn youshi_with_trailing_speakers() {
    let a = load("youshi-trailing-speaker.txt");
    spans_ok(&a);
    let m = &a.meeting;
    assert_eq!(
        m.title.as_deref(),
        Some("○○市子ども・子育て会議（令和6年度第1回）")
    );
    assert_eq!(m.body.as_deref(), Some("○○市子ども・子育て会議"));
    assert_eq!(m.held_on, date(2024, 7, 3));
    assert_eq!(m.starts_at.as_deref(), Some("18:30"));
    assert_eq!(m.ends_at.as_deref(), Some("20:00"));
    assert_eq!(m.place.as_deref(), Some("市役所5階 501会議室"));
    assert_eq!(m.secretariat.as_deref(), Some("こども未来部こども政策課"));
    let r = item(&a, "地区別のデータを示してほしい");
    assert_eq!(r.speaker.as_deref(), Some("委員"));
    assert_eq!(r.kind, ItemKind::Request);
    let c = item(&a, "次回会議で地区別データをお示しする");
    assert_eq!(c.speaker.as_deref(), Some("事務局"));
    assert_eq!(c.due.kind, DueKind::NextMeeting);
    assert_eq!(
        item(&a, "8月中に協議の場を設けたい").due.date,
        date(2024, 8, 31)
    );
    no_item(&a, "すでに実施している");
    no_item(&a, "説明があった");
    insta::assert_json_snapshot!("youshi_trailing_speaker", a);
}

#[test]
fn council_committee_with_named_officials() {
    let a = load("council-committee.txt");
    spans_ok(&a);
    let m = &a.meeting;
    assert_eq!(m.body.as_deref(), Some("総務委員会"));
    assert_eq!(m.held_on, date(2023, 6, 20));
    assert_eq!(m.starts_at.as_deref(), Some("10:00"));
    assert_eq!(m.ends_at.as_deref(), Some("11:45"));
    let r = item(&a, "早急に改善していただきたい");
    assert_eq!(r.speaker.as_deref(), Some("鈴木議員"));
    assert_eq!(
        r.owner.as_deref(),
        Some("財産管理課"),
        "the official who answers with an undertaking"
    );
    assert_eq!(r.due.kind, DueKind::Asap);
    let c = item(&a, "今月中に案内表示を見直します");
    assert_eq!(c.owner.as_deref(), Some("財産管理課"));
    assert_eq!(c.due.date, date(2023, 6, 30));
    no_item(&a, "完了時期はいつでしょうか");
    no_item(&a, "完了を予定しております");
    no_item(&a, "開会いたします");
    insta::assert_json_snapshot!("council_committee", a);
}

#[test]
fn markdown_table_header_and_bold_labels() {
    let a = load("markdown-table.txt");
    spans_ok(&a);
    let m = &a.meeting;
    assert_eq!(
        m.title.as_deref(),
        Some("令和6年度 第1回 つばさ市DX推進本部")
    );
    assert_eq!(m.body.as_deref(), Some("つばさ市DX推進本部"));
    assert_eq!(m.held_on, date(2024, 5, 14));
    assert_eq!(m.starts_at.as_deref(), Some("09:30"));
    assert_eq!(m.ends_at.as_deref(), Some("10:30"));
    assert_eq!(m.place.as_deref(), Some("本庁舎3階 庁議室"));
    assert_eq!(m.secretariat.as_deref(), Some("総務部DX推進課"));
    let r = item(&a, "6月末までにDX推進計画の素案を作成してください");
    assert_eq!(r.speaker.as_deref(), Some("本部長"));
    assert_eq!(r.owner.as_deref(), Some("各部"));
    assert_eq!(r.due.date, date(2024, 6, 30));
    assert_eq!(a.items.len(), 1);
    insta::assert_json_snapshot!("markdown_table", a);
}

#[test]
fn chougi_form_feeds_and_bracket_labels() {
    let a = load("chougi-formfeed-brackets.txt");
    spans_ok(&a);
    let m = &a.meeting;
    assert_eq!(m.body.as_deref(), Some("みなと台区庁議"), "庁議 is a body");
    assert_eq!(m.held_on, date(2025, 11, 18));
    assert_eq!(m.secretariat.as_deref(), Some("政策経営部企画課"));
    let r = item(&a, "施設ごとに整理して、来月中に報告してください");
    assert_eq!(r.speaker.as_deref(), Some("区長"));
    assert_eq!(r.kind, ItemKind::Report);
    assert_eq!(r.owner.as_deref(), Some("区民部"));
    assert_eq!(r.due.date, date(2025, 12, 31));
    let s = item(&a, "セキュリティポリシーとの整合を確認しておいてください");
    assert_eq!(s.speaker.as_deref(), Some("副区長"));
    assert_eq!(s.owner.as_deref(), Some("情報政策課"), "surname stripped");
    let c = item(&a, "改めて点検いたします");
    assert_eq!(
        c.summary, "改めて点検する",
        "the concessive clause is dropped"
    );
    assert!(!c.evidence.contains('\u{c}') && !c.evidence.contains('－'));
    let e = item(&a, "工事のスケジュールを防災課にも共有してください");
    assert_eq!(
        e.owner.as_deref(),
        Some("教育委員会事務局"),
        "a department's 事務局 is not the secretariat"
    );
    let d = item(&a, "令和７年１２月２６日までに発注方法の比較");
    assert_eq!(d.due.date, date(2025, 12, 26));
    no_item(&a, "工事が完了しました");
    no_item(&a, "一括発注はできないのでしょうか");
    no_item(&a, "終わります");
    insta::assert_json_snapshot!("chougi_formfeed_brackets", a);
}

#[test]
fn kyoiku_iinkai_chaired_by_kyoikucho() {
    let a = load("kyoiku-iinkai-teireikai.txt");
    spans_ok(&a);
    let m = &a.meeting;
    assert_eq!(m.body.as_deref(), Some("あさひ市教育委員会"));
    assert_eq!(m.held_on, date(2025, 2, 13));
    assert_eq!(m.starts_at.as_deref(), Some("14:00"));
    assert_eq!(m.ends_at.as_deref(), Some("15:20"));
    let r = item(&a, "利用案内のチラシを作成していただきたい");
    assert_eq!(
        r.owner.as_deref(),
        Some("中央図書館"),
        "鈴木中央図書館長 accepted"
    );
    assert_eq!(r.due.date, date(2025, 3, 31));
    let c = item(&a, "各地区の公民館にも配布いたします");
    assert_eq!(c.speaker.as_deref(), Some("鈴木中央図書館長"));
    let k = item(&a, "他市の事例も調べていただけますか");
    assert_eq!(k.owner.as_deref(), Some("学校教育課"));
    assert_eq!(
        k.summary,
        "フリースクールとの連携について、他市の事例も調べる"
    );
    let t = item(&a, "来月中に案を作ってください");
    assert_eq!(t.speaker.as_deref(), Some("教育長"));
    assert_eq!(t.owner.as_deref(), Some("学校教育課"));
    assert_eq!(t.due.date, date(2025, 3, 31));
    no_item(&a, "原案のとおり決定いたします");
    no_item(&a, "昨年度から拡充しています");
    no_item(&a, "そのままご利用いただけます");
    insta::assert_json_snapshot!("kyoiku_iinkai_teireikai", a);
}

#[test]
fn bousai_parenthesised_and_trailing_names() {
    let a = load("bousai-paren-labels.txt");
    spans_ok(&a);
    let m = &a.meeting;
    assert_eq!(m.body.as_deref(), Some("ふじみ区防災会議"));
    assert_eq!(m.secretariat.as_deref(), Some("危機管理部防災危機管理課"));
    let r = item(&a, "次回の本部会議までに示してほしい");
    assert_eq!(r.speaker.as_deref(), Some("議長(山田区長)"));
    assert_eq!(r.due.kind, DueKind::NextMeeting);
    assert_eq!(r.owner.as_deref(), Some("危機管理部防災危機管理課"));
    let c = item(&a, "次回の本部会議までに補充計画をお示しします");
    assert_eq!(c.speaker.as_deref(), Some("田中課長(防災危機管理課)"));
    assert_eq!(c.summary, "次回の本部会議までに補充計画を示す");
    let w = item(&a, "年内に取得状況を取りまとめ");
    assert_eq!(w.speaker.as_deref(), Some("福祉部長(高木)"));
    assert!(
        !w.evidence.starts_with("高木"),
        "the name is part of the label"
    );
    assert_eq!(w.owner.as_deref(), Some("福祉部"));
    let f = item(&a, "業者と協議してください");
    assert_eq!(f.owner.as_deref(), Some("総務部"));
    assert_eq!(f.due.date, date(2024, 10, 31));
    assert_eq!(f.summary, "燃料の追加確保について業者と協議する");
    assert_eq!(
        item(&a, "事務局で最終案を作成すること").summary,
        "修正案は本日の意見を反映のうえ、事務局で最終案を作成する"
    );
    no_item(&a, "完了しています");
    no_item(&a, "共有してもらえるのでしょうか");
    insta::assert_json_snapshot!("bousai_paren_labels", a);
}

#[test]
fn kosodate_bracketed_secretariat_and_member_titles() {
    let a = load("kosodate-bracket-secretariat.txt");
    spans_ok(&a);
    let m = &a.meeting;
    assert_eq!(m.body.as_deref(), Some("さくら川市子ども・子育て会議"));
    assert_eq!(m.secretariat.as_deref(), Some("子ども家庭部子ども政策課"));
    let r = item(&a, "属性別の集計をお示しいただけますでしょうか");
    assert_eq!(r.kind, ItemKind::Request);
    assert_eq!(r.due.kind, DueKind::NextMeeting);
    let p = item(&a, "教育委員会と協議していただきたい");
    assert_eq!(p.speaker.as_deref(), Some("PTA連合会長"));
    assert_eq!(p.owner.as_deref(), Some("子ども家庭部子ども政策課"));
    let c = item(&a, "意見を募る機会を設けてください");
    assert_eq!(c.speaker.as_deref(), Some("委員長"));
    assert_eq!(c.due.date, date(2025, 11, 30));
    no_item(&a, "会議を終了いたします");
    no_item(&a, "ありがとうございます");
    no_item(&a, "予定しています");
    insta::assert_json_snapshot!("kosodate_bracket_secretariat", a);
}

#[test]
fn city_headquarters_with_plain_form_directives() {
    let a = load("shi-honbu-directives.txt");
    spans_ok(&a);
    assert_eq!(a.meeting.body.as_deref(), Some("練馬市デジタル推進本部"));
    assert_eq!(a.meeting.held_on, date(2024, 10, 21));
    let survey = item(&a, "利用率の低い手続を洗い出して");
    assert_eq!(survey.speaker.as_deref(), Some("市長"));
    assert_eq!(survey.owner.as_deref(), Some("市民部"));
    assert_eq!(survey.due.kind, DueKind::NextMeeting);
    let policy = item(&a, "方針をまとめること");
    assert_eq!(policy.kind, ItemKind::Request);
    assert_eq!(policy.due.date, date(2024, 12, 31));
    assert_eq!(
        policy.summary,
        "教育委員会とデジタル推進課で調整して、12月末までに方針をまとめる"
    );
    no_item(&a, "１２０手続がオンライン化されております");
    no_item(&a, "会議を終了します");
    insta::assert_json_snapshot!("shi_honbu_directives", a);
}

#[test]
fn summary_bullets_with_two_requests_in_one_turn() {
    let a = load("youshi-bullets-two-requests.txt");
    spans_ok(&a);
    assert_eq!(a.meeting.held_on, date(2019, 4, 22));
    assert_eq!(a.meeting.secretariat.as_deref(), Some("総務課情報推進室"));
    let report = item(&a, "訓練結果は次回委員会で報告");
    assert_eq!(report.due.kind, DueKind::NextMeeting);
    assert_eq!(report.summary, "訓練結果は次回委員会で報告する");
    let schools = item(&a, "学校向けに同様の訓練を検討");
    assert!(
        !schools.evidence.contains("訓練結果"),
        "「また、」 starts a separate request: {schools:?}"
    );
    assert_eq!(schools.owner.as_deref(), Some("教育委員会事務局"));
    let ledger = item(&a, "６月末までに");
    assert_eq!(ledger.due.date, date(2019, 6, 30));
    assert_eq!(
        ledger.owner.as_deref(),
        Some("税務課"),
        "税務課長 accepts in the next bullet (「了解した。」)"
    );
    no_item(&a, "既に対応済みである");
    no_item(&a, "実施する予定である");
    insta::assert_json_snapshot!("youshi_bullets_two_requests", a);
}
