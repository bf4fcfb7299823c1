import { expect, test } from "@playwright/test";
import { accounts, hydrated, signIn } from "./helpers";

test("my requests: search, status chips, and request again", async ({ page }) => {
  test.setTimeout(60_000);
  const word = `Lampu${Date.now()}`;
  await signIn(page, accounts.requester2);
  await page.goto("/tickets/new");
  await hydrated(page);
  await page.getByTestId("title").fill(`${word} ruang arsip`);
  await page.getByTestId("location").fill("Kantor Pusat Jakarta, Lantai 2");
  const row = page.getByTestId("item-row").first();
  await row.getByTestId("item-name").fill("Lampu LED 18 watt");
  await row.getByTestId("item-quantity").fill("6");
  await row.getByTestId("item-unit").fill("pcs");
  await row.getByTestId("item-price").fill("45.000");
  await page.getByTestId("submit").click();
  await expect(page).toHaveURL(/\/tickets\/[0-9a-f-]{36}$/);
  const first = ((await page.getByTestId("ticket-number").textContent()) ?? "").trim();

  // Search finds it by a word of its title; the address keeps the search.
  await page.goto("/");
  await hydrated(page);
  await page.getByTestId("my-search").fill(word);
  await page.getByTestId("my-search-submit").click();
  await expect(page).toHaveURL(new RegExp(`q=${word}`));
  await expect(page.getByTestId("ticket-row")).toHaveCount(1);
  await expect(page.getByTestId("ticket-number")).toHaveText(first);

  // Chips narrow by status and keep the search.
  await page.getByTestId("chip-closed").click();
  await expect(page.getByTestId("empty-search")).toBeVisible();
  await page.getByTestId("chip-open").click();
  await expect(page.getByTestId("chip-open")).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("ticket-row")).toHaveCount(1);
  await page.getByTestId("chip-all").click();
  await expect(page).toHaveURL(new RegExp(`/\\?q=${word}$`));

  // Request again: the form starts as a copy, rendered by the server.
  await page.getByTestId("ticket-number").click();
  await hydrated(page);
  await page.getByTestId("request-again").click();
  await expect(page.getByTestId("copied-notice")).toBeVisible();
  await expect(page.getByTestId("title")).toHaveValue(`${word} ruang arsip`);
  await expect(page.getByTestId("item-name").first()).toHaveValue("Lampu LED 18 watt");
  await expect(page.getByTestId("live-total")).toHaveText("Rp 270.000");
  await hydrated(page);
  await page.getByTestId("submit").click();
  await expect(page).toHaveURL(/\/tickets\/[0-9a-f-]{36}$/);
  const second = ((await page.getByTestId("ticket-number").textContent()) ?? "").trim();
  expect(second).not.toBe(first);

  await page.goto(`/?q=${word}`);
  await expect(page.getByTestId("ticket-row")).toHaveCount(2);
});
