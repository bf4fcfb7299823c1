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

    await page.goto("/");
    await page.getByTestId("ticket-number").first().click();
    await expect(page.getByTestId("ticket")).toBeVisible();
    await page.screenshot({ path: path.join(dir, `ticket${suffix}.png`), fullPage: true });
  });
}
