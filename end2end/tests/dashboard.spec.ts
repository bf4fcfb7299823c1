import { Browser, expect, Page, test } from "@playwright/test";
import fs from "fs";
import path from "path";
import { accounts, hydrated, signIn } from "./helpers";

// Pictures for the README (with UPDATE_SCREENSHOTS=1), taken where the
// charts have data this test made.
const shots = process.env.UPDATE_SCREENSHOTS
  ? path.join(__dirname, "..", "..", "docs", "screenshots")
  : path.join(__dirname, "..", "test-results", "screenshots");

// The approver dashboard (/approvals) and the summary report (/reports):
// figures, SVG charts whose values are text, a decision from a phone, the
// date range and the CSV. Every page must hydrate from the data the server
// sent: no panic, no console error, and no second fetch of the page's data
// while hydrating (a fresh fetch while others decide could draw a different
// list than the server did, which is what broke hydration before).

type Watched = { page: Page; errors: string[]; rpc: string[] };

async function open(browser: Browser, email: string, viewport = { width: 1280, height: 860 }): Promise<Watched> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors: string[] = [];
  const rpc: string[] = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  page.on("request", (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith("/rpc/")) rpc.push(path);
  });
  await signIn(page, email);
  return { page, errors, rpc };
}

/** Loads a page and waits for hydration; returns the server functions the
 *  browser called meanwhile. */
async function load(w: Watched, path: string): Promise<string[]> {
  w.rpc.length = 0;
  await w.page.goto(path);
  await hydrated(w.page);
  await expect(w.page.locator("[aria-busy=true]")).toHaveCount(0);
  // Give a stray refetch the time to start.
  await w.page.waitForTimeout(300);
  return [...w.rpc];
}

/** A ticket above the approval limit for the signed-in requester (Dewi is
 *  their manager), through the REST API with the page's cookies. */
async function request(page: Page, title: string, price: string, category = "office_supplies") {
  const res = await page.request.post("/api/v1/tickets", {
    data: {
      title,
      description: "",
      category,
      priority: "medium",
      location: "Kantor Pusat Jakarta, Lantai 7",
      items: [{ name: "Barang", quantity: 1, unit: "pcs", unit_price: price }],
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as { id: string; number: string; version: number };
}

const figure = async (page: Page, test: string) => ((await page.getByTestId(test).textContent()) ?? "").trim();

const queueIds = async (page: Page) =>
  new Set(await page.getByTestId("queue-item").evaluateAll((els) => els.map((e) => e.getAttribute("data-ticket") ?? "")));

test("the approver sees figures and charts as text and approves from a phone", async ({ browser }) => {
  test.setTimeout(90_000);
  const requester = await open(browser, accounts.requester);
  const ticket = await request(requester.page, `Lemari arsip ${Date.now()}`, "2750000");

  const approver = await open(browser, accounts.approver, { width: 360, height: 740 });
  const page = approver.page;
  const fetched = await load(approver, "/approvals");
  expect(fetched.filter((p) => p.startsWith("/rpc/queues/approvals") || p.startsWith("/rpc/reports/")),
    "the page's data comes with the HTML, not a second fetch").toEqual([]);

  // Figures: the waiting count agrees with the queue, amounts in Rupiah.
  const before = await queueIds(page);
  expect(before.has(ticket.id)).toBe(true);
  await expect(page.getByTestId("fig-waiting")).toHaveText(String(before.size));
  await expect(page.getByTestId("fig-approved-amount")).toContainText("Rp");
  await expect(page.getByTestId("fig-approved-count")).toContainText("approved by you this month");

  // Both charts: SVG drawn by us, with a title, values as text and a table.
  const spend = page.getByTestId("spend-chart");
  await expect(spend.locator("svg[role=img] > title")).toHaveText("Approved spend per month by category");
  await expect(spend.locator("table caption")).toHaveText("Approved spend per month by category");
  await expect(spend.locator("table tbody tr")).toHaveCount(6);
  await expect(spend.locator("table tbody td").first()).toContainText("Rp");
  const decisions = page.getByTestId("decisions-chart");
  await expect(decisions.locator("rect")).toHaveCount(16);
  await expect(decisions.locator("table tbody tr")).toHaveCount(8);
  await expect(decisions.locator(".legend")).toContainText("Approved");
  await expect(decisions.locator(".legend")).toContainText("Rejected");

  // The card: amount, age and the service level in words.
  const card = page.getByTestId("queue-item").filter({ hasText: ticket.number });
  await expect(card.getByTestId("ticket-total")).toHaveText("Rp 2.750.000");
  await expect(card.getByTestId("ticket-age")).toHaveText(/^Requested \d+ (min|h|d) ago$/);
  await expect(card.getByTestId("sla")).toHaveText(/^Due in \d+ working (minutes?|hours?|days?)$/);

  // Thumb-sized decisions on a 360 px phone, and nothing scrolls sideways.
  const approve = card.getByTestId("approve");
  await approve.scrollIntoViewIfNeeded();
  for (const button of [approve, card.getByTestId("reject")]) {
    const box = (await button.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(44);
  }
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);

  // Reject asks for a reason; going back leaves the ticket waiting.
  await card.getByTestId("reject").click();
  await expect(page.getByTestId("reject-dialog")).toBeVisible();
  await expect(page.getByTestId("reject-dialog")).toContainText("Why is it rejected?");
  await page.getByTestId("reject-dialog").getByRole("button", { name: "Back" }).click();
  await expect(page.getByTestId("reject-dialog")).toHaveCount(0);

  const waiting = Number(await figure(page, "fig-waiting"));
  await approve.click();
  await expect(page.getByTestId("notice")).toContainText(`${ticket.number} is now approved`);
  await expect(page.getByTestId("queue-item").filter({ hasText: ticket.number })).toHaveCount(0);
  // One fewer waits, give or take what other people did meanwhile: the
  // figure moves exactly as the queue does.
  const after = await queueIds(page);
  const gone = [...before].filter((id) => !after.has(id)).length;
  const came = [...after].filter((id) => !before.has(id)).length;
  await expect(page.getByTestId("fig-waiting")).toHaveText(String(waiting - gone + came));
  if (came === 0 && gone === 1) {
    await expect(page.getByTestId("fig-waiting")).toHaveText(String(waiting - 1));
  }

  expect(approver.errors).toEqual([]);
  expect(requester.errors).toEqual([]);
});

test("the approvals page hydrates from the server's data while others decide", async ({ browser }) => {
  test.setTimeout(90_000);
  // The queue changes between loads, as it does when many people work.
  const requester = await open(browser, accounts.requester);
  const approver = await open(browser, accounts.approver);
  for (let round = 0; round < 4; round++) {
    const t = await request(requester.page, `Kursi rapat ${Date.now()}-${round}`, "1500000");
    const fetched = await load(approver, "/approvals");
    expect(fetched.filter((p) => p.startsWith("/rpc/queues/approvals") || p.startsWith("/rpc/reports/"))).toEqual([]);
    await expect(approver.page.getByTestId("queue-item").filter({ hasText: t.number })).toHaveCount(1);
    await expect(approver.page.getByTestId("spend-chart")).toBeVisible();
    const res = await approver.page.request.post(`/api/v1/tickets/${t.id}/approve`, { data: { version: t.version } });
    expect(res.status(), await res.text()).toBe(200);
  }
  await load(approver, "/approvals");
  await expect(approver.page.getByTestId("decisions-chart")).toBeVisible();
  await approver.page.screenshot({ path: path.join(shots, "dashboard.png"), fullPage: true });
  expect(approver.errors).toEqual([]);
});

test("the report shows figures for a chosen range and its tickets as CSV", async ({ browser }) => {
  test.setTimeout(90_000);
  const requester = await open(browser, accounts.requester);
  const stamp = Date.now();
  const ticket = await request(requester.page, `Galon air ${stamp}`, "1250000", "pantry_supplies");
  const approver = await open(browser, accounts.approver);
  const page = approver.page;
  const ok = await page.request.post(`/api/v1/tickets/${ticket.id}/approve`, { data: { version: ticket.version } });
  expect(ok.status(), await ok.text()).toBe(200);

  // Without a range: this month so far, in the inputs and the heading.
  const fetched = await load(approver, "/reports");
  expect(fetched.filter((p) => p.startsWith("/rpc/reports/")), "the report comes with the HTML").toEqual([]);
  const today = await page.getByTestId("range-to").inputValue();
  expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  await expect(page.getByTestId("range-from")).toHaveValue(`${today.slice(0, 8)}01`);
  await expect(page.getByTestId("preset-this-month")).toHaveAttribute("aria-current", "page");

  // Choose today only through the form (a GET form: the range is in the address).
  await page.getByTestId("range-from").fill(today);
  await page.getByTestId("range-apply").click();
  await expect(page).toHaveURL(new RegExp(`/reports\\?from=${today}&to=${today}$`));
  const tickets = Number(await figure(page, "fig-tickets"));
  expect(tickets).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId("fig-spend")).toContainText("Rp");
  await expect(page.getByTestId("report-range")).toContainText("Tickets created from");

  // Charts with their values as text, and tables for screen readers.
  const categories = page.getByTestId("category-spend-chart");
  await expect(categories.locator("svg > text", { hasText: "Pantry supplies" })).toHaveCount(1);
  await expect(categories.locator("table tbody tr", { hasText: "Pantry supplies" })).toContainText("Rp");
  const perWeek = page.getByTestId("tickets-chart");
  await expect(perWeek.locator("svg > title")).toHaveText("Tickets per week");
  await expect(perWeek.locator("table tbody tr")).toHaveCount(1);
  await expect(perWeek.locator("table tbody td")).toHaveText(String(tickets));
  await expect(page.getByTestId("by-status")).toContainText("Approved");
  await page.screenshot({ path: path.join(shots, "reports.png"), fullPage: true });

  // The CSV of the same range.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
  expect(download.suggestedFilename()).toBe(`gadesk-tickets-${today}-${today}.csv`);
  const csv = fs.readFileSync((await download.path())!, "utf8").replace(/^\uFEFF/, "");
  const lines = csv.trim().split("\r\n");
  expect(lines[0]).toBe("number,title,status,category,priority,requester,assignee,estimated_total,created_at,updated_at,attachments");
  expect(lines.find((l) => l.startsWith(`${ticket.number},`))).toContain(`Galon air ${stamp},approved,pantry_supplies`);
  expect(lines.length - 1).toBeGreaterThanOrEqual(tickets);

  // A preset, then a range the wrong way round: a clear message, no report.
  await page.getByTestId("preset-this-year").click();
  await expect(page).toHaveURL(/\/reports\?from=\d{4}-01-01&to=/);
  await expect(page.getByTestId("tickets-chart").locator("svg > title")).toHaveText(/Tickets per (week|month)/);
  expect(approver.errors).toEqual([]);

  await page.goto(`/reports?from=${today}&to=2000-01-01`);
  await expect(page.getByTestId("range-error")).toContainText("From: The start must not be after the end.");
  await expect(page.getByTestId("report-figures")).toHaveCount(0);
  // The page answers 422 on purpose; the browser logs that, nothing else.
  expect(approver.errors.filter((e) => !e.includes("422"))).toEqual([]);
});

test("requesters have no report", async ({ page }) => {
  await signIn(page, accounts.requester);
  const csv = await page.request.get("/api/v1/reports/tickets.csv");
  expect(csv.status()).toBe(403);
});
