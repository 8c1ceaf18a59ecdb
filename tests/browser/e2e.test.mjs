// The secretariat imports the sample minutes and confirms the drafts; a department
// marks one of its items done; the follow-up report shows it done. Runs the real
// binary on a fresh SQLite file and drives Debian's Chromium with playwright-core.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import net from "node:net";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const binary = process.env.SHUKUDAI_BIN ?? path.join(root, "target/debug/shukudai");
const minutes = path.resolve(root, "../shared/minutes/dev/toshima-johoka-2020-08-03.txt");
const shots = path.join(here, "screenshots");
const work = mkdtempSync(path.join(tmpdir(), "shukudai-e2e-"));

let server;
let browser;
let base;

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function env(port) {
  return {
    ...process.env,
    SHUKUDAI__DATABASE__URL: `sqlite://${work}/e2e.db?mode=rwc`,
    SHUKUDAI__SERVER__LISTEN: `127.0.0.1:${port}`,
    SHUKUDAI__SERVER__PUBLIC_URL: `http://127.0.0.1:${port}`,
    SHUKUDAI__MAIL__TRANSPORT: "file",
    SHUKUDAI__MAIL__FILE_DIR: `${work}/mail`,
    SHUKUDAI__REMINDERS__ENABLED: "false",
  };
}

function cli(port, args, input) {
  const run = spawnSync(binary, args, { env: env(port), cwd: work, input, encoding: "utf8" });
  assert.equal(run.status, 0, `shukudai ${args.join(" ")}: ${run.stderr}`);
  return run.stdout;
}

async function waitForHealth(url) {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("shukudai serve did not become healthy");
}

before(async () => {
  assert.ok(existsSync(binary), `build the binary first (${binary})`);
  mkdirSync(shots, { recursive: true });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  cli(port, ["department", "add", "--name", "政策経営部情報管理課", "--alias", "事務局", "--alias", "情報管理課", "--email", "joho@example.jp"]);
  cli(port, ["department", "add", "--name", "区民部", "--email", "kumin@example.jp"]);
  cli(port, ["department", "add", "--name", "教育部", "--alias", "教育委員会"]);
  cli(port, ["user", "add", "--login", "jimu", "--name", "事務局 太郎", "--email", "jimu@example.jp", "--role", "secretariat", "--department", "政策経営部情報管理課"], "jimu-password\n");
  cli(port, ["user", "add", "--login", "kumin", "--name", "区民部 花子", "--email", "kumin@example.jp", "--role", "department", "--department", "区民部"], "kumin-password\n");
  server = spawn(binary, ["serve"], { env: env(port), cwd: work, stdio: ["ignore", "ignore", "inherit"] });
  await waitForHealth(base);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    ],
  });
});

after(async () => {
  await browser?.close();
  server?.kill("SIGTERM");
});

// What the Content-Security-Policy refused, page by page: the pages must need
// nothing it forbids (inline scripts, handlers or styles, other origins).
const refusals = [];
function watchPolicy(page) {
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) {
      refusals.push(`${page.url()}: ${message.text()}`);
    }
  });
  page.on("pageerror", (error) => refusals.push(`${page.url()}: ${error.message}`));
  return page;
}

async function logIn(page, login, password) {
  await page.goto(`${base}/login`);
  await page.getByLabel("ログインID").fill(login);
  await page.getByLabel("パスワード").fill(password);
  await page.getByRole("button", { name: "ログイン" }).click();
  await page.waitForURL(`${base}/dashboard`);
}

test("import, review, confirm, complete, report", async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: "ja-JP" });
  const secretariat = watchPolicy(await context.newPage());
  await logIn(secretariat, "jimu", "jimu-password");
  assert.match(await secretariat.locator("header .user").innerText(), /事務局 太郎/);

  // A file over the upload limit is refused before it is sent, the form intact.
  await secretariat.goto(`${base}/import`);
  await secretariat.locator("#text").fill("貼り付けた本文");
  const limit = Number(await secretariat.locator("form[data-max-bytes]").getAttribute("data-max-bytes"));
  await secretariat.setInputFiles("#files", {
    name: "huge.txt", mimeType: "text/plain", buffer: Buffer.alloc(limit + 1, 0x61),
  });
  await secretariat.getByRole("button", { name: "取り込む" }).click();
  await secretariat.locator("[data-upload-error]").waitFor({ state: "visible" });
  assert.match(await secretariat.locator("[data-upload-error]").innerText(), /上限を超えています/);
  assert.equal(secretariat.url(), `${base}/import`);
  assert.equal(await secretariat.locator("#text").inputValue(), "貼り付けた本文");

  // Import the sample minutes through the form.
  await secretariat.locator("#text").fill("");
  await secretariat.setInputFiles("#files", minutes);
  await secretariat.getByRole("button", { name: "取り込む" }).click();
  await secretariat.getByRole("link", { name: "確認する" }).click();
  await secretariat.waitForURL(/\/meetings\/\d+$/);

  // The review screen: minutes with highlighted evidence beside the drafts.
  const drafts = secretariat.locator("fieldset.draft");
  const draftCount = await drafts.count();
  assert.ok(draftCount >= 5, `expected the extractor's drafts, got ${draftCount}`);
  assert.ok((await secretariat.locator("mark.evidence").count()) >= draftCount);
  await secretariat.screenshot({ path: path.join(shots, "review.png"), fullPage: false });

  // Every draft gets an owner: keep the extractor's, else the secretariat; the first
  // one goes to 区民部 so that the department has an item to finish.
  for (let i = 0; i < draftCount; i++) {
    const owner = drafts.nth(i).locator("select[name^=owner_]");
    if (i === 0) {
      await owner.selectOption("区民部");
    } else if ((await owner.inputValue()) === "") {
      await owner.selectOption("政策経営部情報管理課");
    }
  }
  const firstSummary = (await drafts.nth(0).locator("textarea").inputValue()).trim();
  await secretariat.getByRole("button", { name: "選択した下書きを確定" }).click();
  await secretariat.waitForLoadState("load");
  assert.equal(await secretariat.locator("fieldset.draft").count(), 0, "all drafts confirmed");
  await secretariat.locator(".error").count().then((n) => assert.equal(n, 0));

  // The department sees its item and marks it done.
  const departmentContext = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "ja-JP" });
  const department = watchPolicy(await departmentContext.newPage());
  await logIn(department, "kumin", "kumin-password");
  assert.equal(await department.locator('a[href="/import"]').count(), 0, "no import link for a department");
  await department.getByRole("link", { name: firstSummary }).click();
  await department.getByLabel("完了報告").fill("H所のRPAの取組内容と成果を事務局に報告しました。");
  await department.getByRole("button", { name: "完了にする" }).click();
  await department.waitForLoadState("load");
  assert.match(await department.locator("dl.facts").innerText(), /完了/);
  await department.screenshot({ path: path.join(shots, "phone-task.png"), fullPage: true });

  // The follow-up report shows it done, with the completion note.
  await secretariat.goto(`${base}/report`);
  const row = secretariat.locator("table.report tr", { hasText: firstSummary });
  assert.match(await row.innerText(), /完了/);
  assert.match(await row.innerText(), /報告しました/);
  await secretariat.emulateMedia({ media: "print" });
  await secretariat.screenshot({ path: path.join(shots, "report.png"), fullPage: true });

  // Swagger UI runs under the same policy, from vendored files.
  await secretariat.emulateMedia({ media: "screen" });
  await secretariat.goto(`${base}/api/docs/`);
  await secretariat.locator(".opblock").first().waitFor();

  // An error page's "Back" goes back without an inline script.
  await secretariat.goto(`${base}/tasks/999999`);
  await secretariat.getByRole("link", { name: "戻る / Back" }).click();
  await secretariat.waitForURL(`${base}/api/docs/`);

  assert.deepEqual(refusals, [], "the Content-Security-Policy refused nothing");
  await context.close();
  await departmentContext.close();
});
