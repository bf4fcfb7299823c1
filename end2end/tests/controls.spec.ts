import { Browser, expect, Page, test } from "@playwright/test";
import path from "path";
import { accounts, hydrated, signIn, sso, startWork } from "./helpers";

// Where the screenshots of these screens go (docs/screenshots with
// UPDATE_SCREENSHOTS=1, as in screenshots.spec.ts).
const shots = process.env.UPDATE_SCREENSHOTS
  ? path.join(__dirname, "..", "..", "docs", "screenshots")
  : path.join(__dirname, "..", "test-results", "screenshots");

async function as(browser: Browser, email: string, userAgent?: string): Promise<Page> {
  const context = await browser.newContext(userAgent ? { userAgent } : {});
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

const PHONE =
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36";

test("a lost phone is signed out from the account page on another device", async ({ browser }) => {
  test.setTimeout(90_000);
  const phone = await as(browser, accounts.requester2, PHONE);
  const laptop = await as(browser, accounts.requester2);
  await laptop.goto("/account/password");
  await hydrated(laptop);
  const sessions = laptop.getByTestId("active-sessions");
  await expect(sessions.getByRole("heading", { name: "Active sessions" })).toBeVisible();
  // This device is marked and cannot be signed out from the list.
  const mine = sessions.getByTestId("session").filter({ has: laptop.getByTestId("this-device") });
  await expect(mine).toHaveCount(1);
  await expect(mine.getByTestId("session-end")).toHaveCount(0);
  const lost = sessions.getByTestId("session").filter({ hasText: "Chrome · Android" }).first();
  await expect(lost).toContainText("127.0.0.1");
  await sessions.screenshot({ path: path.join(shots, "active-sessions.png") });
  await lost.getByRole("button", { name: "Sign out Chrome · Android" }).click();
  await expect(laptop.getByTestId("sessions-notice")).toHaveText("Signed out 1 session.");
  // The phone is out at its next step; the laptop is not.
  await phone.goto("/");
  await expect(phone).toHaveURL(/\/login/);
  await laptop.goto("/");
  await expect(laptop.getByTestId("current-user")).toBeVisible();
});

test("completing above the approved amount waits for the approval of the new cost", async ({ browser }) => {
  test.setTimeout(120_000);
  const requester = await as(browser, accounts.requester);
  const title = `Perbaikan AC ${Date.now()}`;
  const created = await requester.request.post("/api/v1/tickets", {
    data: {
      title,
      category: "facility_maintenance",
      location: "Kantor Pusat Jakarta, Lantai 7",
      items: [{ name: "Servis AC split", quantity: 1, unit: "unit", unit_price: "400000" }],
    },
  });
  expect(created.status()).toBe(201);
  const t = await created.json();
  const url = `/tickets/${t.id}`;

  // GA accepts (no approval needed at Rp 400.000), takes it and starts.
  const agent = await as(browser, accounts.agent);
  await startWork(agent, url);
  // The compressor turned out to be broken: Rp 2.500.000.
  await agent.getByTestId("action-complete").click();
  const dialog = agent.getByTestId("action-dialog");
  await dialog.getByTestId("dialog-cost").fill("2.500.000");
  await dialog.getByTestId("dialog-confirm").click();
  await expect(agent.getByTestId("status")).toHaveText("Waiting for approval");
  await expect(agent.getByTestId("cost-waiting")).toContainText("Rp 2.500.000");
  await expect(agent.getByTestId("cost-waiting")).toContainText("Rp 400.000");
  await expect(agent.getByTestId("ticket-actual")).toHaveCount(0);
  await agent.screenshot({ path: path.join(shots, "cost-waiting.png") });

  // The requester's manager decides on the new amount from the queue.
  const manager = await as(browser, accounts.approver);
  await manager.goto("/approvals");
  await hydrated(manager);
  const card = manager.getByTestId("queue-item").filter({ hasText: title });
  await expect(card.getByTestId("ticket-total")).toHaveText("Rp 2.500.000");
  await card.getByTestId("approve").click();
  await expect(manager.getByTestId("queue-item").filter({ hasText: title })).toHaveCount(0);

  // Back at work with the new ceiling; now it completes.
  await agent.goto(url);
  await hydrated(agent);
  await expect(agent.getByTestId("status")).toHaveText("In progress");
  await expect(agent.getByTestId("cost-approved")).toContainText("Rp 2.500.000");
  await agent.getByTestId("action-complete").click();
  await dialog.getByTestId("dialog-cost").fill("2.500.000");
  await dialog.getByTestId("dialog-confirm").click();
  await expect(agent.getByTestId("status")).toHaveText("Completed");
  await expect(agent.getByTestId("ticket-actual")).toHaveText("Rp 2.500.000");
});

test("requesters see only the assets they hold", async ({ browser }) => {
  const agent = await as(browser, accounts.agent);
  const register = await (await agent.request.get("/api/v1/assets?limit=100")).json();
  const notHers = register.items.filter((a: any) => a.holder_name !== "Ani Pratama");
  expect(notHers.length).toBeGreaterThan(0);
  const requester = await as(browser, accounts.requester2);
  await requester.goto("/assets");
  await hydrated(requester);
  // For her the page is "My assets": no register, no "only what I hold".
  await expect(requester.getByRole("heading", { name: "My assets" })).toBeVisible();
  await expect(requester.getByTestId("empty-assets")).toContainText("You");
  await expect(requester.getByRole("checkbox", { name: "Only what I hold" })).toHaveCount(0);
  // The register's assets are not listed for her...
  for (const a of notHers.slice(0, 5)) {
    await expect(requester.getByTestId("asset-row").filter({ hasText: a.tag })).toHaveCount(0);
  }
  // ...and their pages do not exist for her.
  const res = await requester.goto(`/assets/${notHers[0].id}`);
  expect(res?.status()).toBe(404);
  await expect(requester.getByText(notHers[0].tag)).toHaveCount(0);
});

test("single sign-on binds an account to the provider's subject and allows only the company's domains", async ({ browser }) => {
  test.setTimeout(60_000);
  const login = `sso.bound.${Date.now()}`;
  const first = await (await browser.newContext()).newPage();
  await sso(first, login);
  await expect(first.getByTestId("current-user")).toContainText("Requester");
  // Another identity at the provider that claims the same email is not that person.
  const impostor = await (await browser.newContext()).newPage();
  await sso(impostor, `${login}@example.co.id`);
  await expect(impostor).toHaveURL(/\/login\?sso=failed$/);
  await expect(impostor.getByTestId("current-user")).toHaveCount(0);
  // The bound identity still gets in.
  const again = await (await browser.newContext()).newPage();
  await sso(again, login);
  await expect(again.getByTestId("current-user")).toContainText("Requester");
  // Another domain does not get in at all.
  const outsider = await (await browser.newContext()).newPage();
  await sso(outsider, `mallory.${Date.now()}@gmail.com`);
  await expect(outsider).toHaveURL(/\/login\?sso=failed$/);
  await expect(outsider.getByTestId("current-user")).toHaveCount(0);
  // The administrator's security log says why each was refused.
  const admin = await as(browser, accounts.admin);
  const log = await (await admin.request.get("/api/v1/security-events")).json();
  const why = (email: string) =>
    log.find((e: any) => e.kind === "login_failed" && e.email === email)?.detail?.code;
  expect(why(`${login}@example.co.id`)).toBe("sso_bound_elsewhere");
  expect(log.some((e: any) => e.detail?.code === "sso_domain_not_allowed" && e.email.endsWith("@gmail.com"))).toBe(true);
});
