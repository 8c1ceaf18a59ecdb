//! Turns → candidates: score sentences with the cue tables, merge neighbouring
//! action sentences of one turn, resolve due and owner, summarise.

use super::cues::{self, Hit};
use super::due::resolve_due;
use super::owner::{self, Context, Role};
use super::re::Re;
use super::sentences;
use super::summary::summarize;
use super::{Candidate, Directory, Due, DueKind, ItemKind, Minutes};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

/// Minimum weight of a sentence to become a candidate.
const THRESHOLD: f32 = 0.5;
/// A chair's own intentions (「…していきたいと思っています」) are aspirations of
/// the body unless they come with a due.
const CHAIR_COMMITMENT_SCALE: f32 = 0.4;
/// Merged evidence stays below this many chars (the scorer's limit is 400).
const MAX_EVIDENCE: usize = 300;
const HARD_MAX_EVIDENCE: usize = 390;

/// Undertakings that are, by their nature, brought back to the next meeting.
static IMPLIED_NEXT_MEETING: LazyLock<Re> = LazyLock::new(|| {
    Re::new(
        r"案を(?:出|提出|お示し|提示)|(?:本部|委員会|会議|審議会|協議会|部会)(?:に|へ|で)(?:ご|改めて)?(?:報告|提出|諮|お諮り|お示し|提示)|改めて(?:ご)?(?:報告|提案|お示し)",
    )
});

/// What is known about each turn, by turn index.
#[derive(Clone, Copy)]
struct TurnInfo<'a> {
    roles: &'a [Role],
    depts: &'a [Option<String>],
    addressees: &'a [Option<String>],
    /// the turn undertakes something
    commits: &'a [bool],
}

struct Scored {
    range: Range<usize>,
    hit: Hit,
    index: usize,
}

pub(crate) fn extract(minutes: &Minutes, directory: &Directory) -> Vec<Candidate> {
    let ct = minutes.clean.text.as_str();
    let turns = &minutes.turns;
    let speakers = || turns.iter().filter_map(|t| t.speaker.as_deref());
    let has_sec = speakers().any(owner::is_secretariat_label);
    let no_chair = !speakers().any(owner::is_primary_chair);
    let ctx = Context::new(&minutes.meeting, directory, has_sec).with_fallback_chair(no_chair);
    let held = minutes.meeting.held_on;

    // roles, speaker departments and the chair's addressee per turn
    // roles, memoised per distinct label
    let mut role_of: HashMap<Option<&str>, Role> = HashMap::new();
    let roles: Vec<Role> = turns
        .iter()
        .map(|t| {
            let sp = t.speaker.as_deref();
            *role_of.entry(sp).or_insert_with(|| ctx.role(sp))
        })
        .collect();
    let mut depts: Vec<Option<String>> = Vec::with_capacity(turns.len());
    let mut addressees: Vec<Option<String>> = Vec::with_capacity(turns.len());
    let mut addressee: Option<String> = None;
    for (i, t) in turns.iter().enumerate() {
        let body = ct.get(t.body.clone()).unwrap_or("");
        let dept = match roles[i] {
            Role::Chair => {
                let keep = i > 0
                    && roles[i - 1] == Role::Member
                    && depts[i - 1].is_some()
                    && depts[i - 1] == addressee;
                let named = ctx.addressed(body);
                if named.is_some() {
                    addressee = named;
                } else if !keep {
                    addressee = None;
                }
                None
            }
            Role::Secretariat => {
                addressee = None;
                ctx.secretariat.clone()
            }
            Role::Member => ctx.self_mention(body).or_else(|| addressee.clone()),
            Role::Titled => ctx.speaker_department(t.speaker.as_deref()),
            Role::Unknown => None,
        };
        depts.push(dept);
        addressees.push(addressee.clone());
    }

    // pass 1: score every sentence of every turn
    let mut scored_turns: Vec<Vec<Scored>> = Vec::with_capacity(turns.len());
    for (i, t) in turns.iter().enumerate() {
        let sents = sentences::split(ct, t.body.clone());
        let mut scored: Vec<Scored> = Vec::new();
        for (si, r) in sents.iter().enumerate() {
            let s = &ct[r.clone()];
            if !cues::any_cue(s) {
                continue;
            }
            let due = resolve_due(s, held);
            let Some(mut hit) = cues::score(s, due.kind != DueKind::None) else {
                continue;
            };
            if roles[i] == Role::Chair
                && hit.kind == ItemKind::Commitment
                && !matches!(due.kind, DueKind::Date | DueKind::NextMeeting)
            {
                hit.weight *= CHAIR_COMMITMENT_SCALE;
            }
            if hit.weight >= THRESHOLD {
                scored.push(Scored {
                    range: r.clone(),
                    hit,
                    index: si,
                });
            }
        }
        scored_turns.push(scored);
    }
    let commits: Vec<bool> = scored_turns
        .iter()
        .map(|v| v.iter().any(|s| s.hit.kind == ItemKind::Commitment))
        .collect();

    let info = TurnInfo {
        roles: &roles,
        depts: &depts,
        addressees: &addressees,
        commits: &commits,
    };

    // pass 2: merge neighbouring action sentences of a turn into candidates
    let mut out = Vec::new();
    let mut last_request: Option<(usize, Due)> = None;
    for (i, scored) in scored_turns.into_iter().enumerate() {
        // merge neighbours (at most one sentence between) while short enough
        let mut groups: Vec<Vec<Scored>> = Vec::new();
        for s in scored {
            if let Some(g) = groups.last_mut()
                && let (Some(first), Some(last)) = (g.first(), g.last())
                && s.index <= last.index + 2
                && ct[first.range.start..s.range.end].chars().count() <= MAX_EVIDENCE
                && !starts_another_matter(&ct[s.range.clone()])
            {
                g.push(s);
                continue;
            }
            groups.push(vec![s]);
        }
        for g in groups {
            if let Some(mut c) = candidate(minutes, &ctx, &g, i, &info) {
                // an undertaking that answers a request of the previous turn
                // takes over the request's due
                if c.kind == ItemKind::Commitment
                    && c.due.kind == DueKind::None
                    && let Some((ti, d)) = last_request
                    && ti + 1 == i
                {
                    c.due = d;
                }
                if c.kind != ItemKind::Commitment && c.due.kind != DueKind::None {
                    last_request = Some((i, c.due));
                }
                out.push(c);
            }
        }
    }
    out
}

/// Connectives with which a speaker moves on to a further, separate request
/// (「…報告をお願いしたい。また、教育委員会でも…検討していただきたい。」).
const ANOTHER_MATTER: &[&str] = &[
    "また、",
    "また，",
    "それから、",
    "加えて、",
    "さらに、",
    "次に、",
    "もう一点",
    "もう1点",
    "もう１点",
    "別件",
    "あわせて、",
    "併せて、",
];

fn starts_another_matter(sentence: &str) -> bool {
    let sentence = sentence.trim_start();
    ANOTHER_MATTER.iter().any(|c| sentence.starts_with(c))
}

fn candidate(
    minutes: &Minutes,
    ctx: &Context,
    group: &[Scored],
    i: usize,
    info: &TurnInfo,
) -> Option<Candidate> {
    let TurnInfo {
        roles,
        depts,
        addressees,
        commits,
    } = *info;
    let ct = minutes.clean.text.as_str();
    let first = group.first()?;
    let last = group.last()?;
    let strongest = group
        .iter()
        .max_by(|a, b| a.hit.weight.total_cmp(&b.hit.weight))?;
    let mut range = first.range.start..last.range.end;
    if ct[range.clone()].chars().count() > HARD_MAX_EVIDENCE {
        range = window(ct, strongest.range.clone(), strongest.hit.cue_end);
    }
    let text = &ct[range.clone()];
    let kind = if group.iter().any(|s| s.hit.kind == ItemKind::Report) {
        ItemKind::Report
    } else {
        strongest.hit.kind
    };

    let mut due = resolve_due(text, minutes.meeting.held_on);
    if due.kind == DueKind::None && kind != ItemKind::Request && IMPLIED_NEXT_MEETING.is_match(text)
    {
        due = Due {
            kind: DueKind::NextMeeting,
            date: None,
        };
    }
    if due.kind == DueKind::NextMeeting {
        due.date = minutes.next_meeting;
    }

    let turns = &minutes.turns;
    let mut confidence = strongest.hit.weight;
    let agent = group.iter().find_map(|s| ctx.agent(&ct[s.range.clone()]));
    let owner = if agent.is_some() {
        confidence += 0.1;
        agent
    } else {
        match kind {
            ItemKind::Commitment => match roles[i] {
                Role::Secretariat | Role::Titled if depts[i].is_some() => {
                    confidence += 0.05;
                    depts[i].clone()
                }
                Role::Member if depts[i].is_some() => depts[i].clone(),
                // an unidentified member, the chair or an unlabelled bullet:
                // the secretariat tracks it
                _ => {
                    confidence -= 0.1;
                    ctx.secretariat.clone()
                }
            },
            ItemKind::Request | ItemKind::Report => {
                let next = i + 1;
                // the next speaker accepts, or answers with an undertaking
                let accepted = turns.get(next).is_some_and(|t| {
                    let body = ct.get(t.body.clone()).unwrap_or("");
                    t.speaker.is_some()
                        && t.speaker != turns[i].speaker
                        && roles[next] != Role::Chair
                        && (cues::accepts(body) || commits.get(next).copied().unwrap_or(false))
                });
                if accepted && depts[next].is_some() {
                    confidence += 0.1;
                    depts[next].clone()
                } else if roles[i] == Role::Chair && addressees[i].is_some() {
                    addressees[i].clone()
                } else if roles[i] != Role::Secretariat {
                    confidence -= 0.05;
                    ctx.secretariat.clone()
                } else {
                    None
                }
            }
        }
    };
    if due.kind != DueKind::None {
        confidence += 0.05;
    }
    let confidence = (confidence.clamp(0.05, 0.99) * 100.0).round() / 100.0;

    let summary = summarize(&ct[strongest.range.clone()]);
    Some(Candidate {
        summary,
        evidence: minutes.clean.original(&minutes.text, range.clone()),
        evidence_span: minutes.clean.span(range),
        speaker: turns.get(i).and_then(|t| t.speaker.clone()),
        owner,
        due,
        kind,
        confidence,
    })
}

/// A clause window around the cue of an over-long sentence.
fn window(ct: &str, sentence: Range<usize>, cue_end: usize) -> Range<usize> {
    let s = &ct[sentence.clone()];
    let cue_end = cue_end.min(s.len());
    // back up to 200 chars, to a clause boundary
    let mut start = 0;
    let before: Vec<(usize, char)> = s[..cue_end].char_indices().collect();
    if before.len() > 200 {
        let from = before.len() - 200;
        start = before[from].0;
        if let Some(&(b, c)) = before[from..].iter().find(|(_, c)| *c == '、') {
            start = b + c.len_utf8();
        }
    }
    // forward up to 150 chars after the cue
    let after_end = s[cue_end..]
        .char_indices()
        .nth(150)
        .map(|(b, _)| cue_end + b)
        .unwrap_or(s.len());
    sentence.start + start..sentence.start + after_end
}
