import { Browser, expect, Page, test } from "@playwright/test";
import { accounts, hydrated, signIn } from "./helpers";

async function as(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

/** Creates a one-item ticket through the form and returns its page URL and number. */
async function createTicket(page: Page, title: string, price: string) {
  await page.goto("/tickets/new");
  await hydrated(page);
  await page.getByTestId("title").fill(title);
  await page.getByTestId("category").selectOption("office_furniture");
  await page.getByTestId("location").fill("Kantor Pusat Jakarta, Lantai 7");
  const row = page.getByTestId("item-row").first();
  await row.getByTestId("item-name").fill("Proyektor ruang rapat");
  await row.getByTestId("item-quantity").fill("1");
  await row.getByTestId("item-unit").fill("unit");
  await row.getByTestId("item-price").fill(price);
  await page.getByTestId("submit").click();
  await expect(page).toHaveURL(/\/tickets\/[0-9a-f-]{36}$/);
  const number = ((await page.getByTestId("ticket-number").textContent()) ?? "").trim();
  return { url: page.url(), number };
}

async function clickAction(page: Page, action: string) {
  await page.getByTestId(`action-${action}`).click();
}

test("a Rp 12.500.000 request goes through two approvals, fulfilment and confirmation", async ({ browser }) => {
  // Five people in five browser contexts: give it room on a busy machine.
  test.setTimeout(120_000);
  const requester = await as(browser, accounts.requester);
  const title = `Proyektor ${Date.now()}`;
  const { url, number } = await createTicket(requester, title, "12.500.000");
  await expect(requester.getByTestId("status")).toHaveText("Waiting for approval");
  await expect(requester.getByTestId("waiting-for")).toHaveText("Level 1 of 2: Dewi Kusuma");
  // The requester sees no approve button on their own request.
  await hydrated(requester);
  await expect(requester.getByTestId("action-approve")).toHaveCount(0);

  // Level 1: the requester's manager, from the approvals queue.
  const manager = await as(browser, accounts.approver);
  await manager.goto("/approvals");
  await hydrated(manager);
  const card = manager.getByTestId("queue-item").filter({ hasText: number });
  await expect(card.getByTestId("ticket-total")).toHaveText("Rp 12.500.000");
  await card.getByTestId("approve").click();
  await expect(manager.getByTestId("notice")).toContainText(`${number} is now waiting for approval`);
  await expect(manager.getByTestId("queue-item").filter({ hasText: number })).toHaveCount(0);

  // Level 2: a different approver.
  const second = await as(browser, accounts.approver2);
  await second.goto("/approvals");
  await hydrated(second);
  await second.getByTestId("queue-item").filter({ hasText: number }).getByTestId("approve").click();
  await expect(second.getByTestId("notice")).toContainText(`${number} is now approved`);

  // The agent takes it, works on it and completes it with the actual cost.
  const agent = await as(browser, accounts.agent);
  await agent.goto(url);
  await hydrated(agent);
  await expect(agent.getByTestId("status")).toHaveText("Approved");
  await agent.getByTestId("assign-me").click();
  await expect(agent.getByTestId("ticket-assignee")).toHaveText("Siti Rahman");
  await clickAction(agent, "start");
  await expect(agent.getByTestId("status")).toHaveText("In progress");
  await clickAction(agent, "complete");
  const dialog = agent.getByTestId("action-dialog");
  await dialog.getByTestId("dialog-cost").fill("12.350.000");
  await dialog.getByTestId("dialog-text").fill("Proyektor dipasang di ruang Merapi");
  await dialog.getByTestId("dialog-confirm").click();
  await expect(agent.getByTestId("status")).toHaveText("Completed");
  await expect(agent.getByTestId("ticket-actual")).toHaveText("Rp 12.350.000");

  // The requester confirms; the timeline tells the whole story.
  await requester.goto(url);
  await hydrated(requester);
  await clickAction(requester, "confirm");
  await expect(requester.getByTestId("status")).toHaveText("Closed");
  await expect(requester.getByTestId("ticket-resolution")).toHaveText("Done");
  await expect(requester.getByTestId("approval")).toHaveCount(2);
  await expect(requester.getByTestId("history-entry")).toHaveCount(7);
  await expect(requester.getByTestId("bell-count")).toBeVisible();
});

test("a rejection needs a reason and is shown to the requester", async ({ browser }) => {
  const requester = await as(browser, accounts.requester);
  const { url, number } = await createTicket(requester, `Sofa ${Date.now()}`, "2.000.000");
  const manager = await as(browser, accounts.approver);
  await manager.goto(url);
  await hydrated(manager);
  await clickAction(manager, "reject");
  const dialog = manager.getByTestId("action-dialog");
  await dialog.getByTestId("dialog-confirm").click();
  await expect(dialog.getByTestId("error-reason")).toHaveText("Please give a reason.");
  await dialog.getByTestId("dialog-text").fill("Anggaran kuartal ini sudah habis");
  await dialog.getByTestId("dialog-confirm").click();
  await expect(manager.getByTestId("status")).toHaveText("Rejected");
  await requester.goto(url);
  await expect(requester.getByTestId("approval").first()).toContainText("Anggaran kuartal ini sudah habis");
  await expect(requester.getByTestId("actions")).toHaveCount(0);
  expect(number).toMatch(/^GA-/);
});

test("a stale edit shows what changed and can be re-applied", async ({ browser }) => {
  const requester = await as(browser, accounts.requester);
  const { url } = await createTicket(requester, `Meja ${Date.now()}`, "400.000");
  await hydrated(requester);
  await requester.getByTestId("edit").click();
  await requester.getByTestId("edit-title").fill("Meja kerja untuk staf baru");

  // Meanwhile a GA agent changes the same field and saves first.
  const agent = await as(browser, accounts.agent);
  await agent.goto(url);
  await hydrated(agent);
  await agent.getByTestId("edit").click();
  await agent.getByTestId("edit-title").fill("Meja kerja (dua unit)");
  await agent.getByTestId("edit-save").click();
  await expect(agent.getByTestId("ticket-title")).toHaveText("Meja kerja (dua unit)");

  await requester.getByTestId("edit-save").click();
  const conflict = requester.getByTestId("conflict-dialog");
  await expect(conflict).toBeVisible();
  await expect(conflict.getByTestId("conflict-changes")).toContainText("Meja kerja (dua unit)");
  // What the user typed is still there behind the dialog.
  await expect(requester.getByTestId("edit-title")).toHaveValue("Meja kerja untuk staf baru");
  await conflict.getByTestId("conflict-reapply").click();
  await expect(requester.getByTestId("ticket-title")).toHaveText("Meja kerja untuk staf baru");
  await expect(requester.getByTestId("conflict-dialog")).toHaveCount(0);
});

test("internal notes stay with GA staff", async ({ browser }) => {
  const requester = await as(browser, accounts.requester);
  const { url } = await createTicket(requester, `Lampu ${Date.now()}`, "85.000");
  const agent = await as(browser, accounts.agent);
  await agent.goto(url);
  await hydrated(agent);
  await agent.getByTestId("comment-input").fill("Vendor listrik datang Senin pagi");
  await agent.getByTestId("comment-internal").check();
  await agent.getByTestId("comment-send").click();
  await expect(agent.getByTestId("comment")).toHaveCount(1);
  await agent.getByTestId("comment-input").fill("Kami cek besok pagi, Pak.");
  await agent.getByTestId("comment-send").click();
  await expect(agent.getByTestId("comment")).toHaveCount(2);

  await requester.goto(url);
  await expect(requester.getByTestId("comment")).toHaveCount(1);
  await expect(requester.getByTestId("comment-body")).toHaveText("Kami cek besok pagi, Pak.");
  await expect(requester.getByTestId("comment-internal")).toHaveCount(0);
});

test("the GA desk accepts, takes, starts and completes a cheap request", async ({ browser }) => {
  test.setTimeout(90_000);
  const requester = await as(browser, accounts.requester2);
  const { url, number } = await createTicket(requester, `Spidol ${Date.now()}`, "45.000");
  const agent = await as(browser, accounts.agent);
  await agent.goto("/desk");
  await hydrated(agent);
  const triage = agent.getByTestId("desk-triage").getByTestId("queue-item").filter({ hasText: number });
  await triage.getByTestId("accept").click();
  await expect(agent.getByTestId("notice")).toContainText(`${number}: approved`);
  const approved = agent.getByTestId("desk-approved").getByTestId("queue-item").filter({ hasText: number });
  await approved.getByTestId("assign-me").click();
  await expect(approved.getByTestId("card-assignee")).toHaveText("Assigned to Siti Rahman");
  await approved.getByTestId("start").click();
  await expect(agent.getByTestId("notice")).toContainText(`${number}: in progress`);
  await agent.getByTestId("desk-progress").getByTestId("queue-item").filter({ hasText: number }).getByTestId("complete").click();
  const dialog = agent.getByTestId("complete-dialog");
  await expect(dialog.getByTestId("dialog-cost")).toHaveValue("45.000");
  await dialog.getByTestId("dialog-cost").fill("42.500");
  await dialog.getByTestId("dialog-confirm").click();
  await expect(agent.getByTestId("notice")).toContainText(`${number}: completed`);
  await requester.goto(url);
  await expect(requester.getByTestId("status")).toHaveText("Completed");
  await expect(requester.getByTestId("ticket-actual")).toHaveText("Rp 42.500");
});
