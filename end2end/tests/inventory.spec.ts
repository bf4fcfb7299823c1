import { Browser, expect, Page, test } from "@playwright/test";
import { accounts, hydrated, signIn } from "./helpers";

async function as(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

/** Takes a pending ticket to "in progress" as the agent. */
async function startWork(agent: Page, url: string) {
  await agent.goto(url);
  await hydrated(agent);
  await agent.getByTestId("action-accept").click();
  await expect(agent.getByTestId("status")).toHaveText("Approved");
  await agent.getByTestId("assign-me").click();
  await expect(agent.getByTestId("ticket-assignee")).toHaveText("Siti Rahman");
  await agent.getByTestId("action-start").click();
  await expect(agent.getByTestId("status")).toHaveText("In progress");
}

test("an agent registers an asset and hands it out through a ticket; the requester sees it under my assets", async ({ browser }) => {
  test.setTimeout(90_000);
  const serial = `E2E-${Date.now()}`;
  const agent = await as(browser, accounts.agent);
  await agent.goto("/assets");
  await hydrated(agent);
  await agent.getByTestId("register-asset").click();
  const form = agent.getByTestId("register-form");
  await form.getByTestId("asset-name-input").fill("Laptop Dell Latitude 5440");
  await form.getByTestId("asset-category-input").selectOption("laptop");
  await form.getByTestId("asset-serial-input").fill(serial);
  await form.getByTestId("asset-location-input").fill("Gudang GA, Kantor Pusat Jakarta");
  await form.getByTestId("save-asset").click();
  await expect(agent).toHaveURL(/\/assets\/[0-9a-f-]{36}$/);
  const tag = ((await agent.getByTestId("asset-tag").textContent()) ?? "").trim();
  expect(tag).toMatch(/^AST-\d{6}$/);
  await expect(agent.getByTestId("asset-status")).toHaveText("Available");
  await expect(agent.getByTestId("asset-label")).toBeVisible();

  // The requester asks for a laptop.
  const requester = await as(browser, accounts.requester);
  await requester.goto("/tickets/new");
  await hydrated(requester);
  await requester.getByTestId("title").fill(`Laptop untuk magang ${serial}`);
  await requester.getByTestId("category").selectOption("general_service");
  await requester.getByTestId("location").fill("Kantor Pusat Jakarta, Lantai 5");
  const row = requester.getByTestId("item-row").first();
  await row.getByTestId("item-name").fill("Pinjam laptop");
  await row.getByTestId("item-quantity").fill("1");
  await row.getByTestId("item-unit").fill("unit");
  await row.getByTestId("item-price").fill("0");
  await requester.getByTestId("submit").click();
  await expect(requester).toHaveURL(/\/tickets\/[0-9a-f-]{36}$/);
  const url = requester.url();

  // The agent completes it with the laptop.
  await startWork(agent, url);
  await agent.getByTestId("action-complete").click();
  const dialog = agent.getByTestId("action-dialog");
  await dialog.getByTestId("dialog-cost").fill("0");
  await dialog.getByTestId("asset-search").fill(tag);
  await dialog.getByTestId("asset-find").click();
  await dialog.getByTestId("asset-option").filter({ hasText: tag }).click();
  await expect(dialog.getByTestId("asset-option").filter({ hasText: tag })).toHaveAttribute("aria-pressed", "true");
  await dialog.getByTestId("dialog-confirm").click();
  await expect(agent.getByTestId("status")).toHaveText("Completed");

  // The requester holds it now.
  await requester.goto("/assets?mine=true");
  await hydrated(requester);
  const mine = requester.getByTestId("asset-row").filter({ hasText: tag });
  await expect(mine).toHaveCount(1);
  await expect(mine.getByTestId("asset-status")).toHaveText("Checked out");
  await mine.getByTestId("asset-tag").click();
  await expect(requester.getByTestId("asset-holder")).toHaveText("Budi Santoso");
  // Requesters see the asset but cannot act on it.
  await expect(requester.getByTestId("asset-actions")).toHaveCount(0);
  await expect(requester.getByTestId("asset-history-entry").first()).toContainText("Checked out");

  // Back with GA: check in, then the asset is available again.
  await agent.goto(requester.url());
  await hydrated(agent);
  await agent.getByTestId("asset-check_in").click();
  const checkin = agent.getByTestId("asset-dialog");
  await checkin.getByTestId("dialog-condition").selectOption("fair");
  await checkin.getByTestId("dialog-confirm").click();
  await expect(agent.getByTestId("asset-status")).toHaveText("Available");
  await expect(agent.getByTestId("asset-condition")).toHaveText("Fair");
});

test("a supply ticket drawn from GA stock lowers the stock when completed", async ({ browser }) => {
  test.setTimeout(90_000);
  const sku = `E2E-${Date.now()}`;
  const agent = await as(browser, accounts.agent);
  // Demo data has items below their reorder level: the badge shows it.
  await expect(agent.getByTestId("low-stock-count")).toBeVisible();
  await agent.goto("/stock");
  await hydrated(agent);
  await agent.getByTestId("new-stock-item").click();
  const form = agent.getByTestId("stock-form");
  await form.getByTestId("stock-sku-input").fill(sku);
  await form.getByTestId("stock-name-input").fill(`Map plastik ${sku}`);
  await form.getByTestId("stock-unit-input").fill("pak");
  await form.getByTestId("stock-price-input").fill("15.000");
  await form.getByTestId("stock-onhand-input").fill("50");
  await form.getByTestId("stock-reorder-input").fill("10");
  await form.getByTestId("save-stock-item").click();
  await expect(agent.getByTestId("notice")).toContainText("added");

  const requester = await as(browser, accounts.requester);
  await requester.goto("/tickets/new");
  await hydrated(requester);
  await requester.getByTestId("title").fill(`Map plastik untuk arsip ${sku}`);
  await requester.getByTestId("location").fill("Kantor Pusat Jakarta, Lantai 7");
  await requester.getByTestId("from-stock").click();
  await requester.getByTestId("stock-search").fill(sku);
  const option = requester.getByTestId("stock-option").filter({ hasText: sku });
  await expect(option).toContainText("50 pak available");
  await option.click();
  const row = requester.getByTestId("item-row").filter({ has: requester.getByTestId("item-from-stock") });
  await expect(row).toHaveCount(1);
  await expect(requester.getByTestId("item-row")).toHaveCount(1);
  await row.getByTestId("item-quantity").fill("4");
  await expect(row.getByTestId("item-subtotal")).toHaveText("Rp 60.000");
  await requester.getByTestId("submit").click();
  await expect(requester).toHaveURL(/\/tickets\/[0-9a-f-]{36}$/);
  const url = requester.url();

  await startWork(agent, url);
  await agent.getByTestId("action-complete").click();
  await agent.getByTestId("action-dialog").getByTestId("dialog-confirm").click();
  await expect(agent.getByTestId("status")).toHaveText("Completed");

  await agent.goto(`/stock?q=${sku}`);
  await hydrated(agent);
  const stock = agent.getByTestId("stock-row").filter({ hasText: sku });
  await expect(stock.getByTestId("stock-on-hand")).toHaveText("46 pak");
  await expect(stock.getByTestId("stock-available")).toHaveText("46");
  await stock.getByTestId("stock-move").click();
  await expect(agent.getByTestId("movement").first()).toContainText("-4 Issued → 46");
});
