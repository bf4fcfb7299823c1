import { expect, test } from "@playwright/test";
import path from "path";
import { accounts, hydrated, signIn } from "./helpers";

// Screens people see first, at desktop and phone width. They land in
// test-results/, or in docs/screenshots/ (shown in the README) with
// UPDATE_SCREENSHOTS=1.
const dir = process.env.UPDATE_SCREENSHOTS
  ? path.join(__dirname, "..", "..", "docs", "screenshots")
  : path.join(__dirname, "..", "test-results", "screenshots");

for (const [label, viewport] of [
  ["desktop", { width: 1280, height: 860 }],
  ["phone", { width: 360, height: 780 }],
] as const) {
  test(`main screens render at ${label} width`, async ({ page }) => {
    await page.setViewportSize(viewport);
    const suffix = label === "desktop" ? "" : "-phone";
    await page.goto("/login");
    await hydrated(page);
    await page.screenshot({ path: path.join(dir, `login${suffix}.png`) });

    await signIn(page, accounts.requester);
    await expect(page.getByTestId("ticket-row").first()).toBeVisible();
    await page.screenshot({ path: path.join(dir, `my-requests${suffix}.png`), fullPage: true });

    await page.goto("/tickets/new");
    await hydrated(page);
    await page.getByTestId("title").fill("Toner dan kertas untuk printer lantai 7");
    await page.getByTestId("location").fill("Kantor Pusat Jakarta, Lantai 7");
    await page.getByTestId("description").fill("Printer bersama di dekat ruang rapat Merapi kehabisan toner.");
    const rows = page.getByTestId("item-row");
    await rows.nth(0).getByTestId("item-name").fill("Toner printer laser");
    await rows.nth(0).getByTestId("item-quantity").fill("2");
    await rows.nth(0).getByTestId("item-price").fill("1.250.000");
    await page.getByTestId("add-item").click();
    await rows.nth(1).getByTestId("item-name").fill("Kertas A4 80gsm");
    await rows.nth(1).getByTestId("item-quantity").fill("10");
    await rows.nth(1).getByTestId("item-unit").fill("rim");
    await rows.nth(1).getByTestId("item-price").fill("55000");
    await expect(page.getByTestId("live-total")).toHaveText("Rp 3.050.000");
    await page.screenshot({ path: path.join(dir, `new-ticket${suffix}.png`), fullPage: true });

    await page.getByTestId("submit").click();
    await expect(page.getByTestId("ticket")).toBeVisible();
    await hydrated(page);
    await page.getByTestId("comment-input").fill("Mohon dipasang sebelum rapat hari Kamis.");
    await page.getByTestId("comment-send").click();
    await expect(page.getByTestId("comment")).toHaveCount(1);
    await page.screenshot({ path: path.join(dir, `ticket${suffix}.png`), fullPage: true });
  });

  test(`approver and desk screens at ${label} width`, async ({ browser }) => {
    const suffix = label === "desktop" ? "" : "-phone";
    const approver = await (await browser.newContext({ viewport })).newPage();
    await signIn(approver, accounts.approver);
    await approver.goto("/approvals");
    await hydrated(approver);
    await expect(approver.getByTestId("queue-item").first()).toBeVisible();
    await approver.screenshot({ path: path.join(dir, `approvals${suffix}.png`), fullPage: true });
    await approver.getByTestId("queue-item").first().getByTestId("ticket-number").click();
    await expect(approver.getByTestId("action-approve")).toBeVisible();
    await approver.getByTestId("action-reject").click();
    await expect(approver.getByTestId("action-dialog")).toBeVisible();
    await approver.screenshot({ path: path.join(dir, `reject-dialog${suffix}.png`) });

    const agent = await (await browser.newContext({ viewport })).newPage();
    await signIn(agent, accounts.agent);
    await agent.goto("/desk");
    await hydrated(agent);
    await expect(agent.getByTestId("desk-triage")).toBeVisible();
    await agent.screenshot({ path: path.join(dir, `desk${suffix}.png`), fullPage: true });
  });

  test(`asset and stock screens at ${label} width`, async ({ browser }) => {
    const suffix = label === "desktop" ? "" : "-phone";
    const agent = await (await browser.newContext({ viewport })).newPage();
    await signIn(agent, accounts.agent);
    await agent.goto("/assets");
    await hydrated(agent);
    await expect(agent.getByTestId("asset-row").first()).toBeVisible();
    await agent.screenshot({ path: path.join(dir, `assets${suffix}.png`), fullPage: true });
    await agent.getByTestId("asset-row").filter({ hasText: "Proyektor" }).getByTestId("asset-tag").click();
    await expect(agent.getByTestId("asset-actions")).toBeVisible();
    await hydrated(agent);
    await agent.screenshot({ path: path.join(dir, `asset${suffix}.png`), fullPage: true });
    await agent.getByTestId("asset-check_out").click();
    await agent.getByTestId("holder-search").fill("budi");
    await agent.getByTestId("holder-find").click();
    await expect(agent.getByTestId("holder-results").locator("button").first()).toBeVisible();
    await agent.screenshot({ path: path.join(dir, `asset-checkout${suffix}.png`) });
    await agent.goto("/stock");
    await hydrated(agent);
    await expect(agent.getByTestId("stock-row").first()).toBeVisible();
    await agent.screenshot({ path: path.join(dir, `stock${suffix}.png`), fullPage: true });

    const requester = await (await browser.newContext({ viewport })).newPage();
    await signIn(requester, accounts.requester);
    await requester.goto("/tickets/new");
    await hydrated(requester);
    await requester.getByTestId("from-stock").click();
    await requester.getByTestId("stock-search").fill("kertas");
    await requester.getByTestId("stock-option").first().click();
    await expect(requester.getByTestId("item-from-stock")).toBeVisible();
    await requester.getByTestId("stock-search").fill("toner");
    await expect(requester.getByTestId("stock-option").first()).toContainText("Toner");
    await requester.screenshot({ path: path.join(dir, `stock-picker${suffix}.png`), fullPage: true });
  });
}
