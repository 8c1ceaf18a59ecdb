//! Splits the cleaned text into header rows and speaker turns / bullets.

use super::clean::{Clean, key};
use super::header::{self, Field, HeaderBuilder};
use super::re::Re;
use super::{Minutes, Turn};
use std::sync::LazyLock;

/// A speaker label: a role word, optionally preceded by a name or department
/// (田中情報政策課長, A委員, 事務局(田中)).
static ROLE: LazyLock<Re> = LazyLock::new(|| {
    Re::new(concat!(
        r"^[^\s\p{Hiragana}、。,，「」『』\[\]【】〔〕<>:;!?！？()（）・]{0,20}?",
        r"(?:本部長|部員|本部員|事務局|委員長|委員|会長|議長|座長|部会長|司会|司会者|区長|市長|町長|村長|知事|",
        r"教育長|局長|部長|課長|室長|所長|館長|園長|校長|署長|センター長|係長|次長|参事|理事長|理事|主幹|主査|主任|議員|参与|顧問|幹事|説明員|管理者|",
        r"発言者|構成員|オブザーバー|アドバイザー|コーディネーター|ファシリテーター|事務局員|職員|担当|",
        r"監|官|君|氏|さん|様|先生)",
        r"[A-Z0-9]{0,2}(?:[(（][^)）]{1,12}[)）])?$"
    ))
});

/// Roles accepted as a label separated from the speech by a space only.
static STRICT_ROLE: LazyLock<Re> = LazyLock::new(|| {
    Re::new(concat!(
        r"^[^\s\p{Hiragana}、。,，「」『』\[\]【】〔〕<>:;!?()（）・]{0,10}?",
        r"(?:本部長|部員|事務局|委員長|委員|会長|議長|座長|部会長|区長|市長|町長|村長|知事|教育長|部長|課長|室長|局長|所長|館長|署長|次長|君|氏)",
        r"[A-Z0-9]{0,2}$"
    ))
});

/// Bullet and enumeration markers that start an unlabelled unit.
static BULLET: LazyLock<Re> = LazyLock::new(|| {
    Re::new(
        r"^\s*(?:[・･○◯◎●◆◇■□→⇒➡※]|[-*]\s|\d{1,2}[.)、]|\(\d{1,2}\)|[①-⑳]|[ア-ン][.)]|[一二三四五六七八九十]{1,2}、)\s*",
    )
});

/// "委員から、…" / "事務局より…" at the start of a bullet: the speaker.
static FROM_SPEAKER: LazyLock<Re> = LazyLock::new(|| {
    Re::new(r"^[(（]?([^\s\p{Hiragana}、。,()（）]{1,15}?)[)）]?(?:から|より)[、,]?")
});

static INLINE_LABEL: LazyLock<Re> =
    LazyLock::new(|| Re::new(r"[。\]〕」]\s*([^\s。、:\[\]〔〕「」]{1,12}):"));

const MARKERS: &[char] = &['○', '◯', '◎', '●', '◆', '◇', '■', '□'];

fn closing(c: char) -> Option<char> {
    Some(match c {
        '【' => '】',
        '「' => '」',
        '(' => ')',
        '（' => '）',
        '〔' => '〕',
        '[' => ']',
        '<' => '>',
        '《' => '》',
        _ => return None,
    })
}

pub(crate) fn is_role(k: &str) -> bool {
    ROLE.is_match(k)
}

/// 「総務部長 佐藤」: a title, a space, a personal name. The label becomes
/// 「総務部長(佐藤)」 so that the name is read like 「総務部長（佐藤）」.
fn titled_with_name(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let sp = raw.find(char::is_whitespace)?;
    let (title, name) = (key(&raw[..sp]), key(&raw[sp..]));
    let name_like = (1..=6).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_alphabetic() && !('ぁ'..='ゖ').contains(&c))
        && !is_role(&name);
    (STRICT_ROLE.is_match(&title) && name_like).then(|| format!("{title}({name})"))
}

fn skip_sep(s: &str, mut off: usize) -> usize {
    while let Some(c) = s[off..].chars().next() {
        if c.is_whitespace() || c == ':' {
            off += c.len_utf8();
        } else {
            break;
        }
    }
    off
}

/// A speaker label at the start of a (cleaned) line: the label (spacing
/// removed) and the byte offset where the speech starts.
pub(crate) fn speaker_label(line: &str) -> Option<(String, usize)> {
    let lead = line.len() - line.trim_start().len();
    let t = &line[lead..];
    let first = t.chars().next()?;
    if let Some(close) = closing(first) {
        let inner_start = first.len_utf8();
        let rel = t[inner_start..].find(close)?;
        let inner = &t[inner_start..inner_start + rel];
        let k = key(inner);
        let after = inner_start + rel + close.len_utf8();
        let rest_empty = t[after..].trim().is_empty();
        if (1..=20).contains(&k.chars().count()) && is_role(&k) && !(first == '「' && rest_empty) {
            return Some((k, lead + skip_sep(t, after)));
        }
        if first != '「'
            && let Some(k) = titled_with_name(inner)
        {
            return Some((k, lead + skip_sep(t, after)));
        }
        return None;
    }
    if MARKERS.contains(&first) {
        let rest = &t[first.len_utf8()..];
        if rest.starts_with(char::is_whitespace) {
            return None;
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || c == ':')
            .unwrap_or(rest.len());
        let k = key(&rest[..end]);
        if (1..=20).contains(&k.chars().count()) && is_role(&k) {
            return Some((k, lead + skip_sep(t, first.len_utf8() + end)));
        }
        return None;
    }
    if let Some(ci) = t.find(':') {
        let prefix = &t[..ci];
        if prefix.chars().count() <= 24 {
            let p = prefix.trim_start_matches(['・', '-', '*', '→', ' ']);
            // markdown emphasis: **本部長**：
            let k: String = key(p).chars().filter(|c| *c != '*').collect();
            if (1..=20).contains(&k.chars().count()) && is_role(&k) {
                return Some((k, lead + skip_sep(t, ci + 1)));
            }
            if let Some(k) = titled_with_name(p) {
                return Some((k, lead + skip_sep(t, ci + 1)));
            }
        }
    }
    if let Some(sp) = t.find(char::is_whitespace) {
        let k = &t[..sp];
        if k.chars().count() <= 12 && STRICT_ROLE.is_match(k) && !t[sp..].trim().is_empty() {
            return Some((k.to_string(), lead + skip_sep(t, sp)));
        }
    }
    // a label alone on its line, the speech on the next lines
    let k = t.trim_end();
    if k.chars().count() <= 12 && STRICT_ROLE.is_match(k) {
        return Some((k.to_string(), lead + t.len()));
    }
    None
}

/// Several turns run together on one line (PDF extraction):
/// 「…ありますか。 部員：この内容で結構です。」 → split before each label that
/// follows a sentence end.
fn segments(line: &str) -> Vec<(usize, usize)> {
    let mut cuts = vec![0];
    for c in INLINE_LABEL.captures_iter(line) {
        if let Some(g) = c.get(1)
            && is_role(&key(g.as_str()))
        {
            cuts.push(g.start());
        }
    }
    cuts.push(line.len());
    cuts.windows(2)
        .map(|w| (w[0], w[1]))
        .filter(|(a, b)| a < b)
        .collect()
}

/// Stage directions and result marks: 〔事務局：資料1を説明〕, ―了承―.
fn is_structural(line: &str) -> bool {
    let t = line.trim();
    let (Some(f), Some(l)) = (t.chars().next(), t.chars().next_back()) else {
        return false;
    };
    if let Some(c) = closing(f)
        && c == l
        && f != '「'
    {
        return true;
    }
    let dash = |c: char| matches!(c, '-' | '—' | '―' | 'ー' | '─' | '−' | '‐');
    dash(f) && dash(l) && t.chars().count() >= 3
}

struct Open {
    start: usize,
    body: usize,
    end: usize,
    speaker: Option<String>,
    bullet: bool,
}

fn finish(open: Option<Open>, clean: &Clean, turns: &mut Vec<Turn>) {
    let Some(mut o) = open else { return };
    let body_text = clean.text.get(o.body..o.end).unwrap_or("");
    if body_text.trim().is_empty() {
        return;
    }
    if o.speaker.is_none()
        && o.bullet
        && let Some(k) = TRAILING_SPEAKER
            .captures(body_text)
            .and_then(|c| c.get(1))
            .map(|g| key(g.as_str()))
            .filter(|k| is_role(k))
    {
        o.speaker = Some(k);
    }
    let [s, _] = clean.span(o.start..o.end);
    let [_, e] = clean.span(o.body..o.end);
    turns.push(Turn {
        speaker: o.speaker,
        span: [s, e.max(s)],
        bullet: o.bullet,
        body: o.body..o.end,
    });
}

/// 「…を示してほしい。（委員）」: the speaker named after the bullet.
static TRAILING_SPEAKER: LazyLock<Re> =
    LazyLock::new(|| Re::new(r"[(（]([^()（）\s]{1,12})[)）]\s*$"));

pub(crate) fn parse(text: &str) -> Minutes {
    let clean = Clean::new(text);
    let ct = clean.text.as_str();
    let mut hb = HeaderBuilder::default();
    let mut turns = Vec::new();
    let mut in_header = true;
    let mut cont: Option<Field> = None;
    let mut open: Option<Open> = None;
    let mut ls = 0usize;
    let mut pieces: Vec<(usize, &str)> = Vec::new();
    for line in ct.split('\n') {
        let line_start = ls;
        ls += line.len() + 1;
        if line.contains(':') && line.chars().count() > 20 {
            for (a, b) in segments(line) {
                pieces.push((line_start + a, &line[a..b]));
            }
        } else {
            pieces.push((line_start, line));
        }
    }
    for (start, line) in pieces {
        let end = start + line.len();
        if line.trim().is_empty() {
            if !line.starts_with('\t') {
                cont = None;
            }
            continue;
        }
        if in_header {
            let orig = |off: usize| clean.original(text, start + off..end);
            // markdown table rows 「| 開催日時 | 令和2年… |」 read like tab rows
            // (same byte lengths, so offsets still hold)
            let table_row;
            let line = if line.trim_start().starts_with('|') {
                let lead = line.len() - line.trim_start().len();
                table_row = format!("{} {}", &line[..lead], line[lead + 1..].replace('|', "\t"));
                table_row.as_str()
            } else {
                line
            };
            if line.starts_with('\t')
                && let Some(f) = cont
            {
                hb.add(f, &orig(0));
                continue;
            }
            if let Some((f, off)) = header::match_label(line) {
                if f == Field::BodyStart {
                    in_header = false;
                    cont = None;
                    finish(open.take(), &clean, &mut turns);
                    continue;
                }
                if hb.add(f, &orig(off)) {
                    cont = Some(f);
                    continue;
                }
            }
            let label = speaker_label(line);
            if let Some(f) = cont
                && matches!(f, Field::Agenda | Field::Attendees)
                && (label.is_none() || f == Field::Attendees)
                && !is_structural(line)
                && !line.contains('。')
                && line.chars().count() <= 120
            {
                hb.add(f, &orig(0));
                continue;
            }
            cont = None;
            if label.is_some() {
                in_header = false;
            } else if !hb.has_title()
                && turns.is_empty()
                && open.is_none()
                && let Some(t) = header::looks_like_title(line)
            {
                let lead = line.find(t.as_str()).unwrap_or(0);
                hb.set_title(&clean.original(text, start + lead..start + lead + t.len()));
                continue;
            }
        }
        if let Some((label, off)) = speaker_label(line) {
            finish(open.take(), &clean, &mut turns);
            let lead = line.len() - line.trim_start().len();
            open = Some(Open {
                start: start + lead,
                body: start + off,
                end,
                speaker: Some(label),
                bullet: false,
            });
        } else if is_structural(line) {
            finish(open.take(), &clean, &mut turns);
        } else if let Some(m) = BULLET.find(line) {
            finish(open.take(), &clean, &mut turns);
            let rest = &line[m.end()..];
            let lead = line.len() - line.trim_start().len();
            let (speaker, body) = match speaker_label(rest) {
                Some((l, o)) => (Some(l), m.end() + o),
                None => {
                    let sp = FROM_SPEAKER
                        .captures(rest)
                        .and_then(|c| c.get(1))
                        .map(|g| key(g.as_str()))
                        .filter(|k| is_role(k));
                    (sp, m.end())
                }
            };
            open = Some(Open {
                start: start + lead,
                body: start + body,
                end,
                speaker,
                bullet: true,
            });
        } else if let Some(o) = open.as_mut() {
            o.end = end;
        } else {
            let lead = line.len() - line.trim_start().len();
            open = Some(Open {
                start: start + lead,
                body: start + lead,
                end,
                speaker: None,
                bullet: true,
            });
        }
    }
    finish(open.take(), &clean, &mut turns);
    let meeting = hb.finish(ct);
    let next_meeting = super::due::find_next_meeting(ct, meeting.held_on);
    Minutes {
        text: text.to_string(),
        meeting,
        turns,
        clean,
        next_meeting,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(
            speaker_label("本 部 長: はい").map(|x| x.0).as_deref(),
            Some("本部長")
        );
        assert_eq!(
            speaker_label("○田中情報政策課長 ご説明します")
                .map(|x| x.0)
                .as_deref(),
            Some("田中情報政策課長")
        );
        assert_eq!(
            speaker_label("◎会長 開会します").map(|x| x.0).as_deref(),
            Some("会長")
        );
        assert_eq!(
            speaker_label("【市長】よろしく").map(|x| x.0).as_deref(),
            Some("市長")
        );
        assert_eq!(
            speaker_label("「山田委員」質問です")
                .map(|x| x.0)
                .as_deref(),
            Some("山田委員")
        );
        assert_eq!(
            speaker_label("福祉部長 高木:年内に")
                .map(|x| x.0)
                .as_deref(),
            Some("福祉部長(高木)")
        );
        assert_eq!(
            speaker_label("【総務部長 佐藤】はい")
                .map(|x| x.0)
                .as_deref(),
            Some("総務部長(佐藤)")
        );
        assert_eq!(
            speaker_label("○鈴木中央図書館長 はい")
                .map(|x| x.0)
                .as_deref(),
            Some("鈴木中央図書館長")
        );
        assert_eq!(
            speaker_label("議長(山田区長):はい").map(|x| x.0).as_deref(),
            Some("議長(山田区長)")
        );
        assert_eq!(
            speaker_label("区民部長 ご説明します:資料")
                .map(|x| x.0)
                .as_deref(),
            Some("区民部長")
        );
        assert_eq!(speaker_label("○ 委員から意見があった"), None);
        assert_eq!(speaker_label("〔事務局:資料を説明〕"), None);
        assert_eq!(speaker_label("今後は:検討"), None);
        assert_eq!(
            speaker_label("事務局").map(|x| x.0).as_deref(),
            Some("事務局")
        );
        assert_eq!(
            speaker_label("(委員)資料を").map(|x| x.0).as_deref(),
            Some("委員")
        );
    }

    #[test]
    fn inline_turns() {
        let line = "[10時 開会] 本部長: 開会します。 部員: 結構です。";
        let segs: Vec<&str> = segments(line)
            .into_iter()
            .map(|(a, b)| &line[a..b])
            .collect();
        assert_eq!(
            segs,
            vec!["[10時 開会] ", "本部長: 開会します。 ", "部員: 結構です。"]
        );
    }
}
