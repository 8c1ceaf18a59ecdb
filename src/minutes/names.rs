//! Personal names in speaker labels and titles. Minutes write the same speaker
//! as 「田中情報政策課長」「情報政策課長（田中）」「田中課長（情報政策課）」 or
//! 「総務部長 佐藤」; only the department owns work, so the name has to go
//! without eating department names such as 子ども家庭部 or 中央図書館.

/// Common surnames: a label that starts with one of these starts with a name.
const SURNAMES: &[&str] = &[
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "伊藤",
    "渡辺",
    "渡邊",
    "山本",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山田",
    "佐々木",
    "山口",
    "松本",
    "井上",
    "木村",
    "斎藤",
    "斉藤",
    "齋藤",
    "清水",
    "山崎",
    "池田",
    "橋本",
    "阿部",
    "石川",
    "山下",
    "中島",
    "石井",
    "小川",
    "前田",
    "岡田",
    "長谷川",
    "藤田",
    "後藤",
    "近藤",
    "村上",
    "遠藤",
    "青木",
    "坂本",
    "福田",
    "太田",
    "西村",
    "藤井",
    "金子",
    "岡本",
    "藤原",
    "中野",
    "三浦",
    "原田",
    "中川",
    "松田",
    "竹内",
    "小野",
    "田村",
    "中山",
    "和田",
    "石田",
    "森田",
    "上田",
    "内田",
    "柴田",
    "酒井",
    "宮崎",
    "横山",
    "高木",
    "安藤",
    "宮本",
    "大野",
    "小島",
    "谷口",
    "今井",
    "工藤",
    "高田",
    "増田",
    "丸山",
    "杉山",
    "村田",
    "大塚",
    "新井",
    "小山",
    "平野",
    "藤本",
    "河野",
    "上野",
    "野口",
    "武田",
    "松井",
    "千葉",
    "岩崎",
    "菅原",
    "木下",
    "久保",
    "佐野",
    "野村",
    "松尾",
    "菊地",
    "杉本",
    "市川",
    "古川",
    "大西",
    "島田",
    "水野",
    "桜井",
    "高野",
    "渡部",
    "吉川",
    "山内",
    "西田",
    "飯田",
    "菊池",
    "西川",
    "小松",
    "北村",
    "安田",
    "五十嵐",
    "川口",
    "平田",
    "中田",
    "久保田",
    "服部",
    "川崎",
    "岩田",
    "土屋",
    "福島",
    "本田",
    "樋口",
    "秋山",
    "田口",
    "永井",
    "山中",
    "中西",
    "吉村",
    "川上",
    "石原",
    "大橋",
    "松岡",
    "馬場",
    "浜田",
    "森本",
    "星野",
    "矢野",
    "浅野",
    "大久保",
    "松下",
    "小池",
    "野田",
    "荒木",
    "大谷",
    "内藤",
    "松浦",
    "熊谷",
    "黒田",
    "尾崎",
    "永田",
    "川村",
    "望月",
    "田辺",
    "松村",
    "荒井",
    "大島",
    "平井",
    "早川",
    "菅野",
    "栗原",
    "横田",
    "石橋",
    "萩原",
    "岩本",
    "片山",
    "関口",
    "宮田",
    "大石",
    "高山",
    "本間",
    "吉岡",
    "須藤",
    "岡崎",
    "小西",
    "伊東",
    "鎌田",
    "上原",
    "篠原",
    "小澤",
    "小沢",
    "福井",
    "古賀",
    "大森",
    "成田",
    "奥村",
    "内山",
    "沼田",
    "金井",
    "平山",
    "杉浦",
    "町田",
    "堀内",
    "林",
    "森",
    "原",
    "関",
    "東",
    "辻",
    "堀",
    "南",
    "西",
    "北",
    "島",
    "岡",
    "宮",
    "服部",
];

/// Words that open department names (and so never belong to a name before them).
const DEPT_STEMS: &[&str] = &[
    "情報",
    "教育",
    "総務",
    "区民",
    "市民",
    "町民",
    "村民",
    "住民",
    "県民",
    "都民",
    "子ども",
    "こども",
    "子育て",
    "児童",
    "保育",
    "青少年",
    "防災",
    "危機",
    "中央",
    "企画",
    "政策",
    "経営",
    "財政",
    "財務",
    "財産",
    "税務",
    "課税",
    "納税",
    "会計",
    "契約",
    "管財",
    "人事",
    "職員",
    "秘書",
    "広報",
    "広聴",
    "議会",
    "選挙",
    "監査",
    "福祉",
    "保健",
    "健康",
    "衛生",
    "医療",
    "介護",
    "障害",
    "障がい",
    "高齢",
    "生活",
    "地域",
    "協働",
    "環境",
    "清掃",
    "資源",
    "都市",
    "建設",
    "建築",
    "土木",
    "道路",
    "公園",
    "緑",
    "下水道",
    "上下水道",
    "水道",
    "住宅",
    "交通",
    "文化",
    "観光",
    "産業",
    "経済",
    "商工",
    "農林",
    "農業",
    "農政",
    "学校",
    "生涯",
    "図書",
    "スポーツ",
    "国際",
    "男女",
    "デジタル",
    "DX",
    "ICT",
    "IT",
    "行政",
    "庶務",
    "戸籍",
    "国保",
    "国民",
    "年金",
    "消防",
    "病院",
    "用地",
    "営繕",
    "施設",
    "資産",
    "市街地",
    "まちづくり",
    "再開発",
    "学務",
    "指導",
    "教職員",
    "社会",
    "人権",
    "平和",
    "広域",
    "特命",
    "政策経営",
    "危機管理",
];

/// Units that, with a place before them, are a department on their own
/// (上野図書館, 大森出張所): the place is not a name.
const FACILITIES: &[&str] = &[
    "図書館",
    "出張所",
    "支所",
    "事務所",
    "保健所",
    "保健センター",
    "区民センター",
    "市民センター",
    "地域センター",
    "地区センター",
    "公民館",
    "児童館",
    "分館",
    "分室",
    "センター",
    "病院",
    "消防署",
    "警察署",
    "保育園",
    "幼稚園",
    "小学校",
    "中学校",
    "学校",
];

/// Characters that end a department or an organisation and never a surname.
const UNIT_CHARS: &[char] = &[
    '部', '課', '室', '局', '所', '館', '係', '署', '園', '校', '院', '県', '市', '区', '町', '村',
    '都', '府', '会', '協', '団', '組', '連', '社',
];
/// Words that make a prefix an organisation or a place rather than a name
/// (自治会長, 地区長, PTA会長).
const ORG_WORDS: &[&str] = &[
    "自治",
    "町内",
    "地区",
    "地域",
    "商店",
    "連合",
    "組合",
    "PTA",
    "医師",
    "老人",
    "婦人",
    "青年",
    "保護者",
    "父母",
    "クラブ",
    "センター",
    "地",
    "東部",
    "西部",
    "南部",
    "北部",
];

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '々' | '〆' | 'ヶ')
}

/// Whether `p` reads as a personal name (the prefix of 「山田区長」「田中情報政策課長」).
pub(crate) fn is_name(p: &str) -> bool {
    if SURNAMES.contains(&p) {
        return true;
    }
    let n = p.chars().count();
    (1..=4).contains(&n)
        && p.chars().all(is_han)
        && !p.contains(UNIT_CHARS)
        && !ORG_WORDS.iter().any(|w| p.contains(w))
        && !DEPT_STEMS.iter().any(|s| p.starts_with(s))
}

/// Whether `s` starts with a word that opens department names.
fn starts_with_stem(s: &str) -> bool {
    DEPT_STEMS.iter().any(|st| s.starts_with(st))
}

/// A department mention (「田中情報政策課」) without a leading personal name.
/// `None` when only a bare unit is left (「田中課」 from 「田中課長」).
pub(crate) fn department(d: &str) -> Option<&str> {
    let rest = strip_name(d);
    let bare = rest.chars().count() == 1 && rest.chars().all(|c| UNIT_CHARS.contains(&c));
    (!bare).then_some(rest)
}

fn strip_name(d: &str) -> &str {
    if starts_with_stem(d) {
        return d;
    }
    // a known surname: longest first, so 佐々木 wins over 佐
    let mut best: Option<&str> = None;
    for s in SURNAMES {
        if d.starts_with(s) && best.is_none_or(|b| s.len() > b.len()) {
            best = Some(s);
        }
    }
    if let Some(s) = best
        && let Some(rest) = d.get(s.len()..)
        && keeps_department(rest)
        && (s.chars().count() >= 2 || starts_with_stem(rest) || rest.chars().count() == 1)
    {
        return rest;
    }
    // an unknown name before a department word: 眞鍋情報政策課
    for (b, _) in d.char_indices().skip(1).take(4) {
        let (p, rest) = d.split_at(b);
        if starts_with_stem(rest) && is_name(p) && keeps_department(rest) {
            return rest;
        }
    }
    d
}

/// Whether `rest` is still a department after a prefix is taken off: not a
/// place-named facility's bare unit (上野|図書館) and not a place (千葉|県…).
fn keeps_department(rest: &str) -> bool {
    let Some(first) = rest.chars().next() else {
        return false;
    };
    if FACILITIES.contains(&rest) {
        return false;
    }
    // 「課」 alone is handled by the caller; 「県庁…」「市立…」 are places
    rest.chars().count() == 1 || !UNIT_CHARS.contains(&first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_names_only() {
        for (label, want) in [
            ("田中情報政策課", Some("情報政策課")),
            ("山田教育委員会事務局", Some("教育委員会事務局")),
            ("鈴木中央図書館", Some("中央図書館")),
            ("佐々木防災危機管理課", Some("防災危機管理課")),
            ("眞鍋総務部", Some("総務部")),
            ("林高齢福祉課", Some("高齢福祉課")),
            ("田中課", None),
            ("子ども家庭部", Some("子ども家庭部")),
            ("区民部", Some("区民部")),
            ("中央図書館", Some("中央図書館")),
            ("防災危機管理課", Some("防災危機管理課")),
            ("上野図書館", Some("上野図書館")),
            ("大森出張所", Some("大森出張所")),
            ("池袋保健所", Some("池袋保健所")),
            ("東部保健センター", Some("東部保健センター")),
            ("原子力安全課", Some("原子力安全課")),
            ("障害福祉課", Some("障害福祉課")),
            ("文化デザイン課", Some("文化デザイン課")),
            ("都市整備部", Some("都市整備部")),
            ("財産管理課", Some("財産管理課")),
            ("消防署", Some("消防署")),
            ("学校教育課", Some("学校教育課")),
        ] {
            assert_eq!(department(label), want, "{label}");
        }
    }

    #[test]
    fn names() {
        assert!(is_name("山田"));
        assert!(is_name("眞鍋"));
        assert!(!is_name("自治"));
        assert!(!is_name("町"));
        assert!(!is_name("町会連合"));
        assert!(!is_name("PTA連合"));
        assert!(!is_name("地"));
        assert!(!is_name("教育"));
        assert!(!is_name("選挙管理委員会委"));
    }
}
