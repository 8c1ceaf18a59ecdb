//! Throughput of `minutes::analyse` on a synthetic corpus (~20 MB).
//! Run with `cargo bench --bench extract`.

use shukudai::minutes::{Directory, analyse};
use std::hint::black_box;
use std::time::Instant;

const DEPTS: &[&str] = &[
    "区民部",
    "総務部",
    "福祉部",
    "教育部",
    "都市整備部",
    "環境清掃部",
];
const TURNS: &[&str] = &[
    "本部長：{d}長はご存知ですか。",
    "部員：{d}では、窓口の状況を{n}月末までに調査し、結果を報告したいと考えています。",
    "事務局：承知しました。早急に、その場を設けたいと思います。",
    "本部長：具体的な課題を整理したうえで、次回の本部でまた報告してもらいたいと思います。",
    "部員：その辺は調整をお願いいたします。",
    "事務局：対応済みです。",
    "本部長：何かご質問はありますか。",
    "部員：Web 会議に関してですが、一覧表があると助かりますのでご検討いただければと思います。",
    "事務局：年度内に{d}と調整のうえ、方針をお示しします。",
    "本部長：各部で来週中に事務局へ報告してください。",
    "部員：了解しました。各部でやります。",
    "・委員から、{d}の取組について速やかに検討してほしいとの意見があった。",
    "→事務局で検討し、次回の会議で報告する。",
];

/// Talk that asks for nothing: explanations, questions, answers, procedure.
/// Real minutes have roughly one action item per 1 KB of text.
const TALK: &[&str] = &[
    "事務局：資料{n}に基づきまして、{d}の現状と今後の進め方についてご説明いたします。昨年度は延べ{n}件の相談があり、前年度と比べて増加傾向にあります。特に窓口での手続に時間がかかっているという声が多く寄せられております。",
    "本部長：ありがとうございました。ただいまの説明について、何かご質問はありますか。",
    "部員：{d}の状況について伺います。システムの更新時期はいつ頃になるのでしょうか。",
    "事務局：現行システムの保守期限は令和{n}年度末となっております。更新に向けた調査は現在進めているところです。",
    "部員：わかりました。現場では職員の負担が大きいという話も聞いておりますので、その点も踏まえていただければと思っております。",
    "本部長：他の自治体の状況はどうなっていますか。",
    "事務局：近隣の区では、既に電子申請を導入しているところが多く、利用率は概ね{n}割程度と聞いております。",
    "部員：{d}でも同様の取組を始めておりますが、まだ利用者は少ない状況です。周知の方法に課題があると考えております。",
    "本部長：なるほど、状況はよくわかりました。",
    "〔事務局：資料{n}を説明〕",
    "部員：この内容で結構です。",
    "—了承—",
];

fn header(i: usize) -> String {
    format!(
        "会 議 録\n\n附属機関又は 会議体の名称\t令和{}年度 第{}回豊島区行政情報化推進本部\t\n事務局（担当課）\t政策経営部情報管理課\t\n開 催 日 時\t令和{}年{}月{}日（月）午後3時03分～午後3時55分\t\n開 催 場 所\t庁議室（本庁舎5階）\t\n出席者\t部 員\t副区長（本部長）、総務部長、区民部長、教育部長\n\n",
        2 + i % 5,
        1 + i % 9,
        2 + i % 5,
        1 + i % 12,
        1 + i % 28
    )
}

/// One synthetic minutes document of about `size` bytes.
fn document(i: usize, size: usize) -> String {
    let mut s = header(i);
    let mut k = i;
    while s.len() < size {
        // about one action turn to five turns of talk
        let t = if k.is_multiple_of(6) {
            TURNS[(k / 6) % TURNS.len()]
        } else {
            TALK[k % TALK.len()]
        };
        let t = t
            .replace("{d}", DEPTS[(k / 3) % DEPTS.len()])
            .replace("{n}", &(1 + k % 12).to_string());
        s.push_str(&t);
        s.push('\n');
        if k.is_multiple_of(17) {
            s.push_str("\n## 審 議 経 過\n\n");
        }
        k += 1;
    }
    s
}

fn main() {
    let dir = Directory::default();
    let doc_size = 20 * 1024;
    let n_docs = 1000; // ~20 MB
    let docs: Vec<String> = (0..n_docs).map(|i| document(i, doc_size)).collect();
    let total: usize = docs.iter().map(String::len).sum();

    // warm up the lazily compiled tables
    let _ = analyse(docs[0].as_bytes(), &dir);

    let start = Instant::now();
    let mut items = 0usize;
    for d in &docs {
        let a = analyse(black_box(d.as_bytes()), &dir)
            .map(|a| a.items.len())
            .unwrap_or(0);
        items += a;
    }
    let el = start.elapsed();
    let mb = total as f64 / 1e6;
    println!(
        "{n_docs} documents of ~20 KB ({mb:.1} MB): {:.3} s, {:.1} MB/s, {:.3} ms per 20 KB document, {items} items",
        el.as_secs_f64(),
        mb / el.as_secs_f64(),
        el.as_secs_f64() * 1e3 / n_docs as f64
    );

    let whole = docs.concat();
    let start = Instant::now();
    let a = analyse(black_box(whole.as_bytes()), &dir);
    let el = start.elapsed();
    println!(
        "one document of {:.1} MB: {:.3} s, {:.1} MB/s, {} items",
        whole.len() as f64 / 1e6,
        el.as_secs_f64(),
        whole.len() as f64 / 1e6 / el.as_secs_f64(),
        a.map(|a| a.items.len()).unwrap_or(0)
    );
}
