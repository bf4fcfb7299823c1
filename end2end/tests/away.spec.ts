import { Browser, expect, Page, test } from "@playwright/test";
import path from "path";
import { accounts, hydrated, signIn } from "./helpers";

// With UPDATE_SCREENSHOTS=1 the pictures land in docs/screenshots/ (README).
const shots = process.env.UPDATE_SCREENSHOTS
  ? path.join(__dirname, "..", "..", "docs", "screenshots")
  : path.join(__dirname, "..", "test-results", "screenshots");

// Out of office (cuti): Hendra, who approves Yohana's requests in Jayapura,
// names Dewi as his delegate on his account page. Yohana's new request
// waits for Hendra, shows in Dewi's approvals queue with its service level
// in working time, and Dewi's decision says it was taken on his behalf.

const hendra = "hendra.wijaya@example.co.id";
const dewi = "dewi.kusuma@example.co.id";
const yohana = "yohana.kambu@example.co.id";

async function as(browser: Browser, email: string, viewport = { width: 1280, height: 860 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

/** Ends whatever out-of-office periods are listed (a rerun starts clean). */
async function endAll(page: Page) {
  await page.goto("/account/away");
  await hydrated(page);
  const end = page.getByTestId("away-end");
  while ((await end.count()) > 0) {
    await end.first().click();
    await page.waitForLoadState("networkidle");
  }
}

const iso = (d: Date) => d.toISOString().slice(0, 10);

test("an approver on leave hands his approvals to a delegate", async ({ browser }) => {
  test.setTimeout(120_000);
  const away = await as(browser, hendra, { width: 360, height: 800 });
  await endAll(away);
  await expect(away.getByTestId("away-period")).toHaveCount(0);

  // Bad input: no delegate, last day before the first. Nothing is saved.
  const today = new Date(Date.now() + 7 * 3600_000);
  const later = new Date(today.getTime() + 4 * 86400_000);
  await away.getByTestId("away-from").fill(iso(later));
  await away.getByTestId("away-to").fill(iso(today));
  await away.getByTestId("away-save").click();
  await expect(away.getByTestId("away-form")).toContainText("Choose another active approver or administrator.");
  await away.getByTestId("away-delegate").selectOption({ label: "Dewi Kusuma" });
  await away.getByTestId("away-save").click();
  await expect(away.getByTestId("away-form")).toContainText("The last day cannot be before the first.");
  await expect(away.getByTestId("away-period")).toHaveCount(0);

  await away.getByTestId("away-from").fill(iso(today));
  await away.getByTestId("away-to").fill(iso(later));
  await away.getByTestId("away-note").fill("Cuti tahunan");
  await away.getByTestId("away-save").click();
  await expect(away.getByTestId("away-period")).toHaveCount(1);
  await expect(away.getByTestId("away-period")).toContainText("Dewi Kusuma decides for you");
  expect(await away.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await away.screenshot({ path: path.join(shots, "away-phone.png"), fullPage: true });

  // Yohana requests something that needs approval.
  const requester = await as(browser, yohana);
  const title = `Genset kantor Jayapura ${Date.now()}`;
  const res = await requester.request.post("/api/v1/tickets", {
    data: {
      title,
      description: "",
      category: "facility_maintenance",
      priority: "high",
      location: "Cabang Jayapura, Lantai 1",
      items: [{ name: "Servis genset", quantity: 1, unit: "unit", unit_price: "4500000" }],
    },
  });
  expect(res.status()).toBe(201);
  const ticket = await res.json();
  expect(ticket.site.name).toBe("Cabang Jayapura");

  // Dewi sees it in her queue, with the time left in working hours.
  const delegate = await as(browser, dewi);
  await delegate.goto("/approvals");
  await hydrated(delegate);
  const card = delegate.getByTestId("queue-item").filter({ hasText: ticket.number });
  await expect(card).toHaveCount(1);
  await expect(card.getByTestId("sla")).toHaveText(/^(Due in \d+ working (minutes?|hours?|days?)|Due now|Overdue \d+ working (minutes?|hours?|days?))$/);

  // The ticket page names both, and the decision is on his behalf.
  await delegate.goto(`/tickets/${ticket.id}`);
  await hydrated(delegate);
  await expect(delegate.getByTestId("waiting-for")).toHaveText("Level 1 of 1: Hendra Wijaya (out of office; Dewi Kusuma decides)");
  await expect(delegate.getByTestId("ticket-site")).toHaveText("Cabang Jayapura");
  await expect(delegate.getByTestId("ticket-due")).toContainText("WIB");
  await delegate.getByTestId("action-approve").click();
  await delegate.getByTestId("dialog-confirm").click();
  await expect(delegate.getByTestId("status")).toHaveText("Approved");
  await expect(delegate.getByTestId("on-behalf-of")).toHaveText(" on behalf of Hendra Wijaya");
  await delegate.screenshot({ path: path.join(shots, "delegated-ticket.png"), fullPage: true });

  // Back from leave: the period ends and the queue is his again.
  await endAll(away);
  await expect(away.getByTestId("away-period")).toHaveCount(0);
});

test("admins see targets, sites and holidays in working time", async ({ browser }) => {
  const admin = await as(browser, accounts.admin);
  await admin.goto("/admin/service-levels");
  await hydrated(admin);
  await expect(admin.getByTestId("targets").getByTestId("target-row")).toHaveCount(18);
  await expect(admin.getByTestId("sites")).toContainText("Cabang Makassar");
  await expect(admin.getByTestId("sites")).toContainText("WITA");
  await expect(admin.getByTestId("closed-days")).toContainText("Pancasila Day");
  // A target that is not a number is refused next to its field.
  const row = admin.locator('[data-test=target-row][data-key="meeting_room-high"]');
  await row.getByTestId("target-response_minutes").fill("soon");
  await row.getByTestId("target-save").click();
  await expect(row).toContainText("Enter a whole number.");
  await admin.screenshot({ path: path.join(shots, "service-levels.png"), fullPage: true });
});
