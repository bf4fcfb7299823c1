import { expect, request, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import path from "path";
import { accounts, hydrated, password, signIn } from "./helpers";

// The approver decides from the email, read from the real SMTP server that
// scripts/e2e runs (its messages land in GADESK_TEST_MAILBOX).

// Pictures for the README with UPDATE_SCREENSHOTS=1 (as screenshots.spec.ts).
const shots = process.env.UPDATE_SCREENSHOTS
  ? path.join(__dirname, "..", "..", "docs", "screenshots")
  : path.join(__dirname, "..", "test-results", "screenshots");

// Waiting for the worker and the mail server takes a few seconds.
test.describe.configure({ timeout: 60_000 });

type Mail = { rcpt_tos: string[]; subject: string; text: string; html: string; message_id: string };

function mailbox(): Mail[] {
  const file = process.env.GADESK_TEST_MAILBOX;
  if (!file) throw new Error("GADESK_TEST_MAILBOX is not set (run through scripts/e2e)");
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

async function mailTo(address: string, subjectPart: string): Promise<Mail> {
  let found: Mail | undefined;
  await expect
    .poll(() => {
      found = mailbox().find((m) => m.rcpt_tos[0] === address && m.subject.includes(subjectPart));
      return found !== undefined;
    }, { timeout: 15_000 })
    .toBe(true);
  return found!;
}

function linkAfter(text: string, label: string): string {
  const line = text.split("\n").find((l) => l.startsWith(`${label}: http`));
  if (!line) throw new Error(`no "${label}" link in:\n${text}`);
  return new URL(line.slice(label.length + 2).trim()).pathname;
}

/** Budi files a request through the API, from a client of its own (its
 *  sign-in cookies must not leak into the browser pages of the test). */
async function createTicket(title: string, price: string): Promise<{ id: string; number: string }> {
  const api = await request.newContext({ baseURL: process.env.BASE_URL ?? "http://127.0.0.1:3000" });
  const login = await api.post("/api/v1/auth/login", {
    data: { email: accounts.requester, password: password() },
  });
  const token = (await login.json()).access_token;
  const r = await api.post("/api/v1/tickets", {
    headers: { authorization: `Bearer ${token}` },
    data: {
      title, category: "office_furniture", location: "Kantor Pusat Jakarta, Lantai 7",
      items: [{ name: title, quantity: 1, unit: "unit", unit_price: price }],
    },
  });
  expect(r.status()).toBe(201);
  const t = await r.json();
  await api.dispose();
  return { id: t.id, number: t.number };
}

test("the approver approves from the email and the requester's bell shows it", async ({ browser }) => {
  const requester = await (await browser.newContext()).newPage();
  const title = `Kursi direktur ${Date.now()}`;
  const { id, number } = await createTicket(title, "2500000");

  // The manager's email, in Indonesian, with Rupiah and the links.
  const mail = await mailTo(accounts.approver, title);
  expect(mail.subject).toBe(`[GA Desk] ${number} menunggu persetujuan Anda · ${title}`);
  expect(mail.text).toContain("Nilai: Rp 2.500.000");
  const approve = linkAfter(mail.text, "Setujui");

  // Opened on a phone's mail app: not signed in.
  const phone = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
  await phone.goto(approve);
  await expect(phone.getByTestId("decide-heading")).toHaveText("Setujui permintaan ini?");
  await expect(phone.getByTestId("decide-facts")).toContainText("Rp 2.500.000");
  await expect(phone.getByTestId("decide-facts")).toContainText(number);
  await phone.screenshot({ path: path.join(shots, "decide-from-email-phone.png"), fullPage: true });
  await phone.getByTestId("decide-confirm").click();
  await expect(phone.getByTestId("decide-heading")).toHaveText("Disetujui");
  await expect(phone.getByTestId("decide-done")).toBeVisible();

  // The link does not decide twice.
  await phone.goto(approve);
  await expect(phone.getByTestId("decide-refused")).toHaveAttribute("data-code", "link_used");

  // The requester sees it in the app: the bell, and the ticket.
  await signIn(requester, accounts.requester);
  await hydrated(requester);
  await requester.getByTestId("bell").locator("summary").click();
  await expect(
    requester.getByTestId("notification").filter({ hasText: `${number} is now approved` }),
  ).toBeVisible();
  await requester.goto(`/tickets/${id}`);
  await expect(requester.getByTestId("status")).toHaveText("Approved");

  // And an email saying so.
  const told = await mailTo(accounts.requester, `${number} kini berstatus disetujui`);
  expect(told.text).toContain(`/tickets/${id}`);
});

test("a reject link asks for the reason first", async ({ browser }) => {
  const page = await (await browser.newContext()).newPage();
  const title = `Sofa lobi ${Date.now()}`;
  const { id, number } = await createTicket(title, "1750000");
  const mail = await mailTo(accounts.approver, title);
  await page.goto(linkAfter(mail.text, "Tolak"));
  await expect(page.getByTestId("decide-heading")).toHaveText("Tolak permintaan ini?");
  await page.getByTestId("decide-reason").fill("Sofa lobi sudah diganti bulan lalu");
  await page.getByTestId("decide-confirm").click();
  await expect(page.getByTestId("decide-heading")).toHaveText("Ditolak");
  const told = await mailTo(accounts.requester, `${number} ditolak: Sofa lobi sudah diganti bulan lalu`);
  expect(told.text).toContain(`/tickets/${id}`);
});

test("a person takes comments in the app only and a daily digest", async ({ page }) => {
  await signIn(page, accounts.requester2, "/account/notifications");
  await hydrated(page);
  await page.getByTestId("notify-lang").selectOption("en");
  await page.getByTestId("email-kind-commented").uncheck();
  await page.getByTestId("email-digest").check();
  await page.getByTestId("notify-save").click();
  await expect(page.getByTestId("notify-saved")).toBeVisible();
  await page.screenshot({ path: path.join(shots, "notification-settings.png"), fullPage: true });
  // Kept: read back through the API, and after a reload.
  const r = await page.request.get("/api/v1/me/notification-settings");
  const prefs = await r.json();
  expect(prefs.lang).toBe("en");
  expect(prefs.email_off).toEqual(["commented"]);
  expect(prefs.email_digest).toBe(true);
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId("email-kind-commented")).not.toBeChecked();
  await expect(page.getByTestId("email-digest")).toBeChecked();
});

test("an administrator adds a webhook, sees its secret once and sends a test", async ({ page }) => {
  await signIn(page, accounts.admin, "/admin/notifications");
  await hydrated(page);
  const name = `Kanal GA ${Date.now()}`;
  await page.getByTestId("add-webhook").click();
  await page.getByTestId("webhook-name").fill(name);
  await page.getByTestId("webhook-url-input").fill("ftp://chat.example.co.id/hook");
  await page.getByTestId("webhook-event-awaiting_approval").check();
  await page.getByTestId("webhook-save").click();
  await expect(page.getByTestId("webhook-form")).toContainText("https://");
  await page.getByTestId("webhook-url-input").fill("http://127.0.0.1:9/hook");
  await page.getByTestId("webhook-save").click();
  await expect(page.getByTestId("webhook-secret-value")).toHaveText(/^[A-Za-z0-9_-]{43}$/);
  const row = page.getByTestId("webhook-row").filter({ hasText: name });
  await expect(row).toBeVisible();
  await row.getByTestId("webhook-test").click();
  await expect(page.getByTestId("delivery-row").filter({ hasText: name }).first()).toBeVisible();
  await page.screenshot({ path: path.join(shots, "admin-notifications.png"), fullPage: true });
});
